"""store: SQLAlchemy over SQLite (default) or PostgreSQL, migrated by Alembic."""

from storyline.store._store import DocumentFacts, Pending, Store, select_documents
from storyline.store.models import (
           ApiToken,
           Claim,
           Cluster,
           Decision,
           Document,
           Entity,
           Figure,
           Mention,
           Quote,
)

__all__ = ["ApiToken", "Claim", "Cluster", "Decision", "Document", "DocumentFacts", "Entity",
           "Figure", "Mention", "Pending", "Quote", "Store", "select_documents"]
