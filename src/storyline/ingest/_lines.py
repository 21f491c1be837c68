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
_FULL_STOP = re.compile(r"[.!?…][\"”’»)]*\s*$")  # a sentence's own end, not a headline's "(Tag)"
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
# The article's first paragraph: the first line of this many words that ends as a sentence ends
# (a long headline or a standfirst may have PROSE_WORDS and no full stop).
PARAGRAPH_WORDS = 15
# The densest block is looked for with a window of this many lines either side.
_DENSITY_HALF = 3
# Neighbour offsets whose own features join a line's row.
_OFFSETS = (-3, -2, -1, 1, 2, 3)
# The second stage sees its neighbours' first-stage verdicts this far, and P(body) averaged over
# windows of these half-widths.
_CONTEXT_OFFSETS = (-3, -2, -1, 1, 2, 3)
_CONTEXT_WINDOWS = (2, 5, 10)
# The body region runs from the first to the last prose line whose P(body) reaches this.
_REGION_BODY = 0.5
_NEIGHBOUR_COLS = 7
_BASE_COLS = 31
_DOC_COLS = 17
# A line this short (in words) counts towards a run of short lines (a menu, a tag list).
_SHORT_WORDS = 4
# Words shorter than this say nothing of what a line is about ("of", "to").
_CONTENT_WORD_CHARS = 3


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
    nearest = _nearest(pos, where) if where.size else np.full(m, float(m))
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


def _nearest(pos: np.ndarray, where: np.ndarray) -> np.ndarray:
    """Distance from each position to the nearest of the sorted positions ``where`` (not empty)."""
    at = np.searchsorted(where, pos)
    after = where[np.minimum(at, len(where) - 1)]
    before = where[np.maximum(at - 1, 0)]
    out: np.ndarray = np.minimum(np.abs(after - pos), np.abs(pos - before)).astype(np.float64)
    return out


def _vocabulary(text: list[str], prose: np.ndarray) -> np.ndarray:
    """Share of a line's content words that the page's prose lines (other than itself) use, and
    whether it has any: a heading of the article speaks its words, a menu item seldom does."""
    words = [{w for w in _ALPHA_WORD.findall(t.casefold()) if len(w) >= _CONTENT_WORD_CHARS}
             for t in text]
    df: dict[str, int] = {}
    for ws, p in zip(words, prose, strict=True):
        if p:
            for w in ws:
                df[w] = df.get(w, 0) + 1
    out = np.zeros((len(text), 2))
    for k, (ws, p) in enumerate(zip(words, prose, strict=True)):
        if ws:
            own = 1 if p else 0
            out[k, 0] = sum(df.get(w, 0) > own for w in ws) / len(ws)
            out[k, 1] = 1.0
    return out


def _runs(text: list[str], nwords: np.ndarray) -> np.ndarray:
    """The run of short lines a line stands in (log length, place in it): menus and tag lists
    come as long runs of short lines, an article's subheading stands alone."""
    m = len(text)
    short = nwords <= _SHORT_WORDS
    run = np.zeros(m)
    place = np.zeros(m)
    k = 0
    while k < m:
        j = k
        while j < m and short[j] == short[k]:
            j += 1
        if short[k]:
            run[k:j] = math.log1p(j - k)
            place[k:j] = (np.arange(j - k) + 0.5) / (j - k)
        k = j
    return np.column_stack([run, place])


def context(text: list[str], p: np.ndarray) -> np.ndarray:
    """Second-stage features of every line from the first stage's class probabilities of the whole
    page (body, chrome, title, byline): its neighbours' verdicts, the body mass before and after
    it, where it stands relative to the likeliest headline and byline and to the body region; and
    the page's vocabulary and runs of short lines."""
    m = len(p)
    nwords = np.array([len(_WORD.findall(t)) for t in text], dtype=np.float64)
    chars = np.array([len(t) for t in text], dtype=np.float64)
    pos = np.arange(m, dtype=np.float64)
    body, title, byline = p[:, 0].astype(np.float64), p[:, 2], p[:, 3]
    cols: list[np.ndarray] = [p[:, k] for k in range(p.shape[1])]
    cols += list(_vocabulary(text, (nwords >= PROSE_WORDS).astype(np.float64)).T)
    cols += list(_runs(text, nwords).T)
    for off in _CONTEXT_OFFSETS:
        for col in (body, title, byline):
            cols.append(_shift(col, off))
    for half in _CONTEXT_WINDOWS:
        kernel = np.ones(2 * half + 1)
        cols.append(_same(body, kernel) / np.maximum(_same(np.ones(m), kernel), 1.0))
    mass = body * chars
    total = mass.sum() or 1.0
    before = (np.cumsum(mass) - mass) / total
    cols += [before, 1.0 - before - mass / total]
    for ranked in (title, byline):
        order = np.argsort(-ranked, kind="stable")
        rank = np.empty(m)
        rank[order] = np.arange(m)
        top = int(order[0])
        cols += [np.log1p(rank), ranked / max(float(ranked[top]), 1e-6),
                 np.sign(pos - top) * np.log1p(np.abs(pos - top))]
    region = np.flatnonzero((body >= _REGION_BODY) & (nwords >= PROSE_WORDS))
    first, last = (region[0], region[-1]) if region.size else (m, -1)
    cols += [((pos >= first) & (pos <= last)).astype(np.float64),
             np.sign(first - pos) * np.log1p(np.abs(first - pos)),
             np.sign(pos - last) * np.log1p(np.abs(pos - last))]
    cols += list(_above_article(text, nwords).T)
    return np.column_stack(cols).astype(np.float32)


def _above_article(text: list[str], nwords: np.ndarray) -> np.ndarray:
    """Where a line stands to the article's first paragraph (the first full sentence of
    PARAGRAPH_WORDS words), whether it has no letters, and both: a share widget's counters
    ("869", "0") above the article are chrome, a table's figures inside it are not."""
    m = len(text)
    pos = np.arange(m, dtype=np.float64)
    full = np.flatnonzero([n >= PARAGRAPH_WORDS and bool(_FULL_STOP.search(t))
                           for t, n in zip(text, nwords, strict=True)])
    first = full[0] if full.size else m
    bare = np.array([not _ALPHA_WORD.search(t) for t in text], dtype=np.float64)
    above = (pos < first).astype(np.float64)
    return np.column_stack([np.sign(first - pos) * np.log1p(np.abs(first - pos)), bare,
                            above * bare, above * (nwords <= _SHORT_WORDS)])


def second_stage(x: np.ndarray, text: list[str], p: np.ndarray) -> np.ndarray:
    """The second stage's rows of a page: each line's own features (not its neighbours', which the
    first stage's verdicts summarise) and the context of the first stage's verdicts."""
    return np.hstack([x[:, :_BASE_COLS], context(text, p)])


def _shift(col: np.ndarray, off: int) -> np.ndarray:
    """``col`` moved by ``off`` lines (the value ``off`` lines away), zero past the page's ends."""
    out = np.zeros_like(col)
    m = len(col)
    if off < 0 and m + off > 0:
        out[-off:] = col[:off]
    elif off > 0 and m - off > 0:
        out[:-off] = col[off:]
    return out


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


__all__ = ["PROSE_WORDS", "Lines", "context", "features", "nonempty", "second_stage", "width"]
