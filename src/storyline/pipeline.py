"""The whole path: ingest → nlp → store → link → assess, as one library call."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Any

from storyline.ingest import IngestReport, Progress, ingest
from storyline.records import Analysis, Article
from storyline.settings import Settings
from storyline.store import Claim, Cluster, Document, Entity, Figure, Mention, Quote, Store

Stage = Callable[[str], None]  # told the name of each stage as it begins


class _LazyAnalyzer:
    """The nlp Analyzer, loaded at the first batch that holds a new article: re-ingesting known
    files hashes them against the store and never loads a model."""

    def __init__(self, settings: Settings, stage: Stage | None) -> None:
        self.settings, self.stage = settings, stage
        self._real: Any = None

    def submit(self, articles: Sequence[Article]) -> Future[list[Analysis]]:
        if not articles:
            done: Future[list[Analysis]] = Future()
            done.set_result([])
            return done
        if self._real is None:
            if self.stage:
                self.stage("loading models")
            from storyline.nlp import Analyzer

            self._real = Analyzer(self.settings)
            if self.settings.processes > 1:
                self._real.start()
            if self.stage:
                self.stage("reading, cleaning, nlp, storing")
        return self._real.submit(articles)  # type: ignore[no-any-return]

    def close(self) -> None:
        if self._real is not None:
            self._real.close()


def run_ingest(paths: Sequence[str], store: Store, settings: Settings, *, nlp: bool = True,
               progress: Progress | None = None, stage: Stage | None = None) -> IngestReport:
    """Ingest ``paths``; analyse new documents; re-link entities; place the new claims in
    clusters and grade the clusters they changed. ``stage`` hears each stage's name."""
    analyzer = _LazyAnalyzer(settings, stage) if nlp else None
    if stage:
        stage("reading, cleaning, nlp, storing")
    try:
        report = ingest(paths, store, settings, analyser=analyzer,
                        progress=progress)
    finally:
        if analyzer is not None:
            analyzer.close()
    if nlp and (report.new or store.pending_work()[0]):  # this run's, or a killed run's
        refresh(store, settings, stage=stage)
    return report


def finish_pending(store: Store, settings: Settings, stage: Stage | None = None) -> bool:
    """Finish what a killed or failed run left to do (linking, placing, grading); True when
    there was something."""
    if not store.pending_work()[0]:
        return False
    refresh(store, settings, stage=stage)
    return True


def refresh(store: Store, settings: Settings, *, full: bool = False,
            stage: Stage | None = None) -> int:
    """Recompute cross-document entities; cluster new claims (every claim with ``full``) and
    grade the clusters that changed. Returns how many clusters were graded."""
    from storyline.assess import assess_store
    from storyline.link import link_store

    with store.work_lock():  # another run's linking first: two at once duplicated entities
        upto, _ = store.pending_work()  # what was asked before now is done by this run
        if stage:
            stage("linking entities")
        link_store(store, settings)
        if stage:
            stage("clustering and grading claims")
        graded = assess_store(store, settings, full=full)
        store.done_work(upto)
    return graded


def store_stats(store: Store) -> dict[str, int]:
    return {name: store.count(model) for name, model in (
        ("documents", Document), ("entities", Entity), ("entity mentions", Mention),
        ("quotes", Quote), ("figures", Figure), ("claims", Claim), ("clusters", Cluster))}
