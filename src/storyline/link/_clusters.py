"""Claim clusters in the store: cluster every claim, or place the new ones, and write the result.

Claims cluster by story (the documents that report one event or argue one proposal, found in
``_stories``) and kind; how new claims are placed in a large store is in ``_placing``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np
from sqlalchemy import func, select, update

from storyline.link._placing import place
from storyline.link._rows import ClaimRow, chunks, claim_rows
from storyline.link._stories import claim_kinds, document_texts, stories
from storyline.store import Claim, Cluster, Store

# Up to this many claims every claim is clustered afresh each time; beyond, new claims are placed.
EXACT_LIMIT = 3000

__all__ = ["cluster_claims"]


def cluster_claims(store: Store, *, full: bool = False) -> set[int]:
    """Cluster the stored claims; returns the ids of the clusters written (new or re-formed).

    Small stores (up to EXACT_LIMIT claims) and ``full=True`` are clustered from scratch, so the
    same claims give the same clusters in whatever order they came. In a larger store only the
    new claims (those without a cluster) are placed: the stories their documents join are formed
    anew (a large cluster is joined as it is); every other cluster stays.
    Cluster ids are kept where a cluster lives on.
    """
    with store.session() as s:
        n = s.scalar(select(func.count(Claim.id))) or 0
        new = s.scalar(select(func.count(Claim.id)).where(Claim.cluster_id.is_(None))) or 0
    if not n:
        return set()
    if full or n <= EXACT_LIMIT or new == n:
        return _cluster_all(store)
    if not new:
        return set()
    rows, groups, kinds, redone, joined = place(store, exact_limit=EXACT_LIMIT)
    if joined:
        with store.session.begin() as s:
            s.execute(update(Claim), [{"id": i, "cluster_id": c} for i, c in joined.items()])
    written = _write(store, rows, groups, kinds, redone) if groups else set()
    return written | set(joined.values())


def _cluster_all(store: Store) -> set[int]:
    """Every claim clustered afresh: one cluster per story and kind (the events it reports, the
    proposal it argues), stories found from the documents' words (``_stories``). Claims of
    different stories never share a cluster, however alike their words."""
    rows = claim_rows(store)
    story = stories(document_texts(rows))
    kinds = claim_kinds(rows, story)
    by: dict[tuple[int, str], list[int]] = defaultdict(list)
    for i, c in enumerate(rows):
        by[(story[c.document_id], kinds[i])].append(i)
    return _write(store, rows, list(by.values()), kinds)


def _write(store: Store, claims: Sequence[ClaimRow], groups: list[list[int]], kinds: list[str],
           redone: set[int] | None = None) -> set[int]:
    """Store the clusters: a cluster keeps its id where most of its claims were before.
    ``redone``: the stored clusters these groups replace (``None``: all of them)."""
    with store.session.begin() as s:
        if redone is None:
            old = {k.id: k for k in s.scalars(select(Cluster))}
        else:
            old = {k.id: k for part in chunks(redone)
                   for k in s.scalars(select(Cluster).where(Cluster.id.in_(part)))}
        used: set[int] = set()
        rows: list[tuple[Cluster, list[int]]] = []
        for members in sorted(groups, key=lambda g: min(claims[i].id for i in g)):
            prev = Counter(claims[i].cluster_id for i in members if claims[i].cluster_id)
            reuse = next((cid for cid, _ in prev.most_common() if cid in old and cid not in used),
                         None)
            row = old[reuse] if reuse is not None else Cluster(label="", kind="event")
            if reuse is None:
                s.add(row)
            else:
                used.add(reuse)
            row.kind = kinds[members[0]]
            row.label = _label([claims[i] for i in members])
            rows.append((row, members))
        s.flush()  # new clusters get their ids here, all at once
        moves = [{"id": claims[i].id, "cluster_id": row.id} for row, members in rows for i in members
                 if claims[i].cluster_id != row.id]
        if moves:
            s.execute(update(Claim), moves)
        for cid, row in old.items():  # only now: no claim points at them any more
            if cid not in used:
                s.delete(row)
        return {row.id for row, _ in rows}


def _label(members: list[ClaimRow]) -> str:
    """The most central wording: the member whose words are closest to the others' (TF-IDF
    cosine to the sum of the members' rows), shortened."""
    text = members[_central([c.proposition or c.text for c in members])].text
    return text if len(text) <= 160 else text[:157].rsplit(" ", 1)[0] + "…"


def _central(texts: list[str]) -> int:
    """The index of the text closest in its words to all the others (the first of equals)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    if len(texts) < 3:
        return 0
    try:
        mat = TfidfVectorizer(sublinear_tf=True, stop_words="english",
                              dtype=np.float32).fit_transform(texts)
    except ValueError:  # no words but stop words
        return 0
    return int(np.argmax(np.asarray(mat @ np.asarray(mat.sum(axis=0)).ravel()).ravel()))
