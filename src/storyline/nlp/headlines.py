"""Claims of a headline: the plainest statement of an article's event, kept out of its body.

Ingest takes the headline off the body text, and every offset (quotes, figures, claims, the
evidence an analyst is shown) is into that body. So a headline is analysed as a document of its
own, through the same pipeline, and its claims keep their own words as text with the empty span
``(0, 0)``: "in the headline, before the body's first character". A headline without a claim
of the pipeline's own (title case defeats the parser: "X Checks Into Rehab") still states its
event: it becomes one ``asserted`` claim of the article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.language import Language

from storyline.records import ClaimRec, MentionRec

# A headline of fewer words is a label ("Sport", "World news"), not a statement.
MIN_WORDS = 3
_WORD = re.compile(r"\w+")

__all__ = ["MIN_WORDS", "headline_claims", "with_headline"]


def headline_claims(nlp: Language, titles: Iterable[tuple[str, str, int]],
                    batch_size: int = 64) -> dict[int, list[ClaimRec]]:
    """Each article's headline claims (``titles``: (headline, body, article index)), by index.
    A headline the body opens with is left out: its claims are the body's already."""
    todo = {i: t.strip() for t, body, i in titles if _states(t) and not _opens(body, t)}
    out: dict[int, list[ClaimRec]] = {}
    for doc, i in nlp.pipe([(t, i) for i, t in todo.items()], as_tuples=True,
                           batch_size=batch_size):
        found = [ClaimRec(**c) for c in (doc._.record or {}).get("claims", [])]
        out[i] = _placed(found) or [ClaimRec(text=todo[i], start=0, end=0, status="asserted",
                                             proposition=todo[i])]
    return out


def with_headline(claims: list[ClaimRec], heads: list[ClaimRec],
                  mentions: list[MentionRec]) -> list[ClaimRec]:
    """The body's claims after its headline's; a headline holder the body never names keeps
    its name as printed, not an in-document key that points at nothing."""
    keys = {m.key for m in mentions}
    for c in heads:
        if c.holder_key is not None and c.holder_key not in keys:
            c.holder_name, c.holder_key = c.holder_name or c.holder_key, None
    return heads + claims


def _placed(found: list[ClaimRec]) -> list[ClaimRec]:
    for c in found:
        c.start = c.end = 0
    return found


def _states(title: str | None) -> bool:
    return bool(title) and len(_WORD.findall(title or "")) >= MIN_WORDS \
        and not (title or "").rstrip().endswith("?")


def _opens(body: str, title: str) -> bool:
    key = " ".join(_WORD.findall(title.lower()))
    return " ".join(_WORD.findall(body[:len(title) + 40].lower())).startswith(key)
