"""What assess shows of the store: stories (clusters) with their headline, rank, history and
context, and the stance matrix. Read by the brief, the CLI and the web workbench."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from sqlalchemy import select

from storyline import lang
from storyline.assess._dates import resolve
from storyline.assess._grades import SUPPORT
from storyline.assess._history import ARTICLE, arc, arc_line, fold, why_context
from storyline.assess._labels import headline
from storyline.assess._origins import Facts, build, facts
from storyline.errors import NotFound
from storyline.records import STANCES
from storyline.store import Claim, Cluster, Entity, Figure, Mention, Quote, Store

CHECKED = frozenset({"reported", "confirmed", "denied", "unconfirmed"})


def entity_names(store: Store, doc_ids: set[int] | None = None) -> dict[tuple[int, str], str]:
    """(document, in-document key) -> canonical entity name, for some documents or all."""
    q = select(Mention.document_id, Mention.key, Mention.name, Entity.name).outerjoin(
        Entity, Mention.entity_id == Entity.id)
    if doc_ids is not None:
        q = q.where(Mention.document_id.in_(doc_ids))
    with store.session() as s:
        return {(d, k): e or n for d, k, n, e in s.execute(q)}


def holder(c: Claim | Figure | Quote, names: Mapping[tuple[int, str], str]) -> str | None:
    """Who holds a claim (an analyst's correction first), figure or quote, by canonical name."""
    override = getattr(c, "holder_override", None)
    if override:
        return str(override)
    key = (getattr(c, "holder_key", None) or getattr(c, "claimant_key", None)
           or getattr(c, "speaker_key", None))
    name = (getattr(c, "holder_name", None) or getattr(c, "claimant_name", None)
            or getattr(c, "speaker_name", None))
    return names.get((c.document_id, key), key) if key else name


# Statuses said of an event by someone: a speaker holds them only through a verb of saying (or
# their own quote); "X marks an escalation" says nothing on X's behalf.
_SAID = frozenset({"reported", "asserted"})


@lru_cache(maxsize=4)
def _saying(code: str) -> frozenset[str]:
    return frozenset(lang.table("reporting_verbs", code)["verbs"])


# How much of a claim's sentence must lie within a quote of its holder for the quote to be what
# the holder says: most of it (a sentence's span runs past the quote's marks and its cue).
SPOKEN_SHARE = 0.5


def _inside(c: Claim, q: Quote) -> bool:
    shared = min(c.end, q.end) - max(c.start, q.start)
    return shared > 0 and shared >= SPOKEN_SHARE * (c.end - c.start)


def said_by(c: Claim, quotes: list[Quote], names: Mapping[tuple[int, str], str],
            code: str = "en") -> str | None:
    """A claim's holder, except that a report or an assertion whose verb is no verb of saying
    (and that is no quote of its holder) is the article's: the entity is merely its subject
    or mentioned in it, not the one who says it."""
    who = holder(c, names)
    if who is None or c.holder_override or (c.status_override or c.status) not in _SAID \
            or (c.cue or "").lower() in _saying(code):
        return who
    spoken = any(q.document_id == c.document_id and holder(q, names) == who
                 and _inside(c, q) for q in quotes)
    return who if spoken else None


def _by_analyst(f: Facts | None) -> bool:
    return bool(f and f.published_evidence and f.published_evidence.startswith("set by"))


def dated(c: Claim, docs: Mapping[int, Facts]) -> dict[str, Any]:
    """A claim's date, its evidence and confidence, from its text and its document's date."""
    f = docs.get(c.document_id)
    d = resolve(c.text, f.published if f else None, by_analyst=_by_analyst(f),
                language=(f.language if f else None) or "en")
    return {"date": d.date, "date_evidence": d.evidence, "date_confidence": d.confidence,
            "undated": d.date is None, "date_offset": d.offset}


def _order(r: dict[str, Any]) -> tuple[int, str, int, int, int]:
    """Dated lines by date; then undated documents in document order, each by its own text's
    evidence (offsets of "last week" before "on Tuesday"), then by position."""
    doc = int(r["document"][1:])
    if r["date"]:
        return (0, r["date"], doc, 0, r["start"])
    return (1, "", doc, r["date_offset"], r["start"])


def _outlet_names(docs: Mapping[int, Facts]) -> dict[str, set[str]]:
    return {f"d{i}": {n for n in (f.outlet, f.origin_publisher) if n} for i, f in docs.items()}


def _members(store: Store, cluster_id: int) -> list[Claim]:
    with store.session() as s:
        return list(s.scalars(select(Claim).where(Claim.cluster_id == cluster_id)))


def timeline(store: Store, cluster_id: int) -> list[dict[str, Any]]:
    """Every line of one story in time order, each marked ``context`` (folded apart: it does
    not state the claim) or not, with its date's evidence and confidence."""
    return _lines(store, _members(store, cluster_id))


def _lines(store: Store, claims: list[Claim]) -> list[dict[str, Any]]:
    doc_ids = {c.document_id for c in claims}
    names = entity_names(store, doc_ids)
    docs = facts(store, doc_ids)
    figures = store.analysis_rows(Figure, doc_ids)
    quotes = store.analysis_rows(Quote, doc_ids)
    rows: list[dict[str, Any]] = []
    for c in claims:
        figs = [{"text": f.text, "value": f.value, "counts": f.counts, "qualifier": f.qualifier,
                 "claimant": holder(f, names) or ARTICLE, "start": f.start, "end": f.end}
                for f in figures if f.document_id == c.document_id and c.start <= f.start < c.end]
        rows.append({"claim": f"c{c.id}", **dated(c, docs), "document": f"d{c.document_id}",
                     "status": c.status_override or c.status,
                     "holder": said_by(c, quotes, names) or ARTICLE,
                     "said": (c.cue or "").lower() in _saying("en"),
                     "text": c.text.strip(), "proposition": (c.proposition or "").strip() or None,
                     "start": c.start, "end": c.end, "figures": figs})
    rows.sort(key=_order)
    fold(rows, _outlet_names(docs))
    return rows


def cluster_view(store: Store, cluster_id: int) -> dict[str, Any]:
    """One story: headline, grade and reasons, status history (``timeline``: only the lines
    that state the claim), the folded ``context`` lines, status arc, figures."""
    with store.session() as s:
        k = s.get(Cluster, cluster_id)
        if k is None:
            raise NotFound(f"no claim cluster k{cluster_id}; `storyline claims` lists them")
    members = _members(store, cluster_id)
    rows = _lines(store, members)
    history = [r for r in rows if not r["context"]]
    figures, seen = [], set()
    for e in rows:  # two claims over one sentence show its figure once
        for f in e["figures"]:
            if (e["document"], f["start"]) not in seen:
                seen.add((e["document"], f["start"]))
                figures.append(dict(f, document=e["document"], date=e["date"], claim=e["claim"]))
    by_thing: dict[str, set[float]] = defaultdict(set)
    for f in figures:
        if f["counts"]:  # "1,500 troops" and "thousands of soldiers" differ; "32 allies" is another thing
            by_thing[_thing(f["counts"])].add(f["value"])
    steps = arc(history, k.kind)
    title = _title(members, k)
    return {"id": f"k{k.id}", "label": title, "headline": title, "sentence": k.label.strip(),
            "kind": k.kind,
            "grade": {"reliability": k.reliability, "credibility": k.credibility,
                      "code": f"{k.reliability}{k.credibility}"},
            "reasons": k.reasons, "timeline": history,
            "context": [r for r in rows if r["context"]], "arc": steps, "arc_line": arc_line(steps),
            "undated": sum(1 for r in history if r["undated"]), "figures": figures,
            "divergent_figures": any(len(v) > 1 for v in by_thing.values()),
            "statuses": sorted({e["status"] for e in history})}


_PEOPLE = {"troop", "soldier", "force", "personnel", "fighter", "serviceman", "servicemen", "men"}


def _thing(counts: str) -> str:
    """What a figure counts, roughly: its last word, singular; armed people count as one thing."""
    word = counts.split()[-1].lower().rstrip(".,")
    word = word[:-1] if word.endswith("s") and not word.endswith("ss") else word
    return "troop" if word in _PEOPLE else word


def _states(c: Claim) -> bool:
    """Whether a claim can name its story: it states the claim (see ``_history.why_context``)."""
    status = c.status_override or c.status
    row = {"text": c.text, "status": status, "holder": c.holder_key or c.holder_name}
    return status in SUPPORT | CHECKED and why_context(row) is None


def _title(claims: list[Claim], k: Cluster) -> str:
    """A story's headline from the claims that state it (the same for the list and the page)."""
    return headline(sorted(c.proposition or c.text for c in claims if _states(c)), k.label)


def _significance(claims: list[Claim], keys: Mapping[int, str], qualified: set[str],
                  independent: set[str]) -> dict[str, Any]:
    statuses = {c.status_override or c.status for c in claims}
    origins = {keys[c.document_id] for c in claims if c.document_id in keys}
    checks = [c.date for c in claims if (c.status_override or c.status) in ("confirmed", "denied")
              and c.date]
    return {"qualified_origins": len(origins & qualified),
            "independent_origins": len(origins & independent),
            "statuses_checked": len(statuses & (CHECKED | STANCES)),
            "latest_check": max(checks, default=None)}


def _rank_key(r: dict[str, Any]) -> tuple[Any, ...]:
    s = r["significance"]
    return (-s["qualified_origins"], -s["independent_origins"], -s["statuses_checked"],
            "~" if s["latest_check"] is None else _neg(s["latest_check"]),
            -int(r["documents"]), -int(r["claims"]), int(str(r["id"])[1:]))


def _neg(day: str) -> str:
    """A day's key that sorts the most recent first."""
    return "".join(chr(0x7e - ord(ch) + 0x21) if ch.isdigit() else ch for ch in day)


def clusters(store: Store) -> list[dict[str, Any]]:
    """Every story with its headline, grade and size, ranked by significance: independent
    origins of reliability A–C, then any independent origins, the statuses it was checked by
    (reported, confirmed, denied, not confirmed, stances), the latest confirmation or denial,
    then documents and claims. ``rank`` counts from 1."""
    members: dict[int, list[Claim]] = defaultdict(list)
    for c in store.analysis_rows(Claim):
        if c.cluster_id:
            members[c.cluster_id].append(c)
    keys, found = build(facts(store))
    qualified = {o.key for o in found.values() if o.qualified}
    independent = {o.key for o in found.values() if o.independent}
    with store.session() as s:
        rows = list(s.scalars(select(Cluster)))
    out: list[dict[str, Any]] = []
    for k in rows:
        cl = members[k.id]
        title = _title(cl, k)
        out.append({"id": f"k{k.id}", "label": title, "headline": title,
                    "sentence": k.label.strip(), "kind": k.kind, "claims": len(cl),
                    "documents": len({c.document_id for c in cl}),
                    "statuses": sorted({c.status_override or c.status for c in cl}),
                    "grade": f"{k.reliability}{k.credibility}", "credibility": k.credibility,
                    "reliability": k.reliability,
                    "significance": _significance(cl, keys, qualified, independent)})
    out.sort(key=_rank_key)
    for n, r in enumerate(out, 1):
        r["rank"] = n
    return out


def _own_words(c: Claim, actor: str, quotes: Mapping[int, list[Quote]],
               names: Mapping[tuple[int, str], str]) -> Quote | None:
    """The actor's own quote within (or around) the claim's sentence, if the actor spoke it;
    ``quotes`` by document."""
    for q in quotes.get(c.document_id, ()):
        if q.start < c.end and c.start < q.end and holder(q, names) == actor:
            return q
    return None


def stances(store: Store) -> dict[str, Any]:
    """Actors × issues (proposal stories): each cell the positions with their evidence. An
    item's ``quote`` is the actor's own words when the actor spoke them; a sentence that is no
    actor's own words is quoted for the first actor holding it only (``shared`` for the rest)."""
    names = entity_names(store)
    with store.session() as s:
        proposals = list(s.scalars(select(Cluster).where(Cluster.kind == "proposal")))
    issues = {k.id: k for k in proposals}
    claims = [c for c in store.analysis_rows(Claim)
              if c.cluster_id in issues and (c.status_override or c.status) in STANCES]
    quotes: dict[int, list[Quote]] = defaultdict(list)
    for q in store.analysis_rows(Quote, {c.document_id for c in claims}) if claims else []:
        quotes[q.document_id].append(q)
    cells: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    by_issue: dict[int, list[str]] = defaultdict(list)
    held = []
    for c in claims:
        by_issue[c.cluster_id or 0].append(c.proposition or c.text)
        actor = holder(c, names)
        if actor:
            held.append((c, actor, _own_words(c, actor, quotes, names)))
    # own words first: a sentence that is one actor's quote is not another's evidence to quote
    quoted = {(c.document_id, c.start, c.end) for c, _, q in held if q is not None}
    for c, actor, q in sorted(held, key=lambda x: x[2] is None):
        span = (c.document_id, c.start, c.end)
        shared = q is None and span in quoted
        quoted.add(span)
        cells[actor][f"k{c.cluster_id}"].append({
            "stance": c.status_override or c.status, "claim": f"c{c.id}",
            "document": f"d{c.document_id}", "text": c.text.strip(), "start": c.start,
            "end": c.end, "own_words": q is not None, "shared": shared,
            "quote": None if shared else (q.text if q else c.text).strip(),
            "quote_start": q.start if q else c.start, "quote_end": q.end if q else c.end})
    for cell in cells.values():
        for items in cell.values():
            items.sort(key=lambda it: (int(it["document"][1:]), it["start"]))
    return {"issues": [{"id": f"k{i}", "label": headline(by_issue.get(i, []), k.label),
                        "sentence": k.label.strip()} for i, k in sorted(issues.items())],
            "actors": {a: dict(v) for a, v in sorted(cells.items())}}
