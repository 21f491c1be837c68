"""The stance matrix, made to scale: only actors with a position, the busiest first, filtered
by issue and actor, and only the issues someone holds a position on.

At 73 actors × 90 issues the full grid was 1.3 % filled; rows and columns without a position
are what made it unreadable, so none are drawn.
"""

from __future__ import annotations

from typing import Any

from storyline.assess import stances
from storyline.serve.search import fold
from storyline.store import Store

LEGEND = [("supported", "for it"), ("opposed", "against it"), ("considered", "weighing it"),
          ("proposed", "put it forward")]
ACTORS = 60  # rows shown unless filtered: the actors with most positions
ISSUES = 40  # columns shown unless filtered


def matrix(store: Store, *, issue: str | None = None, actor: str | None = None,
           actors: int = ACTORS, issues: int = ISSUES) -> dict[str, Any]:
    data = stances(store)
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
    return {"issues": [{"id": k, "label": labels.get(k, k), "positions": counts[k]} for k in cols],
            "all_issues": [{"id": i["id"], "label": i["label"]} for i in data["issues"]
                           if i["id"] in held],
            "actors": rows[:actors], "actors_total": len(rows), "issue": issue, "actor": actor,
            "legend": [{"stance": s, "meaning": m} for s, m in LEGEND]}
