"""REST API under /api/v1: reads are open, writes need a token; one JSON error shape."""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path as FsPath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile as StarletteUpload
from starlette.types import Message, Receive

from storyline.assess import STATUSES, override_status
from storyline.errors import InputError, TooLarge, UnsupportedInput
from storyline.ingest import IngestReport
from storyline.link import merge_entities, split_entities
from storyline.pipeline import run_ingest
from storyline.serve import _queries as Q
from storyline.serve._jobs import Job, Jobs, Tell, in_child
from storyline.serve._security import bearer, check_token
from storyline.settings import Settings
from storyline.store import Document, Store

UPLOAD_TYPES = (".txt", ".html", ".htm", ".jsonl", ".xml", ".rss", ".atom", ".warc", ".warc.gz",
                ".gz")
MAX_FILES = 50
# Built API bodies kept by ETag: 50 readers of one story list rebuilt it on every request and
# p95 was over 2 s. 64 MB holds thousands of pages; one over 4 MB (a huge list) is not kept.
BODY_CACHE_BYTES, BODY_CACHE_LARGEST = 64 * 1024 * 1024, 4 * 1024 * 1024
Limit = Annotated[int, Query(ge=1, le=500, description="page size")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="items to skip")]
Day = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD")]
_PRINTABLE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$"  # no NUL or other control characters
Ref = Annotated[str | None, Query(max_length=40, pattern=_PRINTABLE)]
Text = Annotated[str | None, Query(max_length=200, pattern=_PRINTABLE)]


class Ctx:
    """What every request needs: the store and the settings (set by ``create_app``)."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store, self.settings = store, settings
        self.jobs = Jobs()  # upload ingests, polled at /api/v1/jobs/{id}
        self.bodies = Bodies()  # API bodies by ETag (see ``cached``)


def ctx(request: Request) -> Ctx:
    return request.app.state.ctx  # type: ignore[no-any-return]


def writer(request: Request, c: Annotated[Ctx, Depends(ctx)]) -> str:
    """The token owner's name, or a 401 in the JSON error shape."""
    return check_token(c.store, bearer(request))


def cached(request: Request, c: Ctx, build: Any) -> Response:
    """A read with an ETag that changes whenever the store does; 304 when the client has it.
    The body is kept under its ETag too, so the same read of an unchanged store is not built
    again (``Cache-Control: no-cache`` from the client builds it afresh)."""
    tag = '"' + hashlib.sha256(f"{Q.last_modified(c.store)}|{request.url.path}|{request.url.query}"
                               .encode()).hexdigest()[:32] + '"'
    headers = {"ETag": tag, "Cache-Control": "no-cache"}
    if request.headers.get("if-none-match") == tag:
        return Response(status_code=304, headers={"ETag": tag})
    fresh = "no-cache" in request.headers.get("cache-control", "").lower()
    body = None if fresh else c.bodies.get(tag)
    if body is None:
        body = bytes(JSONResponse(build()).body)
        c.bodies.put(tag, body)
    return Response(body, media_type="application/json", headers=headers)


class Bodies:
    """The latest API bodies by ETag, least recently used dropped first, bounded in bytes."""

    def __init__(self, max_bytes: int = BODY_CACHE_BYTES, largest: int = BODY_CACHE_LARGEST) -> None:
        self.max_bytes, self.largest = max_bytes, largest
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, tag: str) -> bytes | None:
        with self._lock:
            body = self._items.get(tag)
            if body is not None:
                self._items.move_to_end(tag)
            return body

    def put(self, tag: str, body: bytes) -> None:
        if len(body) > self.largest:
            return
        with self._lock:
            old = self._items.pop(tag, None)
            self._size += len(body) - (len(old) if old is not None else 0)
            self._items[tag] = body
            while self._size > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._size -= len(dropped)


router = APIRouter(prefix="/api/v1")
CtxDep = Annotated[Ctx, Depends(ctx)]


