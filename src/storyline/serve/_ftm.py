"""FollowTheMoney entities (Aleph, OpenAleph, yente): documents as Articles, people and
organisations with their aliases, Mentions of them in each Article, claims and quotes as Notes on
their Article, reprints as UnknownLinks; one JSON entity a line, as ``ftm``/Aleph import them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from followthemoney import model

from storyline.serve._snapshot import NOT_A_VERDICT, Snapshot, one_line, stamp
from storyline.store import Claim, Document, Entity, Quote

_SCHEMA = {"PERSON": "Person", "ORG": "Organization"}


def _make(schema: str, ident: str, props: dict[str, Any]) -> dict[str, Any]:
    """One entity, its values cleaned by followthemoney (dates, languages, URLs)."""
    proxy = model.make_entity(schema)
    proxy.id = ident
    for name, value in props.items():
        for v in value if isinstance(value, list) else [value]:
            if v not in (None, ""):
                proxy.add(name, v)
    return dict(proxy.to_dict())


def _article(snap: Snapshot, d: Document) -> dict[str, Any]:
    url = d.url if d.url and d.url.startswith(("http://", "https://")) else None
    return _make("Article", snap.doc_uid("ftm", d), {
        "title": d.title or d.source, "author": list(d.byline or []), "publishedAt": d.published,
        "publisher": snap.outlet(d), "sourceUrl": url, "language": d.language,
        "contentHash": hashlib.sha1(d.text.encode("utf-8")).hexdigest(), "bodyText": d.text,
        "fileName": d.source, "summary": f"storyline document d{d.id}",
        "retrievedAt": stamp(d.ingested_at)[:10]})


def _party(snap: Snapshot, e: Entity) -> dict[str, Any] | None:
    schema = _SCHEMA.get(e.type)
    if schema is None:
        return None
    props: dict[str, Any] = {"name": e.name, "alias": list(e.aliases or []),
                             "summary": f"storyline entity e{e.id}"}
    if e.roles:
        props["position" if schema == "Person" else "description"] = "; ".join(e.roles)
    return _make(schema, snap.entity_uid("ftm", e), props)


def _note(snap: Snapshot, ident: str, doc_id: int, name: str, text: str, summary: str,
          keywords: list[str]) -> dict[str, Any]:
    d = snap.doc[doc_id]
    return _make("Note", ident, {
        "entity": snap.doc_uid("ftm", d), "name": name, "description": text, "summary": summary,
        "keywords": keywords, "publisher": snap.outlet(d),
        "sourceUrl": snap.permalink(f"documents/d{doc_id}#{summary.split(' ')[0]}")})


def _claim(snap: Snapshot, c: Claim) -> dict[str, Any]:
    holder = snap.holder(c.document_id, c.holder_key)
    who = holder.name if holder else (c.holder_name or "the article")
    status = snap.status(c)
    return _note(snap, snap.claim_uid("ftm", c), c.document_id, f"claim c{c.id}: {status}", c.text,
                 f"d{c.document_id}:{c.start}-{c.end} · {status} · holder: {who} · "
                 f"proposition: {one_line(c.proposition or c.text)} · {NOT_A_VERDICT}",
                 ["claim", status, f"c{c.id}", *([f"k{c.cluster_id}"] if c.cluster_id else [])])


def _quote(snap: Snapshot, q: Quote) -> dict[str, Any]:
    sp = snap.holder(q.document_id, q.speaker_key)
    who = sp.name if sp else (q.speaker_name or "unattributed")
    return _note(snap, snap.quote_uid("ftm", q), q.document_id, f"{q.kind} quote: {who}", q.text,
                 f"d{q.document_id}:{q.start}-{q.end} · {q.kind} quote · speaker: {who}",
                 ["quote", q.kind])


def _mentions(snap: Snapshot) -> Iterator[dict[str, Any]]:
    seen: set[tuple[int, int]] = set()
    for m in snap.mentions:
        e = snap.entity.get(m.entity_id) if m.entity_id else None
        if e is None or e.type not in _SCHEMA or (m.document_id, e.id) in seen:
            continue
        seen.add((m.document_id, e.id))
        d = snap.doc[m.document_id]
        yield _make("Mention", snap.doc_uid("ftm-mention-" + snap.entity_uid("ftm", e), d), {
            "document": snap.doc_uid("ftm", d), "resolved": snap.entity_uid("ftm", e),
            "name": m.name, "detectedSchema": _SCHEMA[e.type]})


def _reprints(snap: Snapshot) -> Iterator[dict[str, Any]]:
    for d in snap.documents:
        src = snap.source_of(d)
        if src is not None:
            yield _make("UnknownLink", snap.doc_uid(f"ftm-reprint-{src.content_hash}", d), {
                "subject": snap.doc_uid("ftm", d), "object": snap.doc_uid("ftm", src),
                "role": f"{d.origin_relation} of", "description": d.origin_evidence,
                "summary": f"d{d.id} is a {d.origin_relation} of d{src.id}"})


def entities(snap: Snapshot) -> Iterator[dict[str, Any]]:
    """Every entity in a fixed order: articles, parties, mentions, claims, quotes, links."""
    for d in snap.documents:
        yield _article(snap, d)
    for e in snap.entities:
        if (party := _party(snap, e)) is not None:
            yield party
    yield from _mentions(snap)
    for c in snap.claims:
        yield _claim(snap, c)
    for q in snap.quotes:
        yield _quote(snap, q)
    yield from _reprints(snap)
