"""index documents by the document they are a near-duplicate of (a document's copies)

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_documents_near_duplicate_of", "documents", ["near_duplicate_of"])


def downgrade() -> None:
    op.drop_index("ix_documents_near_duplicate_of", table_name="documents")
