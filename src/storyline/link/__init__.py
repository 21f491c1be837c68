"""link: one canonical entity per real-world entity across the store; claim clusters.

Public face: :func:`link_store` (entities), :func:`merge_entities`, :func:`split_entities`.
"""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update

from storyline.data import gazetteer
from storyline.errors import NotFound
from storyline.lang import words
from storyline.link._clusters import cluster_claims
from storyline.link._names import (
    bare,
    clipped_words,
    fold,
    initials,
    looks_acronym,
    region_base,
    same_given_name,
    same_person,
    skeleton,
    squashed,
)
from storyline.settings import Settings
from storyline.store import Decision, Entity, Mention, Store


@dataclass(slots=True)
class _Group:
    names: Counter[str] = field(default_factory=Counter)
    labels: Counter[str] = field(default_factory=Counter)
    aliases: set[str] = field(default_factory=set)
    roles: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


class _Union:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.why: dict[str, list[str]] = defaultdict(list)

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str, reason: str, forbidden: set[frozenset[str]]) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if forbidden and self._forbidden(ra, rb, forbidden):
            return
        lo, hi = sorted((ra, rb))
        self.parent[hi] = lo
        self.why[lo] += self.why.pop(hi, []) + [reason]

    def _forbidden(self, ra: str, rb: str, forbidden: set[frozenset[str]]) -> bool:
        members_a = {k for k in self.parent if self.find(k) == ra}
        members_b = {k for k in self.parent if self.find(k) == rb}
        return any(frozenset((x, y)) in forbidden for x in members_a for y in members_b)


def _node(m: Any) -> str:
    return f"{m.label}:{fold(m.name)}"


def _decisions(store: Store) -> tuple[list[tuple[str, str]], set[frozenset[str]]]:
    with store.session() as s:
        rows = list(s.scalars(select(Decision).where(Decision.action.in_(
            ["entity.merge", "entity.split"])).order_by(Decision.id)))
    last: dict[frozenset[str], tuple[str, str, str]] = {}
    for d in rows:  # the latest decision on a pair wins
        if d.object is not None:
            last[frozenset((d.subject, d.object))] = (d.action, d.subject, d.object)
    merges = [(a, b) for act, a, b in last.values() if act == "entity.merge"]
    splits = {pair for pair, (act, _, _) in last.items() if act == "entity.split"}
    return merges, splits


@dataclass(slots=True)
class _Seen:
    """What linking keeps of each mention once its names are counted: its id, its node (as an
    index into ``nodes``) and its entity. Three integers: a large store has millions."""
    ids: array[int] = field(default_factory=lambda: array("q"))
    node: array[int] = field(default_factory=lambda: array("q"))
    entity: array[int] = field(default_factory=lambda: array("q"))
    nodes: dict[str, int] = field(default_factory=dict)


def _link(mentions: Iterable[Any], store: Store) -> tuple[_Union, dict[str, _Group], _Seen]:
    groups: dict[str, _Group] = defaultdict(_Group)
    by_fold: dict[str, set[str]] = defaultdict(set)
    seen = _Seen()
    for m in mentions:
        node = _node(m)
        g = groups[node]
        g.names[m.name] += len(m.spans) or 1
        g.labels[m.label] += 1
        g.aliases.update(m.aliases)
        g.roles += [r for r in m.roles if r not in g.roles]
        by_fold[fold(m.name)].add(node)
        seen.ids.append(m.id)
        seen.node.append(seen.nodes.setdefault(node, len(seen.nodes)))
        seen.entity.append(m.entity_id or -1)
    merges, splits = _decisions(store)
    folded_splits = {frozenset(fold(x) for x in pair) for pair in splits}
    forbidden = {frozenset((a, b)) for pair in folded_splits for a in by_fold.get(min(pair), ())
                 for b in by_fold.get(max(pair), ())}
    u = _Union()
    for node in sorted(groups):
        u.find(node)
    _rule_links(u, groups, by_fold, forbidden)
    for a, b in merges:
        for x in by_fold.get(fold(a), ()):
            for y in by_fold.get(fold(b), ()):
                u.union(x, y, f"analyst merged {a} and {b}", set())
    return u, groups, seen


