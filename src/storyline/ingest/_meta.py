"""Title, byline, outlet and date found in a scraped text itself."""

from __future__ import annotations

import re
from datetime import datetime

import dateparser

from storyline import lang
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


# A byline line's segments ("by Jane Doe | SEO | 8 min read"), the one that says "by" names people.
_SEGMENT = re.compile(r"\s*(?:[|·•‧∙●/]|\s[-–—]\s)\s*")
_BY_WORD = re.compile(r"^(?:.*?\b)?(?:by|author|authors|words|written by)\b\s*:?\s*", re.I)
# Where names stop within a segment: a date, a counter, "on …", "updated …".
_NAMES_END = re.compile(
    r"\s(?:on|in|updated|published|posted|last|at)\b|\s\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep"
    r"|oct|nov|dec)[a-z]*\.?\s+\d", re.I)
_NAMES_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&)\s*", re.I)
_TOKEN = re.compile(r"^[^\W_][\w'’.\-@]*$")
# A byline name has at most this many words ("Mary Ann de la Cruz"); longer runs are prose.
_NAME_MAX_WORDS = 5
# A credential after a name: a short all-capital word ("DVM", "FAND").
_CREDENTIAL_MAX = 5


def line_byline_names(line: str) -> list[str]:
    """The names a byline line credits, roles and credentials cut ("By Jane Doe, MS, RD · 4 min
    read" -> ["Jane Doe"]). For a line the cleaner judged a byline: one-word names are kept."""
    segments = [seg for seg in _SEGMENT.split(line.strip()) if seg.strip()]
    with_by = [seg for seg in segments if _BY_WORD.match(seg)]
    seg = with_by[0] if with_by else next((x for x in segments if _names_of(x)), "")
    m = _BY_WORD.match(seg)
    return _names_of(seg[m.end():] if m else seg)


def _names_of(text: str) -> list[str]:
    roles = lang.words("byline_roles") | role_words()
    m = _NAMES_END.search(" " + text)
    text = (" " + text)[: m.start()] if m else text
    out: list[str] = []
    for part in _NAMES_SPLIT.split(text):
        words = [w.strip(",:;()") for w in part.split()]
        tokens = [w for w in words if w and w.casefold().replace(".", "") not in roles]
        if out and all(t.isupper() and len(t) <= _CREDENTIAL_MAX for t in tokens):
            continue
        if 1 <= len(tokens) <= _NAME_MAX_WORDS and all(_TOKEN.match(t) for t in tokens):
            out.append(" ".join(tokens))
    return out


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


# "© 2024 Name. All rights reserved", "Copyright © 2019-2024 Name |": the name that holds the page.
_COPYRIGHT = re.compile(
    r"(?i)(?:©|\(c\)|^\W*copyright\b)(?:\s*(?:©|\(c\)|copyright))*\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?"
    r"\s*[,.]?\s*(?P<n>[^\W\d][^.|,©\n]{1,60}?)(?=\s*[.,|]|\s+all\b|\s+\d{4}|\s*$)")
_CREDIT = re.compile(r"(?i)\b(?:photo|image|picture|source|credit)s?\b")  # an image credit's ©
# A copyright line longer than this is prose about copyright, not the page's notice.
_COPYRIGHT_MAX_WORDS = 25


def page_outlet(chrome: list[str]) -> str | None:
    """The site's name from its chrome: the holder of its copyright notice (the last one)."""
    for line in reversed(chrome):
        if len(line.split()) > _COPYRIGHT_MAX_WORDS or _CREDIT.search(line):
            continue
        m = _COPYRIGHT.search(line)
        if m:
            name = m.group("n").strip(" -–—:")
            if name and name.casefold() not in {"all", "copyright"}:
                return name
    return None


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
