"""When a claim's event happened: the document's date, and the date words of its sentence.

A sentence's first date expression (``lang/<code>/date_expressions.json``: "on Tuesday", "last
week", "in February", "3 March 2024") is resolved by dateparser against the document's date,
preferring the past (news reports what has happened). A document without a date still dates a
sentence that names its day in full; its relative expressions order its own sentences (an offset
in days from the unknown publication day) but give no calendar date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

import dateparser

from storyline import lang

# The publication date as a claim's date when its sentence names no other day: high, not
# certain (a report may be about an earlier day without saying so).
PUBLISHED_CONFIDENCE = 0.9
# A date set by an analyst is taken as given.
ANALYST_CONFIDENCE = 1.0
# How far back of an undated document's (unknown) day a relative expression is put, to order
# that document's own sentences: any fixed day works, offsets are what count.
_ANCHOR = datetime(2000, 1, 31)
_PARSER: dict[str, Any] = {"PREFER_DATES_FROM": "past", "PREFER_DAY_OF_MONTH": "first",
                           "RETURN_AS_TIMEZONE_AWARE": False}


@dataclass(frozen=True, slots=True)
class Dated:
    """A claim's date (ISO day or None), its evidence, confidence, and (undated documents) the
    offset in days of its event from the document's unknown day, for ordering within it."""

    date: str | None
    evidence: str
    confidence: float
    offset: int = 0


@dataclass(frozen=True, slots=True)
class _Expr:
    pattern: re.Pattern[str]
    confidence: float
    relative: bool


@lru_cache(maxsize=8)
def _expressions(code: str) -> tuple[tuple[_Expr, ...], frozenset[str], frozenset[str]]:
    data = lang.table("date_expressions", code)
    exprs = tuple(_Expr(re.compile(e["pattern"], re.IGNORECASE), float(e["confidence"]),
                        bool(e["relative"])) for e in data["expressions"])
    return exprs, frozenset(data.get("span_words", ())), frozenset(data.get("previous_words", ()))


def _parse(words: str, base: datetime) -> date | None:
    try:
        found = dateparser.parse(words, languages=["en"], settings=dict(_PARSER, RELATIVE_BASE=base))
    except (ValueError, OverflowError, TypeError):  # dateparser's own failures on odd input
        return None
    return found.date() if found else None


def _find(text: str, code: str) -> tuple[str, _Expr, str] | None:
    """The first date expression of ``text``: the words dateparser reads, the expression, and
    the whole match ("last Sunday" where dateparser reads "Sunday")."""
    exprs, spans, _ = _expressions(code)
    for e in exprs:
        for m in e.pattern.finditer(text):
            before = text[: m.start()].split()[-1:] if m.start() else []
            if before and before[0].lower().strip(",;(") in spans:
                continue
            return m.group("when"), e, m.group(0)
    return None


def _relative(words: str, whole: str, base: datetime, code: str) -> date | None:
    """A relative expression's day. A bare weekday that is the publication day's own weekday
    is that day ("told reporters on Sunday" in Sunday's paper), not a week before it; "last
    Sunday" stays a week back."""
    day = _parse(words, base)
    if day is None or (base.date() - day).days != 7:
        return day
    same_day = _parse(words, base + timedelta(days=1)) == base.date()
    return day if whole.lower().split()[0] in _expressions(code)[2] \
        or not same_day else base.date()


def resolve(text: str, published: str | None, *, by_analyst: bool = False,
            language: str = "en") -> Dated:
    """The date of what ``text`` reports, given its document's date (ISO) or None."""
    found = _find(text, language or "en")
    if published:
        base = datetime.fromisoformat(published)
        if found:
            words, e, whole = found
            day = _relative(words, whole, base, language or "en") if e.relative \
                else _parse(words, _ANCHOR)
            if day is not None and day <= base.date():
                kind = f"relative to {published}" if e.relative else "in the text"
                return Dated(day.isoformat(), f"“{whole.strip()}” {kind}", e.confidence)
        source = "set by an analyst" if by_analyst else "publication date"
        conf = ANALYST_CONFIDENCE if by_analyst else PUBLISHED_CONFIDENCE
        return Dated(published, source, conf)
    if found:
        words, e, _ = found
        if not e.relative:
            day = _parse(words, _ANCHOR)
            if day is not None:
                return Dated(day.isoformat(), f"“{words}” in the text (document undated)",
                             e.confidence)
        else:
            day = _parse(words, _ANCHOR)
            if day is not None:
                return Dated(None, f"undated: “{words}” orders it within its document", 0.0,
                             (day - _ANCHOR.date()).days)
    return Dated(None, "undated", 0.0)


def infer_date(text: str, published: str | None) -> tuple[str | None, str, float]:
    """(ISO date, evidence, confidence) of what a sentence reports, relative to publication."""
    d = resolve(text, published)
    return d.date, d.evidence, d.confidence
