"""What a careless analyst meets on the command line: a mistyped --db, markup in names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import app

runner = CliRunner()
BODY = ("Talks between the two governments resumed on Friday in the capital, officials said, "
        "after a week of clashes along the disputed river border that left six people dead.\n")


@pytest.mark.parametrize("args", [["docs"], ["stats"], ["claims"], ["show", "d1"],
                                  ["entities"], ["refresh"], ["serve", "--port", "1"],
                                  ["export", "--format", "json", "-o", "out.json"]])
def test_a_read_command_on_a_missing_store_exits_1_and_creates_nothing(
        tmp_path: Path, args: list[str]) -> None:
    url = f"sqlite:///{tmp_path / 'typo' / 'store.db'}"
    r = runner.invoke(app, [*args, "--db", url], env={"COLUMNS": "400"})
    assert r.exit_code == 1
    assert r.stderr.strip() == (
        f"error: no store at {tmp_path}/typo/store.db; create one with `storyline ingest PATH "
        f"--db {url}` (or check --db / STORYLINE_DB for a typo)")
    assert not (tmp_path / "typo").exists()


def test_markup_in_a_path_and_a_title_is_printed_as_written(tmp_path: Path) -> None:
    folder = tmp_path / "in" / "["
    folder.mkdir(parents=True)
    (folder / "]notes [bold].jsonl").write_text(json.dumps(
        {"title": "A headline [/] with [red]markup", "text": BODY * 2}))
    (folder / "]empty.txt").write_text("")
    url = f"sqlite:///{tmp_path / 's.db'}"
    wide = {"COLUMNS": "400"}
    r = runner.invoke(app, ["ingest", str(tmp_path / "in"), "--db", url, "--no-nlp"], env=wide)
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines() == [
        "1 new, 0 duplicate (0 near-duplicate), 1 failed",
        f"  skipped {folder}/]empty.txt: empty file; nothing to ingest"]
    r = runner.invoke(app, ["docs", "--db", url], env=wide)
    assert r.exit_code == 0 and "A headline [/] with" in r.stdout and "]notes [bold].jsonl#1" in r.stdout
    r = runner.invoke(app, ["show", "d1", "--db", url], env=wide)
    assert r.exit_code == 0
    assert r.stdout.splitlines()[:2] == ["A headline [/] with [red]markup",
                                         f"source: {folder}/]notes [bold].jsonl#1"]
