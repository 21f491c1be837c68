"""Admiralty grades (STANAG 2511): source reliability A–F, information credibility 1–6.

Reliability is the best registry grade among a story's independent origins (none: F).
Credibility is judged from the information: how many independent origins of reliability A–C
carry it, whether one of them carries an authority's confirmation, and whether anyone denies
it. The "unknown source" group and origins graded D–F never lift a grade; a denial lowers it.
The rules, one row each, are in ``docs/grades.md`` and :data:`RULES`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from storyline.assess._origins import (
    UNKNOWN,
    DocLike,
    Origin,
    build,
    origin_keys,
    reliability_of,
)
from storyline.store import Claim

SUPPORT = frozenset({"reported", "asserted", "confirmed", "proposed", "supported", "considered"})

# (credibility, condition, meaning): the table of docs/grades.md, in the order it is applied.
# q = independent origins of reliability A–C carrying the claim; confirmed = one of them
# carries a confirmation; denied = a denial carried by any origin; weak = carried only by the
# unknown group or origins graded D–F; unconfirmed = only "not confirmed" statements.
RULES: tuple[tuple[int, str, str], ...] = (
    (1, "q >= 2, confirmed, not denied", "confirmed by other independent sources"),
    (2, "q >= 2, not denied", "probably true"),
    (3, "q >= 2 and denied; or q == 1, not denied", "possibly true"),
    (4, "q == 1 and denied; or q == 0 and only not-confirmed statements", "doubtful"),
    (5, "q == 0 and denied", "improbable"),
    (6, "q == 0, carried only by weak origins, not denied; or nothing to judge",
     "truth cannot be judged"),
)
MEANING = {n: meaning for n, _, meaning in RULES}


@dataclass(slots=True)
class Grade:
    reliability: str
    credibility: int
    reasons: list[dict[str, Any]] = field(default_factory=list)


def credibility(q: int, confirmed: bool, denied: bool, unconfirmed_only: bool) -> int:
    """The row of :data:`RULES` these facts fall in."""
    if q >= 2:
        return 3 if denied else (1 if confirmed else 2)
    if q == 1:
        return 4 if denied else 3
    if denied:
        return 5
    return 4 if unconfirmed_only else 6


def _status(c: Claim) -> str:
    return c.status_override or c.status


def grade(claims: Iterable[Claim], docs: Mapping[int, DocLike], registry_file: str = "",
          keys: dict[int, str] | None = None,
          found: Mapping[str, Origin] | None = None) -> Grade:
    """The story's grade with its reasons; ``keys``/``found`` are the store's origins when known
    (see :func:`storyline.assess._origins.build`)."""
    claims = list(claims)
    if keys is None or found is None:
        keys, found = build(docs, registry_file)
    by_status: dict[str, set[str]] = {}
    for c in claims:
        by_status.setdefault(_status(c), set()).add(keys[c.document_id])
    carrying = set().union(*by_status.values()) if by_status else set()
    support = set().union(*(o for s, o in by_status.items() if s in SUPPORT)) if by_status else set()
    qualified = sorted(o for o in support if found[o].qualified)
    confirmers = sorted(o for o in by_status.get("confirmed", ()) if found[o].qualified)
    denied = bool(by_status.get("denied"))
    unconfirmed_only = bool(by_status.get("unconfirmed")) and not support and any(
        found[o].qualified for o in by_status["unconfirmed"])
    cred = credibility(len(qualified), bool(confirmers), denied, unconfirmed_only)
    independent = sorted(o for o in carrying if found[o].independent)
    rel = min((found[o].reliability for o in independent), default="F")
    reasons = [dict(_origins_reason(claims, keys, found, carrying, support),
                    rule=_rule_reason(cred, claims, keys, qualified, confirmers, denied))]
    reasons += [_claim_reason(c, keys, found) for c in claims
                if _status(c) in ("confirmed", "denied", "unconfirmed")]
    return Grade(rel, cred, reasons)


def _docs_of(claims: list[Claim], keys: Mapping[int, str], origin: str) -> list[str]:
    return sorted({f"d{c.document_id}" for c in claims if keys[c.document_id] == origin},
                  key=lambda r: int(r[1:]))


def _origins_reason(claims: list[Claim], keys: Mapping[int, str], found: Mapping[str, Origin],
                    carrying: set[str], support: set[str]) -> dict[str, Any]:
    rows = [dict(found[o].as_dict(), documents=_docs_of(claims, keys, o)) for o in sorted(carrying)]
    return {"kind": "origins", "count": sum(1 for o in carrying if found[o].independent),
            "supporting": sum(1 for o in support if found[o].independent),
            "qualified": sum(1 for o in support if found[o].qualified),
            "unknown_documents": _docs_of(claims, keys, UNKNOWN) if UNKNOWN in carrying else [],
            "origins": rows}


def _names(origins: list[str], claims: list[Claim], keys: Mapping[int, str]) -> str:
    return "; ".join(f"{o} ({', '.join(_docs_of(claims, keys, o))})" for o in origins) or "none"


def _rule_reason(cred: int, claims: list[Claim], keys: Mapping[int, str],
                 qualified: list[str], confirmers: list[str], denied: bool) -> dict[str, Any]:
    """The row of :data:`RULES` applied, naming the origins and documents it rests on."""
    weak = sorted({keys[c.document_id] for c in claims if _status(c) in SUPPORT}
                  - set(qualified))
    deniers = sorted({keys[c.document_id] for c in claims if _status(c) == "denied"})
    parts = [f"{len(qualified)} independent origin(s) of reliability A–C carry it: "
             f"{_names(qualified, claims, keys)}"]
    if confirmers:
        parts.append(f"a confirmation carried by {_names(confirmers, claims, keys)}")
    if denied:
        parts.append(f"denied, carried by {_names(deniers, claims, keys)}")
    if weak:
        parts.append("not counted (unknown source or reliability D–F): "
                     f"{_names(weak, claims, keys)}")
    return {"credibility": cred, "meaning": MEANING[cred],
            "text": f"{cred} ({MEANING[cred]}): " + "; ".join(parts),
            "qualified": qualified, "confirmed_by": confirmers, "denied_by": deniers,
            "not_counted": weak,
            "documents": sorted({r for o in qualified + confirmers + deniers + weak
                                 for r in _docs_of(claims, keys, o)}, key=lambda r: int(r[1:]))}


def _claim_reason(c: Claim, keys: Mapping[int, str], found: Mapping[str, Origin]) -> dict[str, Any]:
    o = found[keys[c.document_id]]
    return {"kind": _status(c), "claim": f"c{c.id}", "document": f"d{c.document_id}",
            "holder": c.holder_override or c.holder_name or c.holder_key,
            "text": c.text.strip(), "start": c.start, "end": c.end,
            "origin": o.key, "reliability": o.reliability, "counts": o.qualified}


__all__ = ["MEANING", "RULES", "SUPPORT", "Grade", "credibility", "grade", "origin_keys",
           "reliability_of"]
