"""The command line over the example corpus: readable views, and every error a message and exit 1."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.store import Store
from tests.conftest import ROOT

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'cli.db'}"
    r = runner.invoke(app, ["ingest", str(ROOT / "examples"), "--db", url, "--processes", "1"])
    assert r.exit_code == 0, r.output
    yield url


def run(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, list(args))
    return r.exit_code, r.stdout, r.stderr


def _first(db: str, prefix: str) -> str:
    code, out, _ = run("claim", "k1", "--db", db, "--json")
    assert code == 0
    data = json.loads(out)
    return str(data["id"] if prefix == "k" else data["timeline"][0]["claim"])


def test_claim_of_a_story_is_readable_and_json_on_request(db: str) -> None:
    code, out, _ = run("claim", "k1", "--db", db)
    assert code == 0
    assert not out.lstrip().startswith("{")
    assert re.search(r"grade [A-F][1-6] · (event|proposal) · statuses: ", out)
    assert "timeline (" in out and "(all of it as JSON: --json)" in out
    code, out, _ = run("claim", "k1", "--db", db, "--json")
    data = json.loads(out)
    assert code == 0 and data["id"] == "k1" and len(data["timeline"]) >= 1


def test_claim_shows_one_claim_with_its_source_file(db: str) -> None:
    ref = _first(db, "c")
    code, out, _ = run("claim", ref, "--db", db)
    assert code == 0
    assert out.startswith(f"{ref} ")
    assert "holder: " in out and "story: k1" in out
    assert re.search(r"source: .*examples/00\d_\w+\.txt", out)


@pytest.mark.parametrize(("args", "message"), [
    (["claim", "c99999"], "no claim c99999; `storyline claims` lists the stories"),
    (["claim", "k99999"], "no claim cluster k99999; `storyline claims` lists them"),
    (["claim", "zz"], "'zz' is not a k-id; use k12 or 12 (`storyline claims` lists them)"),
    (["timeline", "k99999"], "no claim cluster k99999; `storyline claims` lists them"),
    (["show", "d99999"], "`storyline docs`"),
    (["show", "x1"], "'x1' is not a d-id; use d12 or 12 (`storyline docs` lists them)"),
    (["entity", "Nobody Atall"], "no entity named 'Nobody Atall'; `storyline entities` lists them"),
])
def test_unknown_ids_exit_1_naming_the_list_command(db: str, args: list[str], message: str) -> None:
    code, out, err = run(*args, "--db", db)
    assert code == 1
    assert message in " ".join(err.split()), err
    assert "Traceback" not in err + out


def test_entity_by_surname_alias_and_accents(db: str) -> None:
    for name in ("Osk", "osk", "Mira Osk"):
        code, out, _ = run("entity", name, "--db", db)
        assert code == 0 and out.splitlines()[0].startswith("Mira Osk (PERSON) e"), (name, out)
    code, out, _ = run("entity", "Bréll", "--db", db)  # an alias, typed with an accent
    assert code == 0 and out.splitlines()[0].startswith("Tomas Brell (PERSON)")


def test_entity_suggests_close_names(db: str) -> None:
    code, _, err = run("entity", "Brel", "--db", db)
    assert code == 1
    assert "did you mean Tomas Brell?" in " ".join(err.split())


def test_docs_show_the_source_file(db: str) -> None:
    code, out, _ = run("docs", "--db", db)
    assert code == 0
    assert "source" in out and "001_lantern_" in out and "003_blog_rep" in out


def test_empty_store_says_how_to_ingest(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    Store(url).close()
    for command in ("claims", "docs", "entities", "stances"):
        code, out, err = run(command, "--db", url)
        assert code == 0 and out == "", command
        assert "add articles with `storyline ingest PATH --db URL`" in " ".join(err.split()), command


def test_reingest_loads_no_model_and_prints_progress_lines(db: str, monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    import storyline.nlp

    def refuse(*_: object) -> None:
        raise AssertionError("re-ingesting known files loaded the nlp model")

    monkeypatch.setattr(storyline.nlp, "Analyzer", refuse)
    code, out, err = run("ingest", str(ROOT / "examples"), "--db", db, "--processes", "1")
    assert code == 0, err
    assert out.splitlines()[0] == "0 new, 3 duplicate (0 near-duplicate), 0 failed"
    # not a terminal: plain lines, the first as the stage begins
    assert re.match(r"ingest: reading, cleaning, nlp, storing: \d/3 articles \(new 0 · duplicate "
                    r"\d · failed 0\), 0m0\ds elapsed$", err.splitlines()[0]), err
