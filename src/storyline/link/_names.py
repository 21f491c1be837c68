"""Name normalisation for cross-document identity: transliteration-aware keys and similarity."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

from storyline.lang import table, words

_TRANSLIT = [("kh", "h"), ("zh", "j"), ("ts", "c"), ("ch", "c"), ("sh", "s"), ("yy", "y"),
             ("iy", "i"), ("ii", "i"), ("yi", "i"), ("ie", "e"), ("ye", "e"), ("g", "h"),
             ("w", "v"), ("ck", "k"), ("ou", "u"), ("ph", "f"), ("y", "i"), ("j", "i")]


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
    m = re.search(r"\s+(\S+)$", name)
    return fold(name[: m.start()]) if m and m.group(1).casefold() in words("region_words") else None


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
# The least similarity of two given names with one surname to be spellings of one person's
# ("Rosalind"/"Rosalin" 93 are; "Rosalind"/"Rosamund" 67 and "Avi"/"Joel" 0 are not).
GIVEN_NAME_SIMILARITY = 85


def bare(name: str) -> str:
    """The folded name without leading courtesy titles and offices ("Mr Roe" -> "roe"); a
    peerage stays ("Lord Avon" is the lord's name)."""
    parts = fold(name).split()
    while len(parts) > 1 and parts[0] in _STRIP:
        parts = parts[1:]
    return " ".join(parts)


def squashed(name: str) -> str:
    """The folded name without spaces: "VT Bank" and "VTBank" are written alike."""
    return fold(name).replace(" ", "")


def initials(name: str) -> str:
    """Folded initials of a name's words, hyphenated parts counted ("Anti-Doping" gives a, d)."""
    parts = [p for w in re.split(r"[\s-]+", name) if (p := fold(w)) and p not in words("initials_skip")]
    return "".join(p[0] for p in parts)


def looks_acronym(name: str) -> bool:
    """One word of 2 to 6 letters, all capitals or read as a word ("VTU", "Wada")."""
    return bool(re.fullmatch(r"[A-Z][A-Za-z]{1,5}", name)) and (name.isupper() or len(name) >= 4)


# A clipping keeps at most this share of its word ("Man" of "Manchester"): "Chris" of "Christine"
# (5 of 9 letters) is a name of its own, not a clipping.
CLIP_SHARE = 0.5


def _clips(short: str, word: str) -> bool:
    """ "man" clips "manchester" (a prefix of at most CLIP_SHARE of it), "utd" clips "united"
    (its first letter, then consonants of it in order)."""
    if len(short) < 3 or short == word or short[0] != word[0]:
        return False
    if word.startswith(short):
        return len(short) <= CLIP_SHARE * len(word)
    rest = iter(word)
    return not re.search(r"[aeiou]", short[1:]) and all(c in rest for c in short)


def clipped(short: str, long: str) -> bool:
    """Whether ``short`` is ``long`` with some of its words clipped, word for word
    ("Ost Utd" / "Ostrana United"), and is not ``long`` itself."""
    return clipped_words(fold(short).split(), fold(long).split())


def clipped_words(ts: list[str], tl: list[str]) -> bool:
    """:func:`clipped` on folded words."""
    return len(ts) == len(tl) >= 2 and ts != tl and all(
        a == b or _clips(a, b) for a, b in zip(ts, tl, strict=True))


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