@router.get("/documents", summary="Documents, filtered by outlet, date range or entity")
def list_documents(request: Request, c: CtxDep, limit: Limit = 50, offset: Offset = 0,
                   outlet: Text = None, since: Day = None, until: Day = None,
                   entity: Ref = None) -> Response:
    return cached(request, c, lambda: Q.documents(c.store, Q.Page(limit, offset), outlet=outlet,
                                                  since=since, until=until, entity=entity))


@router.get("/documents/{ref}", summary="One document: clean text, removed lines, provenance, findings")
def get_document(request: Request, c: CtxDep, ref: str) -> Response:
    return cached(request, c, lambda: Q.document(c.store, ref))


@router.get("/entities", summary="Canonical entities")
def list_entities(request: Request, c: CtxDep, limit: Limit = 50, offset: Offset = 0,
                  q: Text = None, type: Annotated[str | None, Query(pattern="^(?i:person|org|gpe)$")] = None,
                  ) -> Response:
    return cached(request, c, lambda: Q.entities(c.store, Q.Page(limit, offset), q=q, type=type))


@router.get("/entities/{ref}", summary="One entity: aliases, roles, quotes by and about, positions")
def get_entity(request: Request, c: CtxDep, ref: str) -> Response:
    return cached(request, c, lambda: Q.entity(c.store, ref))


@router.get("/quotes", summary="Quotes with speakers")
def list_quotes(request: Request, c: CtxDep, limit: Limit = 50, offset: Offset = 0,
                document: Ref = None, entity: Ref = None,
                kind: Annotated[str | None, Query(pattern="^(direct|indirect)$")] = None) -> Response:
    return cached(request, c, lambda: Q.quotes(c.store, Q.Page(limit, offset), document=document,
                                               kind=kind, entity=entity))


@router.get("/figures", summary="Figures with claimants")
def list_figures(request: Request, c: CtxDep, limit: Limit = 50, offset: Offset = 0,
                 document: Ref = None, kind: Text = None) -> Response:
    return cached(request, c, lambda: Q.figures(c.store, Q.Page(limit, offset), document=document,
                                                kind=kind))


StatusQ = Annotated[str | None, Query(pattern="^(" + "|".join(STATUSES) + ")$")]


@router.get("/claims", summary="Claims with status and holder")
def list_claims(request: Request, c: CtxDep, limit: Limit = 50, offset: Offset = 0,
                status: StatusQ = None, cluster: Ref = None, document: Ref = None,
                entity: Ref = None, since: Day = None, until: Day = None) -> Response:
    return cached(request, c, lambda: Q.claims(c.store, Q.Page(limit, offset), status=status,
                                               cluster=cluster, document=document, entity=entity,
                                               since=since, until=until))


@router.get("/clusters", summary="Claim clusters by recent activity, with grades")
def list_clusters(request: Request, c: CtxDep, limit: Limit = 50, offset: Offset = 0,
                  kind: Annotated[str | None, Query(pattern="^(event|proposal)$")] = None,
                  grade: Annotated[str | None, Query(pattern="^[A-Fa-f][1-6]?$")] = None,
                  status: StatusQ = None, entity: Ref = None) -> Response:
    return cached(request, c, lambda: Q.clusters(c.store, Q.Page(limit, offset), kind=kind,
                                                 grade=grade, status=status, entity=entity))


@router.get("/clusters/{ref}", summary="One cluster: grade, reasons, timeline, figures")
def get_cluster(request: Request, c: CtxDep, ref: str) -> Response:
    return cached(request, c, lambda: Q.cluster(c.store, ref))


@router.get("/stances", summary="Actors × issues with positions and evidence")
def get_stances(request: Request, c: CtxDep) -> Response:
    return cached(request, c, lambda: Q.stance_matrix(c.store))


@router.get("/search", summary="Full-text search over documents, entity names and claims")
def search(request: Request, c: CtxDep,
           q: Annotated[str, Query(min_length=1, max_length=200, pattern=_PRINTABLE)],
           limit: Limit = 20, offset: Offset = 0) -> Response:
    return cached(request, c, lambda: Q.search(c.store, q, Q.Page(limit, offset)))


