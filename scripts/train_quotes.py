"""Train the quote speaker ranker (storyline.nlp.speaker_ranker) and write src/storyline/models/quotes.json.

    python scripts/train_quotes.py [--polnear ../shared/eval/polnear] [--step 1] [--report]

Training data: PolNeAR train (840 US news articles with every attribution's source, cue and
content). The pipeline runs on each article with the ranker recording: every direct quote the
rules leave without a speaker hands over its candidates (the entities named near it). A quote is
labelled by the gold attribution whose content holds most of it: a candidate is the speaker when
the gold source's proper-name tokens are in its name or aliases (the scorer's named rule); a gold
attribution without a source makes every candidate wrong (the quote should stay without a
speaker); a pronoun or a description as source is left out (its referent is not annotated).

Reported: the pick's accuracy cross-validated by article (GroupKFold, 5 folds; the threshold is
chosen inside each fold's training part), beside the rules' (no speaker); then the model is fitted
on everything. Seeded; CPU only; about 5 minutes on one core.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

SEED = 0
ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "storyline" / "models" / "quotes.json"
C_GRID = (0.1, 0.3, 1.0, 3.0, 10.0)
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.0, 0.8, 0.05))


def _scorer(polnear: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_polnear", polnear / "score_polnear.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["score_polnear"] = module
    spec.loader.exec_module(module)
    return module


def collect(polnear: Path, step: int) -> list[dict[str, Any]]:
    """One record per ranked quote: its article, span, candidates' names and features."""
    from storyline.nlp import build_pipeline, speaker_ranker

    folder = polnear / "data" / "train"
    files = sorted(folder.glob("*.txt"))[::step]
    texts = [f.read_text(encoding="utf-8") for f in files]
    nlp = build_pipeline()
    found: list[dict[str, Any]] = []
    current: list[str] = [""]

    def record(doc: Any, start: int, end: int, cands: list[speaker_ranker.Candidate]) -> None:
        ents = {e.key: [e.name, *e.aliases] for e in doc._.entities or []}
        found.append({"doc": current[0], "start": start, "end": end,
                      "cands": [(c.key, ents.get(c.key, []), c.features) for c in cands]})

    with speaker_ranker.recording(record):
        for k, (f, text) in enumerate(zip(files, texts, strict=True)):
            current[0] = f.stem
            nlp(text)
            if k % 100 == 0:
                print(f"  parsed {k}/{len(files)} articles, {len(found)} quotes", file=sys.stderr)
    return found


def label(found: list[dict[str, Any]], polnear: Path) -> list[dict[str, Any]]:
    """Each quote with ``labels`` (1 for the candidates that are its gold speaker), or left out."""
    sc = _scorer(polnear)
    folder = polnear / "data" / "train"
    gold = {d["name"]: d for d in json.loads((folder / "gold.json").read_text())["documents"]}
    docs: dict[str, Any] = {}
    out = []
    for q in found:
        rec = gold.get(q["doc"])
        if rec is None:
            continue
        g = docs.setdefault(q["doc"], sc.GoldDoc(rec, (folder / rec["file"]).read_text(encoding="utf-8")))
        item = _holder(g, q["start"], q["end"])
        if item is None:
            continue
        if not item.get("source"):
            labels = [0] * len(q["cands"])
        else:
            dist = set(sc.distinctive(g, item["source_text"]))
            if not dist:
                continue  # a pronoun or a description: who it is is not annotated
            labels = [int(any(dist & {t.lower() for t in sc.TOKEN.findall(n)} for n in names))
                      for _, names, _ in q["cands"]]
        out.append({**q, "labels": labels, "no_source": not item.get("source")})
    return out


def _holder(g: Any, start: int, end: int) -> dict[str, Any] | None:
    """The gold attribution whose content spans hold most of [start, end) (at least half)."""
    best, share = None, 0.5
    for it in g.items:
        inside = sum(max(0, min(end, f["end"]) - max(start, f["start"])) for f in it["content"])
        if inside / max(1, end - start) >= share:
            best, share = it, inside / max(1, end - start)
    return best


