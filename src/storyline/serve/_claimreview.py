"""schema.org ClaimReview, one per story: the proposition reviewed, the claim with its holder and
its appearances (origin first), a rating where higher is more credible, and a real permalink.
"""

from __future__ import annotations

from typing import Any

from storyline.serve._snapshot import CREDIBILITY, NOT_A_VERDICT, RELIABILITY, Snapshot, one_line
from storyline.store import Claim, Cluster, Document

BEST, WORST = 6, 1  # schema.org reads a rating as "higher is better"


def rating_value(credibility: int) -> int:
    """Admiralty credibility 1 (confirmed) … 6 (cannot be judged) -> 6 … 1 on a higher-is-better
    scale; 6 cannot be judged, so it sits at the bottom with no claim to being improbable."""
    return BEST + WORST - credibility


def _work(snap: Snapshot, d: Document, c: Claim) -> dict[str, Any]:
    url = d.url if d.url and d.url.startswith(("http://", "https://")) else snap.permalink(
        f"documents/d{d.id}")
    out: dict[str, Any] = {"@type": "CreativeWork", "url": url, "headline": d.title or d.source,
                           "text": one_line(c.text),
                           "identifier": f"d{d.id}:{c.start}-{c.end}"}
    if d.published:
        out["datePublished"] = d.published
    if snap.outlet(d):
        out["publisher"] = {"@type": "Organization", "name": snap.outlet(d)}
    return out


def _order(snap: Snapshot, members: list[Claim]) -> list[Claim]:
    """Origins first (documents that copy no other), then by date, then by document."""
    def key(c: Claim) -> tuple[int, str, int, int]:
        d = snap.doc[c.document_id]
        return (snap.source_of(d) is not None, d.published or "9999", d.id, c.start)
    return sorted(members, key=key)


def _explanation(k: Cluster, statuses: list[str]) -> str:
    reasons = []
    for r in k.reasons or []:
        if r.get("kind") == "origins":
            reasons.append(f"{r.get('count')} independent origin(s)")
        else:
            reasons.append(f"{r.get('kind')} by {r.get('holder') or 'the article'} "
                           f"[{r.get('document')}:{r.get('start')}-{r.get('end')}]")
    return (f"Admiralty grade {k.reliability}{k.credibility}: source {RELIABILITY[k.reliability]}, "
            f"information {CREDIBILITY.get(k.credibility, 'not graded')}. "
            f"Reasons: {'; '.join(reasons) or 'none recorded'}. "
            f"Statuses in the sources: {', '.join(statuses)}. {NOT_A_VERDICT}")


def review(snap: Snapshot, k: Cluster) -> dict[str, Any]:
    """One story as a ClaimReview (schema.org, Google's required and recommended fields)."""
    members = _order(snap, snap.members[k.id])
    first = members[0] if members else None
    statuses = sorted({snap.status(c) for c in members})
    holder = snap.holder(first.document_id, first.holder_key) if first else None
    item: dict[str, Any] = {"@type": "Claim", "author": {
        "@type": "Person" if holder is not None and holder.type == "PERSON" else "Organization",
        "name": holder.name if holder else (first.holder_name if first and first.holder_name
                                            else "unattributed")}}
    works = [_work(snap, snap.doc[c.document_id], c) for c in members]
    if works:
        item["firstAppearance"] = works[0]
        item["appearance"] = works[1:]
        if "datePublished" in works[0]:
            item["datePublished"] = works[0]["datePublished"]
    return {
        "@context": "https://schema.org", "@type": "ClaimReview",
        "url": snap.permalink(f"clusters/k{k.id}"),
        "claimReviewed": snap.proposition(k),
        "datePublished": (k.updated_at.date().isoformat() if k.updated_at else "1970-01-01"),
        "author": {"@type": "Organization", "name": "storyline", "url": snap.permalink("")},
        "itemReviewed": item,
        "reviewRating": {"@type": "Rating", "ratingValue": rating_value(k.credibility),
                         "bestRating": BEST, "worstRating": WORST,
                         "alternateName": ", ".join(statuses) or "no claims",
                         "ratingExplanation": _explanation(k, statuses)},
    }


def reviews(snap: Snapshot) -> list[dict[str, Any]]:
    return [review(snap, k) for k in snap.clusters]
