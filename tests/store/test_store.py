import signal
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, inspect, text

from storyline.errors import NotFound, StoreError
from storyline.records import Analysis, Article, QuoteRec
from storyline.store import Document, Pending, Quote, Store, _engine
from storyline.store._engine import make_engine
from tests.conftest import PG


def _article(i: int, text: str | None = None) -> Article:
    return Article(source=f"s{i}.txt", kind="txt", text=text or f"Body number {i} about a harbour.",
                   title=f"Title {i}", content_hash=f"{i:064d}")


def test_store_add_skips_stored_hashes(store: Store) -> None:
    ids = store.add([Pending(article=_article(1)), Pending(article=_article(2))])
    again = store.add([Pending(article=_article(1)), Pending(article=_article(3))])
    assert None not in ids and again[0] is None and again[1] is not None
    assert store.count(Document) == 3


def test_store_add_keeps_analysis(store: Store) -> None:
    an = Analysis(quotes=[QuoteRec(text="we will", kind="direct", start=0, end=7)])
    store.add([Pending(article=_article(1), analysis=an)])
    assert [q.text for q in store.analysis_rows(Quote)] == ["we will"]


@pytest.mark.parametrize(("query", "hits"), [("harbour", 2), ("lighthouse", 1), ("zebra", 0),
                                             ("", 0)])
def test_store_search_full_text(store: Store, query: str, hits: int) -> None:
    store.add([Pending(article=_article(1)), Pending(article=_article(2)),
               Pending(article=_article(3, "A lighthouse keeper spoke."))])
    assert len(store.search(query)) == hits


def test_store_near_duplicates_by_band(store: Store) -> None:
    sig = np.arange(128, dtype=np.uint64)
    store.add([Pending(article=_article(1), signature=sig, bands=list(range(16)))])
    other = sig.copy()
    other[:10] = 999
    assert [s for _, s in store.near_duplicates(other, list(range(16)), 0.8)] == [118 / 128]
    assert store.near_duplicates(other, [-1] * 16, 0.8) == []


def test_store_document_not_found_says_what_to_do(store: Store) -> None:
    with pytest.raises(NotFound, match="storyline docs"):
        store.document(999)


def test_store_bad_url_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="sqlite:///PATH"):
        Store("nosuchdb://x")


# --- opening a store: many processes, a killed migration, read-only opens ---------------------

_OPEN_MANY = """
import sys
from multiprocessing import get_context
def opener(url, barrier, q):
    from storyline.store import Document, Store
    barrier.wait()
    try:
        with Store(url) as s:
            q.put(f"ok {s.count(Document)}")
    except Exception as exc:
        q.put(f"{type(exc).__name__}: {exc}")
if __name__ == "__main__":
    ctx = get_context("spawn")
    n = int(sys.argv[2])
    barrier, q = ctx.Barrier(n), ctx.Queue()
    procs = [ctx.Process(target=opener, args=(sys.argv[1], barrier, q)) for _ in range(n)]
    for p in procs:
        p.start()
    print("\\n".join(sorted(q.get() for _ in procs)))
"""

# Stops the first migration after its third table and waits to be killed.
_KILLED_MIGRATION = """
import sys, time
from alembic.operations import Operations
made = []
real = Operations.create_table
def create_table(self, *a, **k):
    out = real(self, *a, **k)
    made.append(a[0])
    if len(made) == 3:
        print("ready", flush=True)
        time.sleep(120)
    return out
Operations.create_table = create_table
from storyline.store import Store
Store(sys.argv[1])
"""


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def new_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a store that does not exist yet (a new file, an empty PostgreSQL database)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'sub' / 'new.db'}"
        return
    if not PG:
        pytest.skip("STORYLINE_TEST_PG is not set (.ci/run starts PostgreSQL and sets it)")
    name = f"sl_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _tables(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        return sorted(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_many_processes_open_one_new_store_at_once(new_url: str, tmp_path: Path) -> None:
    (tmp_path / "open_many.py").write_text(_OPEN_MANY)  # spawned children import their main
    done = subprocess.run([sys.executable, str(tmp_path / "open_many.py"), new_url, "6"],
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:-1] == ["ok 0"] * 6


def test_a_migration_killed_half_way_leaves_no_schema_and_the_next_open_finishes(
        new_url: str) -> None:
    proc = subprocess.Popen([sys.executable, "-c", _KILLED_MIGRATION, new_url],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert _tables(new_url) == []  # the three tables made were rolled back with the process
    with Store(new_url) as s:
        assert s.add([Pending(article=_article(1))]) == [1]
    assert "pending_work" in _tables(new_url) and "alembic_version" in _tables(new_url)


def test_a_read_command_never_creates_a_store(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'typo' / 'store.db'}"
    with pytest.raises(StoreError, match=r"no store at .*store\.db; create one with `storyline "
                                         r"ingest PATH --db sqlite:///"):
        Store(url, create=False)
    assert not (tmp_path / "typo").exists()
    Store(url).close()
    with Store(url, create=False) as s:
        assert s.count(Document) == 0


def test_a_file_that_is_not_a_store_is_named(tmp_path: Path) -> None:
    (tmp_path / "notes.db").write_text("shopping list\n" * 200)
    with pytest.raises(StoreError, match=r"notes\.db is not a storyline store"):
        Store(f"sqlite:///{tmp_path / 'notes.db'}")


def test_a_store_locked_by_another_writer_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                   ) -> None:
    url = f"sqlite:///{tmp_path / 'busy.db'}"
    monkeypatch.setattr("storyline.store._engine.BUSY_MS", 100)
    with Store(url) as s, sqlite3.connect(tmp_path / "busy.db") as other:
        other.execute("DELETE FROM alembic_version")  # holds the write lock until rolled back
        with pytest.raises(StoreError, match=r"busy\.db is locked by another process .* wait for "
                                             r"it to finish and retry; nothing of this batch"):
            s.add([Pending(article=_article(1))])
        other.rollback()
        assert s.count(Document) == 0


def test_a_postgresql_server_that_is_down_is_named() -> None:
    with pytest.raises(StoreError, match=r"no PostgreSQL server answers at postgresql\+psycopg://"
                                         r"u@127\.0\.0\.1:9/x .*start the server"):
        Store("postgresql+psycopg://u@127.0.0.1:9/x")


def test_a_store_upgraded_from_the_first_schema_finds_its_documents(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(_engine.__file__).with_name("migrations")))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(text(
            "INSERT INTO documents (content_hash, source, kind, text, byline, removed, "
            "origin_relation, ingested_at) VALUES ('h', 'a.txt', 'txt', 'The lighthouse keeper "
            "spoke.', '[]', '[]', 'original', '2026-01-01')"))
    engine.dispose()
    with Store(url) as s:
        assert [d.source for d in s.search("lighthouse")] == ["a.txt"]
