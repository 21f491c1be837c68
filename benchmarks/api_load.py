"""Bounded load test on loopback: N concurrent readers of the API, alone and beside writes.

Usage: python benchmarks/api_load.py --db URL [--clients 50] [--seconds 30]
           [--writes idle,upload,ingest] [--articles FILE.jsonl] [--items 60] [--json OUT]

Starts ``storyline serve`` on a free port in a child process; each reader loops over the API's
main reads (story list, a story, an entity, a document, search) and records every latency.
Three phases, each reported apart (requests, errors, throughput, p50, p95, max):

- ``idle``: readers alone for ``--seconds``;
- ``upload``: readers while ``POST /api/v1/documents`` ingests ``--items`` new articles in the
  server (its job polled to the end), at least ``--seconds``;
- ``ingest``: readers while ``storyline ingest`` (another process) ingests ``--items`` other
  new articles into the same store.

The articles are the first 2 × ``--items`` records of ``--articles`` (JSONL; by default the BBC
corpus beside the project). A SQLite store is copied first, so the writes never change it and
runs compare; a PostgreSQL store is written to. Exit 1 when any read failed or a write did.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT.parent / "shared" / "corpus" / "bbc" / "bbc-news-2004-2005.jsonl"
Sample = tuple[str, float, int]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _paths(client: httpx.AsyncClient) -> list[str]:
    clusters = (await client.get("/api/v1/clusters?limit=20")).json()["items"]
    entities = (await client.get("/api/v1/entities?limit=20")).json()["items"]
    documents = (await client.get("/api/v1/documents?limit=20")).json()["items"]
    paths = ["/api/v1/clusters?limit=20", "/api/v1/search?q=troops", "/api/v1/stances",
             "/api/v1/documents?limit=20"]
    paths += [f"/api/v1/clusters/{k['id']}" for k in clusters[:5]]
    paths += [f"/api/v1/entities/{e['id']}" for e in entities[:5]]
    paths += [f"/api/v1/documents/{d['id']}" for d in documents[:5]]
    return paths


async def _reader(base: str, paths: list[str], done: asyncio.Event, out: list[Sample]) -> None:
    rng = random.Random()
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        while not done.is_set():
            path = rng.choice(paths)
            start = time.perf_counter()
            try:
                status = (await client.get(path)).status_code
            except httpx.HTTPError:
                status = 0
            out.append((path, time.perf_counter() - start, status))


async def _upload(base: str, token: str, files: list[Path]) -> dict[str, Any]:
    auth = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        answer = await client.post("/api/v1/documents", headers=auth, files=[
            ("files", (f.name, f.read_bytes(), "application/json")) for f in files])
        if answer.status_code == 200:  # a server before upload jobs: answered when done
            return {"state": "done", **answer.json()}
        if answer.status_code != 202:
            return {"state": f"http {answer.status_code}", "answer": answer.text[:300]}
        while True:
            job = (await client.get(answer.headers["location"], headers=auth)).json()
            if job["state"] in ("done", "failed"):
                return job  # type: ignore[no-any-return]
            await asyncio.sleep(0.5)


async def _ingest(db: str, folder: Path) -> dict[str, Any]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "storyline.cli", "ingest", str(folder), "--db", db,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
    _, err = await proc.communicate()
    return {"exit": proc.returncode, "stderr_tail": err.decode(errors="replace")[-300:]}


async def phase(base: str, clients: int, seconds: float, paths: list[str],
                write: Any = None) -> dict[str, Any]:
    """Readers for ``seconds`` and, given ``write`` (a coroutine), until it ends too."""
    samples: list[Sample] = []
    done = asyncio.Event()
    readers = [asyncio.create_task(_reader(base, paths, done, samples)) for _ in range(clients)]
    started = time.perf_counter()
    outcome = await write if write is not None else None
    write_s = time.perf_counter() - started
    await asyncio.sleep(max(0.0, seconds - write_s))
    done.set()
    await asyncio.gather(*readers)
    took = time.perf_counter() - started
    lat = sorted(s[1] * 1000 for s in samples)
    return {"clients": clients, "seconds": round(took, 1), "write_seconds": round(write_s, 1)
            if write is not None else None, "write": outcome, "requests": len(samples),
            "errors": sum(1 for s in samples if s[2] != 200), "rps": len(samples) / took,
            "p50_ms": statistics.median(lat), "p95_ms": lat[int(0.95 * (len(lat) - 1))],
            "max_ms": lat[-1]}


def _slices(articles: Path, items: int, folder: Path) -> tuple[Path, Path]:
    """Two JSONL files of ``items`` new articles each (the upload's and the ingest's)."""
    lines = [line for line in articles.read_text(encoding="utf-8").splitlines() if line.strip()]
    if len(lines) < 2 * items:
        raise SystemExit(f"{articles} holds {len(lines)} articles; need {2 * items}")
    up, ing = folder / "upload", folder / "ingest"
    up.mkdir()
    ing.mkdir()
    (up / "upload.jsonl").write_text("\n".join(lines[:items]) + "\n", encoding="utf-8")
    (ing / "ingest.jsonl").write_text("\n".join(lines[items:2 * items]) + "\n", encoding="utf-8")
    return up / "upload.jsonl", ing


def _store_copy(db: str, folder: Path) -> str:
    if not db.startswith("sqlite:///"):
        return db
    src = Path(db.removeprefix("sqlite:///"))
    if not src.exists():
        raise SystemExit(f"no store at {src}; create one with `storyline ingest … --db {db}`")
    dst = folder / "bench.db"
    shutil.copyfile(src, dst)
    return f"sqlite:///{dst}"


def _token(db: str) -> str:
    from storyline.serve import create_token
    from storyline.store import Store

    store = Store(db, create=False)
    try:
        return create_token(store, "api-load benchmark")
    finally:
        store.close()


async def run(base: str, db: str, args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base, timeout=30) as c:
        paths = await _paths(c)
    writes = args.writes.split(",")
    out: dict[str, Any] = {}
    upload_file = ingest_folder = None
    if not args.articles.exists() and {"upload", "ingest"} & set(writes):
        print(f"no {args.articles}: the upload and ingest phases are left out (give "
              "--articles FILE.jsonl of new articles)", file=sys.stderr)
        writes = [w for w in writes if w not in ("upload", "ingest")]
    if "upload" in writes or "ingest" in writes:
        upload_file, ingest_folder = _slices(args.articles, args.items, folder)
    for name in writes:
        if name == "idle":
            out[name] = await phase(base, args.clients, args.seconds, paths)
        elif name == "upload":
            assert upload_file is not None
            out[name] = await phase(base, args.clients, args.seconds, paths,
                                    _upload(base, _token(db), [upload_file]))
        elif name == "ingest":
            assert ingest_folder is not None
            out[name] = await phase(base, args.clients, args.seconds, paths,
                                    _ingest(db, ingest_folder))
        else:
            raise SystemExit(f"unknown phase {name!r}: use idle, upload, ingest")
    return out


def _failed_write(result: dict[str, Any]) -> bool:
    w = result.get("write")
    return w is not None and (w.get("state") not in (None, "done") or w.get("exit") not in (None, 0))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30, help="each phase at least this long")
    parser.add_argument("--writes", default="idle,upload,ingest",
                        help="phases, comma-separated: idle, upload, ingest")
    parser.add_argument("--articles", type=Path, default=ARTICLES, help="JSONL of new articles")
    parser.add_argument("--items", type=int, default=60, help="articles per write")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="storyline-api-load-"))
    try:
        db = _store_copy(args.db, folder)
        port = _free_port()
        server = subprocess.Popen([sys.executable, "-m", "storyline.cli", "serve", "--db", db,
                                   "--port", str(port)], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):
                try:
                    if httpx.get(base + "/api/v1/clusters?limit=1", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            else:
                print("the server did not start", file=sys.stderr)
                return 1
            results = asyncio.run(run(base, db, args, folder))
        finally:
            server.terminate()
            server.wait(timeout=60)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for name, r in results.items():
        beside = "" if r["write"] is None else (
            f" beside the {name} ({r['write_seconds']:.0f} s: "
            + (f"job {r['write'].get('state')}, {r['write'].get('new')} new"
               if name == "upload" else f"exit {r['write'].get('exit')}") + ")")
        print(f"{name:>6}: {r['clients']} readers for {r['seconds']:.0f} s{beside}: "
              f"{r['requests']} requests, {r['errors']} errors, {r['rps']:.0f} req/s, "
              f"p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms, max {r['max_ms']:.0f} ms")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    bad = any(r["errors"] for r in results.values()) or any(map(_failed_write, results.values()))
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
