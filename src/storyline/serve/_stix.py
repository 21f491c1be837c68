"""STIX 2.1 bundle (OpenCTI, any TAXII store): documents as reports, claims and quotes as notes,
stories as groupings graded by STIX 2.1 Appendix A, reprints as derived-from, corrections as opinions.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pycountry
import stix2

from storyline.serve._snapshot import (
    CREDIBILITY,
    NOT_A_VERDICT,
    RELIABILITY,
    STIX_CONFIDENCE,
    Snapshot,
    one_line,
    reliability_of,
    stamp,
    text_sha256,
    uid,
)
from storyline.store import Claim, Cluster, Document, Entity, Quote

_PRODUCER = "identity--" + uid("stix", "producer", "storyline")
# storyline's own properties (x_storyline_*, and OpenCTI's x_opencti_*) sit at the top level of
# the objects, declared by one extension definition as STIX 2.1 asks (section 7.3).
_EXTENSION = "extension-definition--" + uid("stix", "extension", "storyline", "1")
_OPTS: dict[str, Any] = {"allow_custom": True,
                         "extensions": {_EXTENSION: {"extension_type": "toplevel-property-extension"}}}
_EXTENSION_PROPERTIES = [
    "x_storyline_entity", "x_storyline_type", "x_opencti_aliases", "x_opencti_reliability",
    "x_storyline_claim", "x_storyline_document", "x_storyline_start", "x_storyline_end",
    "x_storyline_status", "x_storyline_extracted_status", "x_storyline_cue", "x_storyline_date",
    "x_storyline_byline", "x_storyline_origin_relation", "x_storyline_origin_publisher",
    "x_storyline_story", "x_storyline_proposition", "x_storyline_grade", "x_storyline_permalink",
    "x_storyline_relation"]
_CLASS = {"PERSON": "individual", "ORG": "organization", "NORP": "group"}


def _opencti_reliability(grade: str) -> str:
    return f"{grade} - {RELIABILITY[grade].capitalize()}"


class _Builder:
    def __init__(self, snap: Snapshot) -> None:
        self.s = snap
        self.objects: list[Any] = []
        self.first_seen = self._first_seen()
        self.ref: dict[tuple[str, int], str] = {}

    def _first_seen(self) -> dict[int, str]:
        """Each entity's earliest document ingestion: its created time."""
        out: dict[int, str] = {}
        for m in self.s.mentions:
            if m.entity_id:
                at = stamp(self.s.doc[m.document_id].ingested_at)
                out[m.entity_id] = min(out.get(m.entity_id, at), at)
        return out

    def add(self, obj: Any) -> str:
        self.objects.append(obj)
        return str(obj.id)

    def earliest(self) -> str:
        return min((stamp(d.ingested_at) for d in self.s.documents), default=stamp(None))

    # --- identities --------------------------------------------------------------------
    def producer(self) -> None:
        at = self.earliest()
        self.add(stix2.Identity(id=_PRODUCER, name="storyline", identity_class="system", created=at,
                                modified=at, description="storyline: sourced, graded news analysis"))
        self.add(stix2.ExtensionDefinition(
            id=_EXTENSION, created_by_ref=_PRODUCER, created=at, modified=at, name="storyline",
            version="1.0", description="Where each claim and quote stands in its document, "
                                        "statuses and grades, as storyline extracted them.",
            extension_types=["toplevel-property-extension"],
            extension_properties=_EXTENSION_PROPERTIES,
            schema="storyline's export properties: x_storyline_document, x_storyline_start and "
                   "x_storyline_end locate a claim or quote in its report's description (the "
                   "document's clean text, character offsets, end exclusive); x_storyline_status is "
                   "its status (an analyst's correction first); x_storyline_grade a story's "
                   "Admiralty code; see docs/exports.md of storyline."))

    def outlets(self) -> dict[str, str]:
        at, out = self.earliest(), {}
        for name in self.s.outlets():
            grade = reliability_of(name, self.s.registry_file)
            out[name] = self.add(stix2.Identity(
                id="identity--" + self.s.outlet_uid("stix", name), name=name,
                identity_class="organization", sectors=["communications"], created=at, modified=at,
                created_by_ref=_PRODUCER, x_opencti_reliability=_opencti_reliability(grade), **_OPTS))
        return out

    def entity(self, e: Entity) -> None:
        at = self.first_seen.get(e.id, self.earliest())
        common: dict[str, Any] = {"name": e.name, "created": at, "modified": at,
                                  "created_by_ref": _PRODUCER, "x_storyline_entity": f"e{e.id}",
                                  "x_storyline_type": e.type, **_OPTS}
        if e.aliases:
            common["x_opencti_aliases"] = list(e.aliases)
        country = _country(e) if e.type in ("GPE", "LOC") else None
        if country:
            obj: Any = stix2.Location(id="location--" + self.s.entity_uid("stix", e), country=country,
                                      **common)
        else:
            kind = _CLASS.get(e.type, "unknown")
            extra = {"roles": list(e.roles)} if e.roles else {}
            obj = stix2.Identity(id="identity--" + self.s.entity_uid("stix", e), identity_class=kind,
                                 **common, **extra)
        self.ref[("e", e.id)] = self.add(obj)

    # --- documents, claims, quotes -----------------------------------------------------
    def note_of_claim(self, c: Claim) -> str:
        d = self.s.doc[c.document_id]
        holder = self.s.holder(c.document_id, c.holder_key)
        refs = [self.ref[("d", d.id)], *([self.ref[("e", holder.id)]] if holder else [])]
        at = stamp(d.ingested_at)
        return self.add(stix2.Note(
            id="note--" + self.s.claim_uid("stix", c), created=at, modified=at,
            created_by_ref=_PRODUCER, abstract=one_line(c.proposition or c.text)[:250],
            content=c.text, labels=["claim", self.s.status(c)], object_refs=refs,
            authors=[holder.name if holder else (c.holder_name or "the article")],
            x_storyline_claim=f"c{c.id}", x_storyline_document=f"d{d.id}",
            x_storyline_start=c.start, x_storyline_end=c.end, x_storyline_status=self.s.status(c),
            x_storyline_extracted_status=c.status, x_storyline_cue=c.cue or "",
            **({"x_storyline_date": c.date} if c.date else {}), **_OPTS))

    def note_of_quote(self, q: Quote) -> str:
        d = self.s.doc[q.document_id]
        speaker = self.s.holder(q.document_id, q.speaker_key)
        refs = [self.ref[("d", d.id)], *([self.ref[("e", speaker.id)]] if speaker else [])]
        at = stamp(d.ingested_at)
        return self.add(stix2.Note(
            id="note--" + self.s.quote_uid("stix", q), created=at, modified=at,
            created_by_ref=_PRODUCER, content=q.text, labels=["quote", q.kind], object_refs=refs,
            authors=[speaker.name if speaker else (q.speaker_name or "the article")],
            x_storyline_document=f"d{d.id}", x_storyline_start=q.start, x_storyline_end=q.end,
            x_storyline_cue=q.cue or "", **_OPTS))

    def report(self, d: Document, outlets: dict[str, str], refs: list[str]) -> None:
        outlet = self.s.outlet(d)
        ext: dict[str, Any] = {"source_name": outlet or "storyline", "external_id": f"d{d.id}",
                               "description": d.source, "hashes": {"SHA-256": text_sha256(d.text)}}
        if d.url and d.url.startswith(("http://", "https://")):
            ext["url"] = d.url
        at = stamp(d.ingested_at)
        extra: dict[str, Any] = {"created_by_ref": outlets[outlet]} if outlet else {}
        if d.language:
            extra["lang"] = d.language
        if d.byline:
            extra["x_storyline_byline"] = list(d.byline)
        self.add(stix2.Report(
            id=self.ref[("d", d.id)], name=d.title or d.source, created=at, modified=at,
            published=f"{d.published}T00:00:00Z" if d.published else at, report_types=["news-report"],
            description=d.text, external_references=[ext], object_refs=refs or [_PRODUCER],
            x_storyline_origin_relation=d.origin_relation,
            **({"x_storyline_origin_publisher": d.origin_publisher} if d.origin_publisher else {}),
            **extra, **_OPTS))

    def story(self, k: Cluster, notes: list[str]) -> None:
        members = self.s.members[k.id]
        reports = sorted({self.ref[("d", c.document_id)] for c in members})
        at = stamp(k.updated_at)
        extra: dict[str, Any] = {}
        if k.credibility in STIX_CONFIDENCE:
            extra["confidence"] = STIX_CONFIDENCE[k.credibility]
        self.add(stix2.Grouping(
            id="grouping--" + self.s.story_uid("stix", k), name=one_line(k.label)[:250],
            created=at, modified=at, created_by_ref=_PRODUCER, context="unspecified",
            description=_reasons_text(k), labels=[k.kind, f"admiralty:{k.reliability}{k.credibility}"],
            object_refs=[*notes, *reports] or [_PRODUCER], x_storyline_story=f"k{k.id}",
            x_storyline_grade=f"{k.reliability}{k.credibility}",
            x_storyline_permalink=self.s.permalink(f"clusters/k{k.id}"), **extra, **_OPTS))


