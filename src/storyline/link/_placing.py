"""Placing new claims in a large store, reading it a block of documents at a time.

Memory stays bounded by a block (DOCS_PER_BLOCK documents' claims, their vectors and place
mentions) plus the clusters the new claims touch, however many claims are stored:

1. the new claims are prepared with their documents;
2. every stored claim is read once, block by block, to count the names claims are about (their
   weights) and to keep each new claim's NEIGHBOURS nearest stored claims;
3. a new claim whose links go mostly to a cluster of more than REFORM_LIMIT claims joins it as
   it is;
4. the other clusters a new claim links to are read again whole and formed anew together with
   the remaining new claims.

Below REFORM_LIMIT the result is what clustering every claim with the same neighbour bound
would give for the touched clusters (tests compare the two).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

import numpy as np
from sqlalchemy import func, select

from storyline.link._rows import chunks, claim_rows, entities_of, place_rows, vectors_of
from storyline.link._similar import (
    FLOOR,
    NEIGHBOURS,
    WEAK,
    ClaimRow,
    Pairs,
    adopt,
    candidates,
    context,
    form_groups,
    mix,
    prepare,
    score_pairs,
    weights,
)
from storyline.store import Claim, Mention, Store

DOCS_PER_BLOCK = 2000

# A cluster with more claims than this is joined by new claims, not formed anew.
REFORM_LIMIT = 1000

Placed = tuple[list[ClaimRow], list[list[int]], list[str], set[int], dict[int, int]]


class _Nearest:
    """Each new claim's ``k`` nearest stored claims so far, with what scoring needs of them."""

    def __init__(self, new_ids: list[int], vecs: np.ndarray[Any, Any], k: int) -> None:
        self.ids, self.vecs, self.k = np.asarray(new_ids), vecs, k
        self.best = np.full((len(new_ids), k), -1.0)
        self.best_id = np.full((len(new_ids), k), -1, dtype=np.int64)
        self.seen: dict[int, tuple[set[str], str, int | None]] = {}

    def add(self, rows: list[ClaimRow], about: list[set[str]], kinds: list[str],
            mat: np.ndarray[Any, Any]) -> None:
        import torch

        ids = np.array([r.id for r in rows], dtype=np.int64)
        sims = torch.from_numpy(self.vecs @ mat.T)
        for i in np.flatnonzero(np.isin(self.ids, ids)):  # a new claim is not its own neighbour
            sims[i, int(np.flatnonzero(ids == self.ids[i])[0])] = -1.0
        near = torch.topk(sims, min(self.k, len(ids)), dim=1)  # the block's nearest first
        both = np.hstack([self.best, near.values.numpy()])
        both_id = np.hstack([self.best_id, ids[near.indices.numpy()]])
        top = np.argpartition(-both, self.k, axis=1)[:, :self.k]
        self.best = np.take_along_axis(both, top, axis=1)
        self.best_id = np.take_along_axis(both_id, top, axis=1)
        kept = set(self.best_id[self.best >= FLOOR].tolist())
        for j, r in enumerate(rows):
            if r.id in kept:
                self.seen[r.id] = (about[j], kinds[j], r.cluster_id)

    def links(self, new_about: list[set[str]], new_kinds: list[str],
              weight: dict[str, float]) -> list[tuple[int, int, float]]:
        """(new claim's index, cluster, link) for each link >= WEAK of a new claim to a stored
        claim in a cluster."""
        others = sorted({int(x) for x in self.best_id[self.best >= FLOOR]} - set(self.ids.tolist()))
        at = {c: len(new_about) + n for n, c in enumerate(others)}
        about = new_about + [self.seen[c][0] for c in others]
        kinds = new_kinds + [self.seen[c][1] for c in others]
        a, b, v = [], [], []
        for i, (row, ids) in enumerate(zip(self.best, self.best_id, strict=True)):
            for s, c in zip(row, ids, strict=True):
                if s >= FLOOR and int(c) in at:
                    a.append(i)
                    b.append(at[int(c)])
                    v.append(float(s))
        pairs = score_pairs(Pairs(np.array(a, dtype=np.intp), np.array(b, dtype=np.intp),
                                  np.array(v)), about, kinds, weight)
        strong = pairs.where(pairs.v >= WEAK)
        return [(i, cid, float(x)) for i, j, x in zip(strong.a.tolist(), strong.b.tolist(),
                                                      strong.v.tolist(), strict=True)
                if (cid := self.seen[others[j - len(new_about)]][2]) is not None]


