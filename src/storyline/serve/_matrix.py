"""The stance matrix, made to scale: only actors with a position, the busiest first, filtered
by issue and actor, and only the issues someone holds a position on.

At 73 actors × 90 issues the full grid was 1.3 % filled; rows and columns without a position
are what made it unreadable, so none are drawn.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from storyline.serve._queries import stance_matrix
from storyline.serve.search import fold
from storyline.store import Store

LEGEND = [("supported", "for it"), ("opposed", "against it"), ("considered", "weighing it"),
          ("proposed", "put it forward")]
ACTORS = 60  # rows shown unless filtered: the actors with most positions
ISSUES = 40  # columns shown unless filtered


def matrix(store: Store, *, issue: str | None = None, actor: str | None = None,
           actors: int = ACTORS, issues: int = ISSUES) -> dict[str, Any]:
    data = stance_matrix(store)
    labels = {i["id"]: i["label"] for i in data["issues"]}
    want = fold(actor or "")
    held = {k for cells in data["actors"].values() for k, v in cells.items() if v}
    rows = []
    for name, cells in data["actors"].items():
        kept = {k: v for k, v in cells.items() if (not issue or k == issue) and v}
        if kept and (not want or want in fold(name)):
            rows.append({"actor": name, "positions": sum(len(v) for v in kept.values()),
                         "cells": kept})
    rows.sort(key=lambda r: (-r["positions"], r["actor"]))
    counts: dict[str, int] = {}
    for r in rows:
        for k, v in r["cells"].items():
            counts[k] = counts.get(k, 0) + len(v)
    cols = sorted(counts, key=lambda k: (-counts[k], int(k[1:])))[:issues]
    for r in rows[:actors]:
        r["summary"] = {k: _summary(r["actor"], k, v) for k, v in r["cells"].items()}
    return {"issues": [{"id": k, "label": labels.get(k, k), "positions": counts[k]} for k in cols],
            "all_issues": [{"id": i["id"], "label": i["label"]} for i in data["issues"]
                           if i["id"] in held],
            "actors": rows[:actors], "actors_total": len(rows), "issue": issue, "actor": actor,
            "evidence": [dict(x, actor=r["actor"]) for r in rows for x in r["cells"].get(issue, [])]
            if issue and actor else [],
            "legend": [{"stance": s, "meaning": m} for s, m in LEGEND]}


def _summary(actor: str, issue: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One badge per stance in a cell, with how many times it was taken: a lone position links
    to its words, several to the page listing them (the cell's actor and issue)."""
    by: dict[str, list[dict[str, Any]]] = {}
    for x in items:
        by.setdefault(x["stance"], []).append(x)
    out = []
    for stance, xs in sorted(by.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        href = (f"/documents/{xs[0]['document']}#{xs[0]['claim']}" if len(xs) == 1 else
                "/stances?" + urlencode({"issue": issue, "actor": actor}) + "#evidence")
        out.append({"stance": stance, "count": len(xs), "href": href, "text": xs[0]["text"]})
    return out
