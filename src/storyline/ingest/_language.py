"""Language of a document and of a line: lingua, loaded for the configured languages only."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from lingua import IsoCode639_1, LanguageDetector, LanguageDetectorBuilder

# A letter is a word character that is neither a digit nor an underscore.
_LETTER = re.compile(r"[^\W\d_]")
_THREE_LETTERS = re.compile(r"[^\W\d_](?:[\W\d_]*[^\W\d_]){2}")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_NON_ASCII_LETTER = re.compile(r"[^\W\d_\x00-\x7f]")
# Lingua's verdict on the first 1,500 characters of an article is its verdict on the whole.
_SAMPLE = 1500


def count_letters(text: str) -> int:
    return len(_LETTER.findall(text))


@lru_cache(maxsize=4)
def _detector(languages: tuple[str, ...]) -> LanguageDetector:
    codes = [IsoCode639_1.from_str(c) for c in languages]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()


def detect_language(text: str, languages: tuple[str, ...]) -> str | None:
    """ISO 639-1 code of the text's language, or None when too short to tell."""
    sample = text[:_SAMPLE]
    if not _THREE_LETTERS.search(sample):
        return None
    lang = _detector(languages).detect_language_of(sample)
    return lang.iso_code_639_1.name.lower() if lang else None


def script_of(text: str) -> str | None:
    """The dominant writing system of the letters in ``text`` (LATIN, CYRILLIC, …)."""
    counts: dict[str, int] = {}
    if latin := len(_ASCII_LETTER.findall(text)):  # the common case, counted in C
        counts["LATIN"] = latin
    for ch in _NON_ASCII_LETTER.findall(text):
        try:
            script = unicodedata.name(ch).split(" ", 1)[0]
        except ValueError:
            continue
        counts[script] = counts.get(script, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else None
