"""One read of the store that every interchange export maps from, and the ids they share.

Ids are UUIDv5 over each thing's identifying properties (a document's text hash, a claim's
document and offsets, an entity's type and name), as OpenCTI derives its own: exporting the same
store twice gives the same ids, so importers update what they hold instead of duplicating it.
Timestamps come from the store (ingestion time, grading time, decision time), never the clock.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from storyline.assess import origins
from storyline.data import canonical_outlet, sources
from storyline.store import Claim, Cluster, Decision, Document, Entity, Figure, Mention, Quote, Store

# The namespace of every exported UUIDv5 (uuid5(NAMESPACE_URL, "https://storyline.invalid/export")
# written out, so that it never changes with the code around it).
NAMESPACE = uuid.UUID("665f183c-9c63-5611-8e49-e34737a8a5dc")

# Admiralty credibility 1-6 -> STIX 2.1 confidence (Appendix A, "Admiralty Credibility" scale);
# 6 ("truth cannot be judged") has no confidence value and is left out.
STIX_CONFIDENCE = {1: 90, 2: 70, 3: 50, 4: 30, 5: 10}
RELIABILITY = {"A": "completely reliable", "B": "usually reliable", "C": "fairly reliable",
               "D": "not usually reliable", "E": "unreliable", "F": "reliability cannot be judged"}
CREDIBILITY = {1: "confirmed by other independent sources", 2: "probably true", 3: "possibly true",
               4: "doubtful", 5: "improbable", 6: "truth cannot be judged"}
NOT_A_VERDICT = ("The status says how the sources present the claim (reported, confirmed, denied, "
                 "…); it is not a verdict on whether the claim is true.")


def uid(kind: str, *parts: object) -> str:
    """A stable UUIDv5 for one thing of one kind, from its identifying properties."""
    return str(uuid.uuid5(NAMESPACE, "\x1f".join([kind, *(str(p) for p in parts)])))


def text_sha256(text: str) -> str:
    """SHA-256 of the document's clean text exactly as exported (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def one_line(text: str | None) -> str:
    """A label or proposition as one line: inner line breaks become spaces, ends trimmed."""
    return " ".join((text or "").split())


def reliability_of(outlet: str | None, registry_file: str = "") -> str:
    """The outlet's grade A-F in the source registry (F when it is not there)."""
    if not outlet:
        return "F"
    name = canonical_outlet(outlet) or outlet
    return next((s.reliability for s in sources(registry_file) if s.name == name), "F")


def stamp(at: datetime | None) -> str:
    """A store timestamp as STIX/ISO 8601 UTC with milliseconds (the store keeps naive UTC)."""
    at = at or datetime(1970, 1, 1)
    return at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