def place(store: Store, *, exact_limit: int) -> Placed:
    """The claims to re-cluster (rows of whole documents), their groups (indexes into the rows),
    their kinds, the stored clusters the groups replace, and the new claims that join a large
    cluster as they are (claim id: cluster id)."""
    entities = entities_of(store)
    with store.session() as s:
        new_docs = sorted(set(s.scalars(select(Claim.document_id).where(Claim.cluster_id.is_(None)))))
    fresh = claim_rows(store, docs=new_docs)
    about_f, kinds_f, mat_f = prepare(fresh, place_rows(store, docs=new_docs), entities)
    new = [i for i, r in enumerate(fresh) if r.cluster_id is None]
    nearest = _Nearest([fresh[i].id for i in new], mat_f[new], NEIGHBOURS)
    counts: Counter[str] = Counter()
    total = 0
    for rows, about, kinds, mat in _blocks(store, entities):
        counts.update(x for a in about for x in a)
        total += len(rows)
        nearest.add(rows, about, kinds, mat)
    weight = weights(counts, total)
    links = nearest.links([about_f[i] for i in new], [kinds_f[i] for i in new], weight)
    joined, redone = _join_large(store, links, [fresh[i].id for i in new])
    rows, groups, kinds = _reform(store, entities, new_docs, redone, set(joined), weight,
                                  exact_limit)
    return rows, groups, kinds, redone, joined


def _join_large(store: Store, links: list[tuple[int, int, float]],
                new_ids: list[int]) -> tuple[dict[int, int], set[int]]:
    """({new claim id: large cluster it joins}, the clusters to form anew).

    A cluster larger than REFORM_LIMIT is not formed anew for a few new claims: a new claim whose
    links go mostly to such a cluster joins it, as its nearest neighbours vote."""
    touched = {c for _, c, _ in links}
    with store.session() as s:
        large = {c for part in chunks(touched) for c in s.scalars(
            select(Claim.cluster_id).where(Claim.cluster_id.in_(part))
            .group_by(Claim.cluster_id).having(func.count(Claim.id) > REFORM_LIMIT))}
    votes: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for i, cid, v in links:
        votes[i][cid] += v
    joined = {new_ids[i]: best for i, vote in votes.items()
              if (best := min(vote, key=lambda c: (-vote[c], c))) in large}
    return joined, touched - large


def _reform(store: Store, entities: dict[int, tuple[str, str]], new_docs: list[int],
            redone: set[int], joined: set[int], weight: dict[str, float], exact_limit: int,
            ) -> tuple[list[ClaimRow], list[list[int]], list[str]]:
    """The new claims and the members of the clusters they touch, grouped afresh. Their whole
    documents are read, without vectors: a claim may point back to one outside the clusters; the
    vectors read are those of the claims grouped and of what they point back to."""
    with store.session() as s:
        docs = set(new_docs) | {d for part in chunks(redone) for d in s.scalars(
            select(Claim.document_id).where(Claim.cluster_id.in_(part)).distinct())}
    rows = claim_rows(store, docs=docs, vectors=False)
    about, kinds, ants = context(rows, place_rows(store, docs=docs), entities)
    scope = [i for i, r in enumerate(rows)
             if (r.cluster_id is None and r.id not in joined) or r.cluster_id in redone]
    if not scope:  # every new claim joined a large cluster
        return rows, [], kinds
    ante_of = {i: ante for i, ante, _ in ants}
    needed = set(scope)
    for i in scope:
        while (i := ante_of.get(i, -1)) >= 0 and i not in needed:
            needed.add(i)
    vectors_of(store, [rows[i] for i in needed])
    vecs = {i: np.frombuffer(rows[i].embedding or b"", dtype=np.float32).copy() for i in needed}
    mix(vecs, [a for a in ants if a[0] in vecs])  # what they point back to is in vecs too
    k = len(scope) - 1 if len(scope) <= exact_limit else NEIGHBOURS
    local = candidates(np.stack([vecs[i] for i in scope]), k)
    at = np.asarray(scope, dtype=np.intp)
    pairs = score_pairs(Pairs(at[local.a], at[local.b], local.v), about, kinds, weight)
    return rows, adopt(form_groups(scope, pairs), rows, kinds, _Vectors(vecs)), kinds


class _Vectors:
    """Vectors by claim index, indexable like the array ``adopt`` expects."""

    def __init__(self, vecs: dict[int, np.ndarray[Any, Any]]) -> None:
        self.vecs = vecs

    def __getitem__(self, index: Any) -> np.ndarray[Any, Any]:
        if isinstance(index, list):
            return np.stack([self.vecs[i] for i in index])
        return self.vecs[int(index)]


def _blocks(store: Store, entities: dict[int, tuple[str, str]],
            ) -> Iterator[tuple[list[ClaimRow], list[set[str]], list[str], np.ndarray[Any, Any]]]:
    """Every stored claim, prepared a block of whole documents at a time."""
    with store.session() as s:
        docs = list(s.scalars(select(Claim.document_id).distinct().order_by(Claim.document_id)))
    for at in range(0, len(docs), DOCS_PER_BLOCK):
        lo, hi = docs[at], docs[min(at + DOCS_PER_BLOCK, len(docs)) - 1]
        rows = claim_rows(store, Claim.document_id.between(lo, hi))
        places = place_rows(store, Mention.document_id.between(lo, hi))
        yield rows, *prepare(rows, places, entities)
