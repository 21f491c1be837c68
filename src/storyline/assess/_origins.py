"""Origins: the publishers documents come from, known from evidence, and which are independent.

A document's origin is, in order of evidence: the publisher its text names as its source (a
reprint note, a headline tag, a citation: ``origin_publisher``), else its own outlet. Copies,
translations and near-duplicates collapse into their group's origin. A document of no known
publisher belongs to the one "unknown source" group: unknown is not evidence of independence,
so that group never counts as an independent origin, however many documents it holds.

An outlet's registry reliability applies only when evidence ties the document to the registry
entry: its URL's domain is one of the entry's domains, or it has no URL and the outlet came
from the collector's own record (a JSONL field, a feed); a page on another domain that names
itself after a registered outlet, or a local page that only names itself, is that name
unverified: an origin of its own, reliability F.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol
from urllib.parse import urlsplit

from sqlalchemy import select

from storyline.data import Source, canonical_outlet, sources
from storyline.store import Document, Store

UNKNOWN = "unknown source"
# Reliabilities whose origins can corroborate (STANAG 2511: A completely, B usually, C fairly
# reliable); D–F (not usually, unreliable, cannot be judged) never lift a grade.
QUALIFIED = frozenset("ABC")
# Document kinds whose outlet comes from the collector's record, not from the page itself.
_RECORDED = frozenset({"jsonl", "feed"})
CHUNK = 5000  # ids per IN (…): SQLite takes 32,766 parameters


class DocLike(Protocol):
    """A stored document or its facts (``Store.document_facts``): what origins are made of.
    ``outlet``, ``url`` and ``kind`` are read when the object has them."""

    @property
    def id(self) -> int: ...
    @property
    def near_duplicate_of(self) -> int | None: ...
    @property
    def origin_relation(self) -> str: ...
    @property
    def origin_publisher(self) -> str | None: ...


@dataclass(slots=True)
class Origin:
    """One origin: its key (shown as its name), reliability and why, and its documents."""

    key: str
    reliability: str = "F"
    evidence: str = ""
    documents: list[int] = field(default_factory=list)

    @property
    def independent(self) -> bool:
        return self.key != UNKNOWN

    @property
    def qualified(self) -> bool:
        """Independent and of reliability A–C: it can corroborate."""
        return self.independent and self.reliability in QUALIFIED

    def as_dict(self) -> dict[str, Any]:
        return {"origin": self.key, "reliability": self.reliability, "evidence": self.evidence,
                "independent": self.independent, "qualified": self.qualified,
                "documents": [f"d{i}" for i in sorted(self.documents)]}


def _root(doc: DocLike, docs: Mapping[int, DocLike]) -> DocLike:
    seen = set()
    while doc.near_duplicate_of and doc.near_duplicate_of in docs and doc.id not in seen:
        seen.add(doc.id)
        doc = docs[doc.near_duplicate_of]
    return doc


def _host(doc: DocLike) -> str | None:
    url = getattr(doc, "url", None)
    if not url:
        return None
    host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").lower()
    return host.removeprefix("www.") or None


@lru_cache(maxsize=4096)
def _entry(name: str, registry_file: str = "") -> Source | None:
    """The registry entry a name, alias or domain stands for (any case, "the" or not)."""
    want = name.strip().casefold().removeprefix("the ")
    canon = canonical_outlet(name)
    for s in sources(registry_file):
        if s.name == canon or want in {n.casefold().removeprefix("the ")
                                       for n in (s.name, *s.aliases, *s.domains)}:
            return s
    return None


def _name(name: str, registry_file: str) -> str:
    entry = _entry(name, registry_file)
    return entry.name if entry else name.strip().casefold()


def _on_domain(host: str, entry: Source) -> bool:
    return any(host == d or host.endswith("." + d) for d in entry.domains)


def _claimed(doc: DocLike, registry_file: str) -> tuple[str, str, str] | None:
    """(key, reliability, evidence) of one document's own naming of its publisher, or None."""
    relation, publisher = doc.origin_relation, doc.origin_publisher
    outlet = getattr(doc, "outlet", None)
    host = _host(doc)
    if relation == "cites" and publisher and outlet and \
            _name(outlet, registry_file) != _name(publisher, registry_file):
        # an outlet's own article that cites another is still its own publication: the
        # citation does not make it the cited publisher's, nor a second, independent origin
        relation, publisher = "original", None
    if relation in ("reprint", "cites") and publisher:
        entry = _entry(publisher, registry_file)
        how = "a copy of" if relation == "reprint" else "cites"
        rel = entry.reliability if entry else "F"
        return (entry.name if entry else publisher), rel, f"d{doc.id} {how} {publisher}"
    name = publisher if relation == "original" and publisher else outlet
    if not name:
        return (host, "F", f"d{doc.id} is on {host}, not a registered outlet") if host else None
    entry = _entry(name, registry_file)
    if entry is None:
        return name, "F", f"d{doc.id}'s outlet {name} is not in the source registry"
    if host and _on_domain(host, entry):
        return entry.name, entry.reliability, f"d{doc.id} is on {host}, {entry.name}'s domain"
    if host:
        return (f"{host} (names itself {entry.name})", "F",
                f"d{doc.id} names itself {entry.name} but is on {host}, not its domain")
    if getattr(doc, "kind", None) in _RECORDED or not hasattr(doc, "kind"):
        return entry.name, entry.reliability, f"d{doc.id}'s outlet {name} given in its record"
    if _on_domain(name.lower(), entry):
        return entry.name, entry.reliability, f"d{doc.id} prints {name}, {entry.name}'s domain"
    return (f"{entry.name} (self-named)", "F",
            f"d{doc.id} names itself {entry.name}; no URL or record to check it against")


