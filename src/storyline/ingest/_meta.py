"""Title, byline, outlet and date found in a scraped text itself."""

from __future__ import annotations

import re
from datetime import datetime

import dateparser

from storyline.data import role_words

_BYLINE = re.compile(
    r"^\s*(?:[A-Za-z][\w-]*\s+){0,3}?(?:by|By|BY)\s*:?\s+(?P<names>[^\n]{3,120}?)\s*$")
_AUTHOR = re.compile(r"^\s*(?:author|written by|words by|reporting by)\s*:?\s*(?P<names>.+)$", re.I)
_NAME_TOKEN = re.compile(r"^[A-Z\u00C0-\u024F][\w'’.\u00C0-\u024F-]*$")
_SOURCE_TAG = re.compile(r"\s*\((?P<pub>[^()]{2,60}?),\s*(?P<country>[^()]{2,40})\)\s*$")
_SITE_SUFFIX = re.compile(r"\s+[|–—]\s+[^|–—]{2,40}$")
_DOMAIN = re.compile(
    r"(?<![\w.@/])(?P<d>[\w-]{2,}\.(?:name|com|net|org|info|news|ru|ua|uk|de|fr|eu|io|it|es|pl|co))"
    r"(?![\w.])")
_SPLIT = re.compile(r"\s*(?:,|\band\b|&|\|)\s*")


def byline_names(line: str) -> list[str] | None:
    """Person names of a byline line ("By Jane Doe and John Roe"), or None if it is none."""
    m = _BYLINE.match(line) or _AUTHOR.match(line)
    if not m or len(line.split()) > 14:
        return None
    names = [n for part in _SPLIT.split(m.group("names")) if (n := _person_part(part))]
    return names or None


def _person_part(text: str) -> str | None:
    """The trailing capitalised tokens of ``text`` that are not role words or acronyms."""
    tokens = text.strip().strip(".").split()
    roles = role_words()
    out: list[str] = []
    for tok in reversed(tokens):
        if not _NAME_TOKEN.match(tok) or tok.casefold() in roles or (tok.isupper() and len(tok) > 1):
            break
        out.insert(0, tok)
    return " ".join(out) if 2 <= len(out) <= 4 else None


def clean_title(line: str) -> tuple[str, str | None]:
    """Headline without a trailing "(Outlet, Country)" tag or " | Site" suffix; and the tagged outlet."""
    title = line.strip()
    m = _SOURCE_TAG.search(title)
    pub = None
    if m and len(title) - len(m.group(0)) > 15:
        pub = m.group("pub").strip()
        title = title[: m.start()].rstrip()
    title = _SITE_SUFFIX.sub("", title) if len(title) > 40 else title
    return title, pub


def domain_outlet(lines: list[str]) -> str | None:
    """A site's own name as a domain printed in its chrome ("example.name")."""
    for line in lines:
        m = _DOMAIN.search(line)
        if m:
            return m.group("d")
    return None


def parse_date(value: str | None, relative_base: datetime | None = None) -> str | None:
    """ISO date (YYYY-MM-DD) of a date string in any common format, or None."""
    if not value:
        return None
    settings: dict[str, object] = {"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False}
    if relative_base:
        settings["RELATIVE_BASE"] = relative_base
    try:
        dt = dateparser.parse(value[:80], settings=settings)  # type: ignore[arg-type]
    except (ValueError, OverflowError, TypeError):
        return None
    if dt is None or not 1900 <= dt.year <= 2100:
        return None
    return str(dt.date().isoformat())
