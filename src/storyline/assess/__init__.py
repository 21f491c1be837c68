"""assess: corroboration, Admiralty grades, timelines and stances over claim clusters.

Public face: :func:`assess_store`, :func:`cluster_view`, :func:`timeline`, :func:`stances`,
:func:`brief`.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from storyline.assess._grades import grade, origin_keys
from storyline.assess._timeline import infer_date
from storyline.errors import InputError, NotFound
from storyline.link._clusters import cluster_claims
from storyline.records import STANCES
from storyline.settings import Settings
from storyline.store import Claim, Cluster, Decision, Document, Entity, Figure, Mention, Store


def assess_store(store: Store, settings: Settings | None = None, *, full: bool = False) -> int:
    """Cluster claims, date them and grade the clusters; returns how many clusters were graded.

    Only the clusters that new claims joined or formed are dated and graded again (all of them
    in a small store or with ``full=True``, see :func:`storyline.link._clusters.cluster_claims`).
    """
    changed = cluster_claims(store, full=full)
    if not changed:
        return 0
    docs = store.document_facts()
    keys = origin_keys(docs)
    registry = settings.sources_file if settings else ""
    with store.session.begin() as s:
        by_cluster: dict[int, list[Claim]] = defaultdict(list)
        for c in s.scalars(select(Claim).where(Claim.cluster_id.in_(changed))):
            c.date, c.date_evidence, _ = infer_date(c.text, docs[c.document_id].published)
            by_cluster[c.cluster_id or 0].append(c)
        for k in s.scalars(select(Cluster).where(Cluster.id.in_(changed))):
            g = grade(by_cluster.get(k.id, []), docs, registry, keys)
            k.reliability, k.credibility, k.reasons = g.reliability, g.credibility, g.reasons
            k.updated_at = datetime.now(UTC).replace(tzinfo=None)
    return len(changed)


def entity_names(store: Store, doc_ids: set[int] | None = None) -> dict[tuple[int, str], str]:
    """(document, in-document key) -> canonical entity name, for some documents or all."""
    q = select(Mention.document_id, Mention.key, Mention.name, Entity.name).outerjoin(
        Entity, Mention.entity_id == Entity.id)
    if doc_ids is not None:
        q = q.where(Mention.document_id.in_(doc_ids))
    with store.session() as s:
        return {(d, k): e or n for d, k, n, e in s.execute(q)}


def _holder(c: Claim | Figure, names: dict[tuple[int, str], str]) -> str | None:
    key = getattr(c, "holder_key", None) or getattr(c, "claimant_key", None)
    name = getattr(c, "holder_name", None) or getattr(c, "claimant_name", None)
    return names.get((c.document_id, key), key) if key else name


def timeline(store: Store, cluster_id: int) -> list[dict[str, Any]]:
    """Status changes and figures of one cluster, in date order (then document order)."""
    with store.session() as s:
        claims = list(s.scalars(select(Claim).where(Claim.cluster_id == cluster_id)))
    doc_ids = {c.document_id for c in claims}
    names = entity_names(store, doc_ids)
    figures = store.analysis_rows(Figure, doc_ids)
    rows: list[dict[str, Any]] = []
    for c in claims:
        figs = [{"text": f.text, "value": f.value, "counts": f.counts, "qualifier": f.qualifier,
                 "claimant": _holder(f, names) or "the article", "start": f.start, "end": f.end}
                for f in figures if f.document_id == c.document_id and c.start <= f.start < c.end]
        rows.append({"claim": f"c{c.id}", "date": c.date, "date_evidence": c.date_evidence,
                     "document": f"d{c.document_id}", "status": c.status_override or c.status,
                     "holder": _holder(c, names) or "the article", "text": c.text,
                     "start": c.start, "end": c.end, "figures": figs})
    rows.sort(key=lambda r: (r["date"] or "9999", int(r["document"][1:]), r["start"]))
    return rows


def cluster_view(store: Store, cluster_id: int) -> dict[str, Any]:
    with store.session() as s:
        k = s.get(Cluster, cluster_id)
        if k is None:
            raise NotFound(f"no claim cluster k{cluster_id}; `storyline claims` lists them")
    events = timeline(store, cluster_id)
    figures, seen = [], set()
    for e in events:  # two claims over one sentence show its figure once
        for f in e["figures"]:
            if (e["document"], f["start"]) not in seen:
                seen.add((e["document"], f["start"]))
                figures.append(dict(f, document=e["document"], date=e["date"]))
    by_thing: dict[str, set[float]] = defaultdict(set)
    for f in figures:
        if f["counts"]:  # "1,500 troops" and "thousands of soldiers" differ; "32 allies" is another thing
            by_thing[_thing(f["counts"])].add(f["value"])
    return {"id": f"k{k.id}", "label": k.label, "kind": k.kind,
            "grade": {"reliability": k.reliability, "credibility": k.credibility,
                      "code": f"{k.reliability}{k.credibility}"},
            "reasons": k.reasons, "timeline": events, "figures": figures,
            "divergent_figures": any(len(v) > 1 for v in by_thing.values()),
            "statuses": sorted({e["status"] for e in events})}


_PEOPLE = {"troop", "soldier", "force", "personnel", "fighter", "serviceman", "servicemen", "men"}


def _thing(counts: str) -> str:
    """What a figure counts, roughly: its last word, singular; armed people count as one thing."""
    word = counts.split()[-1].lower().rstrip(".,")
    word = word[:-1] if word.endswith("s") and not word.endswith("ss") else word
    return "troop" if word in _PEOPLE else word


def clusters(store: Store) -> list[dict[str, Any]]:
    """Every cluster with its grade and size. Key stories first: those whose status was checked
    (reported, confirmed, denied, not confirmed) by the most kinds of statement, then the
    most documents and claims."""
    size: dict[int, int] = defaultdict(int)
    docs: dict[int, set[int]] = defaultdict(set)
    statuses: dict[int, set[str]] = defaultdict(set)
    for c in store.analysis_rows(Claim):
        if c.cluster_id:
            size[c.cluster_id] += 1
            docs[c.cluster_id].add(c.document_id)
            statuses[c.cluster_id].add(c.status_override or c.status)
    with store.session() as s:
        rows = list(s.scalars(select(Cluster)))
    out: list[dict[str, Any]] = [
           {"id": f"k{k.id}", "label": k.label, "kind": k.kind, "claims": size[k.id],
            "documents": len(docs[k.id]), "statuses": sorted(statuses[k.id]),
            "grade": f"{k.reliability}{k.credibility}", "credibility": k.credibility,
            "reliability": k.reliability} for k in rows]
    checked = {"reported", "confirmed", "denied", "unconfirmed"}
    out.sort(key=lambda r: (-len(checked & set(r["statuses"])), -int(r["documents"]),
                            -int(r["claims"]), str(r["id"])))
    return out


def stances(store: Store) -> dict[str, Any]:
    """Actors × issues (proposal clusters): each cell the positions with their evidence."""
    names = entity_names(store)
    issues: dict[int, str] = {}
    with store.session() as s:
        issues = {k.id: k.label for k in s.scalars(select(Cluster).where(Cluster.kind == "proposal"))}
    cells: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for c in store.analysis_rows(Claim):
        status = c.status_override or c.status
        if c.cluster_id in issues and status in STANCES:
            actor = _holder(c, names)
            if actor:
                cells[actor][f"k{c.cluster_id}"].append({
                    "stance": status, "claim": f"c{c.id}", "document": f"d{c.document_id}",
                    "text": c.text, "start": c.start, "end": c.end})
    return {"issues": [{"id": f"k{i}", "label": lab} for i, lab in sorted(issues.items())],
            "actors": {a: dict(v) for a, v in sorted(cells.items())}}


def origins(store: Store) -> dict[str, list[str]]:
    """Independent origins and the documents that collapse into each."""
    docs = {d.id: d for d in store.documents()}
    keys = origin_keys(docs)
    out: dict[str, list[str]] = defaultdict(list)
    for d in docs.values():
        out[keys[d.id]].append(f"d{d.id}")
    return dict(out)


STATUSES = ("reported", "unconfirmed", "denied", "confirmed", "asserted", *sorted(STANCES))


def override_status(store: Store, claim_id: int, status: str | None, who: str,
                    comment: str | None = None) -> dict[str, Any]:
    """An analyst's correction of one claim's status (``None`` restores the extracted one);
    kept in the audit log and the cluster's grade recomputed."""
    if status is not None and status not in STATUSES:
        raise InputError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
    with store.session.begin() as s:
        claim = s.get(Claim, claim_id)
        if claim is None:
            raise NotFound(f"no claim c{claim_id}; `storyline claims` lists the clusters")
        claim.status_override = status
        s.add(Decision(action="claim.status", subject=f"c{claim_id}", object=status or "(extracted)",
                       who=who, comment=comment))
        cluster_id = claim.cluster_id
    if cluster_id:
        regrade(store, cluster_id)
    return {"claim": f"c{claim_id}", "status": status, "cluster": f"k{cluster_id}" if cluster_id else None}


def regrade(store: Store, cluster_id: int, registry: str = "") -> None:
    """Recompute one cluster's grade from its claims as they stand."""
    docs = store.document_facts()
    with store.session.begin() as s:
        k = s.get(Cluster, cluster_id)
        if k is None:
            return
        members = list(s.scalars(select(Claim).where(Claim.cluster_id == cluster_id)))
        g = grade(members, docs, registry)
        k.reliability, k.credibility, k.reasons = g.reliability, g.credibility, g.reasons
        k.updated_at = datetime.now(UTC).replace(tzinfo=None)


def document_of(store: Store, ref: str) -> Document:
    return store.document(int(ref.lstrip("d")))


__all__ = ["STATUSES", "assess_store", "cluster_view", "clusters", "entity_names", "origins",
           "override_status",
           "regrade", "stances", "timeline"]
