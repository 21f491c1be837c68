"""SQLAlchemy 2 models of everything storyline keeps."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class Document(Base):
    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    url: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    byline: Mapped[list[Any]] = mapped_column(JSON, default=list)
    outlet: Mapped[str | None] = mapped_column(String(200))
    published: Mapped[str | None] = mapped_column(String(10), index=True)
    published_evidence: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    removed: Mapped[list[Any]] = mapped_column(JSON, default=list)
    origin_publisher: Mapped[str | None] = mapped_column(String(200))
    origin_relation: Mapped[str] = mapped_column(String(16), default="unknown")
    origin_evidence: Mapped[str | None] = mapped_column(Text)
    near_duplicate_of: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), index=True)
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)
    ingested_at: Mapped[datetime] = mapped_column(DateTime, default=_now)


class MinhashBand(Base):
    __tablename__ = "minhash_bands"
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    band: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (Index("ix_minhash_bands_band_key", "band", "key"),)


class Mention(Base):
    """One in-document entity: its mentions, aliases and roles within one document."""

    __tablename__ = "mentions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(300))
    name: Mapped[str] = mapped_column(String(300))
    label: Mapped[str] = mapped_column(String(16))
    aliases: Mapped[list[Any]] = mapped_column(JSON, default=list)
    roles: Mapped[list[Any]] = mapped_column(JSON, default=list)
    spans: Mapped[list[Any]] = mapped_column(JSON, default=list)
    entity_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id"), index=True)


class Entity(Base):
    __tablename__ = "entities"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    type: Mapped[str] = mapped_column(String(16))
    aliases: Mapped[list[Any]] = mapped_column(JSON, default=list)
    roles: Mapped[list[Any]] = mapped_column(JSON, default=list)
    reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)


class Quote(Base):
    __tablename__ = "quotes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    cue: Mapped[str | None] = mapped_column(String(64))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    speaker_key: Mapped[str | None] = mapped_column(String(300))
    speaker_name: Mapped[str | None] = mapped_column(String(300))


class Figure(Base):
    __tablename__ = "figures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(300))
    value: Mapped[float] = mapped_column(Float)
    kind: Mapped[str] = mapped_column(String(16))
    currency: Mapped[str | None] = mapped_column(String(8))
    qualifier: Mapped[str] = mapped_column(String(16))
    counts: Mapped[str | None] = mapped_column(String(300))
    claimant_key: Mapped[str | None] = mapped_column(String(300))
    claimant_name: Mapped[str | None] = mapped_column(String(300))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)


class Claim(Base):
    __tablename__ = "claims"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    proposition: Mapped[str | None] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), index=True)
    holder_key: Mapped[str | None] = mapped_column(String(300))
    holder_name: Mapped[str | None] = mapped_column(String(300))
    cue: Mapped[str | None] = mapped_column(String(64))
    date: Mapped[str | None] = mapped_column(String(10))
    date_evidence: Mapped[str | None] = mapped_column(Text)
    embedding: Mapped[bytes | None] = mapped_column(LargeBinary)
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("clusters.id"), index=True)
    status_override: Mapped[str | None] = mapped_column(String(16))
    holder_override: Mapped[str | None] = mapped_column(String(300))  # an analyst's correction


class Cluster(Base):
    __tablename__ = "clusters"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))  # event | proposal
    reliability: Mapped[str] = mapped_column(String(1), default="F")
    credibility: Mapped[int] = mapped_column(Integer, default=6)
    reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=_now)


class Decision(Base):
    """An analyst's decision (entity merge/split, status override): kept and re-applied."""

    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(300))
    object: Mapped[str | None] = mapped_column(String(300))
    comment: Mapped[str | None] = mapped_column(Text)
    who: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(DateTime, default=_now)


class PendingWork(Base):
    """What an ingest still has to do after storing documents (task ``refresh``: link, place,
    grade); written with the documents, removed when done, finished by any later run."""

    __tablename__ = "pending_work"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task: Mapped[str] = mapped_column(String(32))
    document_ids: Mapped[list[Any]] = mapped_column(JSON)
    created: Mapped[datetime] = mapped_column(DateTime, default=_now)


class ApiToken(Base):
    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    digest: Mapped[str] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=_now)
