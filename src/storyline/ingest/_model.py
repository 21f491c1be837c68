"""The raw record a reader yields, before cleaning."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True, kw_only=True)
class RawItem:
    """One article as a reader found it, before cleaning."""

    source: str
    kind: str  # txt | html | jsonl | warc | feed
    text: str | None = None  # plain text (scraped copy)
    html: str | None = None
    url: str | None = None
    title: str | None = None
    byline: list[str] = field(default_factory=list)
    outlet: str | None = None
    published: str | None = None
