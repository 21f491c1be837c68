"""Features of the lines of a scraped page, for the learned cleaner (:mod:`._cleaner`).

Every non-empty line gets a row: what the line looks like (length, word/letter/digit/punctuation
ratios, separators, capitalisation, dates, counters, link-like text, chrome and byline words,
script), where it stands (position, the prose region, the densest block of prose) and what its
neighbours look like. No phrase decides alone: the learner weighs them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from storyline import lang
from storyline.ingest._language import count_letters, script_of

_WORD = re.compile(r"\w+")
_ALPHA_WORD = re.compile(r"[^\W\d_]+")
_DIGIT = re.compile(r"\d")
_PUNCT = re.compile(r"[^\w\s]")
_UPPER = re.compile(r"[A-Z\u00C0-\u00DE]")
_SENTENCE_END = re.compile(r"[.!?…\"”’»)]\s*$")
_BULLET = re.compile(r"^\s*[•·▪●◦‣\-–—*>+]\s*")
_SEPARATOR = re.compile(r"[|›»·•/\\→>]|\s[-–—]\s")
_COPYRIGHT = re.compile(r"(?i)©|\(c\)\s*\d{4}|\bcopyright\b|\ball rights reserved\b")
_LINK = re.compile(r"(?i)https?://|www\.|\b[\w-]+\.(?:com|org|net|io|co|uk|info|news)\b|@\w|#\w")
_MONTH = re.compile(r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d"
                    r"|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*")
_NUM_DATE = re.compile(r"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b")
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b")
_COUNTER = re.compile(r"^\W*\d[\d,.]*\s*[kKmM]?\W*(?:\w+\W*){0,2}$")
_NAME_TOKEN = re.compile(r"^[A-Z][a-z'’.-]+$")
_BY = re.compile(r"(?i)^\W*(?:written\s+|posted\s+|words\s+|reporting\s+)?by\b")

# A prose line: long enough to be a sentence of an article.
PROSE_WORDS = 10
# The densest block is looked for with a window of this many lines either side.
_DENSITY_HALF = 3
# Neighbour offsets whose own features join a line's row.
_OFFSETS = (-3, -2, -1, 1, 2, 3)
_NEIGHBOUR_COLS = 7
_BASE_COLS = 31
_DOC_COLS = 17


@dataclass(slots=True)
class Lines:
    """The non-empty lines of a page: their indices in the page and their stripped text."""

    index: list[int]
    text: list[str]


def nonempty(lines: list[str]) -> Lines:
    idx = [i for i, line in enumerate(lines) if line.strip()]
    return Lines(idx, [lines[i].strip() for i in idx])


def _base(line: str, body_script: str | None, chrome: frozenset[str],
          byline: frozenset[str], counts: dict[str, int]) -> list[float]:
    n = len(line)
    words = _WORD.findall(line)
    nw = len(words)
    low = [w.casefold() for w in words]
    alpha = _ALPHA_WORD.findall(line)
    letters = count_letters(line)
    digits = len(_DIGIT.findall(line))
    punct = len(_PUNCT.findall(line))
    upper = len(_UPPER.findall(line))
    script = script_of(line) if letters else None
    ascii_letters = sum(1 for c in line if c.isascii() and c.isalpha())
    title_words = sum(1 for w in alpha if w[:1].isupper())
    names = nw >= 2 and nw <= 4 and all(_NAME_TOKEN.match(w) for w in line.split())
    return [
        math.log1p(n), math.log1p(nw),
        letters / n, digits / n, punct / n, upper / max(letters, 1),
        title_words / max(len(alpha), 1),
        float(bool(_SENTENCE_END.search(line))), float(line.endswith(":")),
        float(bool(_BULLET.match(line))), float(len(_SEPARATOR.findall(line))),
        float(bool(_COPYRIGHT.search(line))), float(bool(_LINK.search(line))),
        float(bool(_MONTH.search(line) or _NUM_DATE.search(line))), float(bool(_CLOCK.search(line))),
        sum(w in chrome for w in low) / max(nw, 1), float(any(w in chrome for w in low[:3])),
        sum(w in byline for w in low) / max(nw, 1), float(bool(_BY.match(line))), float(names),
        float(bool(body_script and script and script != body_script)),
        (letters - ascii_letters) / max(letters, 1), math.log1p(counts.get(line, 1) - 1),
        line.count(",") / max(nw, 1), (sum(len(w) for w in words) / nw) if nw else 0.0,
        float(letters > 2 and upper == letters), float(sum(w.isdigit() for w in words)),
        float(line[:1].isdigit()), float("?" in line), float(bool(_COUNTER.match(line))),
        float(line[:1].islower()),
    ]


def features(lines: list[str]) -> tuple[Lines, np.ndarray]:
    """The non-empty lines of a page and one feature row for each."""
    ne = nonempty(lines)
    m = len(ne.text)
    if not m:
        return ne, np.zeros((0, width()), dtype=np.float32)
    chrome = lang.words("chrome_words")
    byline = lang.words("byline_words")
    counts: dict[str, int] = {}
    for line in ne.text:
        counts[line] = counts.get(line, 0) + 1
    nwords = np.array([len(_WORD.findall(t)) for t in ne.text], dtype=np.float64)
    prose = (nwords >= PROSE_WORDS).astype(np.float64)
    body_script = script_of(" ".join(t for t, p in zip(ne.text, prose, strict=True) if p)) \
        or script_of(" ".join(ne.text))
    base = np.array([_base(t, body_script, chrome, byline, counts) for t in ne.text],
                    dtype=np.float64)
    doc = _doc_features(ne.text, nwords, prose)
    neigh = _neighbours(base, prose, m)
    return ne, np.hstack([base, doc, neigh]).astype(np.float32)


def _doc_features(text: list[str], nwords: np.ndarray, prose: np.ndarray) -> np.ndarray:
    m = len(text)
    pos = np.arange(m, dtype=np.float64)
    chars = np.array([len(t) for t in text], dtype=np.float64)
    weight = chars * prose
    total = weight.sum() or 1.0
    before = (np.cumsum(weight) - weight) / total
    kernel = np.ones(2 * _DENSITY_HALF + 1)
    density = _same(weight, kernel)
    centre = float(np.argmax(density)) if weight.any() else m / 2
    where = np.flatnonzero(prose)
    first, last = (where[0], where[-1]) if where.size else (m, -1)
    nearest = (np.min(np.abs(pos[:, None] - where[None, :]), axis=1) if where.size
               else np.full(m, float(m)))
    median = float(np.median(chars[where])) if where.size else float(np.median(chars))
    headish = (nwords >= 3) & (nwords <= 25) & (prose == 0)
    rank_before = np.cumsum(headish[::-1])[::-1] * (pos < first)  # heading-like lines up to the body
    local = _same(prose, np.ones(11) / 11)
    return np.column_stack([
        pos / max(m - 1, 1), np.log1p(pos), np.log1p(m - 1 - pos), before,
        ((pos >= first) & (pos <= last)).astype(np.float64), np.log1p(nearest),
        (pos - centre) / max(m, 1), np.full(m, math.log1p(m)), np.full(m, prose.mean()),
        chars / max(median, 1.0), np.sign(first - pos) * np.log1p(np.abs(first - pos)),
        np.sign(pos - last) * np.log1p(np.abs(pos - last)), rank_before.astype(np.float64),
        local, density / max(float(density.max()), 1.0),
        headish.astype(np.float64), (pos == first - 1).astype(np.float64),
    ])


def _same(x: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """``np.convolve(x, kernel, mode="same")`` that stays len(x) long when x is the shorter."""
    full = np.convolve(x, kernel, mode="full")
    start = (len(kernel) - 1) // 2
    return full[start:start + len(x)]


def _neighbours(base: np.ndarray, prose: np.ndarray, m: int) -> np.ndarray:
    # For each neighbour: length, words, sentence end, prose, chrome share, separators, exists.
    cols = np.column_stack([base[:, 0], base[:, 1], base[:, 7], prose, base[:, 15], base[:, 10],
                            np.ones(m)])
    out = []
    for off in _OFFSETS:
        shifted = np.zeros_like(cols)
        if off < 0 and m + off > 0:
            shifted[-off:] = cols[:off]
        elif off > 0 and m - off > 0:
            shifted[:-off] = cols[off:]
        out.append(shifted)
    return np.hstack(out)


def width() -> int:
    return _BASE_COLS + _DOC_COLS + _NEIGHBOUR_COLS * len(_OFFSETS)


__all__ = ["PROSE_WORDS", "Lines", "features", "nonempty", "width"]
