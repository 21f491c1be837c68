"""The server under a careless or hostile client: uploads off the event loop, the token before
the body, bounded paging, security headers on every answer, HEAD like GET."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from storyline.serve import api, create_app, create_token
from storyline.settings import Settings
from storyline.store import Store

TEXT = (b"Harbour workers in Ostrana walked out on Friday, the union said.\n"
        b"The strike closed the port for the first time in a decade, officials said.\n")


@pytest.fixture
def client(tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str]]]:
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    token = create_token(store, "tester")
    app = create_app(store, Settings(db=store.url, processes=1, max_bytes=4096))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c, {"Authorization": f"Bearer {token}"}
    store.close()


def test_a_read_answers_while_an_upload_is_ingested(client: tuple[TestClient, dict[str, str]],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    c, auth = client
    real = api.run_ingest

    def slow(paths: list[str], store: Store, settings: Settings, **_: Any) -> Any:
        time.sleep(3)  # a long ingest
        return real(paths, store, settings, nlp=False)

    monkeypatch.setattr(api, "run_ingest", slow)
    answers: list[int] = []
    upload = threading.Thread(target=lambda: answers.append(c.post(
        "/api/v1/documents", files=[("files", ("a.txt", TEXT, "text/plain"))],
        headers=auth).status_code))
    upload.start()
    time.sleep(0.5)
    started = time.monotonic()
    read = c.get("/api/v1/documents")
    took = time.monotonic() - started
    upload.join()
    assert (read.status_code, answers) == (200, [200])
    assert took < 1.5


def test_an_upload_without_a_token_is_refused_before_its_body_is_read(
        client: tuple[TestClient, dict[str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    c, _ = client
    parsed: list[bool] = []
    real = api.Request.form

    def form(self: Any, **kw: Any) -> Any:
        parsed.append(True)
        return real(self, **kw)

    monkeypatch.setattr(api.Request, "form", form)
    r = c.post("/api/v1/documents", files=[("files", ("a.txt", TEXT * 100, "text/plain"))])
    assert (r.status_code, r.json()["error"]["code"], parsed) == (401, "unauthorized", [])


def test_an_upload_over_the_cap_is_refused_while_it_streams(
        client: tuple[TestClient, dict[str, str]]) -> None:
    c, auth = client
    cap = 4096 * api.MAX_FILES + 64 * 1024
    declared = c.post("/api/v1/documents", content=b"x" * 10,
                      headers={**auth, "Content-Length": str(cap + 1),
                               "Content-Type": "multipart/form-data; boundary=b"})
    assert declared.status_code == 413 and declared.json()["error"]["code"] == "too_large"

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield b"--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n\r\n"
        for _ in range(cap // 65536 + 2):
            yield b"y" * 65536

    streamed = c.post("/api/v1/documents", content=chunks(),
                      headers={**auth, "Content-Type": "multipart/form-data; boundary=b"})
    assert streamed.status_code == 413 and streamed.json()["error"]["code"] == "too_large"


@pytest.mark.parametrize("query", ["offset=99999999999999999999999", "offset=-1", "limit=0",
                                   "limit=100000", "offset=abc"])
def test_paging_out_of_bounds_is_a_4xx_in_the_error_shape(
        client: tuple[TestClient, dict[str, str]], query: str) -> None:
    r = client[0].get(f"/api/v1/documents?{query}")
    assert (r.status_code, r.json()["error"]["code"]) == (422, "invalid_request")


def test_a_crash_answers_500_with_the_security_headers(
        client: tuple[TestClient, dict[str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: Any, **__: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(api.Q, "documents", broken)
    r = client[0].get("/api/v1/documents")
    assert r.status_code == 500 and r.json()["error"]["code"] == "internal_error"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["content-security-policy"].startswith("default-src 'self'")


def test_head_answers_like_get_without_a_body(client: tuple[TestClient, dict[str, str]]) -> None:
    c, _ = client
    head, get = c.head("/api/v1/documents"), c.get("/api/v1/documents")
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["etag"] == get.headers["etag"]
    missing = c.head("/api/v1/documents/d999")
    assert (missing.status_code, missing.content) == (404, b"")
    options = c.options("/api/v1/documents")
    assert (options.status_code, options.json()["error"]["code"]) == (405, "http_405")
