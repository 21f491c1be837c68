"""Stories: the documents that report one event or one proposal, found from what they say.

Two articles about one event name the same participants, places, times and figures, and use the
same rare words; two similar but different events (two earthquakes on one island years apart,
two arrests of one man) share the common words but not the names, dates and numbers. So a
document is a TF-IDF vector of its claims' words (sublinear counts, English stop words out,
numbers kept), and documents group by average linkage at cosine STORY_LINK: a document joins a
story only when it is close to its documents on average, so one shared phrase ("Grand Slam" in
a tennis and a rugby report) cannot chain two stories together.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from scipy import sparse
from scipy.sparse import csgraph

from storyline.records import STANCES

# Average-link cosine between the documents of one story. Chosen on ECB+ dev topics 1-12 (sub-
# topics as stories) and bbc-dev (its six stories and three stand-alone articles are found
# exactly from 0.10 to 0.15); see docs in scripts' output and the closing note of issue #18.
STORY_LINK = 0.12
# Nearest documents compared per document (a large store is not compared pair by pair).
STORY_NEIGHBOURS = 50
# A document's claims of one kind (event or proposal) fewer than this, beside at least this many
# of the other kind, are read as that other kind: a lone warning in an article reporting an event
# is a reaction to the event, a lone report in an argued article is part of the argument.
LONE_KIND = 2
# Largest set of linked documents agglomerated at once (beyond: stricter links first).
_MAX_SET = 4000


def stories(texts: Mapping[int, str]) -> dict[int, int]:
    """Each document id's story number (``texts``: document id -> its claims' words)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    ids = sorted(texts)
    if not ids:
        return {}
    vec = TfidfVectorizer(sublinear_tf=True, stop_words="english",
                          token_pattern=r"(?u)\b\w\w+\b", dtype=np.float32)
    try:
        mat = vec.fit_transform([texts[i] for i in ids]).tocsr()
    except ValueError:  # no words at all (every text empty or stop words)
        return {d: k for k, d in enumerate(ids)}
    labels = _group(mat, STORY_LINK)
    return {d: int(labels[k]) for k, d in enumerate(ids)}


def document_texts(claims: Sequence[Any]) -> dict[int, str]:
    """Each document's claims' words, the text its story is found from."""
    words: dict[int, list[str]] = defaultdict(list)
    for c in claims:
        words[c.document_id].append(c.text)
    return {d: "\n".join(ts) for d, ts in words.items()}


def claim_kinds(claims: Sequence[Any]) -> list[str]:
    """Each claim's kind (``proposal`` for a stance, else ``event``), a document's lone claim of
    one kind taking the kind of the rest (LONE_KIND)."""
    own = ["proposal" if c.status in STANCES else "event" for c in claims]
    count: dict[int, Counter[str]] = defaultdict(Counter)
    for c, k in zip(claims, own, strict=True):
        count[c.document_id][k] += 1
    out = []
    for c, k in zip(claims, own, strict=True):
        other = "event" if k == "proposal" else "proposal"
        n = count[c.document_id]
        out.append(other if n[k] < LONE_KIND <= n[other] else k)
    return out


def _group(mat: Any, floor: float) -> np.ndarray[Any, Any]:
    """Average-linkage groups of the rows of ``mat`` (unit rows) at mean cosine >= ``floor``."""
    n = mat.shape[0]
    sims = _neighbours(mat, floor)
    count, label = csgraph.connected_components(sims, directed=False)
    out = np.full(n, -1, dtype=np.int64)
    nxt = 0
    for part in range(count):
        members = np.flatnonzero(label == part)
        if len(members) == 1:
            groups = [[0]]
        elif len(members) > _MAX_SET and floor < 0.9:
            sub = _group(mat[members], floor + 0.05)
            groups = [list(np.flatnonzero(sub == g)) for g in np.unique(sub)]
        else:
            dense = sims[members][:, members].toarray()
            groups = _average(dense, floor)
        for g in groups:
            out[members[g]] = nxt
            nxt += 1
    return out


def _neighbours(mat: Any, floor: float) -> sparse.csr_matrix:
    """Cosine of each row with its STORY_NEIGHBOURS nearest rows, where >= ``floor``."""
    n = mat.shape[0]
    rows, cols, vals = [], [], []
    for lo in range(0, n, 512):
        block = (mat[lo:lo + 512] @ mat.T).toarray()
        for r in range(block.shape[0]):
            block[r, lo + r] = 0.0
        k = min(STORY_NEIGHBOURS, n - 1)
        if k <= 0:
            break
        top = np.argpartition(-block, k - 1, axis=1)[:, :k]
        v = np.take_along_axis(block, top, axis=1)
        keep = v >= floor
        rows.append(np.broadcast_to(np.arange(lo, lo + len(block))[:, None], top.shape)[keep])
        cols.append(top[keep])
        vals.append(v[keep])
    if not rows:
        return sparse.csr_matrix((n, n), dtype=np.float32)
    at_r, at_c, sim = np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)
    sims = sparse.coo_matrix((sim, (at_r, at_c)), shape=(n, n)).tocsr()
    return sims.maximum(sims.T).tocsr()


def _average(score: np.ndarray[Any, Any], floor: float) -> list[list[int]]:
    """Average linkage over a dense link matrix: merge while the best mean link >= ``floor``."""
    m = len(score)
    total = score.astype(np.float64)
    np.fill_diagonal(total, 0.0)
    size = np.ones(m)
    mean = total.copy()
    np.fill_diagonal(mean, -1.0)
    members = [[i] for i in range(m)]
    alive = np.ones(m, dtype=bool)
    while True:
        a, b = divmod(int(np.argmax(mean)), m)
        if mean[a, b] < floor:
            break
        a, b = min(a, b), max(a, b)
        total[a, :] += total[b, :]
        total[:, a] += total[:, b]
        size[a] += size[b]
        alive[b] = False
        members[a] += members[b]
        row = np.where(alive, total[a, :] / (size[a] * size), -1.0)
        row[a] = -1.0
        mean[a, :] = mean[:, a] = row
        mean[b, :] = mean[:, b] = -1.0
    return [sorted(members[i]) for i in range(m) if alive[i]]


__all__ = ["STORY_LINK", "claim_kinds", "document_texts", "stories"]
