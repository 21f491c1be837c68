"""Language of a document and of a line: lingua, loaded for the configured languages only."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from lingua import IsoCode639_1, LanguageDetector, LanguageDetectorBuilder


@lru_cache(maxsize=4)
def _detector(languages: tuple[str, ...]) -> LanguageDetector:
    codes = [IsoCode639_1.from_str(c) for c in languages]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()


def detect_language(text: str, languages: tuple[str, ...]) -> str | None:
    """ISO 639-1 code of the text's language, or None when too short to tell."""
    sample = text[:4000]
    if sum(c.isalpha() for c in sample) < 3:
        return None
    lang = _detector(languages).detect_language_of(sample)
    return lang.iso_code_639_1.name.lower() if lang else None


def script_of(text: str) -> str | None:
    """The dominant writing system of the letters in ``text`` (LATIN, CYRILLIC, …)."""
    counts: dict[str, int] = {}
    for ch in text:
        if ch.isalpha():
            try:
                script = unicodedata.name(ch).split(" ", 1)[0]
            except ValueError:
                continue
            counts[script] = counts.get(script, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else None
