"""Measure what assess shows of a store against a gold set (../shared/eval): origins, grades,
holders of the gold claims, and how many history lines a story keeps.

    python scripts/measure_assess.py STORE_URL [GOLD_JSON]

Prints JSON: independent origins and the unknown group, grades, holder accuracy (the holder of the
predicted claim that best matches each gold claim, as score.py matches claims, compared with the
gold ``source`` by name or alias; a gold claim of no source matches "the article" or the outlet).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from storyline.assess import clusters, independent_origins, origin_table, timeline
from storyline.serve.export import export_json
from storyline.store import Store

SCORE = Path(__file__).resolve().parents[1] / ".." / "shared" / "eval" / "score.py"
ARTICLE = "the article"


def _score_module() -> Any:
    spec = importlib.util.spec_from_file_location("score", SCORE)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _holders(store: Store) -> dict[str, tuple[str, bool]]:
    out = {}
    for k in clusters(store):
        for r in timeline(store, int(k["id"][1:])):
            out[r["claim"]] = (r["holder"], r["context"])
    return out


def holder_accuracy(store: Store, gold: dict[str, Any]) -> dict[str, Any]:
    score = _score_module()
    data = export_json(store)
    ex = score.Export(data)
    holders = _holders(store)
    outlets = {score.doc_key(d.get("source") or d["id"]): d.get("outlet") for d in data["documents"]}
    ok = n = unmatched = 0
    for key, g in gold["documents"].items():
        preds = [c for c in ex.claims if ex.doc(c.get("document")) == key]
        for gc in g.get("claims", []):
            best = max(preds, key=lambda pc: score.overlap_f1(gc["text"], pc.get("text", "")),
                       default=None)
            if not best or score.overlap_f1(gc["text"], best.get("text", "")) < 0.5:
                unmatched += 1
                continue
            n += 1
            who = holders.get(best["id"], (ARTICLE, False))[0]
            names = {score.norm(who)} | ex.names_of(best.get("source"))
            if gc.get("source") is None:
                ok += who == ARTICLE or score.same_name(who, outlets.get(key))
            else:
                ok += any(score.same_name(gc["source"], nm) for nm in names if nm)
    return {"holder_acc": round(ok / n, 3) if n else 1.0, "matched": n, "unmatched": unmatched}


def measure(url: str, gold_file: str | None) -> dict[str, Any]:
    with Store(url) as store:
        table = origin_table(store)
        ks = clusters(store)
        lines = ctx = 0
        for k in ks:
            rows = timeline(store, int(k["id"][1:]))
            lines += len(rows)
            ctx += sum(1 for r in rows if r["context"])
        out: dict[str, Any] = {
            "documents": sum(len(o["documents"]) for o in table),
            "independent_origins": independent_origins(store),
            "unknown_group_documents": sum(len(o["documents"]) for o in table
                                           if not o["independent"]),
            "origins": {o["origin"]: [o["reliability"], len(o["documents"])] for o in table},
            "stories": len(ks), "grades": dict(sorted(Counter(k["grade"] for k in ks).items())),
            "timeline_lines": lines, "context_lines": ctx}
        if gold_file:
            out.update(holder_accuracy(store, json.loads(Path(gold_file).read_text("utf-8"))))
    return out


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None), indent=1,
                     ensure_ascii=False))
