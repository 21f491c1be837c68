"""Origin of a document from the explicit evidence in its text, and near-duplicate signatures."""

from __future__ import annotations

import hashlib
import re
import struct
from dataclasses import dataclass

from datasketch import MinHash

from storyline.data import canonical_outlet, outlet_pattern

_PUB = r"(?P<pub>[A-Z][\w&'’-]*(?:[ \t]+(?:of[ \t]+|the[ \t]+)?[A-Z][\w&'’-]*){0,4})"
_REPRINT = [
    re.compile(r"(?i:\b(?:this|the) (?:article|story|piece|material|interview|op-ed|column) "
               r"(?:was |is |has been )?(?:originally |first )?(?:published|appeared|ran) "
               r"(?:in|on|by|at) (?:the )?)" + _PUB),
    re.compile(r"(?i:\boriginally (?:published|appeared) (?:in|on|by|at) (?:the )?)" + _PUB),
    re.compile(r"(?i:\b(?:republished|reprinted|translated) (?:from|with permission (?:of|from)) "
               r"(?:the )?)" + _PUB),
    re.compile(r"^(?i:source|originally from|via)\s*:\s*" + _PUB + r"\s*$", re.M),
]
_OUT = r"(?P<pub>{outlet})"
_CITES = [
    r"{o}(?:'s?|’s?)? (?:reported|reports|writes|wrote|has learned|first reported|revealed)\b",
    r"\b(?i:according to (?:the )?){o}\b",
    r"\b(?i:(?:reported|first reported|revealed) by (?:the )?){o}\b",
    r"\b(?i:(?:citing|cited by|quoted by) (?:the )?){o}\b",
]
_INTERVIEW = [
    r"\b(?i:(?:told|tells|telling|said to|speaking to|in an interview with) (?:the )?){o}\b",
]
# A wire dateline opens the body: "CITY (AP) —", "Sept. 26 (UPI) -". Any short capitalised name in
# the brackets counts (agencies the registry lacks too); the dash after them is what makes it a
# dateline and not an aside.
_DATELINE = re.compile(
    r"\A[^\n()]{0,60}?\((?P<pub>[A-Z][\w&.'’-]*(?:[ \t]+[A-Z][\w&.'’-]*){0,3})\)[ \t]*[-–—]")
# A headline's interview ("X tells <outlet>", present tense) in the title or the standfirst (the
# body's first line, when it is short) says the article is that outlet's own interview; a reporter's
# "told <outlet>" anywhere is a citation of it.
_HEADLINE_INTERVIEW = [r"\b(?i:(?:tells|talks to|speaks to) (?:the )?){o}\b"]
_STANDFIRST_WORDS = 45


@dataclass(frozen=True, slots=True)
class Origin:
    publisher: str | None
    relation: str  # original | reprint | cites | unknown
    evidence: str | None


def _compile(patterns: list[str]) -> list[re.Pattern[str]]:
    o = outlet_pattern().pattern
    return [re.compile(p.format(o=_OUT.format(outlet=o))) for p in patterns]


def detect_origin(body: str, removed: list[str], tagged: str | None, outlet: str | None,
                  title: str | None = None) -> Origin:
    """Origin from explicit evidence: reprint notes, source tags and wire datelines; then an
    interview in the headline or standfirst; then citations (an interview further down cites)."""
    everything = "\n".join([body, *removed])
    own = canonical_outlet(outlet) if outlet else None
    if tagged:
        return _origin(tagged, "reprint", f"headline tag ({tagged})", own)
    for pat in _REPRINT:
        m = pat.search(everything)
        if m:
            return _origin(m.group("pub"), "reprint", m.group(0), own)
    m = _DATELINE.match(body.lstrip())
    if m:
        return _origin(m.group("pub"), "reprint", m.group(0).strip(), own)
    top = body.lstrip().split("\n", 1)[0]
    lead = "\n".join([title or "", top if len(top.split()) <= _STANDFIRST_WORDS else ""])
    for pat in _compile(_HEADLINE_INTERVIEW):
        if (m := pat.search(lead)):
            return _origin(m.group("pub"), "reprint", m.group(0), own)
    cites = [m for pat in _compile(_CITES) for m in pat.finditer(body)]
    interviews = [m for pat in _compile(_INTERVIEW) for m in pat.finditer(body)]
    if cites:
        first = min(cites, key=lambda m: m.start())
        names = [canonical_outlet(m.group("pub")) for m in cites]
        if names.count(names[0]) >= 2 or first.start() < max(300, len(body) // 5):
            return _origin(first.group("pub"), "cites", first.group(0), own)
    if interviews:  # a source who talked to an outlet: that outlet's interview is cited
        said = min(interviews, key=lambda m: m.start())
        return _origin(said.group("pub"), "cites", said.group(0), own)
    if own:
        return Origin(own, "original", "no sign of another publisher")
    return Origin(None, "unknown", None)


def _origin(pub: str, relation: str, evidence: str, own: str | None) -> Origin:
    pub = pub.strip().rstrip(".,;:")
    name = canonical_outlet(pub) or pub
    if own and name == own:
        return Origin(name, "original", evidence)
    return Origin(name, relation, evidence)


_WORDS = re.compile(r"\w+")
SHINGLE = 5


def minhash(text: str, num_perm: int) -> MinHash:
    """MinHash of the text's word 5-shingles (case-folded)."""
    words = _WORDS.findall(text.casefold())
    mh = MinHash(num_perm=num_perm)
    shingles = {" ".join(words[i:i + SHINGLE]) for i in range(max(len(words) - SHINGLE + 1, 1))}
    mh.update_batch([s.encode("utf-8") for s in shingles])
    return mh


def band_keys(mh: MinHash, bands: int) -> list[int]:
    """One signed 64-bit key per LSH band of the signature."""
    rows = len(mh.hashvalues) // bands
    keys = []
    for b in range(bands):
        chunk = mh.hashvalues[b * rows:(b + 1) * rows].tobytes()
        digest = hashlib.blake2b(chunk + bytes([b]), digest_size=8).digest()
        keys.append(struct.unpack(">q", digest)[0])
    return keys


def lsh_bands(threshold: float, num_perm: int) -> int:
    """The band count whose S-curve crosses ``threshold`` (rows = num_perm // bands)."""
    best, err = 1, 1.0
    for b in range(1, num_perm + 1):
        r = num_perm // b
        crossing = (1 / b) ** (1 / r)
        if abs(crossing - threshold) < err:
            best, err = b, abs(crossing - threshold)
    return best
