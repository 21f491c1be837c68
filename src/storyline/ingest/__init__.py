"""ingest: files, folders, feeds and archives in; clean, deduplicated, provenanced documents out.

Public face: :func:`ingest` (into a store), :func:`read_articles` (no store), :class:`IngestReport`,
:func:`extract_html` (the HTML path alone, for benchmarks and callers with their own pages).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import NamedTuple, Protocol, runtime_checkable

import numpy as np

from storyline.errors import InputError
from storyline.ingest._fit import cut, scrub, scrub_item
from storyline.ingest._html import extract_html
from storyline.ingest._model import RawItem
from storyline.ingest._prepare import content_hash, prepare
from storyline.ingest._provenance import band_keys, lsh_bands, minhash
from storyline.ingest._readers import iter_paths, read_path
from storyline.records import Analysis, Article
from storyline.settings import Settings
from storyline.store import Pending, Store

Analyser = Callable[[Sequence[Article]], list[Analysis]]


@runtime_checkable
class AsyncAnalyser(Protocol):
    """An analyser that works beside the caller (``storyline.nlp.Analyzer``): ingest reads and
    cleans the next batch while the current one is analysed."""

    def submit(self, articles: Sequence[Article]) -> Future[list[Analysis]]: ...


Progress = Callable[["IngestReport"], None]


class Note(NamedTuple):
    """Something done to an item that was stored (its body cut to the limit): source, reason."""

    source: str
    reason: str


@dataclass(slots=True)
class IngestReport:
    """What one ingest run did, item by item where it failed."""

    new: int = 0
    duplicate: int = 0
    near_duplicate: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    duplicate_groups: dict[str, list[str]] = field(default_factory=dict)
    near_groups: dict[int, list[str]] = field(default_factory=dict)
    new_ids: list[int] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # stored, with a change said here

    @property
    def seen(self) -> int:
        return self.new + self.duplicate + len(self.failed)

    @property
    def ok(self) -> bool:
        """True when anything could be read (stored now or already)."""
        return self.new + self.duplicate > 0

    def as_dict(self) -> dict[str, object]:
        return {
            "new": self.new, "duplicate": self.duplicate, "near_duplicate": self.near_duplicate,
            "failed": [{"source": s, "reason": r} for s, r in self.failed],
            "notes": [{"source": s, "reason": r} for s, r in self.notes],
            "duplicate_groups": [v for v in self.duplicate_groups.values() if len(v) > 1],
            "near_duplicate_groups": list(self.near_groups.values()),
        }


def read_one(path: Path, settings: Settings) -> Iterator[Article | Note | tuple[str, str]]:
    """Clean articles of one file, a :class:`Note` after an article that was changed to fit
    (its body cut), and ``(source, reason)`` for each item that failed: never raises."""
    try:
        for source, item in read_path(path, settings.max_bytes):
            if isinstance(item, InputError):
                yield scrub(source), str(item)
                continue
            yield from _prepared(scrub_item(item), settings)
    except Exception as exc:  # one unreadable file never ends the run
        yield scrub(str(path)), _unexpected(exc, "read")


def _prepared(item: RawItem, settings: Settings) -> Iterator[Article | Note | tuple[str, str]]:
    try:
        article = prepare(item, settings)
    except InputError as exc:
        yield item.source, str(exc)
        return
    except Exception as exc:  # deep nesting, a parser's bug: a bad item never ends the run
        yield item.source, _unexpected(exc, "clean")
        return
    why = cut(article)
    yield article
    if why:
        yield Note(article.source, why)


def _unexpected(exc: BaseException, step: str) -> str:
    return (f"could not {step} it ({type(exc).__name__}: {scrub(str(exc))[:200]}); the rest of "
            "the run went on; please report this file")


def read_articles(paths: Iterable[str | Path], settings: Settings,
                  failed: list[tuple[str, str]] | None = None,
                  notes: list[tuple[str, str]] | None = None) -> Iterator[Article]:
    """Clean articles from every readable item under ``paths``; bad items go to ``failed``,
    the changes made to stored ones (a body cut) to ``notes``."""
    for path in iter_paths(paths, failed):
        for found in read_one(path, settings):
            if isinstance(found, Article):
                yield found
            elif isinstance(found, Note):
                if notes is not None:
                    notes.append((found.source, found.reason))
            elif failed is not None:
                failed.append(found)


def ingest(paths: Iterable[str | Path], store: Store, settings: Settings,
           analyser: Analyser | AsyncAnalyser | None = None,
           progress: Progress | None = None) -> IngestReport:
    """Read, clean, deduplicate, analyse and store; batches are atomic, re-runs add nothing."""
    report = IngestReport()
    return ingest_articles(read_articles(paths, settings, report.failed, report.notes), store,
                           settings,
                           analyser, progress, report)


def ingest_articles(articles: Iterable[Article], store: Store, settings: Settings,
                    analyser: Analyser | AsyncAnalyser | None = None,
                    progress: Progress | None = None,
                    report: IngestReport | None = None) -> IngestReport:
    """Deduplicate, analyse and store articles cleaned elsewhere (another engine), in order.

    Two batches are in flight: while batch k+1 is analysed, batch k is finished (its claims
    embedded) and stored, and batch k+2 is read and cleaned. A batch is deduplicated against the
    store and against the batches still in flight, so duplicates across batches are caught.
    """
    report = report or IngestReport()
    submit = _submitter(analyser)
    inflight: deque[tuple[list[Pending], Future[list[Analysis]]]] = deque()
    batch: list[Article] = []
    for article in chain(articles, [None]):
        if article is not None:
            batch.append(article)
            if len(batch) < settings.batch_size:
                continue
        if batch:
            recent = [p for pending, _ in inflight for p in pending]
            pending = _dedupe(batch, store, settings, report, recent)
            inflight.append((pending, submit([p.article for p in pending])))
            batch = []
        while len(inflight) > (1 if article is not None else 0):
            _store(*inflight.popleft(), store, report, submit)
            if progress:
                progress(report)
    if progress:
        progress(report)
    return report


def _submitter(analyser: Analyser | AsyncAnalyser | None
               ) -> Callable[[Sequence[Article]], Future[list[Analysis]]]:
    if isinstance(analyser, AsyncAnalyser):
        return analyser.submit

    def run_here(articles: Sequence[Article]) -> Future[list[Analysis]]:
        done: Future[list[Analysis]] = Future()
        try:
            done.set_result(analyser(articles) if analyser and articles else [])
        except Exception as exc:  # raised where an async analyser would: at result()
            done.set_exception(exc)
        return done

    return run_here


def _dedupe(batch: list[Article], store: Store, settings: Settings, report: IngestReport,
            recent: list[Pending]) -> list[Pending]:
    """Drop exact duplicates (of the store, of batches in flight, within the batch); mark
    near-duplicates."""
    known = store.known_hashes(a.content_hash for a in batch)
    known |= {p.article.content_hash for p in recent}
    fresh: list[Article] = []
    seen_here: set[str] = set()
    for a in batch:
        report.duplicate_groups.setdefault(a.content_hash, []).append(a.source)
        if a.content_hash in known or a.content_hash in seen_here:
            report.duplicate += 1
            continue
        seen_here.add(a.content_hash)
        fresh.append(a)
    return _near_duplicates(fresh, store, settings, report, recent)


def _analysed(pending: list[Pending], analysed: Future[list[Analysis]], report: IngestReport,
              submit: Callable[[Sequence[Article]], Future[list[Analysis]]]
              ) -> tuple[list[Pending], list[Analysis]]:
    """The batch's analyses; when the batch failed in nlp, each article again alone, and one
    that fails alone is reported failed (not stored half-analysed) while the others go on."""
    try:
        return pending, analysed.result()
    except Exception as exc:  # one article the nlp stage cannot take never ends the run
        if len(pending) == 1:  # this is the article that failed: no need to run it again
            report.failed.append((pending[0].article.source, _unexpected(exc, "analyse")))
            return [], []
    kept: list[Pending] = []
    found: list[Analysis] = []
    for p in pending:
        try:
            one = submit([p.article]).result()
        except Exception as exc:  # this is the article that failed
            report.failed.append((p.article.source, _unexpected(exc, "analyse")))
            continue
        kept.append(p)
        found.extend(one or [Analysis()])
    return kept, found


def _store(pending: list[Pending], analysed: Future[list[Analysis]], store: Store,
           report: IngestReport,
           submit: Callable[[Sequence[Article]], Future[list[Analysis]]]) -> None:
    if not pending:
        return
    try:
        pending, found = _analysed(pending, analysed, report, submit)
    except Exception as exc:  # a batch of one that failed in nlp
        report.failed.append((pending[0].article.source, _unexpected(exc, "analyse")))
        return
    if not pending:
        return
    for k, p in enumerate(pending):
        p.analysis = found[k] if found else None
        if p.copy_of is not None and p.copy_of.doc_id is not None:  # stored in an earlier batch
            p.near_duplicate_of, p.copy_of = p.copy_of.doc_id, None
    ids = store.add(pending)
    for p, doc_id in zip(pending, ids, strict=True):
        if doc_id is None:
            report.duplicate += 1
            continue
        p.doc_id = doc_id
        report.new += 1
        report.new_ids.append(doc_id)
    for p in pending:  # copies of a document of the same batch: its id is known only now
        if p.doc_id is not None and p.copy_of is not None and p.copy_of.doc_id is not None:
            p.near_duplicate_of = p.copy_of.doc_id
            store.set_near_duplicate(p.doc_id, p.near_duplicate_of)
        if p.doc_id is not None and p.near_duplicate_of is not None:
            report.near_groups.setdefault(p.near_duplicate_of, []).append(p.article.source)


def _near_duplicates(fresh: list[Article], store: Store, settings: Settings,
                     report: IngestReport, recent: list[Pending]) -> list[Pending]:
    """MinHash LSH against the store, then against documents read but not stored yet; a
    near-duplicate inherits its earlier copy's origin."""
    bands = lsh_bands(settings.minhash_threshold, settings.minhash_perm)
    out: list[Pending] = []
    for a in fresh:
        mh = minhash(a.text, settings.minhash_perm)
        keys = band_keys(mh, bands)
        sig = mh.hashvalues.astype(np.uint64)
        p = Pending(article=a, signature=sig, bands=keys)
        hits = store.near_duplicates(sig, keys, settings.minhash_threshold)
        unstored = [q for q in [*recent, *out] if q.signature is not None and
                    float((q.signature == sig).mean()) >= settings.minhash_threshold]
        if hits:
            earlier = store.document(hits[0][0])
            p.near_duplicate_of = earlier.id
            _inherit(a, earlier.origin_publisher or earlier.outlet, earlier.origin_relation)
            report.near_duplicate += 1
        elif unstored:
            p.copy_of = unstored[0]
            first = unstored[0].article
            _inherit(a, first.origin_publisher or first.outlet, first.origin_relation)
            report.near_duplicate += 1
        out.append(p)
    return out


def _inherit(a: Article, publisher: str | None, relation: str) -> None:
    if a.origin_relation in ("unknown", "original") and (publisher or relation != "unknown"):
        a.origin_publisher = publisher
        a.origin_relation = "reprint"
        a.origin_evidence = "near-duplicate of an earlier document"


__all__ = ["Analyser", "AsyncAnalyser", "IngestReport", "Note", "Progress", "content_hash", "extract_html",
           "ingest", "ingest_articles", "iter_paths", "read_articles", "read_one"]
