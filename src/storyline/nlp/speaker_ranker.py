"""A learned ranker for the speaker of a direct quote that the rules leave without one.

A quote with no cue verb of its own ("“We stay,” Roe continued." with an unknown verb, a quote
closing a paragraph after its speaker was introduced) is given the entity the ranker scores
highest among those named near it: in its sentence, the two sentences before and the one after,
outside any quotation. Each candidate is described by where its nearest mention stands (before or
after, how far, which sentence, same paragraph), how it stands there (subject, subject of a
reporting verb, possessor, object of a preposition), what it is (person, organisation, place),
whether it spoke last and how often it was named. The weights are logistic-regression
coefficients trained on PolNeAR train (``make train-quotes``: scripts/train_quotes.py, seeded,
cross-validated by article) and shipped as ``models/quotes.json``: plain numbers, no pickle.
A candidate scored under the model's threshold leaves the quote without a speaker.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_right
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from spacy.tokens import Doc, Span

from storyline import models
from storyline.lang import table
from storyline.nlp.extensions import text_of

if TYPE_CHECKING:
    from storyline.nlp.speakers import Speaker, SpeakerResolver

MODEL = "quotes.json"
LABELS = ("PERSON", "ORG", "GPE")
SENTENCES_BEFORE = 2  # how far back a speaker is looked for (PolNeAR's scorer looks back three)
SENTENCES_AFTER = 1  # '“…” The senator, who … , went on.': the speaker may follow the quote
FEATURES = ("bias", "before", "gap", "sent_m2", "sent_m1", "sent_0", "sent_p1", "same_para",
            "subject", "cue_subject", "possessor", "prep_object", "person", "org", "gpe",
            "last_speaker", "mentions", "nearest", "nearest_person", "para_start", "candidates")

# A recorder the training script sets: it receives every ranked quote's candidates.
Recorder = Callable[[Doc, int, int, list["Candidate"]], None]
_recorder: list[Recorder] = []


@dataclass(slots=True)
class Candidate:
    key: str
    features: dict[str, float]


@contextmanager
def recording(recorder: Recorder) -> Iterator[None]:
    """Within the block, every quote the ranker is asked about is handed to ``recorder`` and
    left without a speaker (the training data: what the rules alone leave)."""
    _recorder.append(recorder)
    try:
        yield
    finally:
        _recorder.remove(recorder)


@lru_cache(maxsize=1)
def _cue_lemmas() -> frozenset[str]:
    return frozenset(table("reporting_verbs")["verbs"])


@lru_cache(maxsize=1)
def _model() -> dict[str, Any]:
    with models.path(MODEL, rebuild="train-quotes").open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def _sentence_bounds(doc: Doc, res: SpeakerResolver) -> list[int]:
    """Start characters of the Doc's sentences, computed once per document."""
    if res.sentence_starts is None:
        res.sentence_starts = [s.start_char for s in doc.sents]
    return res.sentence_starts


def _index(starts: list[int], at: int) -> int:
    """Which sentence the character ``at`` lies in."""
    return max(0, bisect_right(starts, at) - 1)


def candidates(doc: Doc, start: int, end: int, res: SpeakerResolver) -> list[Candidate]:
    """The entities named near the quote at [start, end), one per entity, by nearest mention."""
    starts = _sentence_bounds(doc, res)
    first, last = _index(starts, start), _index(starts, max(start, end - 1))
    lo = starts[max(0, first - SENTENCES_BEFORE)]
    hi = starts[last + SENTENCES_AFTER + 1] if last + SENTENCES_AFTER + 1 < len(starts) else len(text_of(doc))
    nearest: dict[str, tuple[int, Span]] = {}
    for ent in doc.ents:
        key = ent._.entity_key
        if not key or ent.label_ not in LABELS or not lo <= ent.start_char < hi:
            continue
        if start <= ent.start_char < end or not res._outside_quotes(ent):
            continue
        gap = start - ent.end_char if ent.end_char <= start else ent.start_char - end
        if key not in nearest or gap < nearest[key][0]:
            nearest[key] = (gap, ent)
    if not nearest:
        return []
    text = text_of(doc)
    line_start = text.rfind("\n", 0, start) + 1
    para_start = not text[line_start:start].strip(" \t“\"'‘«")
    order = sorted(nearest, key=lambda k: nearest[k][0])
    people = [k for k in order if nearest[k][1].label_ == "PERSON"]
    out = []
    for key in order:
        gap, ent = nearest[key]
        out.append(Candidate(key, _features(doc, ent, gap, start, end, starts, first, res) | {
            "nearest": float(key == order[0]), "nearest_person": float(bool(people) and key == people[0]),
            "para_start": float(para_start), "candidates": math.log1p(len(order)) / 3}))
    return out


def _features(doc: Doc, ent: Span, gap: int, start: int, end: int, starts: list[int], first: int,
              res: SpeakerResolver) -> dict[str, float]:
    text, root = text_of(doc), ent.root
    before = ent.end_char <= start
    between = text[ent.end_char:start] if before else text[end:ent.start_char]
    offset = max(-2, min(1, _index(starts, ent.start_char) - first))
    subject = root.dep_ in ("nsubj", "nsubjpass")
    mentions = sum(1 for e in doc.ents if e._.entity_key == ent._.entity_key and e.start_char < end)
    return {
        "bias": 1.0, "before": float(before), "gap": math.log1p(max(gap, 0)) / 8,
        "sent_m2": float(offset == -2), "sent_m1": float(offset == -1), "sent_0": float(offset == 0),
        "sent_p1": float(offset == 1), "same_para": float("\n" not in between),
        "subject": float(subject),
        "cue_subject": float(subject and root.head.lemma_.lower() in _cue_lemmas()),
        "possessor": float(root.dep_ == "poss"), "prep_object": float(root.dep_ == "pobj"),
        "person": float(ent.label_ == "PERSON"), "org": float(ent.label_ == "ORG"),
        "gpe": float(ent.label_ == "GPE"), "last_speaker": float(res.last[0] == ent._.entity_key),
        "mentions": math.log1p(mentions) / 3,
    }


def score(features: dict[str, float], model: dict[str, Any]) -> float:
    """The model's probability that a candidate is the speaker."""
    z = sum(w * features.get(name, 0.0) for name, w in zip(model["features"], model["coef"], strict=True))
    return 1 / (1 + math.exp(-z))


def pick(doc: Doc, start: int, end: int, res: SpeakerResolver) -> Speaker | None:
    """The ranked speaker of the quote at [start, end), or None when none scores high enough."""
    found = candidates(doc, start, end, res)
    if _recorder:
        for recorder in _recorder:
            recorder(doc, start, end, found)
        return None
    if not found:
        return None
    model = _model()
    best = max(found, key=lambda c: score(c.features, model))
    return (best.key, None) if score(best.features, model) >= model["threshold"] else None


__all__ = ["FEATURES", "MODEL", "Candidate", "candidates", "pick", "recording", "score"]