def _rule_links(u: _Union, groups: dict[str, _Group], by_fold: dict[str, set[str]],
                forbidden: set[frozenset[str]]) -> None:
    nodes = sorted(groups)
    # The same name under two labels, and aliases that name another group.
    for nodes_same in by_fold.values():
        ordered = sorted(nodes_same)
        for other in ordered[1:]:
            u.union(ordered[0], other, "same name", forbidden)
    for node in nodes:
        for alias in sorted(groups[node].aliases):
            if len(alias.split()) > 1 or alias.isupper():
                for other in sorted(by_fold.get(fold(alias), ())):
                    u.union(node, other, f"alias {alias}", forbidden)
    _written_alike(u, nodes, forbidden)
    people = [n for n in nodes if n.startswith("PERSON:") and len(bare(_name(n)).split()) > 1]
    blocks: dict[tuple[str, ...], list[str]] = defaultdict(list)
    by_surname: dict[str, list[str]] = defaultdict(list)
    for p in people:  # only names with one consonant skeleton can be spellings of one name
        blocks[tuple(skeleton(t) for t in bare(_name(p)).split())].append(p)
        by_surname[bare(_name(p)).split()[-1]].append(p)
    for block in blocks.values():
        _pairs(u, block, same_person, forbidden)
    for block in by_surname.values():
        _pairs(u, block, same_given_name, forbidden)
    _acronyms(u, nodes, groups, forbidden)
    _short_forms(u, nodes, forbidden)
    _clipped_forms(u, nodes, forbidden)
    _surnames(u, nodes, people, forbidden)
    regions: dict[str, list[str]] = defaultdict(list)
    for n in nodes:
        if n.startswith("GPE:"):
            name = n.split(":", 1)[1]
            regions[region_base(name) or name].append(n)
    for members in regions.values():
        for other in members[1:]:
            u.union(members[0], other, "region name with and without its suffix", forbidden)


def _name(node: str) -> str:
    return node.split(":", 1)[1]


def _pairs(u: _Union, block: list[str], why_same: Any, forbidden: set[frozenset[str]]) -> None:
    for i, a in enumerate(block):
        for b in block[i + 1:]:
            why = why_same(_name(a), _name(b))
            if why:
                u.union(a, b, why, forbidden)


def _written_alike(u: _Union, nodes: list[str], forbidden: set[frozenset[str]]) -> None:
    """One name with or without a title ("Sir Ivan Roe" / "Ivan Roe"), with or without spaces."""
    forms: dict[str, list[str]] = defaultdict(list)
    for n in nodes:
        forms[squashed(bare(_name(n)) if n.startswith("PERSON:") else _name(n))].append(n)
    for members in forms.values():
        for other in members[1:]:
            u.union(members[0], other, f"one name written two ways ({_name(members[0])} ~ "
                    f"{_name(other)})", forbidden)


def _acronyms(u: _Union, nodes: list[str], groups: dict[str, _Group],
              forbidden: set[frozenset[str]]) -> None:
    """An acronym joins the one organisation it abbreviates in the store: its initials
    ("VTU" / "Valdorian Teachers Union") or its name and a suffix ("OFM" / "OFM Fund Management")."""
    suffixes = words("org_suffixes")
    expands: dict[str, set[str]] = defaultdict(set)
    for n in nodes:
        parts = _name(n).split()
        if n.startswith("ORG:") and len(parts) > 1:
            for written in groups[n].names:
                expands[initials(written)].add(n)
            if all(p in suffixes for p in parts[1:]):
                expands[parts[0]].add(n)
    for n in nodes:
        if n.startswith("GPE:"):
            continue
        for written in sorted(groups[n].names):
            if looks_acronym(written):
                roots = {u.find(x) for x in expands.get(fold(written), ()) if x != n}
                if len(roots) == 1:
                    target = next(iter(roots))
                    u.union(target, n, f"acronym {written} of {_name(target)}", forbidden)


def _short_forms(u: _Union, nodes: list[str], forbidden: set[frozenset[str]]) -> None:
    """ "Senate" alone joins the one organisation called "… of Senate" ("House of Senate")."""
    long: dict[str, set[str]] = defaultdict(set)
    for n in nodes:
        parts = _name(n).split()
        if n.startswith("ORG:") and len(parts) == 3 and parts[1] == "of":
            long[parts[2]].add(n)
    for n in nodes:
        if n.startswith("ORG:") and len(long.get(_name(n), ())) == 1:
            target = next(iter(long[_name(n)]))
            u.union(target, n, f"short form {_name(n)} of {_name(target)}", forbidden)


def _clipped_forms(u: _Union, nodes: list[str], forbidden: set[frozenset[str]]) -> None:
    """A club or body written with clipped words ("Ost Utd", "Ost United" for "Ostrana United")
    joins the one name it clips, when that name is an organisation's or a place's somewhere in
    the store or opens with a place: a clipped given name ("Sam Roe", "Samuel Roe") is no proof."""
    places = {fold(_name(n)) for n in nodes if n.startswith("GPE:")} | \
        {fold(p) for p in gazetteer()["places"]}
    parts = {n: fold(_name(n)).split() for n in nodes}
    long: dict[str, list[str]] = defaultdict(list)  # by the words' first letters
    for n in nodes:
        ws = parts[n]
        if len(ws) >= 2 and all(ws) and (ws[0] in places or n.startswith(("ORG:", "GPE:"))):
            long["".join(w[0] for w in ws)].append(n)
    for n in nodes:
        ws = parts[n]
        if len(ws) < 2 or not all(ws):
            continue
        clips = [x for x in long.get("".join(w[0] for w in ws), ())
                 if x != n and clipped_words(ws, parts[x])]
        if len({u.find(x) for x in clips}) == 1:
            u.union(clips[0], n, f"clipped form {_name(n)} of {_name(clips[0])}", forbidden)


