"""assess: origins, Admiralty grades, timelines and stances over claim clusters.

Public face: :func:`assess_store`, :func:`cluster_view`, :func:`clusters`, :func:`timeline`,
:func:`stances`, :func:`origins`, :func:`set_date`, :func:`override_status`; the brief is
:mod:`storyline.assess.brief`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select

from storyline.assess._dates import infer_date
from storyline.assess._grades import MEANING, RULES, grade
from storyline.assess._origins import UNKNOWN, build, facts, origin_keys
from storyline.assess._story import (
    cluster_view,
    clusters,
    dated,
    entity_names,
    stances,
    timeline,
)
from storyline.errors import InputError, NotFound
from storyline.link import cluster_claims
from storyline.records import STANCES
from storyline.settings import Settings
from storyline.store import Claim, Cluster, Decision, Document, Store


def _registry(settings: Settings | None) -> str:
    return settings.sources_file if settings else ""


def assess_store(store: Store, settings: Settings | None = None, *, full: bool = False) -> int:
    """Cluster claims, date them and grade the clusters; returns how many clusters were graded.

    Only the clusters that new claims joined or formed are dated and graded again (all of them
    in a small store or with ``full=True``, see :func:`storyline.link._clusters.cluster_claims`).
    """
    changed = cluster_claims(store, full=full)
    if not changed:
        return 0
    _grade(store, changed, _registry(settings))
    return len(changed)


def _grade(store: Store, cluster_ids: list[int] | set[int], registry: str = "") -> None:
    docs = facts(store)
    keys, found = build(docs, registry)
    ids = sorted(cluster_ids)
    with store.session.begin() as s:
        by_cluster: dict[int, list[Claim]] = defaultdict(list)
        for i in range(0, len(ids), 5000):  # SQLite takes 32,766 parameters
            for c in s.scalars(select(Claim).where(Claim.cluster_id.in_(ids[i:i + 5000]))):
                d = dated(c, docs)
                c.date, c.date_evidence = d["date"], d["date_evidence"]
                by_cluster[c.cluster_id or 0].append(c)
            for k in s.scalars(select(Cluster).where(Cluster.id.in_(ids[i:i + 5000]))):
                g = grade(by_cluster.get(k.id, []), docs, registry, keys, found)
                k.reliability, k.credibility, k.reasons = g.reliability, g.credibility, g.reasons
                k.updated_at = datetime.now(UTC).replace(tzinfo=None)


def regrade(store: Store, cluster_id: int, registry: str = "") -> None:
    """Recompute one cluster's dates and grade from its claims as they stand."""
    _grade(store, [cluster_id], registry)


def origins(store: Store) -> dict[str, list[str]]:
    """Every origin and the documents that collapse into it; documents of no known publisher
    are the one "unknown source" group (see :func:`independent_origins`)."""
    _, found = build(facts(store))
    return {k: [f"d{i}" for i in sorted(o.documents)] for k, o in sorted(found.items())}


def origin_table(store: Store) -> list[dict[str, Any]]:
    """Every origin with its reliability, the evidence for it, whether it is independent, and
    its documents: what the provenance page and the brief's sources show."""
    _, found = build(facts(store))
    return [o.as_dict() for _, o in sorted(found.items())]


def independent_origins(store: Store) -> int:
    """How many independent origins the store holds (the unknown group is not one)."""
    return sum(1 for o in build(facts(store))[1].values() if o.independent)


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


def set_date(store: Store, doc_id: int, day: str | None, who: str,
             comment: str | None = None) -> dict[str, Any]:
    """An analyst's date for one document (ISO ``YYYY-MM-DD``; ``None`` makes it undated):
    kept in the audit log with the date it replaces; its claims are dated again from it and
    their stories' histories re-order."""
    if day is not None:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
            raise InputError(f"date {day!r} is not YYYY-MM-DD; write e.g. 2024-11-05")
        try:
            date.fromisoformat(day)
        except ValueError as exc:
            raise InputError(f"date {day!r} is not a day of the calendar ({exc})") from exc
    with store.session.begin() as s:
        doc = s.get(Document, doc_id)
        if doc is None:
            raise NotFound(f"no document d{doc_id}; `storyline docs` lists them")
        before = doc.published or "undated"
        doc.published = day
        doc.published_evidence = f"set by {who}" if day else None
        s.add(Decision(action="document.date", subject=f"d{doc_id}", object=day or "(undated)",
                       who=who, comment=comment or f"was {before}"))
        stories = sorted({k for k in s.scalars(select(Claim.cluster_id).where(
            Claim.document_id == doc_id)) if k})
    if stories:
        _grade(store, stories)
    return {"document": f"d{doc_id}", "date": day, "was": before,
            "stories": [f"k{k}" for k in stories]}


def document_of(store: Store, ref: str) -> Document:
    return store.document(int(ref.lstrip("d")))


__all__ = ["MEANING", "RULES", "STATUSES", "UNKNOWN", "assess_store", "cluster_view",
           "clusters", "entity_names", "independent_origins", "infer_date", "origin_keys",
           "origin_table", "origins", "override_status", "regrade", "set_date", "stances", "timeline"]
