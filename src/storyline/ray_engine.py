"""The Ray engine: the same stages as the local engine, spread over a Ray cluster.

Reading and cleaning run as Ray Data tasks, one file per task; the nlp stage runs in actors
that load the spaCy pipeline once each. Ray Data keeps the input order, so the driver stores
the results exactly as the local engine would (same duplicates, same near-duplicates, same
document ids) and then links and assesses the store. Point it at PostgreSQL when the cluster
is not this machine. ``ray`` is imported only here.
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from storyline.errors import ConfigError
from storyline.ingest import IngestReport, Note, Progress, ingest_articles, iter_paths, read_one
from storyline.records import Analysis, Article
from storyline.settings import Settings
from storyline.store import Store


def _clean(row: dict[str, Any], settings: Settings) -> list[dict[str, Any]]:
    """Ray Data task: one file in, its cleaned articles (or failures) out, pickled."""
    out = []
    for found in read_one(Path(row["path"]), settings):
        if isinstance(found, Article):
            out.append({"article": pickle.dumps(found), "failed": b""})
        else:
            out.append({"article": b"", "failed": pickle.dumps(found)})
    return out


class _Analyse:
    """Ray Data actor: the nlp stage, its pipeline loaded once per actor."""

    def __init__(self, settings: Settings) -> None:
        from storyline.nlp import Analyzer

        self.analyzer = Analyzer(replace(settings, processes=1))

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        articles = [pickle.loads(b) for b in batch["article"] if b]
        found = iter(self.analyzer.analyse(articles))
        batch["analysis"] = [pickle.dumps(next(found)) if b else b"" for b in batch["article"]]
        return batch


def _rows(paths: Sequence[str], settings: Settings, actors: int) -> Iterator[dict[str, Any]]:
    import ray

    ctx = ray.data.DataContext.get_current()
    ctx.execution_options.preserve_order = True
    ctx.enable_progress_bars = False
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    files = [{"path": str(p)} for p in iter_paths(paths)]
    if not files:
        return
    ds: Any = ray.data.from_items(files, override_num_blocks=max(1, min(len(files), 200)))
    # Fractions of a CPU: the nlp actors must not reserve every core while cleaning waits.
    ds = ds.flat_map(_clean, fn_kwargs={"settings": settings}, num_cpus=0.25)
    ds = ds.map_batches(_Analyse, fn_constructor_kwargs={"settings": settings},
                        batch_size=settings.batch_size,
                        compute=ray.data.ActorPoolStrategy(size=actors), num_cpus=0.75,
                        batch_format="numpy")
    yield from ds.iter_rows()


def run_ingest_ray(paths: Sequence[str], store: Store, settings: Settings, *,
                   address: str | None = None, progress: Progress | None = None) -> IngestReport:
    """Ingest on Ray (``address``: ``auto``, ``ray://host:10001``, or None for a local Ray)."""
    try:
        import ray
    except ImportError as exc:
        raise ConfigError("the Ray engine needs ray[data]: pip install 'ray[data]'") from exc
    started = not ray.is_initialized()
    if started:
        opts: dict[str, Any] = {"address": address} if address else {"num_cpus": settings.processes}
        ray.init(include_dashboard=False, ignore_reinit_error=True, log_to_driver=False, **opts)
    report = IngestReport()
    analyses: dict[str, Analysis] = {}

    def articles() -> Iterator[Article]:
        actors = max(1, int(ray.cluster_resources().get("CPU", 1)))  # type: ignore[no-untyped-call]
        for row in _rows(paths, settings, actors):
            if row["failed"]:
                found = pickle.loads(row["failed"])
                (report.notes if isinstance(found, Note) else report.failed).append(tuple(found))
                continue
            article: Article = pickle.loads(row["article"])
            analyses[article.content_hash] = pickle.loads(row["analysis"])
            yield article

    def lookup(batch: Sequence[Article]) -> list[Analysis]:
        return [analyses.pop(a.content_hash, Analysis()) for a in batch]

    try:
        ingest_articles(articles(), store, settings, lookup, progress, report)
    finally:
        if started:
            ray.shutdown()
    if report.new or store.pending_work()[0]:  # this run's, or a killed run's
        from storyline.pipeline import refresh

        refresh(store, settings)
    return report


__all__ = ["run_ingest_ray"]
