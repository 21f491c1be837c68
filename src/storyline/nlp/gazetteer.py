"""The gazetteer component: a span ruler of places, organisations and outlets before the NER.

Built from pycountry (countries) and our own data files (alternative names, exonyms,
organisations, outlets). Each pattern carries the canonical name as its id, so "Kiev" is
labelled GPE with id "Kyiv".
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pycountry
from spacy.language import Language
from spacy.pipeline import EntityRuler

from storyline.data import gazetteer, outlets

_SKIP_COUNTRY_WORDS = ("Republic of", ", ", "Province of")


@lru_cache(maxsize=1)
def canonical_names() -> dict[str, tuple[str, str]]:
    """Every written form we know -> (label, canonical name)."""
    g = gazetteer()
    out: dict[str, tuple[str, str]] = {}
    alias_of = {a: canon for canon, aliases in g["places"].items() for a in aliases}
    for c in pycountry.countries:
        for name in {getattr(c, "common_name", None), c.name, getattr(c, "official_name", None)}:
            if not name:
                continue
            canon = alias_of.get(name, getattr(c, "common_name", None) or c.name)
            if any(w in canon for w in _SKIP_COUNTRY_WORDS) and canon not in g["places"]:
                continue
            out[name] = ("GPE", canon)
    for canon, aliases in g["places"].items():
        for name in (canon, *aliases):
            out[name] = ("GPE", canon)
    for canon, aliases in g["organisations"].items():
        for name in (canon, *aliases):
            if not name.startswith("the ") or name[4:] not in out:
                out[name] = ("ORG", canon)
    stations = {w.casefold() for w in g.get("station_words", ())}
    for s in outlets():
        for name in (s.name, *s.aliases):
            if _channel_of(name, s.name, stations):
                continue  # "<outlet> News" is a channel of the outlet, its own organisation
            if len(name) > 2 or name.isupper():
                out.setdefault(name, ("ORG", s.name))
                out.setdefault(name.upper(), ("ORG", s.name))
    return {k: v for k, v in out.items() if not k.startswith("the ")}


def _channel_of(name: str, outlet: str, stations: set[str]) -> bool:
    rest = name.removeprefix(outlet).split() if name.startswith(outlet + " ") else []
    return bool(rest) and all(w.casefold() in stations or w.isdigit() for w in rest)


def lookup(text: str) -> tuple[str, str] | None:
    """(label, canonical) of a written name, tolerating a leading "the" and possessives."""
    t = text.strip().removesuffix("’s").removesuffix("'s")
    t = t[4:] if t.lower().startswith("the ") else t
    return canonical_names().get(t)


def _patterns() -> list[dict[str, Any]]:
    pats = []
    for name, (label, canon) in canonical_names().items():
        # Short all-caps forms ("US", "UK", "EU") only as printed; others also lower-cased first word.
        pats.append({"label": label, "pattern": name, "id": canon})
    return pats


@Language.factory("storyline_gazetteer", assigns=["doc.ents"], requires=["token.orth"])
def make_gazetteer(nlp: Language, name: str) -> EntityRuler:
    """An EntityRuler holding our gazetteer; it runs before the statistical NER."""
    ruler = EntityRuler(nlp, name=name, phrase_matcher_attr="ORTH", overwrite_ents=True)
    ruler.add_patterns(_patterns())
    return ruler