@router.get("/audit", summary="Analyst edits, newest first")
def get_audit(request: Request, c: CtxDep, limit: Limit = 50, offset: Offset = 0) -> Response:
    return cached(request, c, lambda: Q.audit(c.store, Q.Page(limit, offset)))


class EntityPair(BaseModel):
    a: str = Field(min_length=1, max_length=300, pattern=_PRINTABLE)
    b: str = Field(min_length=1, max_length=300, pattern=_PRINTABLE)
    comment: str | None = Field(default=None, max_length=2000, pattern=_PRINTABLE)


class StatusEdit(BaseModel):
    status: str | None = Field(description="new status, or null to restore the extracted one")
    comment: str | None = Field(default=None, max_length=2000, pattern=_PRINTABLE)


@router.post("/entities/merge", summary="Record that two names are one entity (token)")
def post_merge(pair: EntityPair, c: CtxDep, who: Annotated[str, Depends(writer)]) -> dict[str, Any]:
    return {"entities": merge_entities(c.store, pair.a, pair.b, who=who, comment=pair.comment)}


@router.post("/entities/split", summary="Record that two names are different entities (token)")
def post_split(pair: EntityPair, c: CtxDep, who: Annotated[str, Depends(writer)]) -> dict[str, Any]:
    return {"entities": split_entities(c.store, pair.a, pair.b, who=who, comment=pair.comment)}


@router.post("/claims/{ref}/status", summary="Override a claim's status with a comment (token)")
def post_status(ref: str, edit: StatusEdit, c: CtxDep,
                who: Annotated[str, Depends(writer)]) -> dict[str, Any]:
    return override_status(c.store, Q.ref_id(ref, "c"), edit.status, who, edit.comment)


_UPLOAD_SCHEMA = {"requestBody": {"required": True, "content": {"multipart/form-data": {
    "schema": {"type": "object", "required": ["files"], "properties": {"files": {
        "type": "array", "items": {"type": "string", "format": "binary"},
        "description": "articles to ingest"}}}}}}}


@router.post("/documents", openapi_extra=_UPLOAD_SCHEMA, status_code=202,
             summary="Ingest uploaded files: text, HTML, JSONL, feeds, WARC (token); answers a "
                     "job to poll at /api/v1/jobs/{id}")
async def upload(request: Request, c: CtxDep) -> Response:
    # The token first, before a byte of the body is read (a 300 MB upload without one was
    # written in full to a temporary file before the 401), then the body capped as it streams.
    who = check_token(c.store, bearer(request))
    cap = c.settings.max_bytes * MAX_FILES + 64 * 1024  # every file at its limit, plus headers
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise TooLarge(f"the upload is over the {cap} byte limit; send fewer or smaller files")
    form = await Request(request.scope, _capped(request.receive, cap)).form(
        max_files=MAX_FILES, max_fields=MAX_FILES)
    try:
        files = [f for f in form.getlist("files") if isinstance(f, StarletteUpload)]
        if not files or len(files) > MAX_FILES:
            raise InputError(f"send between 1 and {MAX_FILES} files per request")
        # A bad name or size is answered now (413, 415); the ingest runs as a job off the
        # event loop and the request: one upload held its request open for 57 s.
        folder, names = await run_in_threadpool(_stage, c, files)
    finally:
        await form.close()
    job = c.jobs.submit(who, len(files), lambda j: _ingest_upload(c, folder, names, j),
                        cleanup=lambda: shutil.rmtree(folder, ignore_errors=True))
    where = f"/api/v1/jobs/{job['id']}"
    return JSONResponse({**job, "url": where}, status_code=202,
                        headers={"Location": where})


