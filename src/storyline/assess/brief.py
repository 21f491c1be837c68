"""The brief: the report an analyst can send, every line linked to its document and offsets.

Markdown (one line a paragraph, never hard-wrapped) and a standalone HTML page made from it
(escaped, with a stylesheet; every reference a link to ``/documents/dN#cID``).
"""

from __future__ import annotations

import html
import re
from typing import Any

from storyline.assess import cluster_view, clusters, independent_origins, origin_table, stances
from storyline.assess._grades import MEANING
from storyline.store import Store

# Key claims shown: the most significant stories of each kind (events, then proposals).
TOP_EVENTS = 6
TOP_PROPOSALS = 4
_SPACE = re.compile(r"\s+")


def relation_phrase(relation: str, publisher: str | None) -> str:
    """How a document stands to its origin, in words: "reprint of X", "cites X", "original"."""
    if not publisher:
        return relation
    return f"{relation} {publisher}" if relation == "cites" else f"{relation} of {publisher}"


def _flat(text: str) -> str:
    """One line: a claim's sentence keeps no newline or run of spaces."""
    return _SPACE.sub(" ", text).strip()


def _ref(item: dict[str, Any], claim: str | None = None) -> str:
    """``[dN:a-b](/documents/dN#cID)``: the reference the CLI prints, as a link."""
    doc, start, end = item["document"], item["start"], item["end"]
    anchor = claim or item.get("claim") or f"s{start}-{end}"
    return f"[{doc}:{start}-{end}](/documents/{doc}#{anchor})"


def _story(store: Store, ref: str) -> list[str]:
    v = cluster_view(store, int(ref[1:]))
    g = v["grade"]
    out = [f"### {v['id']} · {g['code']} ({MEANING.get(g['credibility'], '')}) — {v['headline']}",
           ""]
    if v["arc_line"]:
        out.append(f"- status arc: {v['arc_line']}")
    rule = next((r.get("rule") for r in v["reasons"] if r.get("kind") == "origins"), None)
    if rule:
        out.append(f"- grade: {rule['text']}")
    undated = f" ({v['undated']} undated)" if v["undated"] else ""
    out.append(f"- status history{undated}:")
    for e in v["timeline"]:
        when = e["date"] or "undated"
        out.append(f"  - {when} · **{e['status']}** · {e['holder']}: “{_flat(e['text'])}” {_ref(e)}")
    if v["context"]:
        out.append(f"- context: {len(v['context'])} line(s) that do not state the claim, folded")
    if v["figures"]:
        note = " (divergent: shown, not averaged)" if v["divergent_figures"] else ""
        out.append(f"- figures{note}:")
        for f in v["figures"]:
            out.append(f"  - {f['text']} {f['counts'] or ''} — {f['claimant']} {_ref(f, f['claim'])}")
    out.append("")
    return out


def _stance_lines(store: Store) -> list[str]:
    """One line per actor and issue: the actor's own words (or the sentence that holds its
    stance, quoted once), with its reference; a sentence already quoted is not repeated."""
    st = stances(store)
    labels = {i["id"]: i["label"] for i in st["issues"]}
    out: list[str] = []
    for actor, cells in st["actors"].items():
        for issue, items in cells.items():
            it = next((i for i in items if i["own_words"]), None) or next(
                (i for i in items if not i["shared"]), None)
            if it is None:
                continue
            ref = {"document": it["document"], "start": it["quote_start"], "end": it["quote_end"]}
            out.append(f"- {actor} · **{it['stance']}** · {labels.get(issue, issue)}: "
                       f"“{_flat(it['quote'])}” {_ref(ref, it['claim'])}")
    return out


def brief_markdown(store: Store, top: int = TOP_EVENTS) -> str:
    """Key stories (events and proposals) with status arc, grade, history and figures; stances;
    sources by origin."""
    table = origin_table(store)
    docs = store.documents()
    unknown = sum(len(o["documents"]) for o in table if not o["independent"])
    out = ["# Brief", "",
           f"{len(docs)} documents from {independent_origins(store)} independent origin(s)"
           + (f"; {unknown} document(s) of unknown source, not counted as independent." if unknown
              else "."), "", "## Key claims", ""]
    ranked = clusters(store)
    keys = [c["id"] for c in ranked if c["kind"] == "event"][:top]
    keys += [c["id"] for c in ranked if c["kind"] == "proposal"][:TOP_PROPOSALS]
    for ref in keys:
        out += _story(store, ref)
    lines = _stance_lines(store)
    if lines:
        out += ["## Stances", "", *lines, ""]
    out += ["## Sources", ""]
    for o in table:
        kind = "independent" if o["independent"] else "not independent"
        out.append(f"- {o['origin']} ({o['reliability']}, {kind}): {', '.join(o['documents'])} "
                   f"— {o['evidence']}")
    for d in docs:
        rel = relation_phrase(d.origin_relation, d.origin_publisher)
        out.append(f"  - [d{d.id}](/documents/d{d.id}) {_flat(d.title or '(untitled)')} — "
                   f"{d.outlet or 'outlet unknown'}, {rel}, {d.published or 'undated'}")
    return "\n".join(out) + "\n"


_CSS = ("body{font:15px/1.5 system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;"
        "color:#222}h1,h2,h3{line-height:1.25}h3{margin-top:1.5em}ul{padding-left:1.4em}"
        "a{color:#1a5fb4}strong{text-transform:uppercase;font-size:.85em;letter-spacing:.03em}")
_LINK = re.compile(r"\[([^\]]+)\]\((/[^)\s]*)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def _inline(text: str) -> str:
    """Escaped text with Markdown links and bold as HTML."""
    esc = html.escape(text, quote=False)
    esc = _BOLD.sub(r"<strong>\1</strong>", esc)
    return _LINK.sub(lambda m: f'<a href="{html.escape(m.group(2))}">{m.group(1)}</a>', esc)


def brief_html(store: Store, top: int = TOP_EVENTS) -> str:
    """The same brief as a standalone HTML page: escaped, linked, with a stylesheet."""
    body: list[str] = []
    depth = 0
    for line in brief_markdown(store, top).splitlines():
        level = (len(line) - len(line.lstrip())) // 2 + 1 if line.lstrip().startswith("- ") else 0
        while depth > level:
            body.append("</li></ul>")
            depth -= 1
        if level and depth == level:
            body.append("</li>")
        while depth < level:
            body.append("<ul>")
            depth += 1
        if level:
            body.append(f"<li>{_inline(line.lstrip()[2:])}")
        elif m := re.match(r"(#{1,3}) (.*)", line):
            n = len(m.group(1))
            body.append(f"<h{n}>{_inline(m.group(2))}</h{n}>")
        elif line:
            body.append(f"<p>{_inline(line)}</p>")
    body += ["</li></ul>"] * depth
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>storyline brief</title><style>{_CSS}</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")
