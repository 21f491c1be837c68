"""The Store: one object over one database, every read and write storyline makes."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import Select, String, and_, delete, func, or_, select, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from storyline.errors import NotFound, StoreError
from storyline.records import Analysis, Article
from storyline.store._engine import explain, make_engine, migrate, work_lock
from storyline.store.models import (
    Claim,
    Document,
    Figure,
    Mention,
    MinhashBand,
    PendingWork,
    Quote,
)


@dataclass(slots=True)
class Pending:
    """A document ready to be stored with everything that belongs to it."""

    article: Article
    signature: np.ndarray[Any, np.dtype[np.uint64]] | None = None
    bands: Sequence[int] = ()
    near_duplicate_of: int | None = None
    copy_of: Pending | None = None  # a near-duplicate not stored yet when this one was read
    analysis: Analysis | None = None
    doc_id: int | None = None  # once stored


RANKED = 1000  # PostgreSQL search ranks the latest this many matching documents
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # NUL (PostgreSQL refuses it), lone surrogates


def _storable(value: Any, length: int | None = None) -> Any:
    """``value`` as every back end stores it: no NUL, lone surrogates as U+FFFD, a string cut
    to its column's length (SQLite ignores the length, PostgreSQL refused the whole batch)."""
    if isinstance(value, str):
        if _UNSTORABLE.search(value):
            value = _UNSTORABLE.sub(lambda m: "" if m.group() == "\x00" else "\ufffd", value)
        return value[:length] if length and len(value) > length else value
    if isinstance(value, list):
        return [_storable(v) for v in value]
    if isinstance(value, dict):
        return {_storable(k): _storable(v) for k, v in value.items()}
    return value


def _fit(row: Any) -> Any:
    """A new row with each of its values storable (see :func:`_storable`)."""
    for col in row.__table__.columns:
        value = getattr(row, col.key, None)
        if isinstance(value, str | list | dict):
            length = col.type.length if isinstance(col.type, String) else None
            setattr(row, col.key, _storable(value, length))
    return row


@dataclass(frozen=True, slots=True)
class DocumentFacts:
    """What grading and dating need of a document, without its text."""

    id: int
    near_duplicate_of: int | None
    origin_relation: str
    origin_publisher: str | None
    published: str | None


def select_documents(*, outlet: str | None = None, since: str | None = None,
                     until: str | None = None) -> Select[Document]:
    """Documents in id order, filtered by outlet and publication date range."""
    q = select(Document).order_by(Document.id)
    if outlet:
        q = q.where(Document.outlet == outlet)
    if since:
        q = q.where(Document.published >= since)
    if until:
        q = q.where(Document.published <= until)
    return q


