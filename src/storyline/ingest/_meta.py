"""Title, byline, outlet and date found in a scraped text itself."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

import dateparser
import numpy as np

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


# A byline word glued to its neighbour where the page's markup had a break ("ByAna Roe",
# "ANA ROEPUBLISHED"): only words this long are looked for at the end of a capital run.
_GLUED_WORD_CHARS = 5
_GLUED_BY = re.compile(r"\b(By|BY)(?=[A-Z][a-z])")


def _unglue(line: str) -> str:
    """A byline line with its glued words parted again."""
    line = _GLUED_BY.sub(r"\1 ", line)
    tails = sorted((w.upper() for w in lang.words("byline_words") if len(w) >= _GLUED_WORD_CHARS),
                   key=len, reverse=True)
    if tails:
        line = re.sub(r"(?<=[A-Z]{2})(" + "|".join(map(re.escape, tails)) + r")\b", r" \1", line)
    return line


def line_byline_names(line: str) -> list[str]:
    """The names a byline line credits, roles and credentials cut ("By Jane Doe, MS, RD · 4 min
    read" -> ["Jane Doe"]). For a line the cleaner judged a byline: one-word names are kept."""
    segments = [seg for seg in _SEGMENT.split(_unglue(line.strip())) if seg.strip()]
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


_CRUMB = re.compile(r"\s*[›»>]\s*")
_PIPE_TAIL = re.compile(r"\s+\|\s+[^|]{2,60}$")
# A breadcrumb trail has at least this many steps; its last step is the headline when it has at
# least _HEADLINE_MIN_WORDS words. A " | Site" tail is cut when it has at most _TAIL_MAX_WORDS.
_CRUMB_STEPS = 3
_HEADLINE_MIN_WORDS = 2
_TAIL_MAX_WORDS = 6


def tidy_headline(line: str) -> str:
    """A headline line without the breadcrumb trail before it ("Home › Guides › <headline>") or
    the site's name after a bar ("<headline> | Ostrana Gazette")."""
    title = line.strip()
    steps = [x for x in _CRUMB.split(title) if x.strip()]
    if len(steps) >= _CRUMB_STEPS and len(steps[-1].split()) >= _HEADLINE_MIN_WORDS:
        title = steps[-1]
    m = _PIPE_TAIL.search(title)
    if m and len(title[:m.start()].split()) >= 3 and len(m.group(0).split()) - 1 <= _TAIL_MAX_WORDS:
        title = title[:m.start()]
    return title


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


# --- the outlet: candidate names of the site, ranked by a learned model (ingest/_cleaner.py) ------

_NAME_WORD = re.compile(r"[\w][\w'’.&+-]*|&")
_NORM_DROP = re.compile(r"[^\w\s]")
# A candidate name has at most this many words; a line of at most _NAME_LINE_WORDS words may be
# a name on its own (a logo's text, a footer's name line); names are looked for in lines of at
# most _SOURCE_LINE_WORDS words (chrome; prose lines are only counted).
_CANDIDATE_WORDS = 4
_NAME_LINE_WORDS = 6
_SOURCE_LINE_WORDS = 12
# Lines of at most this many words are short (a menu item, a logo, a footer name).
_SHORT_LINE_WORDS = 4
# A line of at least this many words is prose.
_PROSE_LINE_WORDS = 10
# The top and the bottom of a page (a header's logo, a footer's notice): this share of its lines.
_PAGE_EDGE = 0.15
OUTLET_COLS = 27
_RUN_END = ".,;:!?"


def name_key(text: str) -> tuple[str, ...]:
    """A name's comparable words: accents, case, punctuation and a leading "the" dropped."""
    s = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold().replace("’", "'")
    words = _NORM_DROP.sub("", s).split()
    return tuple(words[1:] if words[:1] == ["the"] and len(words) > 1 else words)


@dataclass(slots=True)
class OutletCandidates:
    """The names a page may carry as its site's name, and one feature row for each."""

    names: list[str]
    keys: list[tuple[str, ...]]
    x: np.ndarray


def _capitalised(word: str) -> bool:
    """A word that may stand in a name: capitalised ("Gazette", "moveOstrana", "3Harbours") or a
    domain ("ostrana.example"); a bare number or year is none."""
    if not any(c.isalpha() for c in word):
        return False
    return word[:1].isupper() or any(c.isupper() for c in word[1:]) or word[:1].isdigit() \
        or "." in word.strip(".")


def outlet_candidates(text: list[str]) -> OutletCandidates:
    """Capitalised runs of short chrome lines (a logo's text, "About <name>", a footer's name), the
    holders of copyright notices and short lines themselves, with what the page says of each: how
    many lines, short lines and whole lines name it, where, beside a copyright sign or in prose."""
    connectors = lang.words("name_connectors")
    chrome = lang.words("chrome_words")
    m = len(text)
    nw = [len(t.split()) for t in text]
    keyed = [name_key(t) for t in text]
    grams: dict[tuple[str, ...], list[int]] = {}
    for k, words in enumerate(keyed):
        seen: set[tuple[str, ...]] = set()
        for n in range(1, _CANDIDATE_WORDS + 1):
            for i in range(len(words) - n + 1):
                seen.add(words[i:i + n])
        for g in seen:
            grams.setdefault(g, []).append(k)
    holders = {name_key(h) for line in text if (h := page_outlet([line]))}
    copyright_lines = {k for k, t in enumerate(text) if _COPYRIGHT.search(t)}
    lower_words = {w.casefold() for k, t in enumerate(text) if nw[k] >= _PROSE_LINE_WORDS
                   for w in t.split() if w[:1].islower()}
    shown: dict[tuple[str, ...], str] = {}
    maximal: dict[tuple[str, ...], int] = {}
    beside: dict[tuple[str, ...], int] = {}
    for k, line in enumerate(text):
        if nw[k] > _SOURCE_LINE_WORDS and k not in copyright_lines:
            continue
        if nw[k] <= _NAME_LINE_WORDS and (key := name_key(line)) and len(key) <= _CANDIDATE_WORDS:
            shown.setdefault(key, line.strip())
        tokens = _NAME_WORD.findall(line)
        folded = [w.casefold().strip(".,:;") for w in tokens]
        runs: list[tuple[int, int]] = []
        start = None
        for i, w in enumerate(tokens + [""]):
            if w and (_capitalised(w) or (start is not None and folded[i] in connectors)):
                start = i if start is None else start
                if w[-1] in _RUN_END:  # "Gazette." ends its sentence, and the name with it
                    runs.append((start, i + 1))
                    start = None
            elif start is not None:
                runs.append((start, i))
                start = None
        for a, b in runs:
            if (whole_run := name_key(" ".join(tokens[a:b]))):
                maximal[whole_run] = maximal.get(whole_run, 0) + 1
            for i in range(a, b):
                for j in range(i + 1, min(i + _CANDIDATE_WORDS, b) + 1):
                    if folded[i] in connectors or folded[j - 1] in connectors:
                        continue
                    if (key := name_key(" ".join(tokens[i:j]))):
                        shown.setdefault(key, " ".join(tokens[i:j]).strip(".,:;"))
                        if (i and folded[i - 1] in chrome) or (j < len(tokens) and folded[j] in chrome) \
                                or (i > a and folded[i - 1] in chrome):
                            beside[key] = beside.get(key, 0) + 1
    for line in text:
        if (h := page_outlet([line])) and (key := name_key(h)):
            shown.setdefault(key, h)
    names, keys, rows = [], [], []
    top, bottom = _PAGE_EDGE * m, (1 - _PAGE_EDGE) * (m - 1)
    most = max((len(grams.get(key, [])) for key in shown), default=1) or 1
    for key, name in shown.items():
        at = grams.get(key, [])
        if not at:
            continue
        whole = sum(keyed[k] == key for k in at)
        short = sum(nw[k] <= _SHORT_LINE_WORDS for k in at)
        prose = sum(nw[k] >= _PROSE_LINE_WORDS for k in at)
        starts = sum(keyed[k][:len(key)] == key for k in at)
        letters = [c for c in name if c.isalpha()]
        rows.append([
            len(key), math.log1p(len(at)), math.log1p(short), math.log1p(whole), prose / len(at),
            float(any(k in copyright_lines for k in at)), float(key in holders),
            at[0] / max(m - 1, 1), at[-1] / max(m - 1, 1), math.log1p(at[0]),
            sum(w in chrome for w in key) / len(key),
            float(bool(letters) and all(c.isupper() for c in letters)),
            float("." in name.strip(".")), starts / len(at), float(at[0] < 3),
            whole / len(at), math.log1p(sum(nw[k] for k in at) / len(at)),
            float(key[0] in lower_words), math.log1p(m), math.log1p(m - 1 - at[-1]),
            float(at[0] <= top), float(at[-1] >= bottom), len(at) / most,
            math.log1p(maximal.get(key, 0)), maximal.get(key, 0) / len(at),
            math.log1p(beside.get(key, 0)), float(len(key) > 1),
        ])
        names.append(name)
        keys.append(key)
    x = np.array(rows, dtype=np.float32) if rows else np.zeros((0, OUTLET_COLS), dtype=np.float32)
    return OutletCandidates(names, keys, x)


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
