"""Progress of a long run, told the way its output can show it.

On a terminal: a rich bar with the stage, done/total and the time left. Anywhere else (a file, a
pipe, CI, cron): one plain line when a stage begins and one every ``every`` seconds, from a
timer thread, so a stage that reports nothing for minutes (loading models, linking) still shows
that the run is alive and how far it got.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from storyline.ingest import IngestReport, iter_paths

PLAIN_EVERY = 30.0  # seconds between plain lines: twice a minute is alive without flooding a log


def count_items(paths: Iterable[str | Path]) -> int | None:
    """How many articles ``paths`` hold, roughly and cheaply: a JSONL file's lines, one per other
    file. ``None`` when a feed or archive (items unknown until read) is among them."""
    total = 0
    for path in iter_paths(paths):
        name = path.name.lower()
        if name.endswith((".jsonl", ".jsonl.gz")):
            total += _lines(path)
        elif name.endswith((".warc", ".warc.gz", ".xml", ".rss", ".atom")):
            return None
        else:
            total += 1
    return total


def _lines(path: Path) -> int:
    import gzip

    opener: Callable[..., Any] = gzip.open if path.name.endswith(".gz") else open
    try:
        with opener(path, "rb") as fh:
            return sum(1 for line in fh if line.strip())
    except OSError:
        return 0


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}h{s % 3600 // 60:02d}m" if s >= 3600 else f"{s // 60}m{s % 60:02d}s"


class IngestProgress:
    """Callbacks for :func:`storyline.pipeline.run_ingest`: ``stage(name)`` and ``(report)``.

    Use as a context manager; ``terminal`` chooses the bar (``None``: ask the console).
    """

    def __init__(self, console: Console, total: int | None, *, terminal: bool | None = None,
                 every: float = PLAIN_EVERY, out: TextIO | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.total, self.every, self.clock = total, every, clock
        self.terminal = console.is_terminal if terminal is None else terminal
        self.out = out or console.file
        self.name, self.report = "starting", IngestReport()
        self.started = clock()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._bar: Progress | None = None
        if self.terminal:
            self._bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.fields[counts]}"), TimeElapsedColumn(),
                                 TextColumn("left"), TimeRemainingColumn(), console=console,
                                 transient=True)
            self._task = self._bar.add_task(self.name, total=total, counts="")

    def __enter__(self) -> IngestProgress:
        if self._bar is not None:
            self._bar.start()
        else:
            self._thread = threading.Thread(target=self._tick, daemon=True, name="storyline-progress")
            self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
        if self._bar is not None:
            self._bar.stop()

    def stage(self, name: str) -> None:
        with self._lock:
            changed, self.name = name != self.name, name
        if self._bar is not None:
            self._bar.update(self._task, description=name)
        elif changed:
            self._line()

    def __call__(self, report: IngestReport) -> None:
        self.report = report
        if self._bar is not None:
            total = self.total if self.total is None or report.seen <= self.total else None
            self._bar.update(self._task, completed=report.seen, total=total, counts=self.counts())

    def counts(self) -> str:
        r = self.report
        return f"new {r.new} · duplicate {r.duplicate} · failed {len(r.failed)}"

    def line(self) -> str:
        """The plain line: stage, done/total, counts, elapsed and (when known) time left."""
        seen, elapsed = self.report.seen, self.clock() - self.started
        of = f"/{self.total}" if self.total and seen <= self.total else ""
        left = ""
        if self.total and 0 < seen < self.total:
            left = f", about {_clock(elapsed / seen * (self.total - seen))} left"
        return (f"ingest: {self.name}: {seen}{of} articles ({self.counts()}), "
                f"{_clock(elapsed)} elapsed{left}")

    def _line(self) -> None:
        with self._lock:
            self.out.write(self.line() + "\n")
            self.out.flush()

    def _tick(self) -> None:
        while not self._stop.wait(self.every):
            self._line()


__all__ = ["PLAIN_EVERY", "IngestProgress", "count_items"]