@router.get("/jobs/{job_id}", summary="An upload's ingest job: state, counts, failed items (token)")
def get_job(job_id: Annotated[str, Path(max_length=40, pattern=r"^[\w-]+$")], c: CtxDep,
            _: Annotated[str, Depends(writer)]) -> dict[str, Any]:
    return c.jobs.get(job_id).as_dict()


def _capped(receive: Receive, cap: int) -> Receive:
    seen = 0

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > cap:
            raise TooLarge(f"the upload is over the {cap} byte limit; send fewer or smaller files")
        return message

    return counted


def _stage(c: Ctx, files: list[StarletteUpload]) -> tuple[str, dict[str, str]]:
    """The uploaded files in a new temporary folder under our own names, and each one's label."""
    folder = tempfile.mkdtemp(prefix="storyline-upload-")
    try:
        names = {}
        for i, f in enumerate(files):
            ext = _extension(f.filename or "")
            data = f.file.read(c.settings.max_bytes + 1)
            if len(data) > c.settings.max_bytes:
                raise TooLarge(f"{_label(f.filename)} is over the {c.settings.max_bytes} byte limit")
            path = FsPath(folder) / f"{i:03d}{ext}"  # our own name: nothing from the request
            path.write_bytes(data)
            names[str(path)] = _label(f.filename)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder, names


# The upload's ingest in a child process (tests of the job's states set it False: a thread)
UPLOAD_IN_PROCESS = True


def _ingest_upload(c: Ctx, folder: str, names: dict[str, str], job: Job) -> dict[str, Any]:
    def tell(what: str, value: Any) -> None:  # live state for the client polling the job
        if what == "stage":
            job.stage = value
        elif what == "progress":
            job.counts.update(value["counts"])
            job.failed = value["failed"]

    if UPLOAD_IN_PROCESS:
        return in_child(_child_ingest, (c.store.url, c.settings, folder, names), tell)
    return ingest_folder(c.store, c.settings, folder, names, tell)


def _child_ingest(url: str, settings: Settings, folder: str, names: dict[str, str],
                  tell: Tell) -> dict[str, Any]:
    store = Store(url, create=False)
    try:
        return ingest_folder(store, settings, folder, names, tell)
    finally:
        store.close()


def ingest_folder(store: Store, settings: Settings, folder: str, names: dict[str, str],
                  tell: Tell) -> dict[str, Any]:
    """Ingest an upload's staged folder; its documents and failures named as uploaded."""
    def progress(report: IngestReport) -> None:
        tell("progress", {"counts": {"new": report.new, "duplicate": report.duplicate,
                                     "near_duplicate": report.near_duplicate},
                          "failed": [{"source": _relabel_source(s, names), "reason": r}
                                     for s, r in report.failed]})

    report = run_ingest([folder], store, settings, progress=progress,
                        stage=lambda name: tell("stage", name))
    _relabel(store, report.new_ids, names)
    return {"new": report.new, "duplicate": report.duplicate,
            "near_duplicate": report.near_duplicate,
            "failed": [{"source": _relabel_source(s, names), "reason": r} for s, r in report.failed],
            "notes": [{"source": _relabel_source(s, names), "reason": r} for s, r in report.notes]}


def _extension(filename: str) -> str:
    low = filename.lower()
    for ext in sorted(UPLOAD_TYPES, key=len, reverse=True):
        if low.endswith(ext):
            return ext
    raise UnsupportedInput(f"{_label(filename)}: upload {', '.join(UPLOAD_TYPES)} files")


def _label(filename: str | None) -> str:
    base = re.split(r"[\\/]", filename or "upload")[-1]
    return re.sub(r"[^\w.\-]+", "_", base)[:100] or "upload"


def _relabel_source(source: str, names: dict[str, str]) -> str:
    for path, name in names.items():
        if source.startswith(path):
            return "upload:" + name + source[len(path):]
    return source


def _relabel(store: Store, ids: list[int], names: dict[str, str]) -> None:
    with store.session.begin() as s:
        for doc_id in ids:
            d = s.get(Document, doc_id)
            if d is not None:
                d.source = _relabel_source(d.source, names)