def _matrix(quotes: list[dict[str, Any]], names: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    rows = [[f.get(n, 0.0) for n in names] for q in quotes for _, _, f in q["cands"]]
    ys = [y for q in quotes for y in q["labels"]]
    return np.array(rows, dtype=float).reshape(-1, len(names)), np.array(ys)


def _fit(quotes: list[dict[str, Any]], names: tuple[str, ...], c: float) -> np.ndarray:
    from sklearn.linear_model import LogisticRegression

    x, y = _matrix(quotes, names)
    if y.min() == y.max():
        return np.zeros(len(names))
    lr = LogisticRegression(C=c, fit_intercept=False, max_iter=2000, random_state=SEED)
    lr.fit(x, y)
    return np.asarray(lr.coef_[0])


def _picks(quotes: list[dict[str, Any]], names: tuple[str, ...], coef: np.ndarray) -> list[tuple[float, int]]:
    """Per quote: the top candidate's probability and whether it is right (-1: no candidate)."""
    out = []
    for q in quotes:
        if not q["cands"]:
            out.append((0.0, -1))
            continue
        x = np.array([[f.get(n, 0.0) for n in names] for _, _, f in q["cands"]])
        p = 1 / (1 + np.exp(-(x @ coef)))
        top = int(np.argmax(p))
        out.append((float(p[top]), q["labels"][top]))
    return out


def accuracy(quotes: list[dict[str, Any]], picks: list[tuple[float, int]], t: float) -> float:
    """Right decisions: the top candidate when it is right and scores >= t; no speaker when the
    gold has no source and nothing scores >= t."""
    right = sum(1 for q, (p, ok) in zip(quotes, picks, strict=True)
                if (p >= t and ok == 1) or (p < t and q["no_source"]))
    return right / max(1, len(quotes))


def _threshold(quotes: list[dict[str, Any]], picks: list[tuple[float, int]]) -> float:
    return max(THRESHOLDS, key=lambda t: (accuracy(quotes, picks, t), -t))


def cross_validate(quotes: list[dict[str, Any]], names: tuple[str, ...], c: float) -> dict[str, float]:
    from sklearn.model_selection import GroupKFold

    groups = [q["doc"] for q in quotes]
    right, n = 0.0, 0
    for train, test in GroupKFold(n_splits=5).split(quotes, groups=groups):
        tr, te = [quotes[i] for i in train], [quotes[i] for i in test]
        coef = _fit(tr, names, c)
        t = _threshold(tr, _picks(tr, names, coef))
        right += accuracy(te, _picks(te, names, coef), t) * len(te)
        n += len(te)
    rules = sum(q["no_source"] for q in quotes) / max(1, len(quotes))
    reachable = sum(1 in q["labels"] for q in quotes) / max(1, len(quotes))
    return {"cv_accuracy": right / max(1, n), "rules_accuracy": rules, "reachable": reachable}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--polnear", type=Path, default=ROOT / ".." / "shared" / "eval" / "polnear")
    ap.add_argument("--step", type=int, default=1, help="every step-th train article (1: all)")
    ap.add_argument("--cache", type=Path, help="keep the recorded quotes in this JSON file")
    ap.add_argument("--report", action="store_true", help="report the CV figures, write nothing")
    args = ap.parse_args()
    from storyline.nlp.speaker_ranker import FEATURES

    if args.cache and args.cache.is_file():
        found = json.loads(args.cache.read_text())
    else:
        found = collect(args.polnear, args.step)
        if args.cache:
            args.cache.write_text(json.dumps(found))
    quotes = label(found, args.polnear)
    print(f"{len(found)} quotes without a rule speaker; {len(quotes)} labelled "
          f"({sum(q['no_source'] for q in quotes)} without a gold source), "
          f"{len({q['doc'] for q in quotes})} articles")
    scores = {c: cross_validate(quotes, FEATURES, c) for c in C_GRID}
    for c, s in scores.items():
        print(f"  C={c}: CV by article accuracy {s['cv_accuracy']:.3f} "
              f"(rules {s['rules_accuracy']:.3f}, right candidate among them {s['reachable']:.3f})")
    best = max(C_GRID, key=lambda c: (scores[c]["cv_accuracy"], -c))
    if args.report:
        return 0
    coef = _fit(quotes, FEATURES, best)
    t = _threshold(quotes, _picks(quotes, FEATURES, coef))
    OUT.write_text(json.dumps({
        "about": "storyline.nlp.speaker_ranker: logistic regression over a candidate's features; "
                 "written by scripts/train_quotes.py (make train-quotes) from PolNeAR train",
        "features": list(FEATURES), "coef": [round(float(w), 5) for w in coef], "threshold": t,
        "C": best, "seed": SEED, "quotes": len(quotes),
        "cv_by_article": {k: round(v, 4) for k, v in scores[best].items()}}, indent=1) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}: C={best}, threshold {t}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