def _surnames(u: _Union, nodes: list[str], people: list[str], forbidden: set[frozenset[str]]) -> None:
    """A lone surname, titled or not ("Mr Roe"), joins the one full name that ends with it (any
    label: NER mislabels them)."""
    last: dict[str, set[str]] = defaultdict(set)
    for p in people:
        last[bare(_name(p)).split()[-1]].add(u.find(p))
    for n in nodes:
        name = bare(_name(n)) if n.startswith("PERSON:") else _name(n)
        if n.startswith(("PERSON:", "ORG:")) and len(name.split()) == 1 and \
                len(last.get(name, ())) == 1:
            target = next(iter(last[name]))
            u.union(target, n, f"surname {name}", forbidden)


def link_store(store: Store, settings: Settings | None = None) -> int:
    """Recompute canonical entities over every stored mention; returns how many there are."""
    cols = (Mention.id, Mention.label, Mention.name, Mention.aliases, Mention.roles, Mention.spans,
            Mention.entity_id)
    with store.session() as s:  # plain rows, streamed: a large store has millions
        rows = s.execute(select(*cols).order_by(Mention.document_id, Mention.id),
                         execution_options={"yield_per": 10_000})
        u, groups, seen = _link(rows, store)
    members: dict[str, list[str]] = defaultdict(list)
    for node in groups:
        members[u.find(node)].append(node)
    with store.session.begin() as s:
        existing = {e.name: e for e in s.scalars(select(Entity))}
        keep: set[int] = set()
        placed: list[tuple[Entity, list[str]]] = []
        for root, nodes in sorted(members.items()):
            ent = _entity(nodes, groups, u.why.get(root, []))
            row = existing.get(ent.name)
            if row is None or row.id in keep:
                row = Entity(name=ent.name)
                s.add(row)
            else:
                keep.add(row.id)
            if (row.type, row.aliases, row.roles, row.reasons) != \
                    (ent.type, ent.aliases, ent.roles, ent.reasons):
                row.type, row.aliases, row.roles, row.reasons = ent.type, ent.aliases, ent.roles, \
                    ent.reasons
            placed.append((row, nodes))
        s.flush()  # new entities get their ids here, all at once
        keep |= {row.id for row, _ in placed}
        entity_of = {seen.nodes[node]: row.id for row, nodes in placed for node in nodes}
        moves = [{"id": i, "entity_id": new_id} for i, node, old_id
                 in zip(seen.ids, seen.node, seen.entity, strict=True)
                 if (new_id := entity_of.get(node, -1)) != old_id]
        if moves:
            s.execute(update(Mention), moves)
        for e in existing.values():
            if e.id not in keep:
                s.delete(e)
    return len(members)


def _entity(nodes: list[str], groups: dict[str, _Group], reasons: list[str]) -> Entity:
    names: Counter[str] = Counter()
    labels: Counter[str] = Counter()
    aliases: set[str] = set()
    roles: list[str] = []
    for n in nodes:
        g = groups[n]
        names.update(g.names)
        labels.update({n.split(":", 1)[0]: sum(g.names.values())})
        aliases |= g.aliases
        roles += [r for r in g.roles if r not in roles]
    label = "PERSON" if any(n.startswith("PERSON:") and len(bare(_name(n)).split()) > 1
                            for n in nodes) \
        else labels.most_common(1)[0][0]
    name = max(names, key=lambda x: (len(bare(x).split()) if label == "PERSON" else 0, names[x], x))
    aliases = (aliases | set(names) | _known_aliases(name)) - {name}
    return Entity(name=name, type=label, aliases=sorted(aliases), roles=roles[:8],
                  reasons=sorted(set(reasons)))


def _known_aliases(name: str) -> set[str]:
    """The gazetteer's other names (exonyms, abbreviations) of a canonical place or body."""
    g = gazetteer()
    known = {**g["places"], **g["organisations"]}.get(name, [])
    return {a for a in known if not a.startswith("the ")}


def _record(store: Store, action: str, a: str, b: str, who: str, comment: str | None) -> None:
    names = {fold(n) for e in store.analysis_rows(Mention) for n in [e.name, *e.aliases]}
    for n in (a, b):
        if fold(n) not in names:
            raise NotFound(f"no entity named {n!r}; `storyline entities` lists them")
    with store.session.begin() as s:
        s.add(Decision(action=action, subject=a, object=b, who=who, comment=comment))


def merge_entities(store: Store, a: str, b: str, who: str = "analyst",
                   comment: str | None = None) -> int:
    """Record an analyst's decision that ``a`` and ``b`` are one entity, and re-link."""
    _record(store, "entity.merge", a, b, who, comment)
    return link_store(store)


def split_entities(store: Store, a: str, b: str, who: str = "analyst",
                   comment: str | None = None) -> int:
    """Record that ``a`` and ``b`` are different entities (never merged again), and re-link."""
    _record(store, "entity.split", a, b, who, comment)
    return link_store(store)


__all__ = ["cluster_claims", "link_store", "merge_entities", "split_entities"]
