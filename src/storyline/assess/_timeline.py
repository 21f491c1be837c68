"""Dates of claims: the document's metadata, else relative dates in the text ("on Tuesday")."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"]


def infer_date(text: str, published: str | None) -> tuple[str | None, str, float]:
    """(ISO date, evidence, confidence) of what a sentence reports, relative to publication."""
    if not published:
        return None, "no publication date; order by ingestion", 0.0
    base = datetime.fromisoformat(published).date()
    low = text.lower()
    m = re.search(r"\b(?:on |last )?(" + "|".join(_WEEKDAYS) + r")\b", low)
    if m:
        back = (base.weekday() - _WEEKDAYS.index(m.group(1))) % 7 or 7
        return (base - timedelta(days=back)).isoformat(), f"“{m.group(0)}” before {published}", 0.7
    if re.search(r"\byesterday\b", low):
        return (base - timedelta(days=1)).isoformat(), f"“yesterday” before {published}", 0.8
    if re.search(r"\blast week\b", low):
        return (base - timedelta(days=7)).isoformat(), f"“last week” before {published}", 0.5
    m = re.search(r"\bin (" + "|".join(_MONTHS) + r")\b", low)
    if m:
        month = _MONTHS.index(m.group(1)) + 1
        year = base.year if month <= base.month else base.year - 1
        return date(year, month, 1).isoformat(), f"“{m.group(0)}” before {published}", 0.4
    return published, "publication date (metadata)", 0.9
