"""Progress: done/total, counts and time left in one plain line; a line every N seconds off a terminal."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

from rich.console import Console

from storyline.ingest import IngestReport
from storyline.progress import IngestProgress, count_items


def test_count_items_counts_jsonl_lines_and_files(tmp_path: Path) -> None:
    rows = [json.dumps({"title": f"T{i}", "text": "Valdoria said so."}) for i in range(4)]
    (tmp_path / "a.jsonl").write_text("\n".join(rows) + "\n\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Ostrana said so.", encoding="utf-8")
    assert count_items([tmp_path]) == 5
    (tmp_path / "c.rss").write_text("<rss/>", encoding="utf-8")
    assert count_items([tmp_path]) is None  # a feed's items are known only once read


def test_plain_line_has_stage_counts_elapsed_and_time_left() -> None:
    now = [100.0]
    shown = IngestProgress(Console(file=io.StringIO()), 300, terminal=False, clock=lambda: now[0])
    shown.stage("reading, cleaning, nlp, storing")
    now[0] += 120
    shown(IngestReport(new=95, duplicate=5, failed=[("x.txt", "empty")]))
    assert shown.line() == ("ingest: reading, cleaning, nlp, storing: 101/300 articles (new 95 · "
                            "duplicate 5 · failed 1), 2m00s elapsed, about 3m56s left")


def test_off_a_terminal_a_line_comes_every_n_seconds_and_at_each_stage() -> None:
    out = io.StringIO()
    with IngestProgress(Console(file=out), 3, terminal=False, every=0.05) as shown:
        shown.stage("loading models")
        time.sleep(0.18)  # nothing reported meanwhile: the timer still tells
        shown(IngestReport(new=3))
        shown.stage("linking entities")
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("ingest: loading models: 0/3 articles (new 0 · ")
    assert sum(line.startswith("ingest: loading models: 0/3") for line in lines) >= 3
    assert lines[-1].startswith("ingest: linking entities: 3/3 articles (new 3 · duplicate 0 · "
                                "failed 0)")
