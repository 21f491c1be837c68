"""Read queries behind the API and the web pages: filtered, paginated, plain data.

Every list takes ``limit``/``offset`` and returns ``{"items": [...], "total": n, "limit",
"offset"}``; filters are applied in SQL with bound parameters, so a page costs the same on a
store of five documents and of a hundred thousand.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from storyline.assess import cluster_view, entity_names, stances
from storyline.errors import NotFound
from storyline.serve.export import document_json
from storyline.store import (
    Claim,
    Cluster,
    Decision,
    Document,
    Entity,
    Figure,
    Mention,
    Quote,
    Store,
    select_documents,
)


@dataclass(frozen=True, slots=True)
class Page:
    limit: int = 50
    offset: int = 0


def _paged(s: Session, q: Select[Any], page: Page, row: Any) -> dict[str, Any]:
    total = int(s.scalar(select(func.count()).select_from(q.order_by(None).subquery())) or 0)
    items = [row(r) for r in s.scalars(q.limit(page.limit).offset(page.offset))]
    return {"items": items, "total": total, "limit": page.limit, "offset": page.offset}


def ref_id(ref: str | int, prefix: str) -> int:
    """``"d12"`` or ``12`` -> 12; anything else is a NotFound."""
    text = str(ref)
    text = text[1:] if text[:1] == prefix else text
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        raise NotFound(f"{ref!r} is not a {prefix}-reference (like {prefix}12)")
    return int(text)


def _doc_summary(d: Document) -> dict[str, Any]:
    return {"id": f"d{d.id}", "title": d.title, "outlet": d.outlet, "published": d.published,
            "language": d.language, "origin": {"publisher": d.origin_publisher,
                                               "relation": d.origin_relation},
            "near_duplicate_of": f"d{d.near_duplicate_of}" if d.near_duplicate_of else None,
            "words": len(d.text.split())}


def _docs_with_entity(entity: str | None) -> Select[Any] | None:
    if not entity:
        return None
    return select(Mention.document_id).where(Mention.entity_id == ref_id(entity, "e"))


def document_query(*, outlet: str | None = None, since: str | None = None,
                   until: str | None = None, entity: str | None = None,
                   language: str | None = None, relation: str | None = None) -> Select[Any]:
    q = select_documents(outlet=outlet, since=since, until=until)
    if (sub := _docs_with_entity(entity)) is not None:
        q = q.where(Document.id.in_(sub))
    if language:
        q = q.where(Document.language == language)
    if relation:
        q = q.where(Document.origin_relation == relation)
    return q


DOCUMENT_SORTS = {"id": Document.id, "published": Document.published, "title": Document.title,
                  "outlet": Document.outlet}


def documents(store: Store, page: Page, *, sort: str | None = None,
              **filters: str | None) -> dict[str, Any]:
    q = _sorted(document_query(**filters), sort, DOCUMENT_SORTS, Document.id)
    with store.session() as s:
        return _paged(s, q, page, _doc_summary)


def _sorted(q: Select[Any], sort: str | None, sorts: dict[str, Any], tie: Any) -> Select[Any]:
    """``sort`` is a key of ``sorts``, ``-key`` for descending; unknown keys keep the default."""
    key = (sort or "").lstrip("-")
    if key not in sorts:
        return q
    col = sorts[key]
    return q.order_by(None).order_by(col.desc() if (sort or "").startswith("-") else col, tie)


def document(store: Store, ref: str) -> dict[str, Any]:
    doc_id = ref_id(ref, "d")
    d = store.document(doc_id)
    out = document_json(d)
    names = _names_by_doc(store, {doc_id})[doc_id]
    with store.session() as s:
        mentions = list(s.scalars(select(Mention).where(Mention.document_id == doc_id)))
        out["entities"] = [{"entity": f"e{m.entity_id}" if m.entity_id else None,
                            "name": names[m.key], "label": m.label, "spans": m.spans}
                           for m in mentions]
        out["quotes"] = [_quote(q, names) for q in s.scalars(
            select(Quote).where(Quote.document_id == doc_id).order_by(Quote.start))]
        out["figures"] = [_figure(f, names) for f in s.scalars(
            select(Figure).where(Figure.document_id == doc_id).order_by(Figure.start))]
        out["claims"] = [_claim(c, names) for c in s.scalars(
            select(Claim).where(Claim.document_id == doc_id).order_by(Claim.start))]
        out["copies"] = [f"d{i}" for i in s.scalars(
            select(Document.id).where(Document.near_duplicate_of == doc_id))]
    return out


def _quote(q: Quote, names: dict[str, str]) -> dict[str, Any]:
    return {"id": f"q{q.id}", "document": f"d{q.document_id}", "text": q.text, "kind": q.kind,
            "cue": q.cue, "speaker": names.get(q.speaker_key or "", q.speaker_key) or q.speaker_name,
            "start": q.start, "end": q.end}


def _figure(f: Figure, names: dict[str, str]) -> dict[str, Any]:
    return {"id": f"f{f.id}", "document": f"d{f.document_id}", "text": f.text, "value": f.value,
            "kind": f.kind, "currency": f.currency, "qualifier": f.qualifier, "counts": f.counts,
            "claimant": names.get(f.claimant_key or "", f.claimant_key) or f.claimant_name,
            "start": f.start, "end": f.end}


def _claim(c: Claim, names: dict[str, str]) -> dict[str, Any]:
    return {"id": f"c{c.id}", "document": f"d{c.document_id}", "text": c.text,
            "status": c.status_override or c.status, "extracted_status": c.status,
            "holder": c.holder_override or names.get(c.holder_key or "", c.holder_key)
            or c.holder_name, "holder_corrected": c.holder_override is not None,
            "date": c.date, "cluster": f"k{c.cluster_id}" if c.cluster_id else None,
            "start": c.start, "end": c.end}


def _names_by_doc(store: Store, doc_ids: set[int]) -> dict[int, dict[str, str]]:
    """document -> (in-document key -> canonical entity name)."""
    out: dict[int, dict[str, str]] = defaultdict(dict)
    for (d, k), name in entity_names(store, doc_ids).items():
        out[d][k] = name
    return out


def _rows_with_names(store: Store, s: Session, q: Select[Any], page: Page, fmt: Any) -> dict[str, Any]:
    out = _paged(s, q, page, lambda r: r)
    names = _names_by_doc(store, {r.document_id for r in out["items"]})
    out["items"] = [fmt(r, names[r.document_id]) for r in out["items"]]
    return out


def entity_query(*, q: str | None = None, type: str | None = None) -> Select[Any]:
    query = select(Entity).order_by(Entity.name)
    if q:
        query = query.where(Entity.name.ilike(f"%{q}%"))
    if type:
        query = query.where(Entity.type == type.upper())
    return query


def _entity_docs() -> Any:
    return (select(func.count(func.distinct(Mention.document_id)))
            .where(Mention.entity_id == Entity.id).correlate(Entity).scalar_subquery())


ENTITY_SORTS = {"name": Entity.name, "type": Entity.type, "documents": _entity_docs()}


def entities(store: Store, page: Page, *, sort: str | None = None, q: str | None = None,
             type: str | None = None) -> dict[str, Any]:
    query = _sorted(entity_query(q=q, type=type), sort, ENTITY_SORTS, Entity.id)
    with store.session() as s:
        out = _paged(s, query, page, lambda e: e)
        counts = {eid: n for eid, n in s.execute(select(Mention.entity_id, func.count(
            func.distinct(Mention.document_id))).where(Mention.entity_id.in_(
                [e.id for e in out["items"]])).group_by(Mention.entity_id))}
        out["items"] = [{"id": f"e{e.id}", "name": e.name, "type": e.type, "aliases": e.aliases,
                         "roles": e.roles, "documents": int(counts.get(e.id, 0))}
                        for e in out["items"]]
    return out


ENTITY_DOCUMENTS = 50  # an entity page details the latest this many of its documents


def entity(store: Store, ref: str) -> dict[str, Any]:
    eid = ref_id(ref, "e")
    with store.session() as s:
        e = s.get(Entity, eid)
        if e is None:
            raise NotFound(f"no entity {ref}; GET /api/v1/entities lists them")
        all_docs = list(s.scalars(select(Mention.document_id).where(Mention.entity_id == eid)
                                  .distinct().order_by(Mention.document_id.desc())))
        doc_ids = set(all_docs[:ENTITY_DOCUMENTS])  # the latest; the rest by paged queries
        mentions = list(s.scalars(select(Mention).where(Mention.entity_id == eid,
                                                        Mention.document_id.in_(doc_ids))))
        keys = {(m.document_id, m.key) for m in mentions}
        names = _names_by_doc(store, doc_ids)
        quotes = list(s.scalars(select(Quote).where(Quote.document_id.in_(doc_ids))))
        by = [q for q in quotes if (q.document_id, q.speaker_key) in keys]
        spans = {(m.document_id, tuple(sp)) for m in mentions for sp in m.spans}
        about = [q for q in quotes if (q.document_id, q.speaker_key) not in keys and any(
            d == q.document_id and q.start <= a < q.end for d, (a, _) in spans)]
        held = [c for c in s.scalars(select(Claim).where(Claim.document_id.in_(doc_ids)))
                if (c.document_id, c.holder_key) in keys]
        co = Counter(n for d, local in names.items() for k, n in local.items()
                     if (d, k) not in keys and n != e.name)
        return {"id": f"e{e.id}", "name": e.name, "type": e.type, "aliases": e.aliases,
                "roles": e.roles, "reasons": e.reasons,
                "documents": [f"d{i}" for i in sorted(doc_ids)],
                "documents_total": len(all_docs),
                "quotes_by": [_quote(q, names[q.document_id]) for q in by],
                "quotes_about": [_quote(q, names[q.document_id]) for q in about],
                "positions": [_claim(c, names[c.document_id]) for c in held],
                "co_mentioned": [{"name": n, "documents": c} for n, c in co.most_common(20)]}


def quote_query(*, document: str | None = None, kind: str | None = None,
                entity: str | None = None) -> Select[Any]:
    q = select(Quote).order_by(Quote.document_id, Quote.start)
    if document:
        q = q.where(Quote.document_id == ref_id(document, "d"))
    if kind:
        q = q.where(Quote.kind == kind)
    if entity:
        keys = select(Mention.key).where(Mention.entity_id == ref_id(entity, "e"),
                                         Mention.document_id == Quote.document_id)
        q = q.where(Quote.speaker_key.in_(keys))
    return q


QUOTE_SORTS = {"document": Quote.document_id, "kind": Quote.kind, "cue": Quote.cue}


def quotes(store: Store, page: Page, *, sort: str | None = None,
           **filters: str | None) -> dict[str, Any]:
    q = _sorted(quote_query(**filters), sort, QUOTE_SORTS, Quote.id)
    with store.session() as s:
        return _rows_with_names(store, s, q, page, _quote)


def figure_query(*, document: str | None = None, kind: str | None = None) -> Select[Any]:
    q = select(Figure).order_by(Figure.document_id, Figure.start)
    if document:
        q = q.where(Figure.document_id == ref_id(document, "d"))
    if kind:
        q = q.where(Figure.kind == kind)
    return q


FIGURE_SORTS = {"document": Figure.document_id, "value": Figure.value, "kind": Figure.kind}


def figures(store: Store, page: Page, *, sort: str | None = None,
            **filters: str | None) -> dict[str, Any]:
    q = _sorted(figure_query(**filters), sort, FIGURE_SORTS, Figure.id)
    with store.session() as s:
        return _rows_with_names(store, s, q, page, _figure)


def claim_status() -> Any:
    """A claim's status as it stands: the analyst's correction, else the extracted one."""
    return func.coalesce(Claim.status_override, Claim.status)


def claim_query(*, status: str | None = None, cluster: str | None = None,
                document: str | None = None, entity: str | None = None,
                since: str | None = None, until: str | None = None) -> Select[Any]:
    q = select(Claim).order_by(Claim.document_id, Claim.start)
    if status:
        q = q.where(or_(Claim.status_override == status,
                        (Claim.status_override.is_(None)) & (Claim.status == status)))
    if cluster:
        q = q.where(Claim.cluster_id == ref_id(cluster, "k"))
    if document:
        q = q.where(Claim.document_id == ref_id(document, "d"))
    if (sub := _docs_with_entity(entity)) is not None:
        q = q.where(Claim.document_id.in_(sub))
    if since:
        q = q.where(Claim.date >= since)
    if until:
        q = q.where(Claim.date <= until)
    return q


CLAIM_SORTS = {"document": Claim.document_id, "date": Claim.date, "status": claim_status(),
               "story": Claim.cluster_id}


def claims(store: Store, page: Page, *, sort: str | None = None,
           **filters: str | None) -> dict[str, Any]:
    q = _sorted(claim_query(**filters), sort, CLAIM_SORTS, Claim.id)
    with store.session() as s:
        return _rows_with_names(store, s, q, page, _claim)


def cluster_query(*, kind: str | None = None, grade: str | None = None,
                  status: str | None = None, entity: str | None = None) -> Select[Any]:
    # Recent activity is when a cluster was last formed or graded: a stored column, since
    # grouping every claim per request took 1.5 s at 1.3 million claims.
    q = select(Cluster).order_by(Cluster.updated_at.desc(), Cluster.id.desc())
    if kind:
        q = q.where(Cluster.kind == kind)
    if grade:
        q = q.where(Cluster.reliability == grade[:1].upper())
        if grade[1:].isdigit():
            q = q.where(Cluster.credibility == int(grade[1:]))
    if status:
        q = q.where(Cluster.id.in_(select(Claim.cluster_id).where(claim_status() == status)))
    if (sub := _docs_with_entity(entity)) is not None:
        q = q.where(Cluster.id.in_(select(Claim.cluster_id).where(Claim.document_id.in_(sub))))
    return q


CLUSTER_SORTS = {"recent": Cluster.updated_at, "grade": Cluster.credibility,
                 "reliability": Cluster.reliability, "label": Cluster.label, "id": Cluster.id}


def clusters(store: Store, page: Page, *, sort: str | None = None,
             **filters: str | None) -> dict[str, Any]:
    """Claim clusters by recent activity (the newest first), with grade and statuses."""
    q = _sorted(cluster_query(**filters), sort, CLUSTER_SORTS, Cluster.id)
    with store.session() as s:
        out = _paged(s, q, page, lambda k: k)
        ids = [k.id for k in out["items"]]
        stats: dict[int, dict[str, Any]] = defaultdict(lambda: {"statuses": set(), "docs": set()})
        for cid, st, ov, doc in s.execute(select(Claim.cluster_id, Claim.status, Claim.status_override,
                                                 Claim.document_id).where(Claim.cluster_id.in_(ids))):
            if cid is not None:
                stats[cid]["statuses"].add(ov or st)
                stats[cid]["docs"].add(doc)
        out["items"] = [{"id": f"k{k.id}", "label": k.label, "kind": k.kind,
                         "grade": f"{k.reliability}{k.credibility}",
                         "statuses": sorted(stats[k.id]["statuses"]),
                         "documents": len(stats[k.id]["docs"])} for k in out["items"]]
    return out


def cluster(store: Store, ref: str) -> dict[str, Any]:
    return cluster_view(store, ref_id(ref, "k"))


_STANCES: dict[int, tuple[str, dict[str, Any]]] = {}  # store -> (validator, stance data)


def stance_matrix(store: Store) -> dict[str, Any]:
    """The actors × issues data, computed once per state of the store: it reads every stance
    claim and its quotes (tens of seconds at a few hundred articles), and the stances page,
    its JSON and every proposal story page ask for it."""
    stamp = last_modified(store)
    hit = _STANCES.get(id(store))
    if hit and hit[0] == stamp:
        return hit[1]
    data = stances(store)
    _STANCES[id(store)] = (stamp, data)
    return data


def search(store: Store, query: str, page: Page) -> dict[str, Any]:
    docs = store.search(query, limit=page.limit + page.offset)[page.offset:]
    like = f"%{query}%"
    with store.session() as s:
        ents = [{"id": f"e{e.id}", "name": e.name, "type": e.type} for e in s.scalars(
            select(Entity).where(Entity.name.ilike(like)).order_by(Entity.name).limit(page.limit))]
        found = [{"id": f"c{c.id}", "document": f"d{c.document_id}", "text": c.text,
                  "cluster": f"k{c.cluster_id}" if c.cluster_id else None} for c in s.scalars(
            select(Claim).where(Claim.text.ilike(like)).order_by(Claim.id).limit(page.limit))]
    return {"query": query, "documents": [_doc_summary(d) for d in docs], "entities": ents,
            "claims": found}


def audit(store: Store, page: Page) -> dict[str, Any]:
    q = select(Decision).order_by(Decision.at.desc(), Decision.id.desc())
    with store.session() as s:
        return _paged(s, q, page, lambda d: {
            "id": d.id, "action": d.action, "subject": d.subject, "object": d.object,
            "comment": d.comment, "who": d.who, "at": d.at.isoformat(timespec="seconds")})


def last_modified(store: Store) -> str:
    """A validator for every read: changes whenever anything stored changes."""
    with store.session() as s:
        parts = [s.scalar(select(func.max(Document.id))), s.scalar(select(func.max(Decision.id))),
                 s.scalar(select(func.max(Cluster.updated_at))), s.scalar(select(func.max(Claim.id)))]
    return "-".join(str(p) for p in parts)


def documents_around(store: Store, doc_ids: set[int]) -> dict[int, Document]:
    """These documents with their near-duplicate groups (enough to name their origins)."""
    found: dict[int, Document] = {}
    todo = set(doc_ids)
    with store.session() as s:
        for _ in range(5):  # copies of copies: a few hops at most
            if not todo:
                break
            rows = list(s.scalars(select(Document).where(
                or_(Document.id.in_(todo), Document.near_duplicate_of.in_(todo)))))
            new = {d.id: d for d in rows if d.id not in found}
            found.update(new)
            todo = {d.near_duplicate_of for d in new.values() if d.near_duplicate_of} - set(found)
    return found


def provenance(store: Store) -> dict[str, Any]:
    """Documents and the origins they collapse into (for the provenance graph)."""
    from storyline.assess import origins

    docs = {d.id: d for d in store.documents()}
    return {"origins": [{"origin": o, "documents": [
        {"id": ref, "title": docs[int(ref[1:])].title, "relation": docs[int(ref[1:])].origin_relation}
        for ref in refs]} for o, refs in sorted(origins(store).items())]}


def co_mentions(store: Store, top: int = 25) -> dict[str, Any]:
    """The most mentioned entities and how often pairs share a document (for the network)."""
    with store.session() as s:
        rows = list(s.execute(select(Mention.document_id, Entity.id, Entity.name, Entity.type).join(
            Entity, Mention.entity_id == Entity.id)))
    docs_of: dict[int, set[int]] = defaultdict(set)
    info: dict[int, tuple[str, str]] = {}
    for doc, eid, name, typ in rows:
        docs_of[eid].add(doc)
        info[eid] = (name, typ)
    keep = sorted(docs_of, key=lambda e: (-len(docs_of[e]), info[e][0]))[:top]
    edges = [{"a": f"e{a}", "b": f"e{b}", "documents": len(docs_of[a] & docs_of[b])}
             for i, a in enumerate(keep) for b in keep[i + 1:] if docs_of[a] & docs_of[b]]
    return {"nodes": [{"id": f"e{e}", "name": info[e][0], "type": info[e][1],
                       "documents": len(docs_of[e])} for e in keep], "edges": edges}


def claim(store: Store, ref: str) -> dict[str, Any]:
    """One claim with its document's title and source file, and any correction of it."""
    cid = ref_id(ref, "c")
    with store.session() as s:
        c = s.get(Claim, cid)
        if c is None:
            raise NotFound(f"no claim {ref}; `storyline claims` lists the stories, "
                           "`storyline claim kN` their claims")
        d = s.get(Document, c.document_id)
        fixes = [{"action": x.action, "object": x.object, "who": x.who, "comment": x.comment,
                  "at": x.at.isoformat(timespec="seconds")} for x in s.scalars(
            select(Decision).where(Decision.subject == f"c{cid}").order_by(Decision.id))]
    out = _claim(c, _names_by_doc(store, {c.document_id})[c.document_id])
    out.update(proposition=c.proposition, cue=c.cue, date_evidence=c.date_evidence,
               extracted_holder=c.holder_name or c.holder_key, corrections=fixes,
               title=d.title if d else None, source=d.source if d else None)
    return out


def corrections(store: Store, claim_refs: list[str]) -> dict[str, list[dict[str, Any]]]:
    """claim -> the analysts' corrections of it (status, holder, story), oldest first."""
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    with store.session() as s:
        for i in range(0, len(claim_refs), 5000):  # IN (…) in chunks: SQLite's parameter limit
            for d in s.scalars(select(Decision).where(Decision.subject.in_(claim_refs[i:i + 5000]),
                                                      Decision.action.like("claim.%"))
                               .order_by(Decision.id)):
                out[d.subject].append({"what": d.action.split(".", 1)[1], "to": d.object,
                                       "who": d.who, "comment": d.comment,
                                       "at": d.at.isoformat(timespec="minutes")})
    return dict(out)
