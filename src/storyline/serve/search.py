"""Finding entities by what people type: a name, an alias, a merged name, a surname.

Shared by the CLI (``storyline entity NAME``) and the workbench's search. Entities are few
beside documents (2,555 in the 2,212-article BBC store), so they are matched in Python over
their folded names; documents are found through the entities' mentions.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import func, select

from storyline.store import Entity, Mention, Store

SUGGESTIONS = 5  # names offered for a name that matches nothing
CLOSE = 0.75  # difflib ratio for a suggestion: one or two letters off in a surname


def fold(text: str) -> str:
    """Case-, accent- and punctuation-free form of a name, as people type it."""
    s = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = re.sub(r"[^\w\s]", "", s.replace("’", "'").replace("'", ""))
    return re.sub(r"\s+", " ", s).strip()


@dataclass(frozen=True, slots=True)
class Found:
    """One entity found, and how: ``name``, ``alias``, ``surname`` or ``part``."""

    id: int
    name: str
    type: str
    aliases: list[str]
    how: str
    matched: str  # the name or alias that matched
    documents: int


_RANK = {"name": 0, "alias": 1, "surname": 2, "part": 3}


def find_entities(store: Store, query: str, *, partial: bool = False) -> list[Found]:
    """Entities whose name or an alias is ``query`` (folded), or whose surname it is; with
    ``partial`` also those with ``query`` inside a name or alias. Best match first, then the
    entity in most documents."""
    key = fold(query)
    if not key:
        return []
    with store.session() as s:
        rows = list(s.execute(select(Entity.id, Entity.name, Entity.type, Entity.aliases)))
        counts = {eid: n for eid, n in s.execute(select(Mention.entity_id, func.count(
            func.distinct(Mention.document_id))).where(Mention.entity_id.is_not(None))
            .group_by(Mention.entity_id))}
    found: list[Found] = []
    for eid, name, typ, aliases in rows:
        hit = _match(key, name, list(aliases or []), partial)
        if hit:
            found.append(Found(eid, name, typ, list(aliases or []), hit[0], hit[1],
                               int(counts.get(eid, 0))))
    found.sort(key=lambda f: (_RANK[f.how], -f.documents, f.name))
    return found


def _match(key: str, name: str, aliases: list[str], partial: bool) -> tuple[str, str] | None:
    names = [name, *aliases]
    folded = [fold(n) for n in names]
    if key == folded[0]:
        return "name", name
    for n, f in zip(names[1:], folded[1:], strict=True):
        if key == f:
            return "alias", n
    if " " not in key:
        for n, f in zip(names, folded, strict=True):
            if " " in f and f.rsplit(" ", 1)[1] == key:
                return "surname", n
    if partial:
        for n, f in zip(names, folded, strict=True):
            if key in f:
                return "part", n
    return None


def suggest(store: Store, query: str, n: int = SUGGESTIONS) -> list[str]:
    """Entity names that look like ``query`` (a typo, another spelling), closest first."""
    key = fold(query)
    with store.session() as s:
        rows = list(s.execute(select(Entity.name, Entity.aliases)))
    by_form: dict[str, str] = {}
    for name, aliases in rows:
        for form in [name, *(aliases or [])]:
            f = fold(form)
            by_form.setdefault(f, name)
            if " " in f:
                by_form.setdefault(f.rsplit(" ", 1)[1], name)
    close = difflib.get_close_matches(key, list(by_form), n=n * 3, cutoff=CLOSE)
    out: list[str] = []
    for form in close:
        if by_form[form] not in out:
            out.append(by_form[form])
    return out[:n]


__all__ = ["Found", "find_entities", "fold", "suggest"]
