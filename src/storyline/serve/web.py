"""The analyst's workbench: server-rendered pages over the same queries as the API.

Pages never run text from the articles: Jinja2 autoescapes everything, highlighted text is
built from escaped pieces, charts are SVG built with ``escape``, and the CSP forbids inline
script. Edits are form posts that need a signed-in analyst (an API token) and a CSRF token.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from storyline.assess import STATUSES, origins, override_status
from storyline.assess._grades import origin_keys
from storyline.errors import AuthError
from storyline.link import merge_entities, split_entities
from storyline.serve import _charts
from storyline.serve import _queries as Q
from storyline.serve._security import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    Signer,
    check_token,
    session_cookie,
    session_user,
)
from storyline.serve.api import Ctx, ctx

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
router = APIRouter(include_in_schema=False)
CtxDep = Annotated[Ctx, Depends(ctx)]


def signer(request: Request) -> Signer:
    return request.app.state.signer  # type: ignore[no-any-return]


def page(request: Request, c: Ctx, name: str, status_code: int = 200, **data: Any) -> HTMLResponse:
    """Render a template with the signed-in user and a fresh CSRF token (also set as cookie)."""
    sign = signer(request)
    csrf = request.cookies.get(CSRF_COOKIE)
    if not csrf or sign.unsign(csrf) is None:
        csrf = sign.new_csrf()
    user = session_user(request, c.store, sign)
    resp = TEMPLATES.TemplateResponse(request, name, {"user": user, "csrf": csrf, **data},
                                      status_code=status_code)
    resp.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict")
    return resp


def editor(request: Request, c: Ctx, csrf: str) -> str:
    """The signed-in analyst for a form post, after the CSRF check."""
    signer(request).check_csrf(request, csrf)
    user = session_user(request, c.store, signer(request))
    if not user:
        raise AuthError("sign in with an API token to make changes (`storyline token create NAME`)")
    return user


def highlight(text: str, layers: dict[str, list[tuple[int, int]]], anchors: dict[int, str]) -> Markup:
    """``text`` as escaped HTML with spans for each layer (entity, quote, figure, claim)."""
    cuts = {0, len(text)} | set(anchors)
    for spans in layers.values():
        for a, b in spans:
            cuts.update((max(0, min(a, len(text))), max(0, min(b, len(text)))))
    points = sorted(cuts)
    out: list[str] = []
    for a, b in zip(points, points[1:], strict=False):
        if a in anchors:
            out.append(f'<a class="anchor" id="{escape(anchors[a])}"></a>')
        classes = [name for name, spans in layers.items() if any(s <= a and b <= e for s, e in spans)]
        piece = escape(text[a:b])
        out.append(f'<span class="{" ".join(classes)}">{piece}</span>' if classes else str(piece))
    return Markup("".join(out))


def snippet(text: str, start: int, end: int, pad: int = 160) -> Markup:
    lo, hi = max(0, start - pad), min(len(text), end + pad)
    return Markup(("…" if lo else "") + escape(text[lo:start]) + Markup("<mark>")
                  + escape(text[start:end]) + Markup("</mark>") + escape(text[end:hi])
                  + ("…" if hi < len(text) else ""))


@router.get("/", response_class=HTMLResponse)
def home(request: Request, c: CtxDep, offset: int = 0, kind: str | None = None) -> Response:
    data = Q.clusters(c.store, Q.Page(30, max(offset, 0)),
                      kind=kind if kind in ("event", "proposal") else None)
    return page(request, c, "home.html", clusters=data, kind=kind)


@router.get("/clusters/{ref}", response_class=HTMLResponse)
def cluster(request: Request, c: CtxDep, ref: str) -> Response:
    view = Q.cluster(c.store, ref)
    docs = Q.documents_around(c.store, {int(e["document"][1:]) for e in view["timeline"]})
    keys = origin_keys(docs)
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in view["timeline"]:
        d = docs[int(e["document"][1:])]
        groups[keys[d.id]].append(dict(e, title=d.title, outlet=d.outlet,
                                                 snippet=snippet(d.text, e["start"], e["end"])))
    chart = _charts.status_timeline(view["timeline"], view["kind"])
    return page(request, c, "cluster.html", k=view, chart=chart, groups=dict(groups),
                statuses=STATUSES)


@router.get("/entities", response_class=HTMLResponse)
def entity_list(request: Request, c: CtxDep, q: str | None = None, offset: int = 0) -> Response:
    data = Q.entities(c.store, Q.Page(100, max(offset, 0)), q=q)
    return page(request, c, "entities.html", entities=data, q=q or "")


@router.get("/entities/{ref}", response_class=HTMLResponse)
def entity(request: Request, c: CtxDep, ref: str) -> Response:
    return page(request, c, "entity.html", e=Q.entity(c.store, ref))


@router.get("/documents", response_class=HTMLResponse)
def document_list(request: Request, c: CtxDep, offset: int = 0,
                  entity: str | None = None) -> Response:
    docs = Q.documents(c.store, Q.Page(100, max(offset, 0)), entity=entity or None)
    return page(request, c, "documents.html", docs=docs, entity=entity or "")


@router.get("/documents/{ref}", response_class=HTMLResponse)
def document(request: Request, c: CtxDep, ref: str) -> Response:
    d = Q.document(c.store, ref)
    layers = {"entity": [tuple(s) for m in d["entities"] for s in m["spans"]],
              "quote": [(q["start"], q["end"]) for q in d["quotes"]],
              "figure": [(f["start"], f["end"]) for f in d["figures"]],
              "claim": [(x["start"], x["end"]) for x in d["claims"]]}
    anchors = {x["start"]: x["id"] for x in d["claims"]}
    body = highlight(d["text"], layers, anchors)  # type: ignore[arg-type]
    return page(request, c, "document.html", d=d, body=body)


@router.get("/stances", response_class=HTMLResponse)
def stances(request: Request, c: CtxDep) -> Response:
    return page(request, c, "stances.html", m=Q.stance_matrix(c.store))


@router.get("/provenance", response_class=HTMLResponse)
def provenance(request: Request, c: CtxDep) -> Response:
    data = Q.provenance(c.store)
    return page(request, c, "provenance.html", graph=_charts.provenance_graph(data["origins"]),
                origins=data["origins"], independent=len(origins(c.store)))


@router.get("/network", response_class=HTMLResponse)
def network(request: Request, c: CtxDep) -> Response:
    data = Q.co_mentions(c.store)
    return page(request, c, "network.html", graph=_charts.network(data["nodes"], data["edges"]),
                data=data)


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, c: CtxDep, q: str = "") -> Response:
    q = q[:200]
    found = Q.search(c.store, q, Q.Page(30, 0)) if q.strip() else None
    return page(request, c, "search.html", q=q, found=found)


@router.get("/audit", response_class=HTMLResponse)
def audit(request: Request, c: CtxDep, offset: int = 0) -> Response:
    return page(request, c, "audit.html", log=Q.audit(c.store, Q.Page(100, max(offset, 0))))


@router.get("/signin", response_class=HTMLResponse)
def signin_form(request: Request, c: CtxDep) -> Response:
    return page(request, c, "signin.html")


@router.post("/signin")
def signin(request: Request, c: CtxDep, token: Annotated[str, Form(max_length=200)],
           csrf: Annotated[str, Form(max_length=200)]) -> Response:
    signer(request).check_csrf(request, csrf)
    check_token(c.store, token)
    resp = RedirectResponse("/", status_code=303)
    resp.set_cookie(SESSION_COOKIE, session_cookie(signer(request), token), httponly=True,
                    samesite="strict")
    return resp


@router.post("/signout")
def signout(request: Request, csrf: Annotated[str, Form(max_length=200)]) -> Response:
    signer(request).check_csrf(request, csrf)
    resp = RedirectResponse("/", status_code=303)
    resp.delete_cookie(SESSION_COOKIE)
    return resp


@router.post("/claims/{ref}/status")
def claim_status(request: Request, c: CtxDep, ref: str, csrf: Annotated[str, Form(max_length=200)],
                 status: Annotated[str, Form(max_length=20)],
                 comment: Annotated[str, Form(max_length=2000)] = "") -> Response:
    who = editor(request, c, csrf)
    done = override_status(c.store, Q.ref_id(ref, "c"), status or None, who, comment or None)
    return RedirectResponse(f"/clusters/{done['cluster']}" if done["cluster"] else "/audit",
                            status_code=303)


@router.post("/entities/{action}")
def entity_edit(request: Request, c: CtxDep, action: str, csrf: Annotated[str, Form(max_length=200)],
                a: Annotated[str, Form(max_length=300)], b: Annotated[str, Form(max_length=300)],
                comment: Annotated[str, Form(max_length=2000)] = "") -> Response:
    who = editor(request, c, csrf)
    if action not in ("merge", "split"):
        return RedirectResponse("/entities", status_code=303)
    (merge_entities if action == "merge" else split_entities)(c.store, a, b, who=who,
                                                              comment=comment or None)
    return RedirectResponse("/audit", status_code=303)
