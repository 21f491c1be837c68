"""Ray engine scaling on one machine: the same articles with 1 and then 2 Ray workers (CPUs).

Usage: python benchmarks/ray_scaling.py [JSONL] [--limit 400] [--json OUT]

Each run starts a local Ray with ``num_cpus`` workers, ingests into a fresh SQLite store and
shuts Ray down; the figure is articles per second and the speed-up of 2 workers over 1.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from storyline.settings import Settings
from storyline.store import Store

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "bbc" / "bbc-news-2004-2005.jsonl"


def once(shards: Path, workers: int, tmp: Path) -> dict[str, float]:
    import ray

    from storyline.ray_engine import run_ingest_ray

    db = f"sqlite:///{tmp}/w{workers}.db"
    store, settings = Store(db), Settings(db=db, processes=workers, batch_size=32)
    ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
    try:
        start = time.perf_counter()
        report = run_ingest_ray([str(shards)], store, settings)
        seconds = time.perf_counter() - start
    finally:
        ray.shutdown()
        store.close()
    return {"workers": workers, "articles": report.new + report.duplicate, "seconds": seconds,
            "articles_per_s": (report.new + report.duplicate) / seconds}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("jsonl", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--limit", type=int, default=400)
    parser.add_argument("--shard", type=int, default=25, help="articles per input file")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    lines = [line for line in args.jsonl.open(encoding="utf-8") if line.strip()][: args.limit]
    with tempfile.TemporaryDirectory() as tmp:
        shards = Path(tmp) / "shards"
        shards.mkdir()
        for i in range(0, len(lines), args.shard):
            (shards / f"part-{i:06d}.jsonl").write_text("".join(lines[i:i + args.shard]))
        rows = [once(shards, w, Path(tmp)) for w in (1, 2)]
    for r in rows:
        print(f"{r['workers']} worker(s): {r['articles']:.0f} articles in {r['seconds']:.1f} s "
              f"({r['articles_per_s']:.2f}/s)")
    print(f"speed-up 1 -> 2 workers: {rows[1]['articles_per_s'] / rows[0]['articles_per_s']:.2f}x")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
