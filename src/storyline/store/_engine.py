"""Engines and migrations: SQLite (WAL, foreign keys) by default, PostgreSQL for teams.

Migrations run under a lock, so any number of processes may open one new store at once: one
migrates, the others wait and then find the schema at head. SQLite: an ``flock`` on a lock file
beside the database, and the whole upgrade in one ``BEGIN IMMEDIATE`` transaction (SQLite's DDL
is transactional once the driver stops committing behind our back), so a migration killed
half-way leaves the previous schema. PostgreSQL: ``pg_advisory_xact_lock`` inside the upgrade's
transaction (its DDL is transactional too).
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError

from storyline.errors import StoreError

_MIGRATIONS = Path(__file__).with_name("migrations")
_PG_LOCK = 7_170_017  # pg_advisory_xact_lock key of storyline's migrations (any fixed bigint)
_PG_WORK_LOCK = 7_170_018  # pg_advisory_lock key of linking and grading (see work_lock)
BUSY_MS = 30_000  # how long SQLite waits for another writer before "database is locked"


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for PostgreSQL and in-memory databases)."""
    if not url.startswith("sqlite"):
        return None
    path = url.split("///", 1)[-1].split("?", 1)[0]
    if not path or path == ":memory:":
        return None
    return Path(path).expanduser()


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout={BUSY_MS}")  # first: the next PRAGMAs may wait for a lock
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    # The migration's connection only: the driver would BEGIN only before INSERT/UPDATE/DELETE
    # and run DDL outside any transaction (a migration killed half-way left half a schema), so
    # it stops managing transactions and the whole upgrade is one BEGIN IMMEDIATE. Every other
    # connection keeps the driver's way, which takes the write lock at the first write, waiting
    # busy_timeout for it (a deferred BEGIN that read first would fail at once with "database
    # is locked" when another process wrote in between).
    if conn.info.get("immediate"):
        conn.connection.driver_connection.isolation_level = None  # type: ignore[union-attr]
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str, *, create: bool = True) -> Engine:
    """An engine for ``url``; SQLite folders are created when ``create``, PRAGMAs set on every
    connection."""
    path = sqlite_path(url)
    if path is not None and not create and not path.exists():
        raise StoreError(f"no store at {path}; create one with `storyline ingest PATH --db {url}`"
                         " (or check --db / STORYLINE_DB for a typo)")
    try:
        if url.startswith("sqlite"):
            if path is not None and create:
                path.parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"check_same_thread": False})
            event.listen(engine, "connect", _sqlite_pragmas)
            event.listen(engine, "begin", _sqlite_begin)
        else:
            engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise StoreError(f"cannot use database URL {url!r} ({exc}); use sqlite:///PATH or "
                         "postgresql+psycopg://USER@HOST/DB") from exc
    except OSError as exc:
        raise StoreError(f"cannot create the folder of {path} ({exc.strerror}); check --db") from exc
    return engine


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    return cfg


def _at_head(conn: Connection, cfg: Config) -> bool:
    heads = set(ScriptDirectory.from_config(cfg).get_heads())
    return set(MigrationContext.configure(conn).get_current_heads()) == heads


@contextmanager
def _file_lock(path: Path | None) -> Iterator[None]:
    """An exclusive flock on ``PATH.lock`` (none for in-memory stores or a read-only folder,
    where the BEGIN IMMEDIATE transaction still serialises the migration)."""
    fd = None
    if path is not None:
        try:
            fd = os.open(f"{path}.lock", os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            fd = None
    try:
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


_HELD: set[str] = set()  # work locks this process holds (flock would deadlock on itself)
_THREADS: dict[str, threading.RLock] = {}  # threads of one process (uploads) take turns too
_GUARD = threading.Lock()


@contextmanager
def work_lock(engine: Engine) -> Iterator[None]:
    """One linking and grading run per store at a time, across processes: two ingests of one
    store duplicated every entity and left empty clusters when they relinked together. SQLite:
    an flock on ``PATH.work.lock``; PostgreSQL: a session advisory lock. Both go with the
    process that held them, so a killed run never leaves the store locked."""
    url = engine.url.render_as_string(hide_password=True)
    with _GUARD:
        turn = _THREADS.setdefault(url, threading.RLock())
    with turn:
        if url in _HELD:  # this thread holds it already (only the holder gets past ``turn``)
            yield
            return
        with _process_lock(engine, url):
            yield


@contextmanager
def _process_lock(engine: Engine, url: str) -> Iterator[None]:
    _HELD.add(url)
    try:
        if engine.dialect.name == "postgresql":
            with engine.connect() as conn:
                conn.exec_driver_sql(f"SELECT pg_advisory_lock({_PG_WORK_LOCK})")
                conn.commit()  # the lock is the session's: no transaction stays open
                try:
                    yield
                finally:
                    conn.exec_driver_sql(f"SELECT pg_advisory_unlock({_PG_WORK_LOCK})")
                    conn.commit()
        else:
            path = sqlite_path(url)
            with _file_lock(path.with_name(path.name + ".work") if path else None):
                yield
    finally:
        _HELD.discard(url)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision, one process at a time."""
    cfg = _config()
    url = engine.url.render_as_string(hide_password=True)
    try:
        with engine.connect() as conn:
            if _at_head(conn, cfg):
                return
        with _file_lock(sqlite_path(url)), engine.connect() as conn:
            conn.info["immediate"] = True
            try:
                with conn.begin():
                    if engine.dialect.name == "postgresql":
                        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK})")
                    if not _at_head(conn, cfg):  # another process may have migrated meanwhile
                        cfg.attributes["connection"] = conn
                        command.upgrade(cfg, "head")
            finally:
                if conn.info.pop("immediate", None) and engine.dialect.name == "sqlite":
                    conn.connection.driver_connection.isolation_level = ""  # type: ignore[union-attr]
    except DBAPIError as exc:
        raise StoreError(explain(url, exc)) from exc


def explain(url: str, exc: DBAPIError) -> str:
    """What went wrong opening or writing the store, named by its real cause."""
    why = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    low = why.lower()
    path = sqlite_path(url)
    if path is not None:
        if "locked" in low or "busy" in low:
            return (f"the store {path} is locked by another process (an ingest or a refresh) "
                    f"that held it over {BUSY_MS // 1000} s; wait for it to finish and retry")
        if "not a database" in low or "malformed" in low:
            return f"{path} is not a storyline store (not a SQLite database); check --db"
        if "unable to open" in low or "readonly" in low or "read-only" in low:
            return (f"cannot open or write {path} ({why}); check that its folder exists and "
                    "that you may write there")
        return f"cannot use the store {path} ({why}); check --db / STORYLINE_DB"
    if not isinstance(exc, OperationalError):
        return f"the database refused the operation ({why}); check --db / STORYLINE_DB"
    if "password" in low or "authentication" in low or "role" in low:
        return f"PostgreSQL refused the login ({why}); check the user and password in --db"
    if "does not exist" in low:
        return f"no such PostgreSQL database ({why}); create it or fix the name in --db"
    if "refused" in low or "could not connect" in low or "timeout" in low or "resolve" in low \
            or "translate host" in low or "no route" in low:
        return (f"no PostgreSQL server answers at {url} ({why}); start the server or fix the "
                "host and port in --db")
    return f"cannot open the database ({why}); check --db / STORYLINE_DB"
