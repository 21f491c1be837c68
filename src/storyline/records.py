"""The plain records that pass between stages: an article from ingest, its analysis from nlp."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True, kw_only=True)
class Article:
    """One document, cleaned, with its metadata; what the store keeps."""

    source: str
    kind: str
    text: str
    title: str | None = None
    byline: list[str] = field(default_factory=list)
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    published_evidence: str | None = None
    language: str | None = None
    removed: list[str] = field(default_factory=list)
    origin_publisher: str | None = None
    origin_relation: str = "unknown"
    origin_evidence: str | None = None
    content_hash: str = ""


@dataclass(slots=True, kw_only=True)
class MentionRec:
    """One entity within one document: all its spans, aliases and roles there."""

    key: str
    name: str
    label: str
    aliases: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class QuoteRec:
    text: str
    kind: str
    start: int
    end: int
    cue: str | None = None
    speaker_key: str | None = None
    speaker_name: str | None = None


@dataclass(slots=True, kw_only=True)
class FigureRec:
    text: str
    value: float
    kind: str
    qualifier: str
    start: int
    end: int
    currency: str | None = None
    counts: str | None = None
    claimant_key: str | None = None
    claimant_name: str | None = None


# Claim statuses that take a position on a proposal (the others report on an event).
STANCES = frozenset({"proposed", "supported", "opposed", "considered"})


@dataclass(slots=True, kw_only=True)
class ClaimRec:
    text: str
    start: int
    end: int
    status: str
    holder_key: str | None = None
    holder_name: str | None = None
    cue: str | None = None
    proposition: str | None = None  # what is claimed, without who claims it
    date: str | None = None
    date_evidence: str | None = None
    embedding: bytes | None = None


@dataclass(slots=True, kw_only=True)
class Analysis:
    """Everything the nlp stage found in one document."""

    mentions: list[MentionRec] = field(default_factory=list)
    quotes: list[QuoteRec] = field(default_factory=list)
    figures: list[FigureRec] = field(default_factory=list)
    claims: list[ClaimRec] = field(default_factory=list)