def _country(e: Entity) -> str | None:
    for name in (e.name, *(e.aliases or [])):
        try:
            return str(pycountry.countries.lookup(name).alpha_2)
        except LookupError:
            continue
    return None


def _reasons_text(k: Cluster) -> str:
    lines = [f"Admiralty grade {k.reliability}{k.credibility}: source {RELIABILITY[k.reliability]}, "
             f"information {CREDIBILITY.get(k.credibility, 'not graded')}."]
    for r in k.reasons or []:
        if r.get("kind") == "origins":
            names = "; ".join(f"{o['origin']} ({o['reliability']}: {', '.join(o['documents'])})"
                              for o in r.get("origins", []))
            lines.append(f"Independent origins: {r.get('count')} — {names}.")
        else:
            lines.append(f"{r.get('kind')} by {r.get('holder') or 'the article'}: "
                         f"“{one_line(r.get('text'))}” [{r.get('document')}:{r.get('start')}-{r.get('end')}]")
    lines.append(NOT_A_VERDICT)
    return "\n".join(lines)


def bundle(snap: Snapshot) -> stix2.Bundle:
    """The whole store as one STIX 2.1 bundle (deterministic ids and order)."""
    b = _Builder(snap)
    b.producer()
    outlets = b.outlets()
    for e in snap.entities:
        b.entity(e)
    for d in snap.documents:
        b.ref[("d", d.id)] = "report--" + snap.doc_uid("stix", d)
    notes_of_doc: dict[int, list[str]] = defaultdict(list)
    note_of_claim: dict[int, str] = {}
    for c in snap.claims:
        note_of_claim[c.id] = b.note_of_claim(c)
        notes_of_doc[c.document_id].append(note_of_claim[c.id])
    for q in snap.quotes:
        notes_of_doc[q.document_id].append(b.note_of_quote(q))
    seen: dict[int, set[str]] = defaultdict(set)
    for m in snap.mentions:
        if m.entity_id:
            seen[m.document_id].add(b.ref[("e", m.entity_id)])
    for d in snap.documents:
        b.report(d, outlets, [*notes_of_doc[d.id], *sorted(seen[d.id])])
    for k in snap.clusters:
        b.story(k, [note_of_claim[c.id] for c in snap.members[k.id]])
    _reprints(b, snap)
    _opinions(b, snap, note_of_claim)
    return stix2.Bundle(objects=b.objects, id="bundle--" + _bundle_uid(b.objects), allow_custom=True)


