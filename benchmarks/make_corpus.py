"""A large test corpus from a small one: resample articles with light perturbation.

Usage: python benchmarks/make_corpus.py SOURCE.jsonl OUT_DIR --n 100000 [--seed 1]

Writes JSONL shards of 2,000 articles (OUT_DIR/part-00000.jsonl, …), as a crawler's daily
files would come, each well under the ingest size limit.

Each output article is a random source article, changed the way copies drift on the web: a
sentence dropped or repeated, a number changed, a dateline or a "read more" line added, words
swapped. About one in ten is left verbatim (an exact duplicate) and most stay near-duplicates
of their source, so deduplication and MinHash have real work at any size.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

_SENT = re.compile(r"(?<=[.!?])\s+")
_NUM = re.compile(r"\b\d+\b")
DATELINES = ["LONDON —", "BRUSSELS (Reuters) —", "Updated:", "WASHINGTON, AP —", "From our correspondent:"]
TAILS = ["Read more: world news", "Share this story", "Follow us for updates", "Related: analysis"]


def perturb(text: str, rng: random.Random, k: int) -> str:
    if rng.random() < 0.1:
        return text
    sents = _SENT.split(text)
    if len(sents) > 3 and rng.random() < 0.6:
        del sents[rng.randrange(len(sents))]
    if rng.random() < 0.3:
        i = rng.randrange(len(sents))
        sents.insert(i, sents[i])
    out = " ".join(sents)
    out = _NUM.sub(lambda m: str(int(m.group()) + rng.randint(0, 3)) if rng.random() < 0.3
                   else m.group(), out)
    if rng.random() < 0.5:
        out = f"{rng.choice(DATELINES)} {out}"
    if rng.random() < 0.5:
        out = f"{out}\n{rng.choice(TAILS)}"
    if rng.random() < 0.2:  # a rewrite: different enough to be a new document
        words = out.split()
        rng.shuffle(words[: len(words) // 3])
        out = " ".join(words) + f" (copy {k})"
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("out", type=Path, help="folder for the shards")
    parser.add_argument("--shard", type=int, default=2000)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    base = [json.loads(line) for line in args.source.open(encoding="utf-8") if line.strip()]
    args.out.mkdir(parents=True, exist_ok=True)
    for start in range(0, args.n, args.shard):
        with (args.out / f"part-{start // args.shard:05d}.jsonl").open("w", encoding="utf-8") as fh:
            for k in range(start, min(start + args.shard, args.n)):
                src = rng.choice(base)
                fh.write(json.dumps({
                    "id": f"gen-{k:06d}", "text": perturb(src["text"], rng, k),
                    "outlet": rng.choice(["Daily Courier", "Evening Lantern", "Wire"]),
                    "date": f"2005-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"}) + "\n")
    print(f"wrote {args.n} articles to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
