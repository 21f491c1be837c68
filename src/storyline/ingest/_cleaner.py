"""The learned line cleaner: which lines of a scraped page are body, chrome, headline or byline.

Gradient-boosted classifiers (``models/cleaner.joblib``, written by ``make train-cleaner`` from the
WCXB development pages, see ``scripts/train_cleaner.py``): a line model gives every non-empty line
P(body), P(boilerplate), P(title) and P(byline) from the features of :mod:`._lines`; a context model
(when the file has one) judges again from those and the line model's verdicts on the whole page
(``_lines.second_stage``); an outlet model ranks the page's outlet candidates
(``_meta.outlet_candidates``). The thresholds below were
chosen on figures cross-validated by site (no site in both a training and a validation fold).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import joblib
import numpy as np

from storyline import models
from storyline.ingest._boilerplate import sure_chrome
from storyline.ingest._lines import PROSE_WORDS, Lines, features, second_stage
from storyline.ingest._meta import (
    byline_names,
    clean_title,
    domain_outlet,
    line_byline_names,
    name_key,
    outlet_candidates,
    page_outlet,
    tidy_headline,
)

MODEL_NAME = "cleaner.joblib"
CLASSES = ("body", "boilerplate", "title", "byline")
_BODY, _CHROME, _TITLE, _BYLINE = range(4)
# A line stays in the text when P(body) reaches this. Chosen on site-grouped CV (score_text.py on
# the out-of-fold cleaning): 0.02 keeps 0.995 of body lines and removes 0.42 of chrome, 0.05 keeps
# 0.987 and removes 0.57, 0.10 keeps 0.975 and removes 0.68; losing article text costs more.
BODY_MIN = 0.05
# The headline is the likeliest title line, if its P(title) reaches this (a page may have none;
# on CV 0.05 finds the title on 0.54 of pages, 0.2 on 0.47).
TITLE_MIN = 0.05
# A byline is the likeliest byline line with names in it, if its P(byline) reaches this (CV byline
# 0.50 at 0.1, 0.44 at 0.5).
BYLINE_MIN = 0.1
# The site's name is the likeliest outlet candidate, if the outlet model's score reaches this;
# else the holder of the page's copyright notice (site-grouped CV, see scripts/train_cleaner.py).
OUTLET_MIN = 0.05
# Candidates are ranked only on a page with this many chrome lines: a site's page. On a plain copy
# (an article's text alone) the capitalised words are the story's, not a site's name.
OUTLET_MIN_CHROME = 10
# A line of this many words that ends with a full stop is a sentence, not a headline: the lead
# paragraph of a plain copy without one (1 of the 951 headline lines of WCXB's development pages
# is one).
HEADLINE_SENTENCE_WORDS = 12
_FULL_STOP = re.compile(r"[^.]\.[\"'”’)\]]*\s*$")
# A headline with a source tag, or a "By <name>" line, is looked for among this many first lines.
_TAGGED_TITLE_WITHIN = 6
# A plain copy's first line is its headline when no line looks like one and it is this short.
_PLAIN_TITLE_WORDS = 20
# A line that recurs on other pages of the site is chrome, unless it is this long (an article
# paragraph quoted twice is not chrome).
RECURRING_MAX_CHARS = 400


@dataclass(slots=True)
class Cleaned:
    """A page split into body lines, removed lines, and the headline and byline found in it."""

    kept: list[str]
    removed: list[str]
    title: str | None = None
    byline: list[str] = field(default_factory=list)
    outlet: str | None = None


@lru_cache(maxsize=1)
def _model() -> Any:
    with models.path(MODEL_NAME, rebuild="train-cleaner").open("rb") as fh:
        return joblib.load(fh)


def line_probabilities(lines: list[str], model: Any = None) -> tuple[Lines, np.ndarray]:
    """The non-empty lines and, for each, P(body), P(boilerplate), P(title), P(byline)."""
    ne, x = features(lines)
    if not ne.text:
        return ne, np.zeros((0, len(CLASSES)), dtype=np.float32)
    stages = model or _model()
    if not isinstance(stages, dict):  # a model file of one stage
        return ne, stages.predict_proba(x)
    p = stages["lines"].predict_proba(x)
    if stages.get("context") is None:
        return ne, p
    return ne, combine(p, stages["context"].predict_proba(second_stage(x, ne.text, p)))


def combine(p1: np.ndarray, p2: np.ndarray) -> np.ndarray:
    """The verdicts the cleaner acts on: the second stage's P(body) and P(boilerplate), the mean of
    both stages' P(title) and P(byline) (site-grouped CV: the second stage alone finds fewer
    headlines than the mean)."""
    out = np.array(p2, dtype=np.float64, copy=True)
    out[:, _TITLE:] = (np.asarray(p1)[:, _TITLE:] + out[:, _TITLE:]) / 2
    return out


def clean_page(lines: list[str], recurring: Collection[str] = (), extracted: bool = False) -> Cleaned:
    """The cleaning of a page's lines; ``extracted`` lines come from an HTML extractor that has
    already taken the chrome out (on WCXB's pages the line model after trafilatura removes more
    body than chrome), so they are kept as they are."""
    if extracted:
        return Cleaned([t.strip() for t in lines if t.strip()], [])
    return clean_lines(lines, recurring)


def clean_lines(lines: list[str], recurring: Collection[str] = (), model: Any = None) -> Cleaned:
    """Body, removed lines, headline and byline of a scraped page's lines."""
    one = [t.strip() for t in lines if t.strip()]
    if len(one) == 1 and one[0] not in recurring:  # one line (a feed's body): nothing to weigh
        return Cleaned(one, [])
    ne, p = line_probabilities(lines, model)
    return decide(ne, p, recurring)


