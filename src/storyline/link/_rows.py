"""Plain rows of claims, place mentions and entities, read from the store for clustering (a large
store has millions of claims: no ORM objects)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from storyline.store import Claim, Entity, Mention, Store

CLAIM_COLUMNS = (Claim.id, Claim.document_id, Claim.cluster_id, Claim.status, Claim.start,
                 Claim.end, Claim.holder_key, Claim.text, Claim.proposition)
CHUNK = 5000  # ids in one IN (…): SQLite takes 32,766 parameters, psycopg 65,535
PLACE_COLUMNS = (Mention.document_id, Mention.key, Mention.name, Mention.label, Mention.spans,
                 Mention.entity_id)


@dataclass(slots=True)
class ClaimRow:
    """The columns of a stored claim that clustering reads (a plain row, not an ORM object:
    a large store has millions)."""
    id: int
    document_id: int
    cluster_id: int | None
    status: str
    start: int
    end: int
    holder_key: str | None
    text: str
    proposition: str | None


def chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    """Ids in sorted chunks small enough for one ``IN (…)`` on any back end."""
    ordered = sorted(set(ids))
    for at in range(0, len(ordered), CHUNK):
        yield ordered[at:at + CHUNK]


def claim_rows(store: Store, where: Any = None, *,
               docs: Iterable[int] | None = None) -> list[ClaimRow]:
    """Claims as plain rows, by document (of ``docs`` only, if given)."""
    if docs is not None:
        return [r for part in chunks(docs) for r in claim_rows(store, Claim.document_id.in_(part))]
    q = select(*CLAIM_COLUMNS).order_by(Claim.document_id, Claim.id)
    if where is not None:
        q = q.where(where)
    with store.session() as s:
        return [ClaimRow(**r._mapping) for r in s.execute(q)]


def place_rows(store: Store, where: Any = None, *, docs: Iterable[int] | None = None) -> list[Any]:
    """Mentions of organisations and places, as plain rows (of ``docs`` only, if given)."""
    if docs is not None:
        return [r for part in chunks(docs)
                for r in place_rows(store, Mention.document_id.in_(part))]
    q = select(*PLACE_COLUMNS).where(Mention.label.in_(["ORG", "GPE"]))
    if where is not None:
        q = q.where(where)
    with store.session() as s:
        return list(s.execute(q))


def entities_of(store: Store) -> dict[int, tuple[str, str]]:
    with store.session() as s:
        return {i: (name, kind) for i, name, kind in s.execute(
            select(Entity.id, Entity.name, Entity.type))}
