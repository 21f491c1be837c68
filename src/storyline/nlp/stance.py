"""A claim's status learned from cue words: the stance a holder takes, or what is said of an event.

A position is often taken without a stance verb ("X said the plans were an abuse of rights"
opposes them), so the status is read from every cue in the claim's words, by class (opposing,
supporting, proposing, considering, denying, confirming, reporting, failing to confirm, bad and
good evaluation, hedges, proposal and event nouns; ``lang/en/stance_cues.json``), with negation,
hedges, quotation, tense and person, and from what the whole article is about (its share of
proposal and event nouns decides whether a sentence takes a position on a proposal or reports on
an event). A logistic regression over these features, trained by ``scripts/train_stance.py``
(cross-validated by story), is shipped as ``models/stance.json``: plain coefficients, no pickle.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc, Token

from storyline import lang, models

MODEL = "stance.json"
_NEG = frozenset({"not", "no", "never", "n't", "neither", "nor", "without"})
# Classes whose weight depends on the article's kind: a proposal's positions, an event's statuses.
_PROPOSAL_CUES = ("oppose", "support", "propose", "consider", "bad", "good", "hedge")
_EVENT_CUES = ("deny", "confirm", "report", "unconfirm", "bad", "hedge")


@lru_cache(maxsize=4)
def cues(code: str = "en") -> dict[str, tuple[frozenset[str], tuple[str, ...]]]:
    """Each cue class: its one-word lemmas and its several-word phrases."""
    table = lang.table("stance_cues", code)
    return {k: (frozenset(w for w in ws if " " not in w), tuple(w for w in ws if " " in w))
            for k, ws in table.items() if not k.startswith("_")}


def article_kind(doc: Doc) -> tuple[float, float]:
    """The share of the article's cue nouns that name proposals, and that name events."""
    table = cues()
    lemmas = Counter(t.lemma_.lower() for t in doc if t.pos_ in ("NOUN", "VERB", "ADJ"))
    p = sum(n for w, n in lemmas.items() if w in table["proposal"][0])
    e = sum(n for w, n in lemmas.items() if w in table["event"][0])
    return p / (p + e + 1), e / (p + e + 1)


def features(toks: Sequence[Token], kind: tuple[float, float]) -> dict[str, float]:
    """The model's features of a claim's words (``kind``: :func:`article_kind`)."""
    v: defaultdict[str, float] = defaultdict(float)
    table = cues()
    for t in toks:
        lemma = t.lemma_.lower()
        for name, (single, _) in table.items():
            if lemma in single:
                _cue(v, name, t)
    low = " ".join(t.lower_ for t in toks)
    for name, (_, phrases) in table.items():
        hits = sum(1 for p in phrases if p in low)
        v[name] += hits
        v[name + "_v"] += hits
    text = "".join(t.text_with_ws for t in toks)
    v["neg"] = sum(1 for t in toks if t.lower_ in _NEG)
    v["quote"] = float('"' in text or "“" in text)
    v["q"] = float("?" in text)
    v["num"] = float(any(t.like_num for t in toks))
    v["said"] = float(any(t.lemma_.lower() in ("say", "tell") for t in toks))
    v["len"] = len(toks) / 30
    v["future"] = float(any(t.lower_ in ("will", "'ll", "shall") for t in toks))
    v["past"] = float(any(t.tag_ == "VBD" for t in toks))
    v["first"] = float(any(t.lower_ in ("i", "we", "our", "my", "me", "us") for t in toks))
    v["bias"] = 1.0
    v["doc_p"], v["doc_e"] = kind
    for key in list(v):
        base = key.split("_")[0]
        if base in _PROPOSAL_CUES:
            v[key + "*docp"] = v[key] * kind[0]
        if base in _EVENT_CUES:
            v[key + "*doce"] = v[key] * kind[1]
    return {k: float(x) for k, x in v.items() if x}


def _cue(v: defaultdict[str, float], name: str, t: Token) -> None:
    v[name] += 1
    if t.pos_ in ("VERB", "AUX"):
        v[name + "_v"] += 1
    if t.dep_ == "ROOT":
        v[name + "_root"] += 1
    if any(c.dep_ == "neg" for c in t.children) or any(c.dep_ == "neg" for c in t.head.children):
        v[name + "_neg"] += 1


@lru_cache(maxsize=1)
def _model() -> dict[str, Any]:
    with models.path(MODEL, rebuild="train-stance").open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def scores(feats: dict[str, float]) -> dict[str, float]:
    """Each status's probability under the shipped model."""
    m = _model()
    index: dict[str, int] = m["index"]
    z = [b + sum(row[index[k]] * x for k, x in feats.items() if k in index)
         for row, b in zip(m["coef"], m["intercept"], strict=True)]
    top = max(z)
    exp = [math.exp(x - top) for x in z]
    total = sum(exp)
    return {c: e / total for c, e in zip(m["classes"], exp, strict=True)}


def status(feats: dict[str, float]) -> str:
    """The most probable status."""
    found = scores(feats)
    return max(found, key=lambda c: found[c])


__all__ = ["MODEL", "article_kind", "cues", "features", "scores", "status"]
