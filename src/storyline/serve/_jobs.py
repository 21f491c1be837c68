"""Upload ingest jobs: run one at a time off the event loop, polled by the client by id.

An upload answered only when its ingest ended held its request open for the whole ingest (one
took 57 s). Now ``POST /api/v1/documents`` stages the files, answers 202 with a job id, and
``GET /api/v1/jobs/{id}`` tells the job's state and counts as it goes.

States: ``queued`` → ``running`` → ``done`` | ``failed``. Jobs live in the server process (a
restart forgets them; the documents they stored stay) and the newest :data:`KEEP` are kept.
"""

from __future__ import annotations

import logging
import multiprocessing
import secrets
import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from starlette.exceptions import HTTPException

from storyline._process import die_with_parent
from storyline.errors import NotFound, StorylineError

KEEP = 200  # finished jobs remembered: a day of uploads by a small team, a few kB each
QUEUE = 8  # jobs waiting behind the running one; more is a 429 (each holds its files on disk)

Work = Callable[["Job"], dict[str, Any]]  # runs the ingest, updating the job; returns its result
Tell = Callable[[str, Any], None]  # (what, value): "stage" and a name, "progress" and counts


@dataclass(slots=True)
class Job:
    """One upload's ingest, as the client sees it."""

    id: str
    by: str
    files: int
    state: str = "queued"
    stage: str | None = None
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    counts: dict[str, int] = field(default_factory=lambda: {"new": 0, "duplicate": 0,
                                                            "near_duplicate": 0})
    failed: list[dict[str, str]] = field(default_factory=list)
    notes: list[dict[str, str]] = field(default_factory=list)
    error: dict[str, str] | None = None
    cleanup: Callable[[], None] | None = field(default=None, repr=False)  # once, when it ends

    def end(self) -> None:
        self.finished, self.stage = time.time(), None
        cleanup, self.cleanup = self.cleanup, None
        if cleanup is not None:
            cleanup()

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "state": self.state, "stage": self.stage, "by": self.by,
                "files": self.files, "created": _iso(self.created), "started": _iso(self.started),
                "finished": _iso(self.finished), **self.counts, "failed": list(self.failed),
                "notes": list(self.notes), "error": self.error}


def _iso(t: float | None) -> str | None:
    return None if t is None else time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


class Jobs:
    """The server's upload jobs: one worker thread, so two uploads never ingest at once in one
    process (each would load its own models), and reads are never queued behind them."""

    def __init__(self, keep: int = KEEP, queue: int = QUEUE) -> None:
        self._keep, self._queue = keep, queue
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None

    def submit(self, by: str, files: int, work: Work, cleanup: Callable[[], None]) -> dict[str, Any]:
        """A new job running ``work``, as it is queued; ``cleanup`` runs after it whatever
        happens (also when the job is refused here)."""
        with self._lock:
            waiting = sum(1 for j in self._jobs.values() if j.state == "queued")
            if waiting >= self._queue:
                cleanup()
                raise HTTPException(429, f"{waiting} uploads are waiting to be ingested; "
                                         "try again when one is done")
            job = Job(id="j" + secrets.token_hex(8), by=by, files=files, cleanup=cleanup)
            self._jobs[job.id] = job
            self._forget_old()
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="storyline-upload")
            queued = job.as_dict()
            self._pool.submit(self._run, job, work)
        return queued

    def get(self, job_id: str) -> Job:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            raise NotFound(f"no upload job {job_id[:40]!r}: jobs are kept while the server runs "
                           f"(the newest {self._keep}); upload again to start one")
        return job

    def close(self) -> None:
        """Stop: queued jobs are dropped (their files removed), a running one finishes first
        (its batches are stored whole or not at all, so a second Ctrl-C loses nothing stored)."""
        with self._lock:
            pool, self._pool = self._pool, None
            dropped = [j for j in self._jobs.values() if j.state == "queued"]
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        for job in dropped:
            if job.state == "queued":
                job.error = {"code": "stopped", "message": "the server stopped before this "
                                                           "upload was ingested; send it again"}
                job.end()
                job.state = "failed"

    def _run(self, job: Job, work: Work) -> None:
        job.state, job.started = "running", time.time()
        state, error = "done", None
        try:
            result = work(job)
            job.counts.update({k: int(result.get(k, 0)) for k in job.counts})
            job.failed, job.notes = result.get("failed", []), result.get("notes", [])
        except StorylineError as exc:
            state, error = "failed", {"code": exc.code, "message": str(exc)}
        except Exception:  # the job fails, the server goes on
            logging.getLogger("storyline").exception("upload job %s failed", job.id)
            state, error = "failed", {"code": "internal_error", "message":
                                      "the ingest failed on the server; the log has the details"}
        finally:
            job.error = error
            job.end()  # its files removed and its end time set before a poller sees it ended
            job.state = state

    def _forget_old(self) -> None:
        done = [k for k, j in self._jobs.items() if j.state in ("done", "failed")]
        for k in done[:max(0, len(done) - self._keep)]:
            del self._jobs[k]


class JobError(StorylineError):
    """What a job's child process raised, as it said it (code and message)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def in_child(target: Callable[..., dict[str, Any]], args: tuple[Any, ...], tell: Tell) -> dict[str, Any]:
    """``target(*args, tell)`` in a new process (spawned; it dies with this thread), its
    ``tell`` calls heard here as it goes; its result, or its error raised here as JobError.

    In a thread of the server, an ingest's long calls into C held the interpreter lock and
    reads waited: 48 of 4,054 reads timed out at 30 s beside a 60-article upload.
    """
    mp = multiprocessing.get_context("spawn")
    mine, theirs = mp.Pipe(duplex=False)
    proc = mp.Process(target=_child, args=(target, args, theirs), name="storyline-upload-ingest")
    proc.start()
    theirs.close()
    try:
        while True:
            try:
                what, value = mine.recv()
            except EOFError:  # it ended without a word: killed, or out of memory
                proc.join()
                raise JobError("internal_error", f"the ingest process ended (exit code "
                                                 f"{proc.exitcode}) before it was done; the "
                                                 "documents it stored are kept, upload again "
                                                 "for the rest") from None
            if what == "done":
                return value  # type: ignore[no-any-return]
            if what == "error":
                raise JobError(*value)
            tell(what, value)
    finally:
        mine.close()
        proc.join(timeout=30)
        if proc.is_alive():
            proc.kill()


def _child(target: Callable[..., dict[str, Any]], args: tuple[Any, ...], conn: Any) -> None:
    die_with_parent()
    try:
        conn.send(("done", target(*args, lambda what, value: conn.send((what, value)))))
    except StorylineError as exc:
        conn.send(("error", (exc.code, str(exc))))
    except Exception:
        traceback.print_exc()  # to the server's log
        conn.send(("error", ("internal_error", "the ingest failed on the server; the log has "
                                               "the details")))
    finally:
        conn.close()
