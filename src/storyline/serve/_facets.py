"""Facets for the list pages, datasette-style: for the rows a filter leaves, how many have each
value of status, grade, kind, outlet, language, month or entity.

Each facet is one GROUP BY over the ids the filtered query selects, so a facet costs one query
whatever the page size; only the commonest values are shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Select, String, cast, func, select
from sqlalchemy.orm import Session

from storyline.serve import _queries as Q
from storyline.store import Claim, Cluster, Document, Entity, Figure, Mention, Quote, Store

TOP = 12  # values shown per facet: the commonest; a long tail of outlets would bury the rest


def _ids(q: Select[Any], model: Any) -> Any:
    return q.with_only_columns(model.id).order_by(None).scalar_subquery()


def _group(s: Session, expr: Any, model: Any, q: Select[Any], top: int = TOP) -> list[tuple[Any, int]]:
    n = func.count(func.distinct(model.id))
    rows = s.execute(select(expr, n).where(model.id.in_(_ids(q, model)), expr.is_not(None))
                     .group_by(expr).order_by(n.desc(), expr).limit(top))
    return [(v, int(c)) for v, c in rows]


def _entities(s: Session, counted: Any, doc_col: Any, where: Any, top: int = TOP
              ) -> list[tuple[Any, ...]]:
    """The entities mentioned in the documents of the most filtered rows, as ``(e12, n, name)``;
    ``counted`` is what a row is (a claim id, a cluster id), ``doc_col`` its document."""
    n = func.count(func.distinct(counted))
    rows = s.execute(select(Mention.entity_id, Entity.name, n)
                     .join(Entity, Entity.id == Mention.entity_id)
                     .join(doc_col.table, doc_col == Mention.document_id).where(where)
                     .group_by(Mention.entity_id, Entity.name).order_by(n.desc(), Entity.name)
                     .limit(top))
    return [(f"e{e}", int(c), name) for e, name, c in rows]


def _month(col: Any) -> Any:
    return func.substr(col, 1, 7)


def _facet(name: str, label: str, values: list[Any], fmt: Callable[[Any], str] = str) -> dict[str, Any]:
    out = []
    for v in values:
        value, count = v[0], v[1]
        out.append({"value": str(value), "label": v[2] if len(v) > 2 else fmt(value), "count": count})
    return {"name": name, "label": label, "values": out}


def clusters(store: Store, **filters: str | None) -> list[dict[str, Any]]:
    q = Q.cluster_query(**filters)
    grade = Cluster.reliability + cast(Cluster.credibility, String)
    with store.session() as s:
        statuses = s.execute(select(Q.claim_status(), func.count(func.distinct(Claim.cluster_id)))
                             .where(Claim.cluster_id.in_(_ids(q, Cluster)))
                             .group_by(Q.claim_status()).order_by(func.count(
                                 func.distinct(Claim.cluster_id)).desc()))
        return [_facet("status", "status", [tuple(r) for r in statuses]),
                _facet("grade", "grade", _group(s, grade, Cluster, q)),
                _facet("kind", "kind", _group(s, Cluster.kind, Cluster, q)),
                _facet("entity", "entity", _entities(s, Claim.cluster_id, Claim.document_id,
                                                     Claim.cluster_id.in_(_ids(q, Cluster))))]


def claims(store: Store, **filters: str | None) -> list[dict[str, Any]]:
    q = Q.claim_query(**filters)
    with store.session() as s:
        return [_facet("status", "status", _group(s, Q.claim_status(), Claim, q)),
                _facet("month", "date", _group(s, _month(Claim.date), Claim, q)),
                _facet("entity", "entity", _entities(s, Claim.id, Claim.document_id,
                                                     Claim.id.in_(_ids(q, Claim))))]


def documents(store: Store, **filters: str | None) -> list[dict[str, Any]]:
    q = Q.document_query(**filters)
    with store.session() as s:
        return [_facet("outlet", "outlet", _group(s, Document.outlet, Document, q)),
                _facet("language", "language", _group(s, Document.language, Document, q)),
                _facet("relation", "origin", _group(s, Document.origin_relation, Document, q)),
                _facet("month", "published", _group(s, _month(Document.published), Document, q)),
                _facet("entity", "entity", _entities(s, Document.id, Document.id,
                                                     Document.id.in_(_ids(q, Document))))]


def entities(store: Store, **filters: str | None) -> list[dict[str, Any]]:
    q = Q.entity_query(**filters)
    with store.session() as s:
        return [_facet("type", "type", _group(s, Entity.type, Entity, q))]


def quotes(store: Store, **filters: str | None) -> list[dict[str, Any]]:
    q = Q.quote_query(**filters)
    n = func.count(func.distinct(Quote.id))
    with store.session() as s:
        speakers = s.execute(
            select(Mention.entity_id, Entity.name, n).join(Entity, Entity.id == Mention.entity_id)
            .join(Quote, (Quote.document_id == Mention.document_id)
                  & (Quote.speaker_key == Mention.key))
            .where(Quote.id.in_(_ids(q, Quote))).group_by(Mention.entity_id, Entity.name)
            .order_by(n.desc(), Entity.name).limit(TOP))
        return [_facet("kind", "kind", _group(s, Quote.kind, Quote, q)),
                _facet("entity", "speaker", [(f"e{e}", int(c), name) for e, name, c in speakers])]


def figures(store: Store, **filters: str | None) -> list[dict[str, Any]]:
    q = Q.figure_query(**filters)
    with store.session() as s:
        return [_facet("kind", "kind", _group(s, Figure.kind, Figure, q))]
