"""Exports: the JSON knowledge base (storyline-export/1), CSV of documents, ClaimReview JSON-LD."""

from __future__ import annotations

import csv
from collections import defaultdict
from typing import IO, Any

from storyline.store import Claim, Cluster, Document, Entity, Figure, Mention, Quote, Store

FORMAT = "storyline-export/1"


def _doc_ref(doc_id: int) -> str:
    return f"d{doc_id}"


def _speaker(key: str | None, name: str | None, doc_id: int,
             entity_of: dict[tuple[int, str], int | None],
             names: dict[tuple[int, str], str]) -> tuple[str | None, str | None]:
    if key is None:
        return None, name
    ent = entity_of.get((doc_id, key))
    return (f"e{ent}" if ent else None), (name or names.get((doc_id, key)))


def document_json(d: Document) -> dict[str, Any]:
    return {
        "id": _doc_ref(d.id), "source": d.source, "url": d.url, "title": d.title,
        "byline": list(d.byline or []), "outlet": d.outlet, "language": d.language,
        "published": d.published, "published_evidence": d.published_evidence,
        "origin": {"publisher": d.origin_publisher, "relation": d.origin_relation,
                   "evidence": d.origin_evidence},
        "near_duplicate_of": _doc_ref(d.near_duplicate_of) if d.near_duplicate_of else None,
        "text": d.text, "removed": list(d.removed or []),
    }


def export_json(store: Store) -> dict[str, Any]:
    """The whole knowledge base in the export format the evaluation reads."""
    docs = store.documents()
    mentions: list[Mention] = store.analysis_rows(Mention)
    entity_of = {(m.document_id, m.key): m.entity_id for m in mentions}
    names = {(m.document_id, m.key): m.name for m in mentions}
    docs_of: dict[int, set[int]] = defaultdict(set)
    for m in mentions:
        if m.entity_id:
            docs_of[m.entity_id].add(m.document_id)
    with store.session() as s:
        entities = list(s.query(Entity).order_by(Entity.id))
        clusters = list(s.query(Cluster).order_by(Cluster.id))
    out: dict[str, Any] = {"format": FORMAT, "documents": [document_json(d) for d in docs]}
    out["entities"] = [{
        "id": f"e{e.id}", "name": e.name, "type": e.type, "aliases": list(e.aliases or []),
        "roles": list(e.roles or []), "reasons": list(e.reasons or []),
        "documents": [_doc_ref(i) for i in sorted(docs_of.get(e.id, ()))]} for e in entities]
    out["quotes"] = []
    for q in store.analysis_rows(Quote):
        sp, sp_name = _speaker(q.speaker_key, q.speaker_name, q.document_id, entity_of, names)
        out["quotes"].append({"document": _doc_ref(q.document_id), "text": q.text, "kind": q.kind,
                              "speaker": sp, "speaker_name": sp_name, "cue": q.cue,
                              "start": q.start, "end": q.end})
    out["quantities"] = []
    for f in store.analysis_rows(Figure):
        src, src_name = _speaker(f.claimant_key, f.claimant_name, f.document_id, entity_of, names)
        out["quantities"].append({
            "document": _doc_ref(f.document_id), "text": f.text, "value": f.value, "kind": f.kind,
            "currency": f.currency, "qualifier": f.qualifier, "counts": f.counts, "source": src,
            "source_name": src_name, "start": f.start, "end": f.end})
    out["claims"] = []
    for c in store.analysis_rows(Claim):
        src, src_name = _speaker(c.holder_key, c.holder_name, c.document_id, entity_of, names)
        out["claims"].append({
            "id": f"c{c.id}", "document": _doc_ref(c.document_id), "text": c.text,
            "status": c.status_override or c.status, "source": src, "source_name": src_name,
            "cue": c.cue, "date": c.date, "start": c.start, "end": c.end,
            "cluster": f"k{c.cluster_id}" if c.cluster_id else None})
    out["clusters"] = [{
        "id": f"k{k.id}", "label": k.label, "kind": k.kind,
        "grade": {"reliability": k.reliability, "credibility": k.credibility,
                  "code": f"{k.reliability}{k.credibility}"},
        "reasons": list(k.reasons or [])} for k in clusters]
    return out


CSV_FIELDS = ["id", "source", "title", "byline", "outlet", "published", "language",
              "origin_publisher", "origin_relation", "near_duplicate_of", "words"]


def export_csv(store: Store, fh: IO[str]) -> int:
    """One row per document; returns the number of rows written."""
    w = csv.DictWriter(fh, fieldnames=CSV_FIELDS)
    w.writeheader()
    docs = store.documents()
    for d in docs:
        w.writerow({"id": _doc_ref(d.id), "source": d.source, "title": d.title or "",
                    "byline": "; ".join(d.byline or []), "outlet": d.outlet or "",
                    "published": d.published or "", "language": d.language or "",
                    "origin_publisher": d.origin_publisher or "",
                    "origin_relation": d.origin_relation,
                    "near_duplicate_of": _doc_ref(d.near_duplicate_of) if d.near_duplicate_of else "",
                    "words": len(d.text.split())})
    return len(docs)


_CREDIBILITY = {1: "confirmed by other sources", 2: "probably true", 3: "possibly true",
                4: "doubtful", 5: "improbable", 6: "truth cannot be judged"}


def export_claimreview(store: Store) -> list[dict[str, Any]]:
    """One schema.org ClaimReview per claim cluster, rated by its Admiralty credibility (1 best)."""
    docs = {d.id: d for d in store.documents()}
    claims: list[Claim] = store.analysis_rows(Claim)
    by_cluster: dict[int, list[Claim]] = defaultdict(list)
    for c in claims:
        if c.cluster_id:
            by_cluster[c.cluster_id].append(c)
    with store.session() as s:
        clusters = list(s.query(Cluster).order_by(Cluster.id))
    out = []
    for k in clusters:
        appearances = []
        for c in by_cluster.get(k.id, []):
            d = docs.get(c.document_id)
            if d is not None:
                appearances.append({"@type": "CreativeWork", "url": d.url or d.source,
                                     "headline": d.title, "text": c.text,
                                     "datePublished": d.published})
        out.append({
            "@context": "https://schema.org", "@type": "ClaimReview",
            "claimReviewed": k.label,
            "author": {"@type": "Organization", "name": "storyline"},
            "reviewRating": {"@type": "Rating", "ratingValue": k.credibility, "bestRating": 1,
                             "worstRating": 6,
                             "alternateName": f"{k.reliability}{k.credibility}: "
                                              f"{_CREDIBILITY.get(k.credibility, '')}"},
            "itemReviewed": {"@type": "Claim", "appearance": appearances},
        })
    return out