def build(docs: Mapping[int, DocLike], registry_file: str = "") -> tuple[dict[int, str],
                                                                           dict[str, Origin]]:
    """Every document's origin key, and every origin. A near-duplicate group takes the first
    (by name) publisher its documents name; the same documents give the same origins in
    whatever order they arrived."""
    groups: dict[int, list[DocLike]] = {}
    for d in docs.values():
        groups.setdefault(_root(d, docs).id, []).append(d)
    keys: dict[int, str] = {}
    found: dict[str, Origin] = {}
    for group in groups.values():
        named = sorted(c for d in group if (c := _claimed(d, registry_file)))
        key, rel, why = named[0] if named else (UNKNOWN, "F", "no outlet or source named")
        o = found.setdefault(key, Origin(key, rel, why))
        if named and rel < o.reliability:  # the best-evidenced grade of one name wins
            o.reliability, o.evidence = rel, why
        for d in group:
            keys[d.id] = key
            o.documents.append(d.id)
    return keys, found


def origin_keys(docs: Mapping[int, DocLike], registry_file: str = "") -> dict[int, str]:
    """Every document's origin key (see :func:`build`)."""
    return build(docs, registry_file)[0]


def reliability_of(origin: str, registry_file: str = "") -> str:
    """The registry reliability of a publisher's name (unknown: F)."""
    entry = _entry(origin, registry_file) if origin != UNKNOWN else None
    return entry.reliability if entry else "F"


@dataclass(frozen=True, slots=True)
class Facts:
    """What origins and dates need of a document, without its text."""

    id: int
    near_duplicate_of: int | None
    origin_relation: str
    origin_publisher: str | None
    published: str | None
    published_evidence: str | None
    outlet: str | None
    url: str | None
    kind: str
    language: str | None


def facts(store: Store, doc_ids: Iterable[int] | None = None) -> dict[int, Facts]:
    """Documents' facts, all of them (origins need every near-duplicate group) or some."""
    cols = (Document.id, Document.near_duplicate_of, Document.origin_relation,
            Document.origin_publisher, Document.published, Document.published_evidence,
            Document.outlet, Document.url, Document.kind, Document.language)
    q = select(*cols)
    out: dict[int, Facts] = {}
    with store.session() as s:
        if doc_ids is None:
            return {r[0]: Facts(**r._mapping) for r in s.execute(q)}
        ids = sorted(set(doc_ids))
        for i in range(0, len(ids), CHUNK):
            part = q.where(Document.id.in_(ids[i:i + CHUNK]))
            out.update((r[0], Facts(**r._mapping)) for r in s.execute(part))
    return out
