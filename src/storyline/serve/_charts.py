"""Server-side SVG: the status timeline, the provenance graph and the co-mention network.

SVG written here rather than a JavaScript chart library: the pictures are small, need no script
(the Content-Security-Policy forbids inline script anyway), print and save as they are, and
every mark is a link back to the words it stands for. All text passes through ``escape``.
"""

from __future__ import annotations

import math
from typing import Any

from markupsafe import Markup, escape

EVENT_LANES = ["confirmed", "asserted", "reported", "unconfirmed", "denied"]
PROPOSAL_LANES = ["proposed", "supported", "considered", "opposed"]
COLOURS = {"confirmed": "#1b7837", "asserted": "#5aae61", "reported": "#2166ac",
           "unconfirmed": "#b2abd2", "denied": "#b2182b", "proposed": "#8c510a",
           "supported": "#35978f", "considered": "#dfc27d", "opposed": "#c51b7d"}
RELATIONS = {"original": "#1b7837", "reprint": "#b2182b", "cites": "#e08214",
             "unknown": "#777777", "near-duplicate": "#762a83"}


def _short(text: str | None, n: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def status_timeline(events: list[dict[str, Any]], kind: str) -> Markup:
    """Each claim a dot in its status lane, in time order, joined by a line; figures beside it."""
    lanes = PROPOSAL_LANES if kind == "proposal" else EVENT_LANES
    lanes = lanes + sorted({e["status"] for e in events} - set(lanes))
    step, left, top, lane_h = 110, 120, 30, 56
    width = left + step * max(len(events), 1) + 80
    height = top + lane_h * len(lanes) + 60
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart timeline" role="img" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
           "<title>Status of the claim over time, one dot per source claim</title>"]
    for i, lane in enumerate(lanes):
        y = top + lane_h * i + lane_h // 2
        out.append(f'<line x1="{left - 10}" y1="{y}" x2="{width - 20}" y2="{y}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 16}" y="{y + 4}" text-anchor="end" font-size="13" '
                   f'fill="{COLOURS.get(lane, "#333")}">{escape(lane)}</text>')
    points = []
    for j, e in enumerate(events):
        x = left + step * j + step // 2
        y = top + lane_h * lanes.index(e["status"]) + lane_h // 2
        points.append((x, y))
    if len(points) > 1:
        path = " ".join(f"{x},{y}" for x, y in points)
        out.append(f'<polyline points="{path}" fill="none" stroke="#999" stroke-width="1.5" '
                   'stroke-dasharray="4 3"/>')
    for (x, y), e in zip(points, events, strict=True):
        figs = ", ".join(f["text"] for f in e.get("figures", []) if f.get("counts"))
        href = f'/documents/{e["document"]}#{e["claim"]}'
        tip = f'{e["status"]}: {e["holder"]} ({e["document"]}) — {_short(e["text"], 200)}'
        out.append(f'<a href="{escape(href)}" class="point"><title>{escape(tip)}</title>'
                   f'<circle cx="{x}" cy="{y}" r="8" fill="{COLOURS.get(e["status"], "#333")}"/>'
                   f'<text x="{x}" y="{y - 13}" text-anchor="middle" font-size="11">'
                   f'{escape(_short(e["holder"], 18))}</text>')
        if figs:
            out.append(f'<text x="{x}" y="{y + 22}" text-anchor="middle" font-size="11" '
                       f'font-weight="bold">{escape(_short(figs, 22))}</text>')
        out.append("</a>")
        label = e["date"] or e["document"]
        out.append(f'<text x="{x}" y="{height - 20}" text-anchor="middle" font-size="11" '
                   f'fill="#555">{escape(label)}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def provenance_graph(origins: list[dict[str, Any]]) -> Markup:
    """Documents (left) joined to the independent origin they collapse into (right)."""
    docs = [(o["origin"], d) for o in origins for d in o["documents"]]
    row, top = 26, 20
    height = top * 2 + row * max(len(docs), len(origins), 1)
    width = 820
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart provenance" role="img" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
           "<title>Which documents share one origin</title>"]
    oy = {o["origin"]: top + row * i + row // 2 for i, o in enumerate(origins)}
    for i, (origin, d) in enumerate(docs):
        y = top + row * i + row // 2
        colour = RELATIONS.get(d["relation"], "#777")
        out.append(f'<line x1="400" y1="{y}" x2="600" y2="{oy[origin]}" stroke="{colour}" '
                   'stroke-width="2"/>')
        out.append(f'<a href="/documents/{escape(d["id"])}"><title>{escape(d["relation"])}</title>'
                   f'<text x="392" y="{y + 4}" text-anchor="end" font-size="12">'
                   f'{escape(d["id"])} · {escape(_short(d["title"], 48))}</text></a>')
    for o in origins:
        out.append(f'<circle cx="606" cy="{oy[o["origin"]]}" r="5" fill="#333"/>'
                   f'<text x="616" y="{oy[o["origin"]] + 4}" font-size="12" font-weight="bold">'
                   f'{escape(_short(o["origin"], 26))}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def network(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> Markup:
    """Entities on a circle, joined where they share documents (thicker: more documents)."""
    size, r = 760, 290
    centre = size / 2
    pos = {n["id"]: (centre + r * math.cos(2 * math.pi * i / max(len(nodes), 1)),
                     centre + r * math.sin(2 * math.pi * i / max(len(nodes), 1)))
           for i, n in enumerate(nodes)}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart network" role="img" '
           f'width="{size}" height="{size}" viewBox="0 0 {size} {size}">',
           "<title>Entities mentioned together</title>"]
    top = max((e["documents"] for e in edges), default=1)
    for e in edges:
        (x1, y1), (x2, y2) = pos[e["a"]], pos[e["b"]]
        out.append(f'<line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" stroke="#8aa" '
                   f'stroke-opacity="0.6" stroke-width="{0.5 + 3 * e["documents"] / top:.1f}"/>')
    colours = {"PERSON": "#2166ac", "ORG": "#8c510a", "GPE": "#1b7837"}
    for n in nodes:
        x, y = pos[n["id"]]
        anchor = "start" if x >= centre else "end"
        dx = 10 if x >= centre else -10
        out.append(f'<a href="/entities/{escape(n["id"])}"><title>{escape(n["name"])}: '
                   f'{n["documents"]} documents</title><circle cx="{x:.0f}" cy="{y:.0f}" '
                   f'r="{4 + min(n["documents"], 10)}" fill="{colours.get(n["type"], "#555")}"/>'
                   f'<text x="{x + dx:.0f}" y="{y + 4:.0f}" text-anchor="{anchor}" font-size="12">'
                   f'{escape(_short(n["name"], 24))}</text></a>')
    out.append("</svg>")
    return Markup("".join(out))
