import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from storyline.ingest import ingest
from storyline.settings import Settings
from storyline.store import Document, Store

BODY = ("Talks between the two governments resumed on {day} in the capital, officials said, "
        "after a week of clashes along the disputed river border that left {n} people dead.\n")


def _write(folder: Path, n: int) -> None:
    folder.mkdir(exist_ok=True)
    for i in range(n):
        (folder / f"a{i:03d}.txt").write_text(
            f"Headline number {i}\n" + BODY.format(day=f"day {i}", n=i) * 3
            + f"Unique closing sentence {i} about harbour number {i * 7} and bridge {i}.\n")


def test_ingest_is_idempotent(store: Store, tmp_path: Path, examples: Path) -> None:
    s = Settings(db=store.url, processes=1)
    first = ingest([examples], store, s)
    again = ingest([examples], store, s)
    assert first.new == 3 and again.new == 0 and again.duplicate == 3
    assert store.count(Document) == 3


@pytest.mark.parametrize("batch_size", [64, 1])  # one batch; the copy in a later batch in flight
def test_ingest_near_duplicate_becomes_reprint(sqlite_store: Store, examples: Path,
                                               batch_size: int) -> None:
    report = ingest([examples], sqlite_store, Settings(processes=1, batch_size=batch_size))
    docs = {Path(d.source).name: d for d in sqlite_store.documents()}
    copy = docs["003_blog_reprint.txt"]
    assert report.near_duplicate == 1
    assert copy.near_duplicate_of == docs["001_lantern_border.txt"].id
    assert copy.origin_relation == "reprint"
    assert list(report.near_groups.values()) == [[copy.source]]


@pytest.mark.parametrize("batch_size", [64, 2, 1])
def test_ingest_exact_copies_across_batches_stored_once(sqlite_store: Store, tmp_path: Path,
                                                        batch_size: int) -> None:
    _write(tmp_path / "in", 3)
    for i in range(3):
        (tmp_path / "in" / f"b{i:03d}.txt").write_bytes((tmp_path / "in" / f"a{i:03d}.txt").read_bytes())
    report = ingest([tmp_path / "in"], sqlite_store, Settings(processes=1, batch_size=batch_size))
    assert (report.new, report.duplicate) == (3, 3)
    assert sqlite_store.count(Document) == 3


def test_ingest_bad_items_never_stop_the_batch(sqlite_store: Store, tmp_path: Path) -> None:
    _write(tmp_path / "in", 3)
    (tmp_path / "in" / "zz.txt").write_bytes(b"\x00\x00binary")
    (tmp_path / "in" / "empty.txt").write_text("")
    report = ingest([tmp_path / "in"], sqlite_store, Settings(processes=1))
    assert report.new == 3 and len(report.failed) == 2


def test_ingest_kill_9_then_rerun_stores_each_once(tmp_path: Path) -> None:
    _write(tmp_path / "in", 60)
    db = f"sqlite:///{tmp_path / 'k.db'}"
    cmd = [sys.executable, "-m", "storyline.cli", "ingest", str(tmp_path / "in"), "--db", db,
           "--no-nlp"]
    env = {**os.environ, "STORYLINE_BATCH_SIZE": "4"}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    store = None
    while time.time() < deadline:
        time.sleep(0.2)
        if (tmp_path / "k.db").exists():
            store = Store(db)
            if store.count(Document) >= 8:
                break
            store.close()
            store = None
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    if store:
        store.close()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    with Store(db) as s:
        assert s.count(Document) == 60
        assert len({d.content_hash for d in s.documents()}) == 60
