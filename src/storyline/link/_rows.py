"""Plain rows of claims, place mentions and entities, read from the store for clustering (a large
store has millions of claims: no ORM objects)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update

from storyline.embeddings import embed
from storyline.store import Claim, Entity, Mention, Store

CLAIM_COLUMNS = (Claim.id, Claim.document_id, Claim.cluster_id, Claim.status, Claim.start,
                 Claim.end, Claim.holder_key, Claim.text, Claim.proposition, Claim.embedding)
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
    embedding: bytes | None = None


def chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    """Ids in sorted chunks small enough for one ``IN (…)`` on any back end."""
    ordered = sorted(set(ids))
    for at in range(0, len(ordered), CHUNK):
        yield ordered[at:at + CHUNK]


def claim_rows(store: Store, where: Any = None, *, docs: Iterable[int] | None = None,
               vectors: bool = True) -> list[ClaimRow]:
    """Claims as plain rows, by document (of ``docs`` only, if given); those stored without an
    embedding (another engine, an older store) get one now. ``vectors=False``: without
    embeddings (see :func:`vectors_of`)."""
    if docs is not None:
        return [r for part in chunks(docs) for r in claim_rows(
            store, Claim.document_id.in_(part), vectors=vectors)]
    cols = CLAIM_COLUMNS if vectors else CLAIM_COLUMNS[:-1]
    q = select(*cols).order_by(Claim.document_id, Claim.id)
    if where is not None:
        q = q.where(where)
    with store.session() as s:
        rows = [ClaimRow(**r._mapping) for r in s.execute(q)]
    if vectors:
        _embed_missing(store, rows)
    return rows


def vectors_of(store: Store, rows: list[ClaimRow]) -> None:
    """Give these rows their embeddings."""
    by_id = {r.id: r for r in rows}
    with store.session() as s:
        for part in chunks(by_id):
            for i, vec in s.execute(select(Claim.id, Claim.embedding).where(Claim.id.in_(part))):
                by_id[i].embedding = vec
    _embed_missing(store, rows)


def _embed_missing(store: Store, rows: list[ClaimRow]) -> None:
    missing = [c for c in rows if c.embedding is None]
    if missing:
        vecs = embed([c.proposition or c.text for c in missing])
        for c, v in zip(missing, vecs, strict=True):
            c.embedding = v.tobytes()
        with store.session.begin() as s:
            s.execute(update(Claim), [{"id": c.id, "embedding": c.embedding} for c in missing])


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