Ranker = Callable[[np.ndarray], np.ndarray]


def _shipped_ranker(x: np.ndarray) -> np.ndarray:
    stages = _model()
    if not isinstance(stages, dict) or "outlet" not in stages:  # a model file of lines alone
        return np.zeros(len(x))
    return np.asarray(stages["outlet"].predict_proba(x)[:, 1])


def decide(ne: Lines, p: np.ndarray, recurring: Collection[str] = (),
           outlet_ranker: Ranker | None = None) -> Cleaned:
    """The cleaning of a page from its lines' class probabilities; ``outlet_ranker`` scores the
    page's outlet candidates (the shipped model's when None)."""
    if not ne.text:
        return Cleaned([], [])
    sure = np.array(sure_chrome(ne.text), dtype=bool)
    keep = (p[:, _BODY] >= BODY_MIN) & ~sure
    for k, text in enumerate(ne.text):
        if text in recurring and len(text) < RECURRING_MAX_CHARS:
            keep[k] = False
    if not keep.any():  # nothing left: a page is rarely all chrome, keep its prose lines
        keep = np.array([len(t.split()) >= PROSE_WORDS for t in ne.text], dtype=bool) & ~sure
    p = p.copy()
    p[sure, _TITLE] = p[sure, _BYLINE] = 0.0  # sure chrome is neither headline nor byline
    title, _ = _pick_title(ne.text, p)
    byline, b_at = _pick_byline(ne.text, p)
    taken = {k for k, text in enumerate(ne.text) if title is not None and text == title}
    taken |= set(b_at)
    title = tidy_headline(title) if title is not None else None
    if not any(keep[k] for k in range(len(ne.text)) if k not in taken):
        taken, title = set(b_at), None  # the headline was all the body: it is the body
    kept = [t for k, t in enumerate(ne.text) if keep[k] and k not in taken]
    removed = [t for k, t in enumerate(ne.text) if not keep[k] and k not in taken]
    # the copyright notice's holder and a printed domain are the surest evidence; the ranked
    # candidates come next
    outlet = page_outlet(removed) or domain_outlet(removed) \
        or _pick_outlet(ne.text, removed, outlet_ranker or _shipped_ranker)
    return Cleaned(kept, removed, title, byline, outlet)


def _pick_outlet(text: list[str], removed: list[str], ranker: Ranker) -> str | None:
    """The best-ranked candidate that the page's chrome names (a headline's or the body's words
    are not the site's name)."""
    if len(removed) < OUTLET_MIN_CHROME:
        return None
    c = outlet_candidates(text)
    if not c.names:
        return None
    score = ranker(c.x)
    chrome = [f" {' '.join(name_key(line))} " for line in removed]
    for k in np.argsort(-score):
        if score[k] < OUTLET_MIN:
            break
        if any(f" {' '.join(c.keys[int(k)])} " in line for line in chrome):
            return str(c.names[int(k)])
    return None


def _pick_title(text: list[str], p: np.ndarray) -> tuple[str | None, int | None]:
    for k, line in enumerate(text[:_TAGGED_TITLE_WITHIN]):
        if clean_title(line)[1]:  # "Headline (Outlet, Country)": a syndicated copy's headline
            return line, k
    ranked = np.where([_sentence(line) for line in text], 0.0, p[:, _TITLE])
    k = int(np.argmax(ranked))
    if ranked[k] >= TITLE_MIN:
        return text[k], k
    first = text[0]  # no likely headline: a short first line above the body, as plain copies have
    plain = len(first.split()) <= _PLAIN_TITLE_WORDS and not first.endswith((".", ":"))
    if len(text) > 1 and plain:
        return first, 0
    return None, None


def _sentence(line: str) -> bool:
    """A full sentence of prose: a plain copy's lead paragraph, never its headline."""
    return len(line.split()) >= HEADLINE_SENTENCE_WORDS and bool(_FULL_STOP.search(line))


def _pick_byline(text: list[str], p: np.ndarray) -> tuple[list[str], list[int]]:
    for k in np.argsort(-p[:, _BYLINE]):
        if p[k, _BYLINE] < BYLINE_MIN:
            break
        names = byline_names(text[k]) or line_byline_names(text[k])
        if names:
            return names, [int(k)]
    for k, line in enumerate(text[:_TAGGED_TITLE_WITHIN]):  # "By <name>" near the top
        if strict := byline_names(line):
            return strict, [k]
    return [], []


__all__ = ["BODY_MIN", "CLASSES", "MODEL_NAME", "Cleaned", "clean_lines", "clean_page", "combine",
           "decide", "line_probabilities"]
