"""A story's headline: its proposition without who claims it, short, as a reader would title it.

"Nevertheless, he added, Europeans should revisit the idea" -> "Europeans should revisit the
idea"; "Officials said the bridge was closed." -> "The bridge was closed". Of a story's claims,
the proposition that shares most words with the others is its headline.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS

from storyline import lang

# Longest headline in words; a longer proposition is cut at a clause boundary, else here.
MAX_WORDS = 12
# Fewest words a proposition needs to stand as a headline (shorter: "Barrot said.").
MIN_WORDS = 3
WORD = re.compile(r"[\w’'-]+")  # a word of a headline (and of a history line)
_CLAUSE = re.compile(r",\s+(?:which|who|although|though|while|whereas|but|as|after|because)\b"
                     r"|\s+[—–]\s+|;|:\s")
_QUOTES = "“”\"'‘’ \n\t"


@lru_cache(maxsize=4)
def reporting_forms(code: str) -> frozenset[str]:
    """Every form of the language's verbs of saying ("say", "says", "said", "told")."""
    out = set(lang.words("irregular_reporting_forms", code))
    for v in lang.table("reporting_verbs", code)["verbs"]:
        if " " in v:
            continue
        out |= {v, v + "s", v + "es", v + "ed", v + "d"}
        if v.endswith("y"):
            out |= {v[:-1] + "ied", v[:-1] + "ies"}
    return frozenset(out)


@lru_cache(maxsize=4)
def _patterns(code: str) -> tuple[re.Pattern[str], ...]:
    forms = "|".join(sorted(reporting_forms(code), key=len, reverse=True))
    openers = "|".join(re.escape(o) for o in sorted(lang.words("headline_openers", code),
                                                     key=len, reverse=True))
    who = r"(?:[\w’'.-]+\s+){0,5}?"
    return (
        re.compile(rf"^(?:{openers})(?:(?<=,)|\b)\s*", re.IGNORECASE),
        # an aside: ", he added," / ", officials said,"
        re.compile(rf",\s*{who}(?:{forms})(?:\s+\w+)?\s*,\s*", re.IGNORECASE),
        # a trailing attribution after a comma: ", X said." / ", said X." (no comma: the
        # sentence's own verb, "… revisit the plan.")
        re.compile(rf",\s*(?:{who}(?:{forms})|(?:{forms})\s+{who}[\w’'.-]+)\s*[.!]?\s*$",
                   re.IGNORECASE),
        # a leading one: "X said (on Tuesday) that" / "According to X,"
        re.compile(rf"^{who}(?:{forms})\b(?:\s+[\w’'-]+){{0,3}}?\s+that\s+", re.IGNORECASE),
        re.compile(rf"^{who}(?:{forms})\s*,\s*", re.IGNORECASE),
        re.compile(rf"^(?:[\w’'.-]+\s+){{1,4}}?(?:{forms})\s+(?=\w)"),
        re.compile(r"^according to\s+[^,]{1,60},\s*", re.IGNORECASE),
        re.compile(r"^(?:on|in|last|this)\s+[\w.]+(?:\s+\d{1,2})?\s+that\s+", re.IGNORECASE),
        re.compile(r"^that\s+", re.IGNORECASE),
    )


# The patterns of _patterns that need a verb of saying in the sentence (skipped without one:
# they are the costly ones, and most sentences of a story have none).
_SAYING = range(1, 6)


@lru_cache(maxsize=65536)
def clean(text: str, code: str = "en") -> str:
    """The proposition of one sentence as a headline (attribution and connectives removed)."""
    s = " ".join(text.split()).strip(_QUOTES).lstrip("])}>,.;:—–- ")
    says = not reporting_forms(code).isdisjoint(w.lower() for w in WORD.findall(s))
    for _ in range(2):  # "Nevertheless, he added, …": the opener, then the aside
        for i, p in enumerate(_patterns(code)):
            if not says and i in _SAYING:
                continue
            t = p.sub(" " if p.pattern.startswith(",") and "$" not in p.pattern else "", s)
            if len(WORD.findall(t)) >= MIN_WORDS:
                s = t.strip(_QUOTES + ",")
    return _cut(s.rstrip(".!,;: ")) if s else s


def _cut(s: str) -> str:
    words = s.split()
    if len(words) <= MAX_WORDS:
        return s[:1].upper() + s[1:]
    m = _CLAUSE.search(s)
    if m and MIN_WORDS <= len(s[: m.start()].split()) <= MAX_WORDS:
        s = s[: m.start()]
    else:
        s = " ".join(words[:MAX_WORDS]).rstrip(",;:") + "…"
    return s[:1].upper() + s[1:]


def headline(candidates: Iterable[str], fallback: str = "", code: str = "en") -> str:
    """The headline of a story from its claims' propositions: the one closest to all the others
    (most shared content words for its length), then the shortest; ``fallback`` when none stands."""
    cleaned = [c for c in dict.fromkeys(clean(t, code) for t in candidates if t)
               if len(WORD.findall(c)) >= MIN_WORDS]
    if not cleaned:
        return clean(fallback, code) or " ".join(fallback.split())
    bags = [set(w.lower() for w in WORD.findall(c) if len(w) > 3) for c in cleaned]
    df = Counter(w for b in bags for w in b)
    # shared words over the square root of the length: the mean alone crowns the shortest
    # fragment of common words ("The soldiers"), the sum alone the longest sentence
    scored = [(_opens_clause(c), sum(df[w] - 1 for w in b) / (len(b) or 1) ** 0.5, -len(c), c)
              for b, c in zip(bags, cleaned, strict=True)]
    return max(scored)[3]


def _opens_clause(s: str) -> bool:
    """A headline opens with its subject: a content word or an article, not a fragment's
    preposition, auxiliary or pronoun ("Of …", "Will be …", "It is …")."""
    first = s.split()[0].lower() if s.split() else ""
    return first in ("the", "a", "an") or first not in STOP_WORDS
