"""Admiralty grades (STANAG 2511): source reliability A–F, information credibility 1–6.

Reliability is the best registry grade among a cluster's independent origins (unknown: F).
Credibility is judged from the information alone: confirmation by an authority, the number of
independent origins that carry the claim, denials and failures to confirm. Copies, reprints,
translations and rewrites that cite their source collapse into one origin.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from storyline.data import canonical_outlet, sources
from storyline.store import Claim


class DocLike(Protocol):
    """A stored document or its facts (``Store.document_facts``): what origins are made of."""

    @property
    def id(self) -> int: ...
    @property
    def near_duplicate_of(self) -> int | None: ...
    @property
    def origin_relation(self) -> str: ...
    @property
    def origin_publisher(self) -> str | None: ...


SUPPORT = {"reported", "asserted", "confirmed", "proposed", "supported", "considered"}


def _root(doc: DocLike, docs: Mapping[int, DocLike]) -> DocLike:
    seen = set()
    while doc.near_duplicate_of and doc.near_duplicate_of in docs and doc.id not in seen:
        seen.add(doc.id)
        doc = docs[doc.near_duplicate_of]
    return doc


def _publisher(doc: DocLike) -> str | None:
    if doc.origin_relation in ("reprint", "cites", "original") and doc.origin_publisher:
        return canonical_outlet(doc.origin_publisher) or doc.origin_publisher
    return None


def origin_keys(docs: Mapping[int, DocLike]) -> dict[int, str]:
    """Every document's independent origin: the named publisher of its near-duplicate group
    (a copy, translation or rewrite names it), else the group's first document. The same set of
    documents gives the same origins in whatever order they arrived."""
    groups: dict[int, list[DocLike]] = {}
    for d in docs.values():
        groups.setdefault(_root(d, docs).id, []).append(d)
    out: dict[int, str] = {}
    for group in groups.values():
        named = sorted({p for d in group if (p := _publisher(d))})
        key = named[0] if named else f"d{min(d.id for d in group)}"
        out.update((d.id, key) for d in group)
    return out


def origin_key(doc: DocLike, docs: Mapping[int, DocLike]) -> str:
    """The independent origin of one document (see :func:`origin_keys`)."""
    return origin_keys(docs)[doc.id]


def reliability_of(origin: str, registry_file: str = "") -> str:
    name = canonical_outlet(origin) or origin
    for s in sources(registry_file):
        if s.name == name:
            return s.reliability
    return "F"


@dataclass(slots=True)
class Grade:
    reliability: str
    credibility: int
    reasons: list[dict[str, Any]] = field(default_factory=list)


def grade(claims: Iterable[Claim], docs: Mapping[int, DocLike], registry_file: str = "",
          keys: dict[int, str] | None = None) -> Grade:
    """The cluster's grade with its reasons; ``keys`` are the documents' origins when known."""
    claims = list(claims)
    keys = keys if keys is not None else origin_keys(docs)
    origins_of: dict[str, set[str]] = {}
    reasons: list[dict[str, Any]] = []
    for c in claims:
        status = c.status_override or c.status
        origin = keys[c.document_id]
        origins_of.setdefault(status, set()).add(origin)
        if status in ("confirmed", "denied", "unconfirmed"):
            reasons.append({"kind": status, "claim": f"c{c.id}", "document": f"d{c.document_id}",
                            "holder": c.holder_name or c.holder_key, "text": c.text,
                            "start": c.start, "end": c.end})
    support = set().union(*(o for s, o in origins_of.items() if s in SUPPORT)) if origins_of else set()
    all_origins = set().union(*origins_of.values()) if origins_of else set()
    denied = "denied" in origins_of
    confirmed = "confirmed" in origins_of
    if confirmed and len(support) >= 2:
        cred = 1
    elif confirmed or (len(support) >= 2 and not denied):
        cred = 2
    elif len(support) >= 2 or (len(support) == 1 and not denied):
        cred = 3
    elif support and denied:
        cred = 4
    elif denied or "unconfirmed" in origins_of:
        cred = 5 if denied and not support else 4
    else:
        cred = 6
    grades = sorted(reliability_of(o, registry_file) for o in all_origins) or ["F"]
    docs_by_origin: dict[str, list[str]] = {}
    for c in claims:
        refs = docs_by_origin.setdefault(keys[c.document_id], [])
        if f"d{c.document_id}" not in refs:
            refs.append(f"d{c.document_id}")
    reasons.insert(0, {"kind": "origins", "count": len(all_origins),
                       "supporting": len(support), "origins": [
                           {"origin": o, "reliability": reliability_of(o, registry_file),
                            "documents": docs_by_origin.get(o, [])} for o in sorted(all_origins)]})
    return Grade(grades[0], cred, reasons)
