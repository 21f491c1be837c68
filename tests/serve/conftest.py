"""A served store: the project's example corpus plus hostile articles, on both back ends."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from storyline.pipeline import run_ingest
from storyline.serve import create_app, create_token
from storyline.settings import Settings
from storyline.store import Store
from tests.conftest import ROOT, _pg_store

HOSTILE_TITLE = "<script>alert('title')</script> Ministry <img src=x onerror=alert(1)> responds"
HOSTILE_BODY = [
    "The ministry of Valdoria said on Monday that <script>alert('body')</script> the border was calm.",
    "Officials said the statement <img src=x onerror=alert(2)> was final, a spokesman told reporters.",
    "Readers were told to visit javascript:alert(3) for details, the ministry said.",
]


@dataclass
class Served:
    client: TestClient
    store: Store
    token: str


def finished_job(client: TestClient, answer: Response, auth: dict[str, str],
                 seconds: float = 300) -> dict:  # type: ignore[type-arg]
    """The upload job that ``answer`` (a 202) started, polled until it is done or failed."""
    assert answer.status_code == 202, answer.text
    where = answer.headers["location"]
    assert where == f"/api/v1/jobs/{answer.json()['id']}"
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        job = client.get(where, headers=auth)
        assert job.status_code == 200, job.text
        if job.json()["state"] in ("done", "failed"):
            return job.json()  # type: ignore[no-any-return]
        time.sleep(0.05)
    raise AssertionError(f"the upload job was not finished after {seconds} s: {job.json()}")


def hostile_files(folder: Path) -> None:
    record = {"title": HOSTILE_TITLE, "url": "javascript:alert(4)", "outlet": "<b>Bad</b> Outlet",
              "text": "\n".join(HOSTILE_BODY)}
    (folder / "hostile.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    html = ("<html><head><title>\"><script>alert(5)</script></title></head><body><article>"
            + "".join(f"<p>{line} Paragraph {i} of a longer account of the talks.</p>"
                      for i, line in enumerate(["The envoy said the convoy had crossed at dawn."] * 5))
            + "<p><a href=\"javascript:alert(6)\">click</a></p></article></body></html>")
    (folder / "hostile.html").write_text(html, encoding="utf-8")


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def served(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("served")
    if request.param == "sqlite":
        stores: Iterator[Store] = iter([Store(f"sqlite:///{folder / 'serve.db'}")])
    else:
        stores = _pg_store()
    store = next(stores)
    settings = Settings(db=f"sqlite:///{folder / 'serve.db'}", processes=1, batch_size=8)
    corpus = folder / "corpus"
    corpus.mkdir()
    for f in (ROOT / "examples").glob("*.txt"):
        (corpus / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    hostile_files(corpus)
    run_ingest([corpus], store, settings)
    token = create_token(store, "tester")
    with TestClient(create_app(store, settings)) as client:
        yield Served(client, store, token)
    store.close()
    for _ in stores:  # finish the PostgreSQL generator: drops the database
        pass
