"""MISP events, one per story: Admiralty-scale and OSINT taxonomy tags, a news-media object per
document, person and organisation objects, the story's brief as the event report, and an analyst
note for every claim and quote (with its document and character offsets).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pymisp import MISPEvent, MISPEventReport, MISPObject

from storyline.serve._snapshot import CREDIBILITY, NOT_A_VERDICT, RELIABILITY, Snapshot, one_line
from storyline.store import Claim, Cluster, Document, Entity, Quote

_OBJECT = {"PERSON": "person", "ORG": "organization"}


def _ts(at: datetime | None) -> int:
    return int((at or datetime(1970, 1, 1)).replace(tzinfo=UTC).timestamp())


def _tags(ev: MISPEvent, k: Cluster) -> None:
    ev.add_tag(f'admiralty-scale:source-reliability="{k.reliability.lower()}"')
    ev.add_tag(f'admiralty-scale:information-credibility="{k.credibility}"')
    ev.add_tag('osint:source-type="news-report"')


class _Event:
    def __init__(self, snap: Snapshot, k: Cluster) -> None:
        self.s, self.k = snap, k
        self.ts = _ts(k.updated_at)
        self.ev = MISPEvent()
        self.objects: dict[str, MISPObject] = {}

    def _uid(self, *parts: object) -> str:
        return self.s.story_uid("misp:" + ":".join(str(p) for p in parts), self.k)

    def head(self) -> None:
        ev, k = self.ev, self.k
        ev.uuid = self._uid("event")
        ev.info = one_line(k.label)
        docs = [self.s.doc[c.document_id] for c in self.s.members[k.id]]
        dates = sorted(d.published for d in docs if d.published)
        ev.set_date(dates[0] if dates else (k.updated_at or datetime(1970, 1, 1)).date().isoformat())
        ev.timestamp = ev.publish_timestamp = self.ts
        ev.published, ev.analysis, ev.threat_level_id, ev.distribution = False, 1, 4, 0
        _tags(ev, k)

    def _add_object(self, key: str, obj: MISPObject, ts: int) -> MISPObject:
        obj.uuid = self._uid("object", key)
        obj.timestamp = ts
        for i, a in enumerate(obj.attributes):
            a.uuid, a.timestamp = self._uid("attribute", key, i), ts
        self.objects[key] = self.ev.add_object(obj)
        return obj

    def document(self, d: Document) -> None:
        obj = MISPObject("news-media", standalone=False)
        obj.comment = f"d{d.id} · {d.source}" + (f" · published {d.published}" if d.published else "")
        obj.add_attribute("title", d.title or d.source)
        if self.s.outlet(d):
            obj.add_attribute("source", self.s.outlet(d))
        if d.url and d.url.startswith(("http://", "https://")):
            obj.add_attribute("url", d.url)
        obj.add_attribute("content", d.text)
        self._add_object(f"d{d.id}", obj, _ts(d.ingested_at))

    def entity(self, e: Entity) -> None:
        name = _OBJECT.get(e.type)
        if name is None:
            return
        obj = MISPObject(name, standalone=False)
        obj.comment = f"e{e.id}"
        obj.add_attribute("full-name" if name == "person" else "name", e.name)
        for alias in e.aliases or []:
            obj.add_attribute("alias", alias)
        if e.roles:
            obj.add_attribute("function" if name == "person" else "description", "; ".join(e.roles))
        self._add_object(f"e{e.id}", obj, self.ts)

    def note(self, key: str, doc_id: int, text: str, lang: str | None) -> None:
        obj = self.objects[f"d{doc_id}"]
        n = obj.add_note(text, language=lang or "en", uuid=self._uid("note", key))
        n.created = n.modified = datetime.fromtimestamp(self.ts, UTC).replace(tzinfo=None)

    def claim(self, c: Claim) -> None:
        holder = self.s.holder(c.document_id, c.holder_key)
        who = holder.name if holder else (c.holder_name or "the article")
        status = self.s.status(c)
        fix = f" (an analyst's correction of {c.status})" if c.status_override else ""
        self.note(f"c{c.id}", c.document_id,
                  f"claim c{c.id} [d{c.document_id}:{c.start}-{c.end}] {status}{fix} · holder: {who}"
                  f" · “{one_line(c.text)}”", self.s.doc[c.document_id].language)

    def quote(self, q: Quote) -> None:
        sp = self.s.holder(q.document_id, q.speaker_key)
        who = sp.name if sp else (q.speaker_name or "unattributed")
        self.note(f"q{q.id}", q.document_id,
                  f"{q.kind} quote [d{q.document_id}:{q.start}-{q.end}] · speaker: {who}"
                  f" · “{one_line(q.text)}”",
                  self.s.doc[q.document_id].language)

    def report(self, brief: str) -> None:
        r = MISPEventReport()
        r.from_dict(name=f"Brief: {one_line(self.ev.info)[:200]}", content=brief, distribution=5,
                    uuid=self._uid("report"), timestamp=self.ts)
        self.ev.EventReport.append(r)


def _brief(snap: Snapshot, k: Cluster, quotes: list[Quote]) -> str:
    """The story's brief in Markdown: grade and reasons, then every claim with its evidence."""
    lines = [f"# {one_line(k.label)}", "", f"Proposition: {snap.proposition(k)}", "",
             f"Story k{k.id} · {snap.permalink(f'clusters/k{k.id}')}", "",
             f"**Grade {k.reliability}{k.credibility}**: source {RELIABILITY[k.reliability]}, "
             f"information {CREDIBILITY.get(k.credibility, 'not graded')}. {NOT_A_VERDICT}", ""]
    for r in k.reasons or []:
        if r.get("kind") == "origins":
            names = "; ".join(f"{o['origin']} ({o['reliability']})" for o in r.get("origins", []))
            lines.append(f"- independent origins: {r.get('count')} — {names}")
        else:
            lines.append(f"- {r.get('kind')} by {r.get('holder') or 'the article'}: "
                         f"“{one_line(r.get('text'))}” [{r.get('document')}:{r.get('start')}-{r.get('end')}]")
    lines += ["", "## Claims"]
    for c in snap.members[k.id]:
        holder = snap.holder(c.document_id, c.holder_key)
        lines.append(f"- **{snap.status(c)}** · {holder.name if holder else c.holder_name or 'the article'}"
                     f": “{one_line(c.text)}” [d{c.document_id}:{c.start}-{c.end}]")
    if quotes:
        lines += ["", "## Quotes"]
        lines += [f"- {q.speaker_name or 'unattributed'}: “{one_line(q.text)}” "
                  f"[d{q.document_id}:{q.start}-{q.end}]" for q in quotes]
    return "\n".join(lines) + "\n"


