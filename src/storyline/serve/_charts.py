"""Server-side SVG: the status timeline, the provenance graph and the co-mention network.

SVG written here rather than a JavaScript chart library: the pictures are small, need no script
(the Content-Security-Policy forbids inline script anyway), print and save as they are, and
every mark is a link back to the words it stands for. All text passes through ``escape``.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from markupsafe import Markup, escape

EVENT_LADDER = ["confirmed", "reported", "unconfirmed", "denied"]  # how far a claim is confirmed
APART = ["asserted"]  # a source's own assertion: no claim about confirmation, drawn apart
PROPOSAL_LANES = ["proposed", "supported", "considered", "opposed"]
COLOURS = {"confirmed": "#1b7837", "asserted": "#5aae61", "reported": "#2166ac",
           "unconfirmed": "#8073ac", "denied": "#b2182b", "proposed": "#8c510a",
           "supported": "#35978f", "considered": "#b8860b", "opposed": "#c51b7d"}
RELATIONS = {"original": "#1b7837", "reprint": "#b2182b", "cites": "#e08214",
             "unknown": "#777777", "near-duplicate": "#762a83"}
WIDTH, LEFT, RIGHT, TOP, LANE = 1000, 150, 30, 24, 44  # the timeline's viewBox, scaled to the page
LABEL_GAP = 70  # px between points below which holders are left to the tooltip
TICKS = 6  # date labels on a time axis
TICK_GAP = 48  # viewBox px between two axis labels: "d123" is about 30 px wide at 12 px


def _short(text: str | None, n: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _xs(events: list[dict[str, Any]]) -> tuple[list[float], list[tuple[float, str]]]:
    """x of each event and the axis labels: a time axis when two or more dates are known
    (undated events evenly after it), else even spacing in document order."""
    span = WIDTH - LEFT - RIGHT
    days = [_day(e["date"]) for e in events]
    known = sorted({d for d in days if d})
    if len(known) < 2:
        step = span / max(len(events), 1)
        xs = [LEFT + step * (j + 0.5) for j in range(len(events))]
        return xs, _document_ticks(xs, events)
    undated = sum(1 for d in days if d is None)
    timed = span * (0.8 if undated else 1.0)
    first, total = known[0], max((known[-1] - known[0]).days, 1)
    xs, k = [], 0
    for d in days:
        if d is None:
            k += 1
            xs.append(LEFT + timed + (span - timed) * k / (undated + 1))
        else:
            xs.append(LEFT + timed * (d - first).days / total)
    ticks = [known[round(i * (len(known) - 1) / (TICKS - 1))] for i in range(TICKS)]
    labels = [(LEFT + timed * (t - first).days / total, t.isoformat()) for t in sorted(set(ticks))]
    if undated:
        labels.append((LEFT + timed + (span - timed) / 2, "undated"))
    return xs, labels


def _document_ticks(xs: list[float], events: list[dict[str, Any]]) -> list[tuple[float, str]]:
    """Each document named once, under its first claim, where there is room for the name."""
    out: list[tuple[float, str]] = []
    for x, e in zip(xs, events, strict=True):
        name = e["date"] or e["document"]
        if all(name != n for _, n in out) and (not out or x - out[-1][0] >= TICK_GAP):
            out.append((x, name))
    return out


def status_timeline(events: list[dict[str, Any]], kind: str) -> Markup:
    """Each claim a dot in its status lane, in time order, joined by a line; figures beside it.

    Fits the page (a viewBox, no fixed width); lane names stay put; "asserted" sits below the
    confirmation ladder, apart from it. Each dot is a link with its own label, so keyboard and
    screen-reader users reach the words (no link sits under role="img").
    """
    ladder = PROPOSAL_LANES if kind == "proposal" else EVENT_LADDER
    apart = [] if kind == "proposal" else APART
    extra = sorted({e["status"] for e in events} - set(ladder) - set(apart))
    lanes = ladder + extra + apart
    gap = LANE // 2 if apart else 0
    height = TOP + LANE * len(lanes) + gap + 46
    lane_y = {lane: TOP + LANE * i + LANE // 2 + (gap if lane in apart else 0)
              for i, lane in enumerate(lanes)}
    xs, labels = _xs(events)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart timeline" role="group" '
           f'aria-labelledby="timeline-title" viewBox="0 0 {WIDTH} {height}" '
           f'preserveAspectRatio="xMinYMin meet">',
           '<title id="timeline-title">Status of the claim over time, one dot per source '
           'claim; each dot links to its words</title>']
    for lane, y in lane_y.items():
        out.append(f'<line x1="{LEFT - 8}" y1="{y}" x2="{WIDTH - RIGHT + 8}" y2="{y}" '
                   'class="lane"/>')
        out.append(f'<circle cx="{LEFT - 20}" cy="{y}" r="5" fill="{COLOURS.get(lane, "#333")}"/>'
                   f'<text x="{LEFT - 32}" y="{y + 4}" text-anchor="end" class="lane-name">'
                   f'{escape(lane)}</text>')
    if apart:
        y = TOP + LANE * (len(lanes) - len(apart)) + gap // 2
        out.append(f'<line x1="8" y1="{y}" x2="{WIDTH - 8}" y2="{y}" class="divider"/>'
                   f'<text x="{WIDTH - RIGHT}" y="{y - 4}" text-anchor="end" class="axis">'
                   'below: asserted, outside the confirmation ladder</text>')
    points = [(x, lane_y[e["status"]]) for x, e in zip(xs, events, strict=True)]
    ladder_pts = [(x, y) for (x, y), e in zip(points, events, strict=True) if e["status"] not in apart]
    if len(ladder_pts) > 1:
        path = " ".join(f"{x:.1f},{y}" for x, y in ladder_pts)
        out.append(f'<polyline points="{path}" class="path"/>')
    step = (WIDTH - LEFT - RIGHT) / max(len(events), 1)
    for (x, y), e in zip(points, events, strict=True):
        out.append(_point(x, y, e, labelled=step >= LABEL_GAP))
    for x, text in labels:
        out.append(f'<text x="{x:.1f}" y="{height - 16}" text-anchor="middle" class="axis">'
                   f'{escape(text)}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def _point(x: float, y: int, e: dict[str, Any], labelled: bool) -> str:
    figs = ", ".join(f["text"] for f in e.get("figures", []) if f.get("counts"))
    href = f'/documents/{e["document"]}#{e["claim"]}'
    tip = (f'{e["status"]}: {e["holder"]} ({e["document"]}, {e["date"] or "undated"}) — '
           f'{_short(e["text"], 200)}')
    out = [f'<a href="{escape(href)}" class="point" aria-label="{escape(tip)}">'
           f'<title>{escape(tip)}</title>'
           f'<circle cx="{x:.1f}" cy="{y}" r="7" fill="{COLOURS.get(e["status"], "#333")}"/>']
    if labelled:
        out.append(f'<text x="{x:.1f}" y="{y - 11}" text-anchor="middle" class="holder">'
                   f'{escape(_short(e["holder"], 18))}</text>')
        if figs:
            out.append(f'<text x="{x:.1f}" y="{y + 20}" text-anchor="middle" class="figure">'
                       f'{escape(_short(figs, 22))}</text>')
    out.append("</a>")
    return "".join(out)


def provenance_graph(origins: list[dict[str, Any]]) -> Markup:
    """Documents (left) joined to the independent origin they collapse into (right)."""
    docs = [(o["origin"], d) for o in origins for d in o["documents"]]
    row, top = 26, 20
    height = top * 2 + row * max(len(docs), len(origins), 1)
    width = 820
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart provenance" role="group" '
           'aria-label="Which documents share one origin" '
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
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart network" role="group" '
           'aria-label="Entities mentioned together" '
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
