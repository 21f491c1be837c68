"""The brief: the human-readable report, every line linked to its document and offsets."""

from __future__ import annotations

import html
from typing import Any

from storyline.assess import cluster_view, clusters, origins, stances
from storyline.store import Store

_CRED = {1: "confirmed by independent sources", 2: "probably true", 3: "possibly true",
         4: "doubtful", 5: "improbable", 6: "cannot be judged"}


def _ref(item: dict[str, Any]) -> str:
    return f"[{item['document']}:{item['start']}-{item['end']}]"


def brief_markdown(store: Store, top: int = 8) -> str:
    """Key clusters with status history, grade and reasons, figures, stances, sources."""
    out = ["# Brief", ""]
    docs = store.documents()
    out.append(f"{len(docs)} documents from {len(origins(store))} independent origins.")
    out.append("")
    events = [c for c in clusters(store) if c["kind"] == "event"][:top]
    out.append("## Key claims")
    for c in events:
        v = cluster_view(store, int(c["id"][1:]))
        g = v["grade"]
        out.append(f"### {v['id']} · {g['code']} ({_CRED[g['credibility']]}) — {v['label']}")
        origin_reason = next((r for r in v["reasons"] if r["kind"] == "origins"), None)
        if origin_reason:
            names = ", ".join(f"{o['origin']} ({o['reliability']}: {', '.join(o['documents'])})"
                              for o in origin_reason["origins"])
            out.append(f"- independent origins: {origin_reason['count']} — {names}")
        for r in v["reasons"]:
            if r["kind"] != "origins":
                out.append(f"- {r['kind']} by {r['holder'] or 'the article'}: “{r['text']}” "
                           f"{_ref(r)}")
        out.append("- status history:")
        for e in v["timeline"]:
            when = e["date"] or "undated"
            out.append(f"  - {when} · **{e['status']}** · {e['holder']}: “{e['text']}” {_ref(e)}")
        if v["figures"]:
            note = " (divergent: shown, not averaged)" if v["divergent_figures"] else ""
            out.append(f"- figures{note}:")
            for f in v["figures"]:
                out.append(f"  - {f['text']} {f['counts'] or ''} — {f['claimant']} "
                           f"[{f['document']}:{f['start']}-{f['end']}]")
        out.append("")
    st = stances(store)
    if st["actors"]:
        out.append("## Stances")
        labels = {i["id"]: i["label"] for i in st["issues"]}
        for actor, cells in st["actors"].items():
            for issue, items in cells.items():
                for it in items:
                    out.append(f"- {actor} · **{it['stance']}** · {labels.get(issue, issue)} "
                               f"{_ref(it)}")
        out.append("")
    out.append("## Sources")
    for origin, refs in sorted(origins(store).items()):
        out.append(f"- {origin}: {', '.join(refs)}")
    for d in docs:
        rel = d.origin_relation + (f" of {d.origin_publisher}" if d.origin_publisher else "")
        out.append(f"  - d{d.id} {d.title or '(untitled)'} — {d.outlet or 'outlet unknown'}, "
                   f"{rel}, {d.published or 'date unknown'} ({d.source})")
    return "\n".join(out) + "\n"


def brief_html(store: Store, top: int = 8) -> str:
    """The same brief as a standalone, escaped HTML page."""
    lines = []
    for line in brief_markdown(store, top).splitlines():
        esc = html.escape(line)
        if line.startswith("### "):
            lines.append(f"<h3>{esc[4:]}</h3>")
        elif line.startswith("## "):
            lines.append(f"<h2>{esc[3:]}</h2>")
        elif line.startswith("# "):
            lines.append(f"<h1>{esc[2:]}</h1>")
        elif line.strip().startswith("- "):
            depth = (len(line) - len(line.lstrip())) // 2
            lines.append(f'<p style="margin-left:{depth * 1.5 + 1}em">• {esc.strip()[2:]}</p>')
        elif line:
            lines.append(f"<p>{esc}</p>")
    return ("<!doctype html><html><head><meta charset='utf-8'><title>storyline brief</title>"
            "</head><body>" + "\n".join(lines) + "</body></html>\n")
