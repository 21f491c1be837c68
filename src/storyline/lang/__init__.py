"""Linguistic knowledge as data, one folder per language (spaCy's ``lang/`` is the model).

Each kind of knowledge is one file under ``storyline/lang/<code>/``:

- ``<name>.txt``: one entry per line, ``#`` starts a comment; read by :func:`words`;
- ``<name>.json``: a table (patterns, verb classes, mappings); read by :func:`table`.

Components ask for the document's language; a language without the file falls back to English,
so a linguist adds a reporting verb or a title by editing one file.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from storyline.errors import ConfigError

FALLBACK = "en"


def _text(lang: str, name: str) -> str:
    for code in dict.fromkeys((lang or FALLBACK, FALLBACK)):
        path = resources.files("storyline.lang").joinpath(code, name)
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise ConfigError(f"no language data {name!r} for {lang!r} or {FALLBACK!r}; "
                      f"add storyline/lang/{lang}/{name}")


@lru_cache(maxsize=256)
def words(name: str, lang: str = FALLBACK) -> frozenset[str]:
    """The entries of ``<lang>/<name>.txt``, stripped, comments and blank lines left out."""
    return frozenset(_lines(_text(lang, f"{name}.txt")))


@lru_cache(maxsize=256)
def ordered(name: str, lang: str = FALLBACK) -> tuple[str, ...]:
    """The entries of ``<lang>/<name>.txt`` in file order (for patterns where order matters)."""
    return tuple(_lines(_text(lang, f"{name}.txt")))


@lru_cache(maxsize=128)
def table(name: str, lang: str = FALLBACK) -> Any:
    """The parsed JSON of ``<lang>/<name>.json`` (treat it as read-only: it is cached)."""
    return json.loads(_text(lang, f"{name}.json"))


def _lines(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        entry = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if entry:
            out.append(entry)
    return out


__all__ = ["FALLBACK", "ordered", "table", "words"]
