"""API tokens (hashed at rest), the CSRF check for form posts, and security headers.

A token is shown once, when created; the store keeps only its SHA-256 digest. API writes send
it as ``Authorization: Bearer <token>``. In the browser the analyst pastes it once into the
sign-in form; the session cookie then holds the token's digest id and an HMAC (HttpOnly,
SameSite=Strict). Form posts also carry a CSRF token that must equal the ``csrf`` cookie
(double submit) and be signed by the server.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from markupsafe import Markup
from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response

from storyline.errors import AuthError
from storyline.store import ApiToken, Store

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}
SESSION_COOKIE, CSRF_COOKIE = "storyline_session", "storyline_csrf"


# Bidi controls: embeddings and overrides (U+202A-E), isolates (U+2066-9), the marks (U+200E/F,
# U+061C). A right-to-left override in a byline reversed the rest of the document page's
# provenance line; stores written before ingest scrubbed them still hold them, and body text may.
BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def neutral(value: Any) -> Any:
    """What a page shows of ``value``: its bidi controls removed (they are never markup, so a
    Markup stays Markup). The template environment's ``finalize``: every field of every page."""
    if isinstance(value, str) and BIDI.search(value):
        cleaned = BIDI.sub("", value)
        return Markup(cleaned) if isinstance(value, Markup) else cleaned
    return value


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(store: Store, name: str) -> str:
    """A new API token for ``name``; only its digest is stored, so show it to the user now."""
    token = "sl_" + secrets.token_urlsafe(32)
    with store.session.begin() as s:
        s.add(ApiToken(name=name[:100], digest=_digest(token)))
    return token


def check_token(store: Store, token: str | None) -> str:
    """The token's owner name; AuthError when the token is missing or unknown."""
    if not token:
        raise AuthError("this change needs an API token: send `Authorization: Bearer <token>` "
                        "(create one with `storyline token create NAME`)")
    digest = _digest(token)
    with store.session() as s:
        for row in s.scalars(select(ApiToken).where(ApiToken.digest == digest)):
            if hmac.compare_digest(row.digest, digest):
                return row.name
    raise AuthError("unknown API token; create one with `storyline token create NAME`")


def bearer(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    return auth[7:].strip() if auth.lower().startswith("bearer ") else None


class Signer:
    """HMAC signatures for the session and CSRF cookies, keyed per server process."""

    def __init__(self, key: bytes | None = None) -> None:
        self.key = key or secrets.token_bytes(32)

    def sign(self, value: str) -> str:
        mac = hmac.new(self.key, value.encode("utf-8"), hashlib.sha256).hexdigest()
        return f"{value}.{mac}"

    def unsign(self, signed: str | None) -> str | None:
        if not signed or "." not in signed:
            return None
        value, mac = signed.rsplit(".", 1)
        good = hmac.new(self.key, value.encode("utf-8"), hashlib.sha256).hexdigest()
        return value if hmac.compare_digest(mac, good) else None

    def new_csrf(self) -> str:
        return self.sign(secrets.token_urlsafe(16))

    def check_csrf(self, request: Request, form_value: str | None) -> None:
        cookie = request.cookies.get(CSRF_COOKIE)
        if not cookie or not form_value or not hmac.compare_digest(cookie, form_value) \
                or self.unsign(cookie) is None:
            raise AuthError("the form expired or came from another site; reload the page and "
                            "try again")


def session_user(request: Request, store: Store, signer: Signer) -> str | None:
    """The signed-in analyst's name, from the session cookie, or None."""
    digest = signer.unsign(request.cookies.get(SESSION_COOKIE))
    if not digest:
        return None
    with store.session() as s:
        row = s.scalars(select(ApiToken).where(ApiToken.digest == digest)).first()
        return row.name if row else None


def session_cookie(signer: Signer, token: str) -> str:
    return signer.sign(_digest(token))


async def security_headers(request: Request,
                           call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    response = await call_next(request)
    for key, value in HEADERS.items():
        response.headers.setdefault(key, value)
    return response


async def answer_head(request: Request,
                      call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    """HEAD is GET without the body (the routes declare GET only: HEAD answered 405)."""
    if request.method != "HEAD":
        return await call_next(request)
    request.scope["method"] = "GET"
    response = await call_next(request)
    headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
    return Response(status_code=response.status_code, headers=headers)
