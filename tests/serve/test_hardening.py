"""The server under a careless or hostile client: uploads as jobs off the event loop, the token
before the body, bounded paging, security headers on every answer, HEAD like GET."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from storyline.errors import StoreError
from storyline.serve import api, create_app, create_token
from storyline.serve._jobs import JobError, Jobs, in_child
from storyline.settings import Settings
from storyline.store import Store
from tests.serve.conftest import finished_job

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


def _quick(monkeypatch: pytest.MonkeyPatch, wait: threading.Event | None = None,
           seen: list[str] | None = None) -> None:
    """Upload jobs ingest in a thread without the nlp models (and, given ``wait``, only once
    it is set)."""
    real = api.run_ingest
    monkeypatch.setattr(api, "UPLOAD_IN_PROCESS", False)

    def quick(paths: list[str], store: Store, settings: Settings, **kw: Any) -> Any:
        if seen is not None:
            seen.extend(paths)
        if wait is not None:
            assert wait.wait(30)
        return real(paths, store, settings, nlp=False, progress=kw.get("progress"))

    monkeypatch.setattr(api, "run_ingest", quick)


def test_a_read_answers_while_an_upload_is_ingested(client: tuple[TestClient, dict[str, str]],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    c, auth = client
    release = threading.Event()
    _quick(monkeypatch, release)
    started = time.monotonic()
    answer = c.post("/api/v1/documents", files=[("files", ("a.txt", TEXT, "text/plain"))],
                    headers=auth)
    answered = time.monotonic() - started
    running = c.get(answer.headers["location"], headers=auth).json()
    started = time.monotonic()
    read = c.get("/api/v1/documents")
    took = time.monotonic() - started
    release.set()
    job = finished_job(c, answer, auth)
    assert (answer.status_code, answer.json()["state"], running["state"]) == (202, "queued", "running")
    assert (read.status_code, read.json()["total"]) == (200, 0)
    assert (job["state"], job["new"], job["failed"]) == ("done", 1, []), job["failed"]
    assert answered < 1.5 and took < 1.5


def test_an_upload_job_reports_counts_and_the_named_reason_of_each_failed_item(
        client: tuple[TestClient, dict[str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    c, auth = client
    folders: list[str] = []
    _quick(monkeypatch, seen=folders)
    bad = b'{"title": "Port strike", "text": "The port closed.", "byline": 7}\n{"title": \n'
    answer = c.post("/api/v1/documents", headers=auth, files=[
        ("files", ("strike.txt", TEXT, "text/plain")),
        ("files", ("feed.jsonl", bad, "application/json")),
        ("files", ("empty.txt", b"   \n", "text/plain"))])
    job = finished_job(c, answer, auth)
    assert {k: job[k] for k in ("state", "by", "files", "new", "duplicate", "error")} == {
        "state": "done", "by": "tester", "files": 3, "new": 1, "duplicate": 0, "error": None}
    assert job["failed"] == [
        {"source": "upload:feed.jsonl#1", "reason": "line 1: field 'byline' is a number, not a "
                                                    "string or a list of strings; fix or drop the record"},
        {"source": "upload:feed.jsonl#2", "reason": "line 2 is not JSON (Expecting value); fix or drop it"},
        {"source": "upload:empty.txt", "reason": "no text in the file; nothing to ingest"}]
    assert [Path(f).exists() for f in folders] == [False]  # the staged files are gone


def test_a_job_whose_ingest_fails_answers_the_error_shape_and_the_server_goes_on(
        client: tuple[TestClient, dict[str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    c, auth = client

    def locked(*_: Any, **__: Any) -> Any:
        raise StoreError("the store is locked by another process; try again when it ends")

    monkeypatch.setattr(api, "UPLOAD_IN_PROCESS", False)
    monkeypatch.setattr(api, "run_ingest", locked)
    job = finished_job(c, c.post("/api/v1/documents", headers=auth,
                                 files=[("files", ("a.txt", TEXT, "text/plain"))]), auth)
    assert (job["state"], job["error"]) == ("failed", {
        "code": "store_error",
        "message": "the store is locked by another process; try again when it ends"})
    monkeypatch.setattr(api, "run_ingest", lambda *_, **__: 1 / 0)
    crashed = finished_job(c, c.post("/api/v1/documents", headers=auth,
                                     files=[("files", ("a.txt", TEXT, "text/plain"))]), auth)
    assert (crashed["state"], crashed["error"]["code"]) == ("failed", "internal_error")
    assert c.get("/api/v1/documents").status_code == 200


def test_an_upload_is_ingested_in_a_child_process_with_its_counts(
        client: tuple[TestClient, dict[str, str]]) -> None:
    c, auth = client
    answer = c.post("/api/v1/documents", headers=auth, files=[
        ("files", ("strike.txt", TEXT, "text/plain")), ("files", ("empty.txt", b" \n", "text/plain"))])
    job = finished_job(c, answer, auth)
    assert {k: job[k] for k in ("state", "new", "duplicate", "failed", "error")} == {
        "state": "done", "new": 1, "duplicate": 0, "error": None,
        "failed": [{"source": "upload:empty.txt", "reason": "no text in the file; nothing to ingest"}]}
    docs = c.get("/api/v1/documents").json()["items"]
    assert [c.get(f"/api/v1/documents/{d['id']}").json()["source"] for d in docs] == [
        "upload:strike.txt"]


def _dies(_: int, tell: Any) -> dict[str, Any]:
    tell("stage", "reading")
    os._exit(9)


def _refuses(_: int, tell: Any) -> dict[str, Any]:
    raise StoreError("no store at /nowhere; create one with `storyline ingest`")


@pytest.mark.parametrize(("target", "error"), [
    (_dies, ("internal_error", "the ingest process ended (exit code 9) before it was done; the "
                               "documents it stored are kept, upload again for the rest")),
    (_refuses, ("store_error", "no store at /nowhere; create one with `storyline ingest`")),
])
def test_a_child_that_dies_or_fails_is_a_job_error(target: Any, error: tuple[str, str]) -> None:
    told: list[tuple[str, Any]] = []
    with pytest.raises(JobError) as caught:
        in_child(target, (1,), lambda what, value: told.append((what, value)))
    assert (caught.value.code, str(caught.value)) == error
    assert told == ([("stage", "reading")] if target is _dies else [])


@pytest.mark.parametrize(("path", "token", "status", "code"), [
    ("/api/v1/jobs/j0123456789abcdef", True, 404, "not_found"),
    ("/api/v1/jobs/j0123456789abcdef", False, 401, "unauthorized"),
    ("/api/v1/jobs/%3Cscript%3E", True, 422, "invalid_request"),
    ("/api/v1/jobs/" + "j" * 41, True, 422, "invalid_request"),
])
def test_polling_a_job_needs_a_token_and_answers_the_error_shape(
        client: tuple[TestClient, dict[str, str]], path: str, token: bool, status: int,
        code: str) -> None:
    c, auth = client
    r = c.get(path, headers=auth if token else {})
    assert (r.status_code, set(r.json()), r.json()["error"]["code"]) == (status, {"error"}, code)


def test_a_job_is_polled_with_any_token_but_not_without_one(
        client: tuple[TestClient, dict[str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    c, auth = client
    _quick(monkeypatch)
    answer = c.post("/api/v1/documents", headers=auth, files=[("files", ("a.txt", TEXT, "text/plain"))])
    job = finished_job(c, answer, auth)
    where = answer.headers["location"]
    assert c.get(where).status_code == 401
    assert c.get(where, headers={"Authorization": "Bearer nope"}).status_code == 401
    assert (job["state"], c.head(where, headers=auth).status_code) == ("done", 200)


def test_uploads_past_the_queue_are_refused_with_a_429(
        client: tuple[TestClient, dict[str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    c, auth = client
    release = threading.Event()
    _quick(monkeypatch, release)
    c.app.state.ctx.jobs = jobs = Jobs(queue=1)  # type: ignore[attr-defined]

    def post() -> Any:
        return c.post("/api/v1/documents", headers=auth, files=[("files", ("a.txt", TEXT, "text/plain"))])

    first = post()
    for _ in range(100):  # the first one running, so the next one waits
        if jobs.get(first.json()["id"]).state == "running":
            break
        time.sleep(0.05)
    second, third = post(), post()
    release.set()
    assert (first.status_code, second.status_code, third.status_code) == (202, 202, 429)
    assert third.json()["error"] == {"code": "http_429", "message":
                                     "1 uploads are waiting to be ingested; try again when one is done"}
    assert [finished_job(c, r, auth)["state"] for r in (first, second)] == ["done", "done"]
    jobs.close()


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


def test_a_read_of_an_unchanged_store_is_built_once(
        client: tuple[TestClient, dict[str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    c, auth = client
    _quick(monkeypatch)
    built: list[int] = []
    real = api.Q.documents

    def counted(*a: Any, **kw: Any) -> Any:
        built.append(1)
        return real(*a, **kw)

    monkeypatch.setattr(api.Q, "documents", counted)
    first, again = c.get("/api/v1/documents"), c.get("/api/v1/documents")
    fresh = c.get("/api/v1/documents", headers={"Cache-Control": "no-cache"})
    assert (len(built), first.content, first.headers["etag"]) == (2, again.content, again.headers["etag"])
    assert fresh.content == first.content and first.headers["content-type"] == "application/json"
    finished_job(c, c.post("/api/v1/documents", headers=auth,
                           files=[("files", ("a.txt", TEXT, "text/plain"))]), auth)
    after = c.get("/api/v1/documents")
    assert (len(built), after.json()["total"], first.json()["total"]) == (3, 1, 0)


def test_kept_bodies_are_bounded_in_bytes_least_recent_dropped_first() -> None:
    bodies = api.Bodies(max_bytes=10, largest=6)
    for tag, body in [("a", b"1234"), ("b", b"5678"), ("a", b"1234"), ("c", b"90ab"),
                      ("d", b"too large")]:
        if bodies.get(tag) is None:
            bodies.put(tag, body)
    assert [bodies.get(t) for t in "abcd"] == [b"1234", None, b"90ab", None]
