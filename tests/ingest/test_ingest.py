import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from storyline.ingest import ingest
from storyline.records import Analysis, Article
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


def _hostile_folder(folder: Path) -> None:
    """Three good articles beside every kind of bad item a careless export or a hostile page
    makes (each one, before, ended the whole run with nothing stored)."""
    _write(folder, 3)
    (folder / "long.txt").write_text("Headline of the long one\n"
                                     + "The river rose again near the old mill. " * 5000)
    records = [
        {"text": BODY.format(day="Sunday", n=1), "byline": 5},
        {"text": BODY.format(day="Monday", n=2), "byline": True},
        {"text": BODY.format(day="Tuesday", n=3), "title": ["a", "list"]},
        {"text": BODY.format(day="Thursday", n=5) + "Harbour crane number nine stood still.",
         "title": "Odd outlet", "outlet": "Valdoria\ud800 Post\x00" + "x" * 300},
    ]
    lines = [json.dumps(r) for r in records] + ["[" * 100_000 + "]" * 100_000]
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n")
    (folder / "locked.txt").write_text("unreadable")
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "[").mkdir()
    (folder / "[" / "]markup [bold].jsonl").write_text(json.dumps(
        {"title": "A headline [/] with [red]markup", "text": BODY.format(day="Friday", n=6) * 2}))


def test_ingest_bad_items_are_skipped_with_their_reason_and_the_rest_stored(
        store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _hostile_folder(tmp_path / "in")
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:  # chmod 000 does not stop root: refuse as the OS would
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    report = ingest([tmp_path / "in"], store, Settings(db=store.url, processes=1))
    folder = str(tmp_path / "in")
    assert [(s.removeprefix(folder), r) for s, r in report.failed] == [
        ("/feed.jsonl#1", "line 1: field 'byline' is a number, not a string or a list of "
                          "strings; fix or drop the record"),
        ("/feed.jsonl#2", "line 2: field 'byline' is a boolean, not a string or a list of "
                          "strings; fix or drop the record"),
        ("/feed.jsonl#3", "line 3: field 'title' is a list, not a string; fix or drop the record"),
        ("/feed.jsonl#5", "line 5 is nested too deeply to read; an article record is one flat "
                          "object"),
        ("/locked.txt", f"cannot read {folder}/locked.txt: Permission denied; check its "
                        "permissions"),
        ("/passwd.txt", "a link to a file outside the folder, not followed; give that file "
                        "itself to ingest it"),
    ]
    assert [(s.removeprefix(folder), r) for s, r in report.notes] == [
        ("/long.txt", "stored the first 99,999 of 199,999 characters (longer bodies are cut at "
                      "100,000: the nlp stage's memory bound); split the file to keep the rest")]
    docs = {Path(d.source).name: d for d in store.documents()}
    assert sorted(docs) == ["]markup [bold].jsonl#1", "a000.txt", "a001.txt", "a002.txt",
                            "feed.jsonl#4", "long.txt"]
    assert docs["feed.jsonl#4"].outlet == "Valdoria\ufffd Post" + "x" * 186
    assert docs["]markup [bold].jsonl#1"].title == "A headline [/] with [red]markup"
    assert (report.new, report.ok) == (6, True)


def test_ingest_an_article_the_nlp_stage_cannot_take_is_skipped(sqlite_store: Store,
                                                                 tmp_path: Path) -> None:
    _write(tmp_path / "in", 4)

    def analyser(articles: Sequence[Article]) -> list[Analysis]:
        if any(a.source.endswith("a002.txt") for a in articles):
            raise ValueError("[E088] Text of length 5000000 exceeds maximum")
        return [Analysis() for _ in articles]

    report = ingest([tmp_path / "in"], sqlite_store, Settings(processes=1, batch_size=8),
                    analyser=analyser)
    assert [(Path(s).name, r) for s, r in report.failed] == [
        ("a002.txt", "could not analyse it (ValueError: [E088] Text of length 5000000 exceeds "
                     "maximum); the rest of the run went on; please report this file")]
    assert sorted(Path(d.source).name for d in sqlite_store.documents()) == [
        "a000.txt", "a001.txt", "a003.txt"]


def test_ingest_a_batch_of_one_the_nlp_stage_cannot_take_is_reported_not_raised(
        sqlite_store: Store, tmp_path: Path) -> None:
    _write(tmp_path / "in", 3)

    def analyser(articles: Sequence[Article]) -> list[Analysis]:
        if any(a.source.endswith("a002.txt") for a in articles):
            raise IndexError("list index out of range")
        return [Analysis() for _ in articles]

    report = ingest([tmp_path / "in"], sqlite_store, Settings(processes=1, batch_size=1),
                    analyser=analyser)
    assert [(Path(s).name, r) for s, r in report.failed] == [
        ("a002.txt", "could not analyse it (IndexError: list index out of range); the rest of "
                     "the run went on; please report this file")]
    assert sorted(Path(d.source).name for d in sqlite_store.documents()) == [
        "a000.txt", "a001.txt"]
