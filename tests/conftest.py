"""Shared fixtures: stores on both back ends, the seed folder, the pipeline."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline.settings import Settings
from storyline.store import Store

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
PG = os.environ.get("STORYLINE_TEST_PG")


def _pg_store() -> Iterator[Store]:
    if not PG:
        pytest.skip("STORYLINE_TEST_PG is not set (.ci/run starts PostgreSQL and sets it)")
    from sqlalchemy import create_engine, text

    name = f"sl_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    store = Store(PG.rsplit("/", 1)[0] + f"/{name}")
    try:
        yield store
    finally:
        store.close()
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        s = Store(f"sqlite:///{tmp_path / 'test.db'}")
        yield s
        s.close()
    else:
        yield from _pg_store()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    s = Store(f"sqlite:///{tmp_path / 'test.db'}")
    yield s
    s.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(db=f"sqlite:///{tmp_path / 'test.db'}", processes=1, batch_size=8)


@pytest.fixture
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/corpus/seeds is not here (only in the project's own workplace)")
    return SEEDS


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    """A private pipeline without the final records step, so tests read the Doc extensions."""
    from storyline.nlp import build_pipeline

    pipeline = build_pipeline.__wrapped__()
    pipeline.remove_pipe("storyline_records")
    return pipeline


@pytest.fixture
def examples() -> Path:
    return ROOT / "examples"
