"""Article-extraction benchmark: storyline's HTML path against bare trafilatura, same pages, same run.

Usage: python benchmarks/extraction.py [BENCH_DIR] [--json OUT]

The metric is the benchmark's own (see ../shared/bench/README.md): 4-token shingles of the ``\\w+``
tokens, multiset overlap per page normalised to sum to one, precision and recall averaged over
pages, F1 of the two means.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import trafilatura

from storyline.errors import InputError
from storyline.ingest import extract_html

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "bench" / "article-extraction-benchmark"
_TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text)
    return Counter(tuple(tokens[i:i + n]) for i in range(max(len(tokens) - n + 1, 0)))


def page_scores(truth: str, predicted: str) -> tuple[float | None, float | None]:
    """(precision, recall) of one page; None where the page is left out of that mean."""
    t, p = shingles(truth), shingles(predicted)
    tp, fp, fn = sum((t & p).values()), sum((p - t).values()), sum((t - p).values())
    if fp == 0 and fn == 0:
        return 1.0, 1.0
    total = tp + fp + fn
    tp_, fp_, fn_ = tp / total, fp / total, fn / total
    precision = tp_ / (tp_ + fp_) if tp_ + fp_ > 0 else None
    recall = tp_ / (tp_ + fn_) if tp_ + fn_ > 0 else None
    return precision, recall


def score(pairs: list[tuple[str, str]]) -> dict[str, float]:
    ps, rs = [], []
    for truth, predicted in pairs:
        p, r = page_scores(truth, predicted)
        if p is not None:
            ps.append(p)
        if r is not None:
            rs.append(r)
    precision, recall = sum(ps) / len(ps), sum(rs) / len(rs)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def _storyline(html: str, url: str | None) -> str:
    try:
        return extract_html(html, url=url).text
    except InputError:
        return ""


def _trafilatura(html: str, url: str | None) -> str:
    return trafilatura.extract(html, url=url) or ""


EXTRACTORS: dict[str, Callable[[str, str | None], str]] = {
    "storyline": _storyline,
    "trafilatura": _trafilatura,
}


def run(bench_dir: Path) -> dict[str, dict[str, float]]:
    truth = json.loads((bench_dir / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key, gold in truth.items():
        raw = gzip.decompress((bench_dir / "html" / f"{key}.html.gz").read_bytes())
        pages.append((raw.decode("utf-8", errors="replace"), gold.get("url"), gold["articleBody"]))
    results = {}
    for name, extract in EXTRACTORS.items():
        start = time.perf_counter()
        pairs = [(body, extract(html, url)) for html, url, body in pages]
        results[name] = score(pairs) | {"pages": len(pages), "seconds": time.perf_counter() - start}
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench_dir", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if not (args.bench_dir / "ground-truth.json").exists():
        print(f"benchmark not found at {args.bench_dir}; pass its folder as the first argument",
              file=sys.stderr)
        return 2
    results = run(args.bench_dir)
    print(f"{'extractor':<12} {'P':>6} {'R':>6} {'F1':>6} {'pages':>6} {'s':>6}")
    for name, r in results.items():
        print(f"{name:<12} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f} "
              f"{r['pages']:6.0f} {r['seconds']:6.1f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
