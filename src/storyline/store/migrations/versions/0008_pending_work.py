"""Pending work: what an ingest still has to do (linking, placing, grading), finished by any later run

Also rebuilds SQLite's full-text index: a store upgraded from the first schema had its documents
missing from search (0002 created the index empty over documents already stored).

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pending_work",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("task", sa.String(32), nullable=False),
        sa.Column("document_ids", sa.JSON(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False, server_default=sa.func.now()),
    )
    if op.get_bind().dialect.name == "sqlite":
        op.execute("INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')")


def downgrade() -> None:
    op.drop_table("pending_work")
