"""store: SQLAlchemy over SQLite (default) or PostgreSQL, migrated by Alembic."""

from storyline.store._store import Pending, Store
from storyline.store.models import (
           Claim,
           Cluster,
           Decision,
           Document,
           Entity,
           Figure,
           Mention,
           Quote,
)

__all__ = ["Claim", "Cluster", "Decision", "Document", "Entity", "Figure", "Mention", "Pending",
           "Quote", "Store"]
