"""Name normalisation for cross-document identity: transliteration-aware keys and similarity."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

_TRANSLIT = [("kh", "h"), ("zh", "j"), ("ts", "c"), ("ch", "c"), ("sh", "s"), ("yy", "y"),
             ("iy", "i"), ("ii", "i"), ("yi", "i"), ("ie", "e"), ("ye", "e"), ("g", "h"),
             ("w", "v"), ("ck", "k"), ("ou", "u"), ("ph", "f"), ("y", "i"), ("j", "i")]
_REGION = re.compile(r"\s+(oblast|region|province|krai|governorate|prefecture)$", re.I)


def fold(name: str) -> str:
    """Case-, accent- and punctuation-free form of a name; a leading "the" dropped."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold().replace("’", "'")
    s = re.sub(r"[^\w\s]", "", s).strip()
    s = re.sub(r"^the\s+", "", s)
    return re.sub(r"\s+", " ", s)


def translit_key(token: str) -> str:
    """A spelling-blind key of one name token: Sybiga/Sybiha, Andriy/Andrii, Zelensky/Zelenskyy."""
    s = fold(token)
    for a, b in _TRANSLIT:
        s = s.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", s)


def skeleton(token: str) -> str:
    """Consonant skeleton after transliteration folding (Vladimir/Volodymyr -> vldmr)."""
    k = translit_key(token)
    return re.sub(r"[aeiou]", "", k)


def region_base(name: str) -> str | None:
    """ "Kursk Oblast" / "Kursk region" -> "kursk"."""
    m = _REGION.search(name)
    return fold(name[: m.start()]) if m else None


def same_person(a: str, b: str) -> str | None:
    """Why two person names are one person's (transliteration), or None."""
    ta, tb = fold(a).split(), fold(b).split()
    if len(ta) != len(tb) or len(ta) < 2:
        return None
    if [skeleton(x) for x in ta] != [skeleton(x) for x in tb]:
        return None
    score = fuzz.ratio(" ".join(translit_key(x) for x in ta), " ".join(translit_key(x) for x in tb))
    if ta[-1] != tb[-1] and fuzz.ratio(ta[-1], tb[-1]) < 60:
        return None
    return f"transliteration variants ({a} ~ {b}, similarity {score:.0f})" if score >= 60 else None
