"""The whole path: ingest → nlp → store → link → assess, as one library call."""

from __future__ import annotations

from collections.abc import Sequence

from storyline.ingest import IngestReport, Progress, ingest
from storyline.settings import Settings
from storyline.store import Claim, Cluster, Document, Entity, Figure, Mention, Quote, Store


def run_ingest(paths: Sequence[str], store: Store, settings: Settings, *, nlp: bool = True,
               progress: Progress | None = None) -> IngestReport:
    """Ingest ``paths``; analyse new documents; re-link entities; place the new claims in
    clusters and grade the clusters they changed."""
    analyzer = None
    if nlp:
        from storyline.nlp import Analyzer

        analyzer = Analyzer(settings)
        if settings.processes > 1:
            analyzer.start()
    try:
        report = ingest(paths, store, settings, analyser=analyzer,
                        progress=progress)
    finally:
        if analyzer is not None:
            analyzer.close()
    if nlp and report.new:
        refresh(store, settings)
    return report


def refresh(store: Store, settings: Settings, *, full: bool = False) -> int:
    """Recompute cross-document entities; cluster new claims (every claim with ``full``) and
    grade the clusters that changed. Returns how many clusters were graded."""
    from storyline.assess import assess_store
    from storyline.link import link_store

    link_store(store, settings)
    return assess_store(store, settings, full=full)


def store_stats(store: Store) -> dict[str, int]:
    return {name: store.count(model) for name, model in (
        ("documents", Document), ("entities", Entity), ("entity mentions", Mention),
        ("quotes", Quote), ("figures", Figure), ("claims", Claim), ("clusters", Cluster))}
