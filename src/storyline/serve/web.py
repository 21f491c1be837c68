"""The analyst's workbench: server-rendered pages over the same queries as the API.

Pages never run text from the articles: Jinja2 autoescapes everything, highlighted text is
built from escaped pieces, charts are SVG built with ``escape``, and the CSP forbids inline
script; bidi controls are removed from every field shown. Edits are form posts that need a
signed-in analyst (an API token) and a CSRF token.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from storyline.assess import STATUSES, origin_keys, origins, override_status
from storyline.errors import AuthError, NotFound
from storyline.link import merge_entities, split_entities
from storyline.serve import _charts
from storyline.serve import _lists as L
from storyline.serve import _queries as Q
from storyline.serve._matrix import matrix
from storyline.serve._search import find
from storyline.serve._security import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    Signer,
    check_token,
    neutral,
    session_cookie,
    session_user,
)
from storyline.serve.api import Ctx, ctx
from storyline.serve.corrections import correct_holder, move_claim

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
TEMPLATES.env.finalize = neutral  # no bidi control in any field shown (before any compile)
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


def _list_page(request: Request, c: Ctx, name: str, fmt: str = "") -> Response:
    """A list page (``fmt`` ""), or its twin: ``.json`` (the API's shape plus facets) or
    ``.csv`` (every row the filter leaves)."""
    spec = L.LISTS[name]
    args = dict(request.query_params)
    if fmt == ".csv":
        return csv_response(L.to_csv(L.all_rows(c.store, spec, args)), name)
    data = L.listing(c.store, spec, args)
    if fmt == ".json":
        return JSONResponse(data)
    path = f"/{name}"
    return page(request, c, "list.html", spec=spec, data=data, args=args, path=path,
                url=lambda **change: L.url(path, args, **change),
                pages=L.page_numbers(data["page"], data["pages"]),
                twin=lambda ext: L.url(path + ext, args))


def csv_response(text: str, name: str) -> Response:
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


@router.get("/", response_class=HTMLResponse)
def home(request: Request, c: CtxDep) -> Response:
    return _list_page(request, c, "stories")


def _list_route(name: str, fmt: str) -> Any:
    def route(request: Request, c: CtxDep) -> Response:
        return _list_page(request, c, name, fmt)
    return route


for _name in L.LISTS:
    for _fmt in ("", ".json", ".csv"):
        router.add_api_route(f"/{_name}{_fmt}", _list_route(_name, _fmt), methods=["GET"],
                             name=f"{_name}{_fmt}", response_model=None)


def _twin(ref: str) -> tuple[str, str]:
    """``"k2.json"`` -> ``("k2", ".json")``; a page's data twin is its path plus .json or .csv."""
    for ext in (".json", ".csv"):
        if ref.endswith(ext):
            return ref[: -len(ext)], ext
    return ref, ""


@router.get("/clusters/{ref}", response_class=HTMLResponse)
def cluster(request: Request, c: CtxDep, ref: str) -> Response:
    ref, ext = _twin(ref)
    view = Q.cluster(c.store, ref)
    if ext == ".json":
        return JSONResponse(view)
    if ext == ".csv":
        return csv_response(L.to_csv([{k: v for k, v in e.items() if k != "figures"} | {
            "figures": [f["text"] for f in e["figures"]]} for e in view["timeline"]]), view["id"])
    docs = Q.documents_around(c.store, {int(e["document"][1:]) for e in view["timeline"]})
    keys = origin_keys(docs)
    fixes = Q.corrections(c.store, [e["claim"] for e in view["timeline"]])
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in view["timeline"]:
        d = docs[int(e["document"][1:])]
        groups[keys[d.id]].append(dict(e, title=d.title, outlet=d.outlet, fixes=fixes.get(e["claim"], []),
                                       snippet=snippet(d.text, e["start"], e["end"])))
    chart = _charts.status_timeline(view["timeline"], view["kind"])
    issue = matrix(c.store, issue=view["id"]) if view["kind"] == "proposal" else None
    return page(request, c, "cluster.html", k=view, chart=chart, groups=dict(groups),
                statuses=STATUSES, issue=issue, twin=lambda e: f"/clusters/{view['id']}{e}")


@router.get("/entities/{ref}", response_class=HTMLResponse)
def entity(request: Request, c: CtxDep, ref: str) -> Response:
    ref, ext = _twin(ref)
    e = Q.entity(c.store, ref)
    if ext == ".json":
        return JSONResponse(e)
    if ext == ".csv":
        return csv_response(L.to_csv(e["positions"]), f"{e['id']}-positions")
    return page(request, c, "entity.html", e=e, twin=lambda x: f"/entities/{e['id']}{x}")


@router.get("/documents/{ref}", response_class=HTMLResponse)
def document(request: Request, c: CtxDep, ref: str) -> Response:
    ref, ext = _twin(ref)
    d = Q.document(c.store, ref)
    if ext == ".json":
        return JSONResponse(d)
    if ext == ".csv":
        return csv_response(L.to_csv(d["claims"]), f"{d['id']}-claims")
    heads = [x for x in d["claims"] if x["start"] == x["end"] == 0]  # the headline's own
    claims = [x for x in d["claims"] if not (x["start"] == x["end"] == 0)]
    layers = {"entity": [tuple(s) for m in d["entities"] for s in m["spans"]],
              "quote": [(q["start"], q["end"]) for q in d["quotes"]],
              "figure": [(f["start"], f["end"]) for f in d["figures"]],
              "claim": [(x["start"], x["end"]) for x in claims]}
    layers.update({f"in-{x['id']}": [(x["start"], x["end"])] for x in claims})
    anchors = {x["start"]: x["id"] for x in claims}
    body = highlight(d["text"], layers, anchors)  # type: ignore[arg-type]
    return page(request, c, "document.html", d=d, body=body,
                heading=headline(d["title"] or "(untitled)", heads),
                twin=lambda x: f"/documents/{d['id']}{x}")


def headline(title: str, heads: list[dict[str, Any]]) -> Markup:
    """The title with its claims marked: a claim of the headline (nlp/headlines.py) has the
    empty body span 0-0 and its words in the title, where its permalink points."""
    spans = {x["id"]: _within(title, str(x["text"])) for x in heads}
    layers = {"claim": list(spans.values())} | {f"in-{k}": [v] for k, v in spans.items()}
    anchors = {a: k for k, (a, _) in reversed(spans.items())}
    return highlight(title, layers, anchors)


def _within(title: str, words: str) -> tuple[int, int]:
    at = title.find(words)
    return (at, at + len(words)) if at >= 0 else (0, len(title))


@router.get("/claims/{ref}", response_class=HTMLResponse)
def claim(request: Request, c: CtxDep, ref: str) -> Response:
    ref, ext = _twin(ref)
    one = Q.claim(c.store, ref)
    if ext:
        return JSONResponse(one) if ext == ".json" else csv_response(L.to_csv([one]), one["id"])
    return RedirectResponse(f"/documents/{one['document']}#{one['id']}", status_code=303)


@router.get("/stances", response_class=HTMLResponse)
@router.get("/stances{ext}", response_class=HTMLResponse)
def stances(request: Request, c: CtxDep, ext: str = "", issue: str | None = None,
            actor: str | None = None) -> Response:
    m = matrix(c.store, issue=(issue or None) and issue[:40], actor=(actor or None) and actor[:200])
    if ext == ".json":
        return JSONResponse(m)
    if ext == ".csv":
        return csv_response(L.to_csv([{"actor": r["actor"], "issue": k, "stance": x["stance"],
                                       "claim": x["claim"], "document": x["document"],
                                       "text": x["text"]} for r in m["actors"]
                                      for k, xs in r["cells"].items() for x in xs]), "stances")
    if ext:
        raise NotFound(f"no page /stances{ext}; try /stances.json or /stances.csv")
    args = {k: v for k, v in (("issue", issue), ("actor", actor)) if v}
    return page(request, c, "stances.html", m=m, twin=lambda x: L.url(f"/stances{x}", args))


@router.get("/provenance", response_class=HTMLResponse)
@router.get("/provenance{ext}", response_class=HTMLResponse)
def provenance(request: Request, c: CtxDep, ext: str = "") -> Response:
    data = Q.provenance(c.store)
    if ext == ".json":
        return JSONResponse(data)
    if ext == ".csv":
        return csv_response(L.to_csv([{"origin": o["origin"], "document": d["id"], "title": d["title"],
                                       "relation": d["relation"]} for o in data["origins"]
                                      for d in o["documents"]]), "provenance")
    if ext:
        raise NotFound(f"no page /provenance{ext}; try /provenance.json or /provenance.csv")
    return page(request, c, "provenance.html", graph=_charts.provenance_graph(data["origins"]),
                origins=data["origins"], independent=len(origins(c.store)),
                twin=lambda x: f"/provenance{x}")


@router.get("/network", response_class=HTMLResponse)
@router.get("/network{ext}", response_class=HTMLResponse)
def network(request: Request, c: CtxDep, ext: str = "") -> Response:
    data = Q.co_mentions(c.store)
    if ext == ".json":
        return JSONResponse(data)
    if ext == ".csv":
        names = {n["id"]: n["name"] for n in data["nodes"]}
        return csv_response(L.to_csv([{"a": e["a"], "a_name": names.get(e["a"]), "b": e["b"],
                                       "b_name": names.get(e["b"]), "documents": e["documents"]}
                                      for e in data["edges"]]), "network")
    if ext:
        raise NotFound(f"no page /network{ext}; try /network.json or /network.csv")
    return page(request, c, "network.html", graph=_charts.network(data["nodes"], data["edges"]),
                data=data, twin=lambda x: f"/network{x}")


@router.get("/search", response_class=HTMLResponse)
@router.get("/search{ext}", response_class=HTMLResponse)
def search(request: Request, c: CtxDep, ext: str = "", q: str = "", page_: Annotated[
        int, Query(alias="page", ge=1, le=10_000)] = 1, status: str = "") -> Response:
    q, status = q[:200], status if status in STATUSES else ""
    found = find(c.store, q, page=page_, status=status or None) if q.strip() else None
    if ext == ".json":
        return JSONResponse(found or {"query": q})
    if ext:
        raise NotFound(f"no page /search{ext}; try /search.json")
    args = {k: v for k, v in (("q", q), ("status", status)) if v}
    return page(request, c, "search.html", q=q, found=found, status=status, statuses=STATUSES,
                url=lambda **ch: L.url("/search", args, **ch),
                twin=lambda x: L.url(f"/search{x}", args))


@router.get("/audit", response_class=HTMLResponse)
@router.get("/audit{ext}", response_class=HTMLResponse)
def audit(request: Request, c: CtxDep, ext: str = "", offset: int = 0) -> Response:
    log = Q.audit(c.store, Q.Page(100, max(offset, 0)))
    if ext == ".json":
        return JSONResponse(log)
    if ext == ".csv":
        return csv_response(L.to_csv(log["items"]), "audit")
    if ext:
        raise NotFound(f"no page /audit{ext}; try /audit.json or /audit.csv")
    return page(request, c, "audit.html", log=log, twin=lambda x: f"/audit{x}")


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


def _back(done: dict[str, Any]) -> Response:
    """Back to the claim on its story's page (the edit in view), else to the edit log."""
    where = f"/clusters/{done['cluster']}#{done['claim']}" if done.get("cluster") else "/audit"
    return RedirectResponse(where, status_code=303)


@router.post("/claims/{ref}/status")
def claim_status(request: Request, c: CtxDep, ref: str, csrf: Annotated[str, Form(max_length=200)],
                 status: Annotated[str, Form(max_length=20)] = "",
                 comment: Annotated[str, Form(max_length=2000)] = "") -> Response:
    who = editor(request, c, csrf)
    return _back(override_status(c.store, Q.ref_id(ref, "c"), status or None, who, comment or None))


@router.post("/claims/{ref}/holder")
def claim_holder(request: Request, c: CtxDep, ref: str, csrf: Annotated[str, Form(max_length=200)],
                 holder: Annotated[str, Form(max_length=300)] = "",
                 comment: Annotated[str, Form(max_length=2000)] = "") -> Response:
    who = editor(request, c, csrf)
    return _back(correct_holder(c.store, Q.ref_id(ref, "c"), holder or None, who, comment or None))


@router.post("/claims/{ref}/story")
def claim_story(request: Request, c: CtxDep, ref: str, csrf: Annotated[str, Form(max_length=200)],
                story: Annotated[str, Form(max_length=40)],
                comment: Annotated[str, Form(max_length=2000)] = "") -> Response:
    who = editor(request, c, csrf)
    return _back(move_claim(c.store, Q.ref_id(ref, "c"), Q.ref_id(story.strip(), "k"), who,
                            comment or None))


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
