"""Plain rows of claims, place mentions and entities, read from the store for clustering (a large
store has millions of claims: no ORM objects)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from storyline.embeddings import embed
from storyline.link._similar import ClaimRow
from storyline.store import Claim, Entity, Mention, Store

CLAIM_COLUMNS = (Claim.id, Claim.document_id, Claim.cluster_id, Claim.status, Claim.start,
                 Claim.end, Claim.holder_key, Claim.text, Claim.proposition, Claim.embedding)
PLACE_COLUMNS = (Mention.document_id, Mention.key, Mention.name, Mention.label, Mention.spans,
                 Mention.entity_id)


def claim_rows(store: Store, where: Any = None) -> list[ClaimRow]:
    """Claims as plain rows, by document; those stored without an embedding (another engine,
    an older store) get one now."""
    q = select(*CLAIM_COLUMNS).order_by(Claim.document_id, Claim.id)
    if where is not None:
        q = q.where(where)
    with store.session() as s:
        rows = [ClaimRow(**r._mapping) for r in s.execute(q)]
    missing = [c for c in rows if c.embedding is None]
    if missing:
        vecs = embed([c.proposition or c.text for c in missing])
        for c, v in zip(missing, vecs, strict=True):
            c.embedding = v.tobytes()
        with store.session.begin() as s:
            s.execute(update(Claim), [{"id": c.id, "embedding": c.embedding} for c in missing])
    return rows


def place_rows(store: Store, where: Any = None) -> list[Any]:
    """Mentions of organisations and places, as plain rows."""
    q = select(*PLACE_COLUMNS).where(Mention.label.in_(["ORG", "GPE"]))
    if where is not None:
        q = q.where(where)
    with store.session() as s:
        return list(s.execute(q))


def entities_of(store: Store) -> dict[int, tuple[str, str]]:
    with store.session() as s:
        return {i: (name, kind) for i, name, kind in s.execute(
            select(Entity.id, Entity.name, Entity.type))}
