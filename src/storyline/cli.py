"""The storyline command line: thin Typer wrappers over library functions."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from storyline.errors import ConfigError, StorylineError
from storyline.settings import Settings, load_settings
from storyline.store import Store

app = typer.Typer(help="storyline: a sourced, graded picture of a developing story.",
                  no_args_is_help=True, add_completion=False)
console = Console()
err = Console(stderr=True)
T = TypeVar("T")

DbOpt = Annotated[str | None, typer.Option("--db", help="Database URL (default: STORYLINE_DB "
                                           "or sqlite:///storyline.db).")]


def _fail(exc: StorylineError) -> None:
    err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
    raise typer.Exit(1)


@contextmanager
def _open(db: str | None, *, create: bool = False, **overrides: Any
          ) -> Iterator[tuple[Store, Settings]]:
    """The store (a missing SQLite file exits 1 naming it, unless ``create``: ingest, token)."""
    try:
        settings = load_settings(db=db, **overrides)
        store = Store(settings.db, create=create)
    except StorylineError as exc:
        _fail(exc)
        raise  # unreachable; keeps mypy happy
    try:
        yield store, settings
    except StorylineError as exc:
        _fail(exc)
    finally:
        store.close()


def _empty_hint(store: Store, what: str) -> None:
    """Say how to fill an empty store (on stderr; the listing itself stays empty)."""
    from storyline.store import Document

    if store.count(Document) == 0:
        err.print(f"the store holds no documents, so no {what}: add articles with "
                  "`storyline ingest PATH --db URL` (files or folders of .txt, .html, .jsonl, "
                  "WARC, RSS)", highlight=False)
    else:
        err.print(f"no {what} in this store yet", highlight=False)


def _guard(fn: Callable[[], T]) -> T:
    try:
        return fn()
    except StorylineError as exc:
        _fail(exc)
        raise


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (recursive).")],
    db: DbOpt = None,
    processes: Annotated[int | None, typer.Option(help="Worker processes (default: all cores).")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    no_nlp: Annotated[bool, typer.Option("--no-nlp", help="Store documents only; skip nlp.")] = False,
    engine: Annotated[str, typer.Option(help="local, or ray (Ray Data tasks and actors)")] = "local",
    ray_address: Annotated[str | None, typer.Option(
        help="Ray cluster: auto, ray://HOST:10001; default: a local Ray")] = None,
    progress_every: Annotated[float, typer.Option(
        "--progress-every", help="Seconds between progress lines when not on a terminal.")] = 30.0,
) -> None:
    """Ingest text, HTML, JSONL, WARC and RSS/Atom files into the store.

    On a terminal a bar shows the stage, done/total and time left; written to a file or a
    pipe, a plain progress line goes to stderr every --progress-every seconds."""
    from storyline.pipeline import run_ingest

    if engine not in ("local", "ray"):
        _fail(ConfigError(f"unknown engine {engine!r}: use --engine local or --engine ray"))

    from storyline.progress import IngestProgress, count_items

    with _open(db, create=True, processes=processes) as (store, settings):
        total = count_items(paths)
        with IngestProgress(err, total, every=progress_every) as shown:
            if engine == "ray":
                from storyline.ray_engine import run_ingest_ray

                report = run_ingest_ray([str(p) for p in paths], store, settings,
                                        address=ray_address, progress=shown)
            else:
                report = run_ingest([str(p) for p in paths], store, settings, nlp=not no_nlp,
                                    progress=shown, stage=shown.stage)
    if json_out:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
    else:
        console.print(f"[bold]{report.new}[/bold] new, {report.duplicate} duplicate "
                      f"({report.near_duplicate} near-duplicate), {len(report.failed)} failed")
        for source, reason in report.failed:
            console.print(f"  [yellow]skipped[/yellow] {escape(source)}: {escape(reason)}",
                          highlight=False)
        for source, reason in report.notes:
            console.print(f"  [cyan]note[/cyan] {escape(source)}: {escape(reason)}",
                          highlight=False)
        groups = [g for g in report.duplicate_groups.values() if len(g) > 1]
        if groups or report.near_groups:
            console.print(f"exact-duplicate groups: {len(groups)}; "
                          f"near-duplicate groups: {len(report.near_groups)}")
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def refresh(db: DbOpt = None,
            full: Annotated[bool, typer.Option(
                "--full", help="Re-cluster every claim, not only new ones.")] = False) -> None:
    """Re-link entities and re-assess claims (ingest does this for what it adds)."""
    from storyline.pipeline import refresh as run_refresh

    with _open(db) as (store, settings):
        graded = run_refresh(store, settings, full=full)
    console.print(f"{graded} claim clusters graded")


@app.command()
def docs(db: DbOpt = None, limit: int = 50, offset: int = 0) -> None:
    """List documents."""
    with _open(db) as (store, _):
        table = Table("id", "title", "source", "outlet", "origin", "lang", "words")
        rows = store.documents(limit=limit, offset=offset)
        for d in rows:
            origin = f"{d.origin_relation}" + (f" of {d.origin_publisher}" if d.origin_publisher else "")
            table.add_row(f"d{d.id}", escape(d.title or "—"), escape(_source_name(d.source)),
                          escape(d.outlet or "—"), escape(origin), escape(d.language or "—"),
                          str(len(d.text.split())))
        if not rows:
            _empty_hint(store, "documents")
            return
        console.print(table)


def _source_name(source: str | None) -> str:
    """The file (and item) a document came from, without its folders."""
    return (source or "—").replace("\\", "/").rsplit("/", 1)[-1]


def _ref(ref: str, prefix: str, listing: str) -> int:
    """``d12``/``12`` -> 12; anything else exits 1 naming the command that lists the ids."""
    text = ref[1:] if ref[:1].lower() == prefix else ref
    if text.isascii() and text.isdigit():
        return int(text)
    err.print(f"[red]error:[/red] {ref!r} is not a {prefix}-id; use {prefix}12 or 12 "
              f"(`storyline {listing}` lists them)", highlight=False)
    raise typer.Exit(1)


def _doc_id(ref: str) -> int:
    return _ref(ref, "d", "docs")


@app.command()
def show(doc: Annotated[str, typer.Argument(help="Document id (d12 or 12).")],
         db: DbOpt = None) -> None:
    """Show a document: metadata, origin, clean text and removed lines."""
    with _open(db) as (store, _):
        d = store.document(_doc_id(doc))
        console.print(d.title or "(no title)", style="bold", highlight=False, markup=False)
        console.print(f"source: {d.source}\nbyline: {', '.join(d.byline or []) or '—'}\n"
                      f"outlet: {d.outlet or '—'}   published: {d.published or '—'}   "
                      f"language: {d.language or '—'}\norigin: {d.origin_relation} "
                      f"{d.origin_publisher or ''} ({d.origin_evidence or 'no evidence'})",
                      highlight=False, markup=False)
        if d.near_duplicate_of:
            console.print(f"near-duplicate of d{d.near_duplicate_of}")
        console.rule("text")
        console.print(d.text, highlight=False, markup=False)
        console.rule(f"removed ({len(d.removed or [])} lines)")
        for line in d.removed or []:
            console.print(f"  {line}", highlight=False, markup=False, style="dim")


@app.command()
def export(
    db: DbOpt = None,
    fmt: Annotated[str, typer.Option(
        "--format", help="json, csv, stix (STIX 2.1 bundle), misp (MISP events), ftm "
                         "(FollowTheMoney, one entity a line) or claimreview")] = "json",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File (default: stdout).")] = None,
    table: Annotated[str, typer.Option(
        "--table", help="csv only: documents, claims, quotes, figures, entities, stories, or all "
                        "(one CSV per table into the folder or .zip given by -o)")] = "documents",
    base_url: Annotated[str | None, typer.Option(
        "--base-url", help="where the workbench is published (permalinks); setting base_url")] = None,
) -> None:
    """Export the knowledge base: JSON (EXPORT_FORMAT), CSV tables, STIX, MISP, FtM, ClaimReview."""
    from storyline.serve.export import CSV_TABLES, FORMATS, export_csv_tables, write_export

    if fmt not in FORMATS:
        err.print(f"[red]error:[/red] unknown format {fmt!r}; use {', '.join(FORMATS)}")
        raise typer.Exit(2)
    if fmt == "csv" and table not in (*CSV_TABLES, "all"):
        err.print(f"[red]error:[/red] unknown table {table!r}; use {', '.join(CSV_TABLES)} or all")
        raise typer.Exit(2)
    if fmt == "csv" and table == "all" and output is None:
        err.print("[red]error:[/red] --table all writes one file per table: give -o FOLDER or -o FILE.zip")
        raise typer.Exit(2)
    with _open(db, base_url=base_url) as (store, settings):
        if fmt == "csv" and table == "all" and output is not None:
            counts = export_csv_tables(store, output)
            err.print(f"wrote {output}: " + ", ".join(f"{t} {n}" for t, n in counts.items()))
            return
        fh = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
        try:
            write_export(store, fmt, fh, settings, table=table)
        finally:
            if output:
                fh.close()
    if output:
        err.print(f"wrote {output}")


@app.command()
def stats(db: DbOpt = None) -> None:
    """Counts of what the store holds."""
    from storyline.pipeline import store_stats

    with _open(db) as (store, _):
        for k, v in store_stats(store).items():
            console.print(f"{k:22s} {v}")


@app.command()
def entities(db: DbOpt = None, limit: int = 100) -> None:
    """List canonical entities with aliases and the number of documents."""
    from storyline.serve.export import export_json

    with _open(db) as (store, _):
        data = export_json(store)
        table = Table("id", "name", "type", "aliases", "docs")
        rows = sorted(data["entities"], key=lambda e: -len(e["documents"]))[:limit]
        if not rows:
            _empty_hint(store, "entities")
            return
        for e in rows:
            table.add_row(e["id"], e["name"], e["type"], ", ".join(e["aliases"][:4]),
                          str(len(e["documents"])))
        console.print(table)


@app.command()
def entity(
    words: Annotated[list[str], typer.Argument(help="NAME, or merge A B, or split A B")],
    db: DbOpt = None,
    who: Annotated[str, typer.Option(help="who decides (kept with the decision)")] = "analyst",
    comment: Annotated[str | None, typer.Option(help="why (kept with the decision)")] = None,
) -> None:
    """Show one entity (aliases, roles, documents, merge reasons), or record that two names are
    one entity (merge A B) or different entities (split A B); decisions are kept and re-applied."""
    if words[0] in ("merge", "split") and len(words) == 3:
        _decide(words[0] == "merge", words[1], words[2], db, who, comment)
    elif len(words) == 1:
        _show_entity(words[0], db)
    else:
        err.print("[red]error:[/red] use `storyline entity NAME`, `storyline entity merge A B` or "
                  "`storyline entity split A B` (quote names with spaces)")
        raise typer.Exit(2)


def _show_entity(name: str, db: str | None) -> None:
    from storyline.serve.export import export_json
    from storyline.serve.search import find_entities, suggest

    with _open(db) as (store, _):
        found = find_entities(store, name)
        if not found:
            close = suggest(store, name)
            hint = f"did you mean {', '.join(close)}? " if close else ""
            err.print(f"[red]error:[/red] no entity named {name!r}; {hint}`storyline entities` "
                      "lists them", highlight=False)
            raise typer.Exit(1)
        best = [f for f in found if f.how == found[0].how]  # the surname only when no name is
        ids = {f"e{f.id}" for f in best}
        hits = [e for e in export_json(store)["entities"] if e["id"] in ids]
        hits.sort(key=lambda e: -len(e["documents"]))
        for e in hits:
            console.print(f"[bold]{e['name']}[/bold] ({e['type']}) {e['id']}", highlight=False)
            console.print(f"aliases: {', '.join(e['aliases']) or '—'}\nroles: "
                          f"{'; '.join(e['roles']) or '—'}\ndocuments: {', '.join(e['documents'])}\n"
                          f"merged because: {'; '.join(e['reasons']) or '—'}", highlight=False)


def _decide(merge: bool, a: str, b: str, db: str | None, who: str, comment: str | None) -> None:
    from storyline.link import merge_entities, split_entities

    with _open(db) as (store, _):
        n = (merge_entities if merge else split_entities)(store, a, b, who, comment)
    console.print(f"{'merged' if merge else 'split'} {a!r} {'and' if merge else 'from'} {b!r}; "
                  f"{n} entities now")


@app.command()
def claims(db: DbOpt = None, limit: int = 30) -> None:
    """List claim clusters with their Admiralty grade."""
    from storyline.assess import clusters

    with _open(db) as (store, _):
        table = Table("id", "grade", "kind", "docs", "claims", "label")
        rows = clusters(store)[:limit]
        if not rows:
            _empty_hint(store, "claims")
            return
        for c in rows:
            table.add_row(c["id"], c["grade"], c["kind"], str(c["documents"]), str(c["claims"]),
                          c["label"])
        console.print(table)


@app.command()
def claim(ref: Annotated[str, typer.Argument(help="A story (k3 or 3) or one claim (c27).")],
          db: DbOpt = None,
          json_out: Annotated[bool, typer.Option("--json", help="Print the data as JSON.")] = False,
          ) -> None:
    """One story (kN): grade, reasons, status history, figures; or one claim (cN)."""
    from storyline.serve import views

    with _open(db) as (store, _):
        if ref[:1].lower() == "c":
            data = views.claim(store, f"c{_ref(ref, 'c', 'claims')}")
        else:
            data = views.cluster(store, f"k{_ref(ref, 'k', 'claims')}")
    if json_out:
        print(json.dumps(data, ensure_ascii=False, indent=1))
    elif "timeline" in data:
        _print_story(data)
    else:
        _print_claim(data)


def _print_story(v: dict[str, Any]) -> None:
    console.print(f"[bold]{v['id']} {v['label']}[/bold]", highlight=False)
    console.print(f"grade {v['grade']['code']} · {v['kind']} · statuses: "
                  f"{', '.join(v['statuses']) or '—'}", highlight=False)
    for r in v["reasons"]:
        if r.get("kind") == "origins":
            console.print(f"  {r['count']} independent origin(s), {r.get('supporting', 0)} "
                          "supporting", highlight=False)
        elif r.get("claim"):
            console.print(f"  {r['kind']} by {r.get('holder') or 'the article'} "
                          f"({r['claim']}, {r['document']})", highlight=False)
    console.rule(f"timeline ({len(v['timeline'])} claims)")
    for e in v["timeline"]:
        console.print(f"{e['date'] or 'undated':10s} {e['status']:11s} {e['claim']:>6s} "
                      f"{e['document']:>5s}  {e['holder']}: {_short(e['text'], 110)}",
                      highlight=False, markup=False)
    if v["figures"]:
        console.rule("figures" + (" (divergent: as claimed, not averaged)"
                                  if v["divergent_figures"] else ""))
        for f in v["figures"]:
            console.print(f"{f['text']:24s} {f['counts'] or '':20s} {f['claimant']} "
                          f"({f['document']})", highlight=False, markup=False)
    console.print("(all of it as JSON: --json)", style="dim")


def _print_claim(c: dict[str, Any]) -> None:
    console.print(f"[bold]{c['id']}[/bold] {c['status']}"
                  + (f" (extracted: {c['extracted_status']})" if c["status"] != c["extracted_status"]
                     else ""), highlight=False)
    console.print(c["text"], highlight=False, markup=False)
    holder = c["holder"] or "the article"
    if c["holder_corrected"]:
        holder += f" (corrected; extracted: {c['extracted_holder'] or 'the article'})"
    console.print(f"holder: {holder}\ndate: {c['date'] or 'undated'}"
                  + (f" ({c['date_evidence']})" if c["date_evidence"] else "")
                  + f"\ndocument: {c['document']} {c['title'] or ''} [{c['start']}-{c['end']}]"
                  f"\nsource: {c['source'] or '—'}\nstory: {c['cluster'] or '—'}",
                  highlight=False, markup=False)
    for x in c["corrections"]:
        console.print(f"corrected: {x['action']} -> {x['object']} by {x['who']} at {x['at']}"
                      + (f" ({x['comment']})" if x["comment"] else ""), highlight=False,
                      markup=False)


def _short(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


@app.command()
def timeline(cluster: Annotated[str, typer.Argument(help="Cluster id (k3 or 3).")],
             db: DbOpt = None) -> None:
    """Dated status changes and figures of one cluster."""
    from storyline.serve import views

    with _open(db) as (store, _):
        events = views.cluster(store, f"k{_ref(cluster, 'k', 'claims')}")["timeline"]
        for e in events:
            console.print(f"{e['date'] or 'undated':10s} {e['status']:12s} {e['holder']}: "
                          f"{_short(e['text'], 400)} [{e['document']}:{e['start']}-{e['end']}]",
                          highlight=False, markup=False)  # keeps the [dN:a-b] references


@app.command()
def date(document: Annotated[str, typer.Argument(help="Document id (d3 or 3).")],
         day: Annotated[str, typer.Argument(help="YYYY-MM-DD, or 'none' to make it undated.")],
         db: DbOpt = None,
         who: Annotated[str, typer.Option(help="Who sets it (kept in the audit log).")] = "cli",
         comment: Annotated[str | None, typer.Option(help="Why (audit log).")] = None) -> None:
    """Set a document's publication date: kept in the audit log, its stories re-dated and
    their histories re-ordered."""
    from storyline.assess import set_date

    with _open(db) as (store, _):
        r = set_date(store, _doc_id(document), None if day.lower() == "none" else day, who,
                     comment)
        console.print(f"{r['document']}: {r['was']} -> {r['date'] or 'undated'}; stories "
                      f"re-ordered: {', '.join(r['stories']) or 'none'}", highlight=False,
                      markup=False)


@app.command()
def stances(db: DbOpt = None) -> None:
    """The stance matrix: actors × proposals."""
    from storyline.assess import stances as st

    with _open(db) as (store, _):
        data = st(store)
        if not data["actors"]:
            _empty_hint(store, "stances")
            return
        table = Table("actor", *[i["id"] for i in data["issues"]])
        for actor, cells in data["actors"].items():
            table.add_row(actor, *[", ".join(sorted({x["stance"] for x in cells.get(i["id"], [])}))
                                   for i in data["issues"]])
        console.print(table)
        for i in data["issues"]:
            console.print(f"{i['id']}: {i['label']}", highlight=False)


@app.command()
def brief(db: DbOpt = None,
          fmt: Annotated[str, typer.Option("--format", help="md or html")] = "md",
          output: Annotated[Path | None, typer.Option("-o", "--output")] = None) -> None:
    """The brief: key claims, grades, figures, stances and sources, each linked to evidence."""
    from storyline.assess.brief import brief_html, brief_markdown

    with _open(db) as (store, _):
        text = brief_html(store) if fmt == "html" else brief_markdown(store)
    if output:
        output.write_text(text, encoding="utf-8")
        err.print(f"wrote {output}")
    else:  # soft_wrap: the brief's lines are not hard-wrapped to the terminal
        console.print(text, markup=False, highlight=False, soft_wrap=True, end="")


@app.command()
def serve(db: DbOpt = None,
          host: Annotated[str, typer.Option(help="interface to listen on")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="port")] = 8000) -> None:
    """The web workbench and the REST API (/api/v1) over the store."""
    from storyline.serve import serve as run

    with _open(db) as (store, settings):
        err.print(f"storyline at http://{host}:{port}/  (API: http://{host}:{port}/api/v1/openapi.json)")
        run(store, settings, host=host, port=port)


token_app = typer.Typer(help="API tokens for writes (upload, edits).")
app.add_typer(token_app, name="token")


@token_app.command("create")
def token_create(name: Annotated[str, typer.Argument(help="who the token is for")],
                 db: DbOpt = None) -> None:
    """Create a token; it is printed once and only its hash is stored."""
    from storyline.serve import create_token

    with _open(db, create=True) as (store, _):
        console.print(create_token(store, name), highlight=False)
    err.print("keep it: it is shown only now. Send it as `Authorization: Bearer <token>`.")


if __name__ == "__main__":  # python -m storyline.cli
    app()
