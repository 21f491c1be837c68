"""Search that knows the entities: a name, alias, merged name or surname finds the entity and
the documents that mention it, beside full-text hits; each document with a snippet around the
words that matched; claims filtered by status; all of it in pages.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, or_, select

from storyline.serve._queries import claim_status
from storyline.serve.search import Found, find_entities
from storyline.store import Claim, Document, Mention, Store

PAGE = 20  # documents (and claims) per page
MATCHES = 1000  # documents a query can reach: past that, narrow it (or page the API)
ENTITIES = 12  # entities listed for one query
PAD = 120  # characters each side of a match in a snippet
LEAD = 90  # opening characters that name an untitled document in the results


def find(store: Store, query: str, *, page: int = 1, status: str | None = None) -> dict[str, Any]:
    ents = find_entities(store, query, partial=True)[:ENTITIES]
    strong = [f for f in ents if f.how != "part"] or ents[:1]
    forms = _forms(query, strong)
    by_entity = _documents_of(store, [f.id for f in strong])
    ids = list(dict.fromkeys([*by_entity, *(d.id for d in store.search(query, limit=MATCHES))]))
    shown = ids[(page - 1) * PAGE: page * PAGE]
    with store.session() as s:
        docs = {d.id: d for d in s.scalars(select(Document).where(Document.id.in_(shown)))}
        spans = _spans(s, [f.id for f in strong], shown)
        claims, claims_total = _claims(s, forms, status, page)
    return {"query": query, "page": page, "pages": max(1, -(-max(len(ids), claims_total) // PAGE)),
            "entities": [{"id": f"e{f.id}", "name": f.name, "type": f.type, "matched": f.matched,
                          "how": f.how, "documents": f.documents} for f in ents],
            "documents_total": len(ids),
            "documents": [_doc(docs[i], spans.get(i), forms, i in by_entity) for i in shown
                          if i in docs],
            "claims_total": claims_total, "claims": claims, "status": status}


def _forms(query: str, ents: list[Found]) -> list[str]:
    """What to look for in text: the query, and every name of the entities it found."""
    out = [query.strip()]
    for f in ents:
        out.extend([f.name, *f.aliases])
    return [x for x in dict.fromkeys(out) if x]


def _documents_of(store: Store, entity_ids: list[int]) -> list[int]:
    if not entity_ids:
        return []
    with store.session() as s:
        return list(s.scalars(select(Mention.document_id).where(Mention.entity_id.in_(entity_ids))
                              .distinct().order_by(Mention.document_id.desc()).limit(MATCHES)))


def _spans(s: Any, entity_ids: list[int], doc_ids: list[int]) -> dict[int, tuple[int, int]]:
    """The first mention of the entities in each document."""
    out: dict[int, tuple[int, int]] = {}
    if not entity_ids:
        return out
    for m in s.scalars(select(Mention).where(Mention.entity_id.in_(entity_ids),
                                             Mention.document_id.in_(doc_ids))):
        for a, b in m.spans:
            if m.document_id not in out or a < out[m.document_id][0]:
                out[m.document_id] = (a, b)
    return out


def _doc(d: Document, span: tuple[int, int] | None, forms: list[str], via_entity: bool
         ) -> dict[str, Any]:
    text = d.text
    if span is None:
        hit = _first(text, forms)
        span = hit or (0, 0)
    a, b = span
    lo, hi = max(0, a - PAD), min(len(text), b + PAD)
    lead = " ".join(text[:LEAD].split())
    return {"id": f"d{d.id}", "title": d.title, "outlet": d.outlet, "published": d.published,
            "lead": lead + ("…" if len(text) > LEAD else ""),
            "source": d.source, "via_entity": via_entity,
            "snippet": {"before": ("…" if lo else "") + text[lo:a], "match": text[a:b],
                        "after": text[b:hi] + ("…" if hi < len(text) else "")}}


def _first(text: str, forms: list[str]) -> tuple[int, int] | None:
    best: tuple[int, int] | None = None
    for form in forms:
        m = re.search(r"(?<!\w)" + re.escape(form) + r"(?!\w)", text, re.IGNORECASE)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), m.end())
    if best is None:  # a word of the query (full-text search matches words)
        for word in re.findall(r"\w{3,}", forms[0] if forms else ""):
            m = re.search(r"(?<!\w)" + re.escape(word) + r"(?!\w)", text, re.IGNORECASE)
            if m:
                return m.start(), m.end()
    return best


def _claims(s: Any, forms: list[str], status: str | None, page: int
            ) -> tuple[list[dict[str, Any]], int]:
    q = select(Claim).where(or_(*[Claim.text.ilike(f"%{f}%") for f in forms]))
    if status:
        q = q.where(claim_status() == status)
    total = int(s.scalar(select(func.count()).select_from(q.subquery())) or 0)
    rows = s.scalars(q.order_by(Claim.id).limit(PAGE).offset((page - 1) * PAGE))
    out = []
    for c in rows:
        hit = _first(c.text, forms) or (0, 0)
        out.append({"id": f"c{c.id}", "document": f"d{c.document_id}", "text": c.text,
                    "status": c.status_override or c.status,
                    "cluster": f"k{c.cluster_id}" if c.cluster_id else None,
                    "snippet": {"before": c.text[:hit[0]], "match": c.text[hit[0]:hit[1]],
                                "after": c.text[hit[1]:]}})
    return out, total
