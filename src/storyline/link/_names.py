"""Name normalisation for cross-document identity: transliteration-aware keys and similarity."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

from storyline.lang import table

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


_TITLES = table("titles")
# Titles that are never part of a name across documents: "Mr Roe" and "Roe" are one surname.
_STRIP = frozenset(_TITLES["courtesy"]) | frozenset(_TITLES["offices"])
_NOT_INITIAL = frozenset({"of", "and", "the", "for", "de", "du", "la", "le", "&"})
# The least similarity of two given names with one surname to be spellings of one person's
# ("Rosalind"/"Rosalin" 93 are; "Rosalind"/"Rosamund" 67 and "Avi"/"Joel" 0 are not).
GIVEN_NAME_SIMILARITY = 85


def bare(name: str) -> str:
    """The folded name without leading courtesy titles and offices ("Mr Roe" -> "roe"); a
    peerage stays ("Lord Avon" is the lord's name)."""
    words = fold(name).split()
    while len(words) > 1 and words[0] in _STRIP:
        words = words[1:]
    return " ".join(words)


def squashed(name: str) -> str:
    """The folded name without spaces: "VT Bank" and "VTBank" are written alike."""
    return fold(name).replace(" ", "")


def initials(name: str) -> str:
    """Folded initials of a name's words, hyphenated parts counted ("Anti-Doping" gives a, d)."""
    parts = [p for w in re.split(r"[\s-]+", name) if (p := fold(w)) and p not in _NOT_INITIAL]
    return "".join(p[0] for p in parts)


def looks_acronym(name: str) -> bool:
    """One word of 2 to 6 letters, all capitals or read as a word ("VTU", "Wada")."""
    return bool(re.fullmatch(r"[A-Z][A-Za-z]{1,5}", name)) and (name.isupper() or len(name) >= 4)


def same_given_name(a: str, b: str) -> str | None:
    """Why two person names with one surname and near given names are one person's, or None."""
    ta, tb = fold(a).split(), fold(b).split()
    if len(ta) != 2 or len(tb) != 2 or ta[1] != tb[1] or ta[0] == tb[0] or ta[0][0] != tb[0][0]:
        return None
    if min(len(ta[0]), len(tb[0])) < 5:
        return None
    score = fuzz.ratio(ta[0], tb[0])
    return f"given name spelt two ways ({a} ~ {b}, similarity {score:.0f})" \
        if score >= GIVEN_NAME_SIMILARITY else None