@dataclass
class Snapshot:
    """Everything the interchange exports read, read once, in id order."""

    documents: list[Document]
    entities: list[Entity]
    mentions: list[Mention]
    quotes: list[Quote]
    figures: list[Figure]
    claims: list[Claim]
    clusters: list[Cluster]
    decisions: list[Decision]
    origin_of: dict[int, str]
    base_url: str = "http://127.0.0.1:8000"
    registry_file: str = ""
    doc: dict[int, Document] = field(init=False)
    entity: dict[int, Entity] = field(init=False)
    entity_of: dict[tuple[int, str], int] = field(init=False)
    members: dict[int, list[Claim]] = field(init=False)
    keys: dict[tuple[str, int], tuple[object, ...]] = field(init=False)
    first_original: dict[str, int] = field(init=False)
    quotes_of: dict[int, list[Quote]] = field(init=False)
    entities_in: dict[int, set[int]] = field(init=False)

    def __post_init__(self) -> None:
        self.doc = {d.id: d for d in self.documents}
        self.entity = {e.id: e for e in self.entities}
        self.entity_of = {(m.document_id, m.key): m.entity_id for m in self.mentions if m.entity_id}
        self.members = defaultdict(list)
        for c in self.claims:
            if c.cluster_id:
                self.members[c.cluster_id].append(c)
        self._keyed()
        self.first_original = {}  # origin -> its first document that is not itself a copy
        self.quotes_of = defaultdict(list)
        self.entities_in = defaultdict(set)
        for d in self.documents:
            if d.origin_relation not in ("reprint", "cites"):
                self.first_original.setdefault(self.origin_of.get(d.id, ""), d.id)
        for q in self.quotes:
            self.quotes_of[q.document_id].append(q)
        for m in self.mentions:
            if m.entity_id:
                self.entities_in[m.document_id].add(m.entity_id)

    # --- ids -------------------------------------------------------------------------------
    def _keyed(self) -> None:
        """Each claim, quote and entity's identifying properties. Two claims may share a span
        (reported by one holder, asserted by another; two propositions in one sentence), so the
        extracted status, holder and proposition count, an analyst's correction does not; things
        alike in all of them are told apart by their order in the store."""
        h = {d.id: d.content_hash for d in self.documents}
        claims = ((("claim", c.id), ("claim", h[c.document_id], c.start, c.end, c.status,
                                     c.holder_key or c.holder_name or "", one_line(c.proposition)))
                  for c in self.claims)
        quotes = ((("quote", q.id), ("quote", h[q.document_id], q.start, q.end, q.kind,
                                     q.speaker_key or q.speaker_name or "")) for q in self.quotes)
        entities = ((("entity", e.id), ("entity", e.type, e.name)) for e in self.entities)
        self.keys = {**_numbered(claims), **_numbered(quotes), **_numbered(entities)}

    def doc_uid(self, kind: str, d: Document) -> str:
        return uid(kind, "document", d.content_hash)

    def entity_uid(self, kind: str, e: Entity) -> str:
        return uid(kind, *self.keys[("entity", e.id)])

    def claim_uid(self, kind: str, c: Claim) -> str:
        return uid(kind, *self.keys[("claim", c.id)])

    def quote_uid(self, kind: str, q: Quote) -> str:
        return uid(kind, *self.keys[("quote", q.id)])

    def story_uid(self, kind: str, k: Cluster) -> str:
        first = min(((self.doc[c.document_id].content_hash, c.start) for c in self.members[k.id]),
                    default=("", 0))
        return uid(kind, "story", k.kind, one_line(k.label), *first)

    def outlet_uid(self, kind: str, name: str) -> str:
        return uid(kind, "outlet", name)

    # --- facts -----------------------------------------------------------------------------
    def holder(self, doc_id: int, key: str | None) -> Entity | None:
        ent = self.entity_of.get((doc_id, key)) if key else None
        return self.entity.get(ent) if ent else None

    def status(self, c: Claim) -> str:
        return c.status_override or c.status

    def outlet(self, d: Document) -> str | None:
        """The site carrying this copy; a copy without one is credited to its origin publisher."""
        name = d.outlet or (d.origin_publisher if d.origin_relation == "original" else None)
        return (canonical_outlet(name) or name) if name else None

    def outlets(self) -> list[str]:
        return sorted({o for d in self.documents if (o := self.outlet(d))})

    def source_of(self, d: Document) -> Document | None:
        """The document this one copies or rewrites (its near-duplicate, else the first document
        of its origin that is not itself a copy), or None for an original."""
        if d.near_duplicate_of and d.near_duplicate_of in self.doc:
            return self.doc[d.near_duplicate_of]
        if d.origin_relation not in ("reprint", "cites"):
            return None
        first = self.first_original.get(self.origin_of.get(d.id, ""))
        return self.doc[first] if first is not None and first != d.id else None

    def proposition(self, k: Cluster) -> str:
        """What the story claims: the proposition of the claim it is labelled by, else its members'
        commonest, else the label itself; one line."""
        label = one_line(k.label)
        own = [c.proposition for c in self.members[k.id] if c.proposition and one_line(c.text) == label]
        props = Counter(one_line(c.proposition) for c in self.members[k.id] if c.proposition)
        best = sorted(props.items(), key=lambda kv: (-kv[1], kv[0]))
        return one_line(own[0]) if own else best[0][0] if best else label

    def permalink(self, path: str) -> str:
        return f"{self.base_url.rstrip('/')}/{path.lstrip('/')}"

    def overrides(self) -> dict[int, Decision]:
        """The latest status decision of each claim whose status an analyst set."""
        latest: dict[int, Decision] = {}
        for dec in self.decisions:
            if dec.action == "claim.status" and dec.subject.startswith("c"):
                latest[int(dec.subject[1:])] = dec
        overridden = {c.id for c in self.claims if c.status_override}
        return {cid: dec for cid, dec in latest.items() if cid in overridden}


def _numbered(items: Iterable[tuple[tuple[str, int], tuple[object, ...]]]
              ) -> dict[tuple[str, int], tuple[object, ...]]:
    """Identifying properties per item; the n-th repeat of the same properties gets n added."""
    seen: Counter[tuple[object, ...]] = Counter()
    out = {}
    for ref, key in items:
        out[ref] = key + ((seen[key],) if seen[key] else ())
        seen[key] += 1
    return out


def snapshot(store: Store, base_url: str = "http://127.0.0.1:8000",
             registry_file: str = "") -> Snapshot:
    """Read the store once for the interchange exports."""
    with store.session() as s:
        entities = list(s.query(Entity).order_by(Entity.id))
        clusters = list(s.query(Cluster).order_by(Cluster.id))
        decisions = list(s.query(Decision).order_by(Decision.at, Decision.id))
    origin_of: dict[int, str] = {}
    for key, refs in origins(store).items():
        origin_of.update((int(r[1:]), key) for r in refs)
    return Snapshot(documents=store.documents(), entities=entities,
                    mentions=store.analysis_rows(Mention), quotes=store.analysis_rows(Quote),
                    figures=store.analysis_rows(Figure), claims=store.analysis_rows(Claim),
                    clusters=clusters, decisions=decisions, origin_of=origin_of,
                    base_url=base_url, registry_file=registry_file)

