"""Data files we write: the source registry, role words, gazetteer of alternative names."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any


def _read(name: str) -> str:
    return resources.files("storyline.data").joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def role_words() -> frozenset[str]:
    """Lower-case words that build titles and roles."""
    return frozenset(line.strip() for line in _read("roles.txt").splitlines()
                     if line.strip() and not line.startswith("#"))


@dataclass(frozen=True, slots=True)
class Source:
    name: str
    aliases: tuple[str, ...]
    domains: tuple[str, ...]
    reliability: str
    kind: str  # outlet | agency


@lru_cache(maxsize=4)
def sources(path: str = "") -> tuple[Source, ...]:
    """The source registry: the package's file, or the user's file at ``path``."""
    raw: dict[str, Any] = json.loads(Path(path).read_text("utf-8") if path else _read("sources.json"))
    out = [Source(o["name"], tuple(o.get("aliases", ())), tuple(o.get("domains", ())),
                  o.get("reliability", "F"), "outlet") for o in raw.get("outlets", [])]
    out += [Source(a["name"], tuple(a.get("aliases", ())), (), a.get("reliability", "F"), "agency")
            for a in raw.get("agencies", [])]
    return tuple(out)


def outlets() -> tuple[Source, ...]:
    return tuple(s for s in sources() if s.kind == "outlet")


@lru_cache(maxsize=1)
def outlet_pattern() -> re.Pattern[str]:
    """Matches any outlet name or alias as printed (short aliases case-sensitive)."""
    names = sorted({n for s in outlets() for n in (s.name, *s.aliases)}, key=len, reverse=True)
    parts = []
    for n in names:
        esc = re.escape(n)
        parts.append(esc if len(n) <= 4 else f"(?i:{esc})")
    return re.compile(r"(?<![\w.])(?:" + "|".join(parts) + r")(?![\w-])")


def canonical_outlet(name: str) -> str | None:
    """The registry name of an outlet written ``name`` (any alias or domain, any case)."""
    return _outlet_index().get(name.strip().casefold().removeprefix("the "))


@lru_cache(maxsize=1)
def _outlet_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for s in outlets():
        for n in (s.name, *s.aliases, *s.domains):
            index.setdefault(n.casefold().removeprefix("the "), s.name)
    return index


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, Any]:
    """Alternative names, exonyms, organisations: see gazetteer.json."""
    data: dict[str, Any] = json.loads(_read("gazetteer.json"))
    return data