def _reprints(b: _Builder, snap: Snapshot) -> None:
    for d in snap.documents:
        src = snap.source_of(d)
        if src is None:
            continue
        at = stamp(d.ingested_at)
        b.add(stix2.Relationship(
            id="relationship--" + snap.doc_uid(f"stix-derived-from-{src.content_hash}", d),
            relationship_type="derived-from", source_ref=b.ref[("d", d.id)],
            target_ref=b.ref[("d", src.id)], created=at, modified=at, created_by_ref=_PRODUCER,
            description=d.origin_evidence or f"d{d.id} is a {d.origin_relation} of d{src.id}",
            x_storyline_relation=d.origin_relation, **_OPTS))


def _opinions(b: _Builder, snap: Snapshot, note_of_claim: dict[int, str]) -> None:
    by_id = {c.id: c for c in snap.claims}
    for cid, dec in sorted(snap.overrides().items()):
        c = by_id[cid]
        at = stamp(dec.at)
        said = f"{dec.who} set the status of c{cid} from {c.status} to {c.status_override}"
        b.add(stix2.Opinion(
            id="opinion--" + snap.claim_uid(f"stix-opinion-{dec.id}", c), created=at, modified=at,
            opinion="agree" if c.status_override == c.status else "disagree", authors=[dec.who],
            explanation=f"{said}: {dec.comment}" if dec.comment else said,
            object_refs=[note_of_claim[cid]], created_by_ref=_PRODUCER, **_OPTS))


_FIRST = ("type", "spec_version", "id", "created", "modified")


def ordered(obj: dict[str, Any]) -> dict[str, Any]:
    """One object's properties in a fixed order: the header, then the rest by name."""
    rest = sorted(k for k in obj if k not in _FIRST)
    return {k: obj[k] for k in (*(k for k in _FIRST if k in obj), *rest)}


def _bundle_uid(objects: list[Any]) -> str:
    return uid("stix-bundle", *sorted(str(o.id) for o in objects))
