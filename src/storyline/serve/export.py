"""Exports: the JSON knowledge base (storyline-export/1) the evaluation reads, CSV tables, and
the formats analysts' own tools load: a STIX 2.1 bundle (OpenCTI), MISP events, FollowTheMoney
entities (Aleph) and schema.org ClaimReview. docs/exports.md maps every concept.

Every interchange export is deterministic: ids are UUIDv5 over what identifies each thing and
timestamps come from the store, so exporting one store twice gives byte-identical files.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import IO, Any

from storyline.errors import InputError
from storyline.serve import _claimreview, _csv, _ftm, _misp, _stix
from storyline.serve._snapshot import Snapshot, snapshot
from storyline.settings import Settings
from storyline.store import Claim, Cluster, Document, Entity, Figure, Mention, Quote, Store

FORMAT = "storyline-export/1"
FORMATS = ("json", "csv", "stix", "misp", "ftm", "claimreview")
CSV_TABLES = _csv.TABLES


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


CSV_FIELDS = _csv.DOCUMENT_FIELDS


def export_csv(store: Store, fh: IO[str], table: str = "documents") -> int:
    """One CSV table (documents, claims, quotes, figures, entities or stories); returns the
    number of rows written."""
    if table not in CSV_TABLES:
        raise InputError(f"unknown table {table!r}; use one of {', '.join(CSV_TABLES)} or all")
    return _csv.write(fh, table, _csv.rows(store, table, export_json(store)))


def export_csv_tables(store: Store, target: Path) -> dict[str, int]:
    """Every CSV table into a folder (one file per table) or a .zip; rows written per table."""
    return _csv.write_all(store, export_json(store), target)


def _snap(store: Store, settings: Settings | None) -> Snapshot:
    s = settings or Settings()
    return snapshot(store, base_url=s.base_url, registry_file=s.sources_file)


def export_stix(store: Store, settings: Settings | None = None) -> dict[str, Any]:
    """The store as one STIX 2.1 bundle, each object's keys in a fixed order (type, spec_version,
    id, created, modified, then by name: the library keeps custom properties in no fixed order)."""
    data = json.loads(_stix.bundle(_snap(store, settings)).serialize())
    return {**data, "objects": [_stix.ordered(o) for o in data["objects"]]}


def export_misp(store: Store, settings: Settings | None = None) -> list[dict[str, Any]]:
    """One MISP event per story, each ``{"Event": …}`` as MISP imports it."""
    return _misp.events(_snap(store, settings))


def export_ftm(store: Store, settings: Settings | None = None) -> list[dict[str, Any]]:
    """FollowTheMoney entities (write them one a line: :func:`write_export` does)."""
    return list(_ftm.entities(_snap(store, settings)))


def export_claimreview(store: Store, settings: Settings | None = None) -> list[dict[str, Any]]:
    """One schema.org ClaimReview per story."""
    return _claimreview.reviews(_snap(store, settings))


def write_export(store: Store, fmt: str, fh: IO[str], settings: Settings | None = None,
                 table: str = "documents") -> int:
    """Write one export to ``fh``; returns how many items (rows, objects, events, entities)."""
    if fmt == "csv":
        return export_csv(store, fh, table)
    if fmt == "ftm":
        items = export_ftm(store, settings)
        for e in items:
            fh.write(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n")
        return len(items)
    data: Any
    if fmt == "json":
        data = export_json(store)
    elif fmt == "stix":
        data = export_stix(store, settings)
    elif fmt == "misp":
        data = export_misp(store, settings)
    elif fmt == "claimreview":
        data = export_claimreview(store, settings)
    else:
        raise InputError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    json.dump(data, fh, ensure_ascii=False, indent=1)
    fh.write("\n")
    return len(data["objects"]) if fmt == "stix" else len(data)
