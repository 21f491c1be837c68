"""serve: the REST API, the web workbench and the exports.

Public face: :func:`create_app` (a FastAPI app over one store), :func:`serve` (run it), the
exports in :mod:`storyline.serve.export`, and :func:`create_token`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException

from storyline.errors import AuthError, InputError, NotFound, StorylineError, TooLarge, UnsupportedInput
from storyline.serve._security import HEADERS, Signer, answer_head, create_token, security_headers
from storyline.serve.api import Ctx
from storyline.serve.api import router as api_router
from storyline.serve.web import TEMPLATES
from storyline.serve.web import router as web_router
from storyline.settings import Settings
from storyline.store import Store

_STATUS = [(NotFound, 404), (AuthError, 401), (TooLarge, 413), (UnsupportedInput, 415),
           (InputError, 400)]


def _status_of(exc: StorylineError) -> int:
    return next((code for kind, code in _STATUS if isinstance(exc, kind)), 500)


def _error(request: Request, status: int, code: str, message: str) -> Response:
    # The security headers here too: a 500 is answered outside the middleware that adds them.
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": {"code": code, "message": message}}, status_code=status,
                            headers=HEADERS)
    return TEMPLATES.TemplateResponse(request, "error.html", {"status": status, "message": message,
                                                              "user": None, "csrf": ""},
                                      status_code=status, headers=HEADERS)


def create_app(store: Store, settings: Settings) -> FastAPI:
    """The API under /api/v1 and the web pages, over ``store``."""
    ctx = Ctx(store, settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        ctx.jobs.close()  # queued uploads are dropped with the server; a running one finishes

    app = FastAPI(title="storyline", version="1", openapi_url="/api/v1/openapi.json",
                  docs_url=None, redoc_url=None, lifespan=lifespan,
                  description="Sourced, graded claims from news articles. Reads are open; "
                              "writes need `Authorization: Bearer <token>`.")
    app.state.ctx = ctx
    app.state.signer = Signer()
    app.middleware("http")(security_headers)
    app.middleware("http")(answer_head)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    app.include_router(api_router)
    app.include_router(web_router)

    @app.exception_handler(StorylineError)
    async def _storyline(request: Request, exc: StorylineError) -> Response:
        return _error(request, _status_of(exc), exc.code, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ()))
        return _error(request, 422, "invalid_request",
                      f"{where}: {first.get('msg', 'invalid')}; see /api/v1/openapi.json")

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        return _error(request, exc.status_code, f"http_{exc.status_code}", str(exc.detail))

    @app.exception_handler(DataError)
    async def _data(request: Request, exc: DataError) -> Response:
        return _error(request, 400, "bad_input", "the request holds characters the database "
                      "cannot store (such as NUL); remove them and try again")

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        return _error(request, 500, "internal_error",
                      "something went wrong on the server; the log has the details")

    return app


def _finish_pending(store: Store, settings: Settings) -> None:
    from storyline.pipeline import finish_pending

    try:
        if finish_pending(store, settings):
            logging.getLogger("storyline").info("finished the linking and grading a stopped "
                                                "run left to do")
    except StorylineError as exc:
        logging.getLogger("storyline").warning("could not finish pending work: %s", exc)


def serve(store: Store, settings: Settings, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the app; what a stopped ingest left to do is finished beside it (reads go on)."""
    import uvicorn

    threading.Thread(target=_finish_pending, args=(store, settings), daemon=True,
                     name="storyline-pending").start()
    uvicorn.run(create_app(store, settings), host=host, port=port, log_level="info")


__all__ = ["create_app", "create_token", "serve"]
