"""Bounded load test on loopback: N concurrent clients read the API for T seconds.

Usage: python benchmarks/api_load.py --db URL [--clients 50] [--seconds 30] [--json OUT]

Starts ``storyline serve`` on a free port in a child process, then each client loops over the
API's main reads (story list, a story, an entity page, a document, search) and records every
latency. Prints requests, errors, throughput, p50 and p95.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _paths(client: httpx.AsyncClient) -> list[str]:
    clusters = (await client.get("/api/v1/clusters?limit=20")).json()["items"]
    entities = (await client.get("/api/v1/entities?limit=20")).json()["items"]
    documents = (await client.get("/api/v1/documents?limit=20")).json()["items"]
    paths = ["/api/v1/clusters?limit=20", "/api/v1/search?q=troops", "/api/v1/stances"]
    paths += [f"/api/v1/clusters/{k['id']}" for k in clusters[:5]]
    paths += [f"/api/v1/entities/{e['id']}" for e in entities[:5]]
    paths += [f"/api/v1/documents/{d['id']}" for d in documents[:5]]
    return paths


async def _client(base: str, paths: list[str], until: float, out: list[tuple[str, float, int]]) -> None:
    rng = random.Random()
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        while time.perf_counter() < until:
            path = rng.choice(paths)
            start = time.perf_counter()
            try:
                status = (await client.get(path)).status_code
            except httpx.HTTPError:
                status = 0
            out.append((path, time.perf_counter() - start, status))


async def run(base: str, clients: int, seconds: float) -> dict[str, float]:
    async with httpx.AsyncClient(base_url=base, timeout=30) as c:
        paths = await _paths(c)
    samples: list[tuple[str, float, int]] = []
    until = time.perf_counter() + seconds
    await asyncio.gather(*[_client(base, paths, until, samples) for _ in range(clients)])
    lat = sorted(s[1] * 1000 for s in samples)
    errors = sum(1 for s in samples if s[2] != 200)
    return {"clients": clients, "seconds": seconds, "requests": len(samples), "errors": errors,
            "rps": len(samples) / seconds, "p50_ms": statistics.median(lat),
            "p95_ms": lat[int(0.95 * (len(lat) - 1))], "max_ms": lat[-1]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "storyline.cli", "serve", "--db", args.db,
                               "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(base + "/api/v1/clusters?limit=1", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            print("the server did not start", file=sys.stderr)
            return 1
        result = asyncio.run(run(base, args.clients, args.seconds))
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"{result['clients']} clients for {result['seconds']:.0f} s on loopback: "
          f"{result['requests']} requests, {result['errors']} errors, {result['rps']:.0f} req/s, "
          f"p50 {result['p50_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms, max {result['max_ms']:.0f} ms")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
