"""An analyst's corrections of a claim beyond its status: who holds it, which story it is in.

Each is kept beside what was extracted (the holder) or recorded with where it came from (the
story), written to the audit log like status overrides and entity decisions, and the stories it
touches are graded again.
"""

from __future__ import annotations

from typing import Any

from storyline.assess import regrade
from storyline.errors import InputError, NotFound
from storyline.store import Claim, Cluster, Decision, Store

HOLDER_MAX = 300  # the column's width


def correct_holder(store: Store, claim_id: int, holder: str | None, who: str,
                   comment: str | None = None) -> dict[str, Any]:
    """Say who holds claim ``claim_id`` (``None`` or blank restores the extracted holder)."""
    holder = " ".join((holder or "").split()) or None
    if holder and len(holder) > HOLDER_MAX:
        raise InputError(f"a holder is at most {HOLDER_MAX} characters")
    with store.session.begin() as s:
        claim = _claim(s, claim_id)
        claim.holder_override = holder
        s.add(Decision(action="claim.holder", subject=f"c{claim_id}",
                       object=holder or "(extracted)", who=who, comment=comment))
        cluster_id = claim.cluster_id
    if cluster_id:
        regrade(store, cluster_id)
    return {"claim": f"c{claim_id}", "holder": holder,
            "cluster": f"k{cluster_id}" if cluster_id else None}


def move_claim(store: Store, claim_id: int, cluster_id: int, who: str,
               comment: str | None = None) -> dict[str, Any]:
    """Put claim ``claim_id`` in story ``cluster_id``; both stories are graded again.
    (``storyline refresh --full`` re-clusters every claim and does not keep the move.)"""
    with store.session.begin() as s:
        claim = _claim(s, claim_id)
        if s.get(Cluster, cluster_id) is None:
            raise NotFound(f"no story k{cluster_id}; the Stories page lists them")
        before = claim.cluster_id
        claim.cluster_id = cluster_id
        s.add(Decision(action="claim.story", subject=f"c{claim_id}", object=f"k{cluster_id}",
                       who=who, comment=f"from k{before}" + (f": {comment}" if comment else "")
                       if before else comment))
    for k in {before, cluster_id} - {None}:
        regrade(store, k)  # type: ignore[arg-type]
    return {"claim": f"c{claim_id}", "cluster": f"k{cluster_id}",
            "was": f"k{before}" if before else None}


def _claim(s: Any, claim_id: int) -> Claim:
    claim = s.get(Claim, claim_id)
    if claim is None:
        raise NotFound(f"no claim c{claim_id}; the Claims page lists them")
    return claim  # type: ignore[no-any-return]


__all__ = ["correct_holder", "move_claim"]
