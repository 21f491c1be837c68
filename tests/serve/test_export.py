import json
from pathlib import Path

from typer.testing import CliRunner

from storyline.cli import app
from storyline.serve.export import FORMAT, export_json
from storyline.store import Store

runner = CliRunner()


def test_cli_ingest_export_roundtrip(tmp_path: Path, examples: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    r = runner.invoke(app, ["ingest", str(examples), "--db", db, "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout[r.stdout.index("{"):])["new"] == 3
    out = tmp_path / "e.json"
    assert runner.invoke(app, ["export", "--db", db, "-o", str(out)]).exit_code == 0
    data = json.loads(out.read_text())
    assert data["format"] == FORMAT
    assert {"documents", "entities", "quotes", "quantities", "claims", "clusters"} <= set(data)
    doc = data["documents"][0]
    assert {"id", "source", "title", "byline", "outlet", "language", "published", "origin",
            "text", "removed"} <= set(doc)
    for q in data["quotes"]:
        d = next(x for x in data["documents"] if x["id"] == q["document"])
        assert d["text"][q["start"]:q["end"]] == q["text"]
    for cmd in (["docs"], ["show", "d1"], ["stats"], ["entities"], ["claims"], ["stances"],
                ["brief"], ["export", "--format", "csv"], ["export", "--format", "claimreview"]):
        res = runner.invoke(app, [*cmd, "--db", db])
        assert res.exit_code == 0, (cmd, res.output)
    a, b = (e["name"] for e in data["entities"][:2])
    shown = runner.invoke(app, ["entity", a, "--db", db])
    assert shown.exit_code == 0 and a in shown.output
    for verb in ("split", "merge"):
        res = runner.invoke(app, ["entity", verb, a, b, "--db", db, "--comment", "cli test"])
        assert res.exit_code == 0 and "entities now" in res.output, (verb, res.output)
    assert runner.invoke(app, ["entity", a, b, "--db", db]).exit_code == 2


def test_cli_exports_every_format(tmp_path: Path, examples: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    assert runner.invoke(app, ["ingest", str(examples), "--db", db]).exit_code == 0
    for fmt in ("stix", "misp", "ftm", "claimreview"):
        out = tmp_path / f"e.{fmt}"
        r = runner.invoke(app, ["export", "--db", db, "--format", fmt, "-o", str(out),
                                "--base-url", "https://desk.example.org"])
        assert r.exit_code == 0, (fmt, r.output)
        text = out.read_text(encoding="utf-8")
        if fmt == "ftm":
            assert json.loads(text.splitlines()[0])["schema"] == "Article"
        elif fmt == "stix":
            assert json.loads(text)["type"] == "bundle"
        else:
            assert isinstance(json.loads(text), list)
    reviews = json.loads((tmp_path / "e.claimreview").read_text(encoding="utf-8"))
    assert reviews[0]["url"] == "https://desk.example.org/clusters/k1"
    r = runner.invoke(app, ["export", "--db", db, "--format", "csv", "--table", "stories"])
    assert r.exit_code == 0 and r.stdout.splitlines()[0] == (
        "id,label,kind,grade,reliability,credibility,statuses,claims,documents")
    r = runner.invoke(app, ["export", "--db", db, "--format", "csv", "--table", "all",
                            "-o", str(tmp_path / "t")])
    assert r.exit_code == 0 and sorted(p.name for p in (tmp_path / "t").iterdir()) == [
        "claims.csv", "documents.csv", "entities.csv", "figures.csv", "quotes.csv", "stories.csv"]
    for bad in (["--format", "pdf"], ["--format", "csv", "--table", "nope"],
                ["--format", "csv", "--table", "all"]):
        assert runner.invoke(app, ["export", "--db", db, *bad]).exit_code == 2, bad


def test_cli_nothing_ingested_exits_1(tmp_path: Path) -> None:
    (tmp_path / "e.txt").write_text("")
    r = runner.invoke(app, ["ingest", str(tmp_path / "e.txt"), "--db",
                            f"sqlite:///{tmp_path / 'x.db'}"])
    assert r.exit_code == 1 and "empty" in r.output


def test_cli_unknown_document_message(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    Store(db)  # an existing, empty store: a missing one is refused before the id is looked up
    r = runner.invoke(app, ["show", "d42", "--db", db])
    assert r.exit_code == 1 and "storyline docs" in r.output


def test_cli_show_on_a_missing_store_creates_nothing(tmp_path: Path) -> None:
    r = runner.invoke(app, ["show", "d42", "--db", f"sqlite:///{tmp_path / 'x.db'}"])
    assert r.exit_code == 1 and "no store at" in r.output
    assert list(tmp_path.iterdir()) == []


def test_export_json_empty_store(store: Store) -> None:
    assert export_json(store)["documents"] == []