def _quotes_of(snap: Snapshot, members: list[Claim]) -> list[Quote]:
    """The quotes inside the story's claims (a quote overlapping a member claim's span)."""
    return [q for d in sorted({c.document_id for c in members}) for q in snap.quotes_of[d]
            if any(c.document_id == d and q.start < c.end and c.start < q.end for c in members)]


def event(snap: Snapshot, k: Cluster) -> MISPEvent:
    """One story as a MISP event (deterministic uuids and timestamps)."""
    members = snap.members[k.id]
    quotes = _quotes_of(snap, members)
    b = _Event(snap, k)
    b.head()
    doc_ids = sorted({c.document_id for c in members})
    for i in doc_ids:
        b.document(snap.doc[i])
    mentioned = sorted(set().union(*(snap.entities_in[i] for i in doc_ids)))
    for eid in mentioned:
        b.entity(snap.entity[eid])
    for c in members:
        b.claim(c)
    for q in quotes:
        b.quote(q)
    b.report(_brief(snap, k, quotes))
    return b.ev


def events(snap: Snapshot) -> list[dict[str, Any]]:
    """Every story as ``{"Event": …}`` in MISP's JSON form, stories in id order."""
    import json

    return [{"Event": json.loads(event(snap, k).to_json())} for k in snap.clusters]