class Store:
    """SQLite or PostgreSQL behind one API; migrated to the newest schema on open."""

    def __init__(self, url: str, *, create: bool = True) -> None:
        """Open (and migrate) the store at ``url``; a missing SQLite file is a StoreError
        unless ``create`` (read commands never create an empty store by a typo)."""
        self.url = url
        self.engine = make_engine(url, create=create)
        migrate(self.engine)
        self.session = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    def work_lock(self) -> AbstractContextManager[None]:
        """Held while linking and grading: other processes' runs wait (see ``work_lock``)."""
        return work_lock(self.engine)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # --- writes -------------------------------------------------------------------------------
    def known_hashes(self, hashes: Iterable[str]) -> set[str]:
        wanted = list(set(hashes))
        with self.session() as s:
            found: set[str] = set()
            for i in range(0, len(wanted), 500):
                q = select(Document.content_hash).where(Document.content_hash.in_(wanted[i:i + 500]))
                found.update(s.scalars(q))
            return found

    def add(self, batch: Sequence[Pending]) -> list[int | None]:
        """Store a batch in one transaction; a document whose hash is stored is skipped (None).

        Either the whole batch lands or none of it does, so an interrupted run leaves no partial
        document and a re-run stores each document exactly once.
        """
        try:
            with self.session.begin() as s:
                ids = [self._add_one(s, p) for p in batch]
                self._note_pending(s, batch, ids)
                return ids
        except IntegrityError:
            # Another writer stored one of these meanwhile: fall back to one transaction each.
            out: list[int | None] = []
            for p in batch:
                try:
                    with self.session.begin() as s:
                        out.append(self._add_one(s, p))
                        self._note_pending(s, [p], out[-1:])
                except IntegrityError:
                    out.append(None)
            return out
        except OperationalError as exc:
            raise StoreError(f"{explain(self.url, exc)}; nothing of this batch was stored, run "
                             "the same command again") from exc

    @staticmethod
    def _note_pending(s: Session, batch: Sequence[Pending], ids: Sequence[int | None]) -> None:
        """Analysed documents still to be linked, placed and graded: recorded in the same
        transaction as the documents, so a run killed after storing them is finished later."""
        todo = [i for p, i in zip(batch, ids, strict=True) if i is not None and p.analysis]
        if todo:
            s.add(PendingWork(task="refresh", document_ids=todo))

    def pending_work(self) -> tuple[int, list[int]]:
        """The newest pending task's id (0 when none) and the documents still to be linked."""
        with self.session() as s:
            rows = list(s.execute(select(PendingWork.id, PendingWork.document_ids)))
        return max((r[0] for r in rows), default=0), sorted({d for r in rows for d in r[1]})

    def done_work(self, up_to: int) -> None:
        """Pending tasks up to id ``up_to`` are done (later ones came in meanwhile: kept)."""
        with self.session.begin() as s:
            s.execute(delete(PendingWork).where(PendingWork.id <= up_to))

    def _add_one(self, s: Session, p: Pending) -> int | None:
        a = p.article
        if s.scalar(select(Document.id).where(Document.content_hash == a.content_hash)):
            return None
        doc = Document(
            content_hash=a.content_hash, source=a.source, kind=a.kind, url=a.url, title=a.title,
            byline=a.byline, outlet=a.outlet, published=a.published,
            published_evidence=a.published_evidence, language=a.language, text=a.text,
            removed=a.removed, origin_publisher=a.origin_publisher,
            origin_relation=a.origin_relation, origin_evidence=a.origin_evidence,
            near_duplicate_of=p.near_duplicate_of,
            minhash=p.signature.tobytes() if p.signature is not None else None,
        )
        s.add(_fit(doc))
        s.flush()
        s.add_all(MinhashBand(document_id=doc.id, band=b, key=k) for b, k in enumerate(p.bands))
        if p.analysis:
            self._add_analysis(s, doc.id, p.analysis)
        return doc.id

    @staticmethod
    def _add_analysis(s: Session, doc_id: int, an: Analysis) -> None:
        s.add_all(map(_fit, (Mention(document_id=doc_id, key=m.key, name=m.name, label=m.label,
                          aliases=m.aliases, roles=m.roles, spans=[list(x) for x in m.spans])
                  for m in an.mentions)))
        s.add_all(map(_fit, (Quote(document_id=doc_id, text=q.text, kind=q.kind, cue=q.cue, start=q.start,
                        end=q.end, speaker_key=q.speaker_key, speaker_name=q.speaker_name)
                  for q in an.quotes)))
        s.add_all(map(_fit, (Figure(document_id=doc_id, text=f.text, value=f.value, kind=f.kind,
                         currency=f.currency, qualifier=f.qualifier, counts=f.counts,
                         claimant_key=f.claimant_key, claimant_name=f.claimant_name,
                         start=f.start, end=f.end) for f in an.figures)))
        s.add_all(map(_fit, (Claim(document_id=doc_id, text=c.text, proposition=c.proposition,
                        start=c.start, end=c.end,
                        status=c.status, holder_key=c.holder_key, holder_name=c.holder_name,
                        cue=c.cue, date=c.date, date_evidence=c.date_evidence,
                        embedding=c.embedding) for c in an.claims)))

    def set_near_duplicate(self, doc_id: int, of_id: int) -> None:
        with self.session.begin() as s:
            doc = s.get(Document, doc_id)
            if doc is not None:
                doc.near_duplicate_of = of_id

    def replace_analysis(self, doc_id: int, an: Analysis) -> None:
        """Swap a document's analysis for a new one (re-analysis after a model change)."""
        with self.session.begin() as s:
            for model in (Mention, Quote, Figure, Claim):
                s.execute(delete(model).where(model.document_id == doc_id))
            self._add_analysis(s, doc_id, an)

    # --- near-duplicates ----------------------------------------------------------------------
    def near_duplicates(self, signature: np.ndarray[Any, np.dtype[np.uint64]],
                        bands: Sequence[int], threshold: float) -> list[tuple[int, float]]:
        """Stored documents whose estimated Jaccard similarity is at least ``threshold``."""
        pairs = [(b, k) for b, k in enumerate(bands)]
        if not pairs:
            return []
        with self.session() as s:
            # OR of (band, key) pairs, not a row-value IN: SQLite scans the whole table for that
            # (61,000 documents: 94 of 128 s of a 2,000-article ingest), and uses the index here.
            ids = set(s.scalars(select(MinhashBand.document_id).where(or_(*(
                and_(MinhashBand.band == b, MinhashBand.key == k) for b, k in pairs)))))
            if not ids:
                return []
            rows = s.execute(select(Document.id, Document.minhash).where(Document.id.in_(ids)))
            out = []
            for doc_id, blob in rows:
                if blob is None:
                    continue
                other = np.frombuffer(blob, dtype=np.uint64)
                if len(other) == len(signature):
                    sim = float(np.mean(other == signature))
                    if sim >= threshold:
                        out.append((doc_id, sim))
            return sorted(out, key=lambda x: (-x[1], x[0]))

    # --- reads --------------------------------------------------------------------------------
    def document(self, doc_id: int) -> Document:
        with self.session() as s:
            doc = s.get(Document, doc_id)
            if doc is None:
                raise NotFound(f"no document {doc_id}; `storyline docs` lists them")
            return doc

    def documents(self, *, limit: int | None = None, offset: int = 0, outlet: str | None = None,
                  since: str | None = None, until: str | None = None) -> list[Document]:
        q = select_documents(outlet=outlet, since=since, until=until).offset(offset)
        if limit is not None:
            q = q.limit(limit)
        with self.session() as s:
            return list(s.scalars(q))

    def document_facts(self) -> dict[int, DocumentFacts]:
        """Every document's origin and date facts (no text: cheap on a large store)."""
        cols = (Document.id, Document.near_duplicate_of, Document.origin_relation,
                Document.origin_publisher, Document.published)
        with self.session() as s:
            return {r[0]: DocumentFacts(*r) for r in s.execute(select(*cols))}

    def count(self, model: type[Any]) -> int:
        with self.session() as s:
            return int(s.scalar(select(func.count()).select_from(model)) or 0)

    def search(self, query: str, limit: int = 20) -> list[Document]:
        """Documents matching ``query`` in full-text search, best first."""
        terms = [t for t in "".join(c if c.isalnum() else " " for c in query).split() if t]
        if not terms:
            return []
        with self.session() as s:
            if self.dialect == "sqlite":
                match = " ".join(f'"{t}"' for t in terms)
                ids = [r[0] for r in s.execute(text(
                    "SELECT rowid FROM documents_fts WHERE documents_fts MATCH :q "
                    "ORDER BY rank LIMIT :n"), {"q": match, "n": limit})]
            else:
                # Ranked among the latest RANKED matches: ranking all 8,400 documents that say
                # "election" in an 87,000-document store took 117 ms, these 1,000 take 32 ms.
                ids = [r[0] for r in s.execute(text(
                    "SELECT id FROM (SELECT id, search_vector FROM documents "
                    "WHERE search_vector @@ plainto_tsquery('simple', :q) ORDER BY id DESC "
                    "LIMIT :ranked) recent ORDER BY ts_rank(search_vector, "
                    "plainto_tsquery('simple', :q)) DESC, id LIMIT :n"),
                    {"q": " ".join(terms), "n": limit, "ranked": max(RANKED, limit)})]
            docs = {d.id: d for d in s.scalars(select(Document).where(Document.id.in_(ids)))}
            return [docs[i] for i in ids if i in docs]

    def analysis_rows(self, model: type[Any], doc_ids: Iterable[int] | None = None) -> list[Any]:
        q = select(model).order_by(model.document_id, model.id)
        if doc_ids is not None:
            q = q.where(model.document_id.in_(list(doc_ids)))
        with self.session() as s:
            return list(s.scalars(q))

    def outlets_lines(self, outlet: str) -> list[list[str]]:
        """Removed-line lists of the stored documents of one site (for recurring chrome)."""
        with self.session() as s:
            return [list(r or []) for r in s.scalars(
                select(Document.removed).where(or_(Document.outlet == outlet)).limit(200))]
