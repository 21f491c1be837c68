"""Placing new claims in a large store: only the stories the new documents join are formed anew.

Claims cluster by story and kind (``_clusters``). In a store too large to re-cluster at every
ingest:

1. stories are found again from every document's claim words;
2. a new claim whose (story, kind) group already holds a cluster of more than REFORM_LIMIT
   claims joins that cluster as it is (its label stays);
3. the other clusters of the stories the new documents join are formed anew together with the
   new claims; every other cluster stays as it is, not even relabelled.

Where stories do not shift as documents arrive (the usual case), the result is what clustering
every claim afresh gives (tests compare the two).
"""

from __future__ import annotations

from collections import Counter, defaultdict

from sqlalchemy import func, select

from storyline.link._rows import ClaimRow, chunks, claim_rows
from storyline.link._stories import claim_kinds, document_texts, stories
from storyline.store import Claim, Store

# A cluster with more claims than this is joined by new claims, not formed anew.
REFORM_LIMIT = 1000

Placed = tuple[list[ClaimRow], list[list[int]], list[str], set[int], dict[int, int]]


def place(store: Store, *, exact_limit: int) -> Placed:
    """The claims to re-cluster, their groups (indexes into the rows), their kinds, the stored
    clusters the groups replace, and the new claims that join a large cluster as they are
    (claim id: cluster id). ``exact_limit`` is unused here (kept for the caller's signature)."""
    del exact_limit
    rows = claim_rows(store)
    story = stories(document_texts(rows))
    kinds = claim_kinds(rows, story)
    by: dict[tuple[int, str], list[int]] = defaultdict(list)
    for i, c in enumerate(rows):
        by[(story[c.document_id], kinds[i])].append(i)
    touched = {story[c.document_id] for c in rows if c.cluster_id is None}
    large = _large(store, {c.cluster_id for c in rows if c.cluster_id is not None
                           and story[c.document_id] in touched})
    joined: dict[int, int] = {}
    keys: set[tuple[int, str]] = set()
    for key, members in sorted(by.items()):
        if key[0] not in touched:
            continue
        held = Counter(k for i in members if (k := rows[i].cluster_id) is not None and k in large)
        if held:
            target = min(held, key=lambda c: (-held[c], c))
            joined.update({rows[i].id: target for i in members if rows[i].cluster_id is None})
        else:
            keys.add(key)
    keys, redone = _close(by, rows, keys, large)
    groups = [by[k] for k in sorted(keys)]
    return rows, groups, kinds, redone, joined


def _close(by: dict[tuple[int, str], list[int]], rows: list[ClaimRow], keys: set[tuple[int, str]],
           large: set[int | None]) -> tuple[set[tuple[int, str]], set[int]]:
    """The groups to form anew, with every other group holding claims of the clusters they
    replace (a story that shifted: no stored claim is left in a cluster that goes), and those
    clusters."""
    keys, redone = set(keys), set()
    while True:
        redone = {c for k in keys for i in by[k] if (c := rows[i].cluster_id) is not None}
        more = {k for k, members in by.items() if k not in keys
                and any(rows[i].cluster_id in redone and rows[i].cluster_id not in large
                        for i in members)}
        if not more:
            return keys, redone
        keys |= more


def _large(store: Store, clusters: set[int | None]) -> set[int | None]:
    """The clusters of ``clusters`` with more than REFORM_LIMIT claims."""
    ids = {c for c in clusters if c is not None}
    with store.session() as s:
        return {c for part in chunks(ids) for c in s.scalars(
            select(Claim.cluster_id).where(Claim.cluster_id.in_(part))
            .group_by(Claim.cluster_id).having(func.count(Claim.id) > REFORM_LIMIT))}
