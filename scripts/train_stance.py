"""Train the claim status model (storyline.nlp.stance) and write src/storyline/models/stance.json.

    python scripts/train_stance.py [--shared ../shared] [--c 1.0] [--report]

Training data: the annotated claims of ../shared/eval/bbc-dev (and the seeds, when present),
each claim's own words parsed by the pipeline. Reported first: accuracy cross-validated by story
(a story = the articles that share a claim id; each fold leaves whole stories out), then the
model is fitted on everything. Seeded; CPU only.

The model's own figure says little of what a user gets, because the claims component trusts
plain wording over it and gates it (``nlp.claims.decide``). So the whole decision is also
cross-validated by story: for each story the model is refitted without it and the component's
decision is taken on the pipeline's own claims of that story's articles, matched to the gold
claims as ``score.py`` matches them (``--report``: only these figures, nothing written).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

SEED = 0
SCORE = Path(__file__).resolve().parents[1] / ".." / "shared" / "eval" / "score.py"


def load(shared: Path) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """(group prefix, text, gold claims) of every annotated document."""
    out = []
    for gold_name, folder in (("bbc-dev.gold.json", shared / "eval" / "bbc-dev"),
                              ("seeds.gold.json", shared / "corpus" / "seeds")):
        path = shared / "eval" / gold_name
        if not path.is_file() or not folder.is_dir():
            continue
        gold = json.loads(path.read_text(encoding="utf-8"))
        for name, doc in sorted(gold["documents"].items()):
            if doc.get("claims") and (folder / name).is_file():
                out.append((gold_name, (folder / name).read_text(encoding="utf-8"), doc["claims"]))
    return out


def stories(items: list[tuple[str, str, list[dict[str, Any]]]]) -> list[str]:
    """A story per document: documents that share a claim id are one story."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for k, (prefix, _, claims) in enumerate(items):
        for c in claims:
            parent[find(f"doc{k}")] = find(f"{prefix}:{c['id']}")
    return [find(f"doc{k}") for k in range(len(items))]


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--c", type=float, default=1.0)
    ap.add_argument("--report", action="store_true", help="print the figures, write nothing")
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "src" / "storyline"
                                         / "models" / "stance.json"))
    args = ap.parse_args(argv)
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold, cross_val_predict

    from storyline.nlp import build_pipeline
    from storyline.nlp.stance import article_kind, features

    items = load(Path(args.shared))
    if not items:
        print(f"no annotated documents under {args.shared}", file=sys.stderr)
        return 1
    groups_of = stories(items)
    nlp = build_pipeline()
    feats, labels, groups = [], [], []
    docs = []
    with nlp.select_pipes(disable=["storyline_claims", "storyline_records"]):
        for (_, text, claims), group, doc in zip(items, groups_of,
                                                 nlp.pipe(t for _, t, _ in items), strict=True):
            docs.append((doc, claims, group))
            kind = article_kind(doc)
            for c in claims:
                at = text.find(c["text"])
                span = doc.char_span(at, at + len(c["text"]), alignment_mode="expand")
                if at < 0 or span is None:
                    continue
                feats.append(features(list(span), kind))
                labels.append(c["status"])
                groups.append(group)
    vec = DictVectorizer()
    x, y = vec.fit_transform(feats), np.array(labels)
    clf = LogisticRegression(C=args.c, max_iter=5000, random_state=SEED)
    folds = GroupKFold(n_splits=len(set(groups)))
    pred = cross_val_predict(clf, x, y, groups=groups, cv=folds)
    by_story = Counter(groups)
    print(f"{len(y)} claims, {len(by_story)} stories; accuracy cross-validated by story: "
          f"{(pred == y).mean():.3f} (majority class {Counter(labels).most_common(1)[0][1] / len(y):.3f})")
    for story in sorted(by_story):
        m = np.array([g == story for g in groups])
        print(f"  {story:40s} {m.sum():4d} claims  {(pred[m] == y[m]).mean():.3f}")
    decision_cv(docs, feats, labels, groups, args.c)
    if args.report:
        return 0
    clf.fit(x, y)
    model = _model(vec, clf, len(y))
    model["cv_by_story"] = round(float((pred == y).mean()), 4)
    Path(args.out).write_text(json.dumps(model) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


def _model(vec: Any, clf: Any, n: int) -> dict[str, Any]:
    names = vec.get_feature_names_out().tolist()
    return {"classes": clf.classes_.tolist(), "index": {n: i for i, n in enumerate(names)},
            "coef": np.round(clf.coef_, 5).tolist(), "intercept": np.round(clf.intercept_, 5).tolist(),
            "trained_on": n}


EVENTS = frozenset({"reported", "unconfirmed", "denied", "confirmed", "asserted"})


def decision_cv(docs: list[tuple[Any, list[dict[str, Any]], str]], feats: list[dict[str, float]],
                labels: list[str], groups: list[str], c: float) -> None:
    """The claims component's status, cross-validated by story (see the module's docstring)."""
    import importlib.util

    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    from storyline.nlp import claims as claims_mod
    from storyline.nlp import stance

    spec = importlib.util.spec_from_file_location("score", SCORE)
    assert spec and spec.loader
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    shipped = stance._model
    hits: list[tuple[str, str, bool]] = []  # (story, gold status, right)
    try:
        for story in sorted(set(groups)):
            keep = [i for i, g in enumerate(groups) if g != story]
            vec = DictVectorizer()
            x = vec.fit_transform([feats[i] for i in keep])
            clf = LogisticRegression(C=c, max_iter=5000, random_state=SEED)
            clf.fit(x, [labels[i] for i in keep])
            fold = _model(vec, clf, len(keep))
            stance._model = lambda fold=fold: fold  # type: ignore[assignment]
            for doc, claims, group in docs:
                if group != story:
                    continue
                kind = stance.article_kind(doc)
                found = claims_mod.candidates(doc)
                argued = claims_mod.argued_article(found)
                texts = [doc.text[u[0].idx:u[-1].idx + len(u[-1].text)] for _, _, u in found]
                for gc in claims:
                    best = max(range(len(found)), key=lambda k: score.overlap_f1(gc["text"], texts[k]),
                               default=None)
                    if best is None or score.overlap_f1(gc["text"], texts[best]) < 0.5:
                        hits.append((story, gc["status"], False))
                        continue
                    verb, ruled, use = found[best]
                    got = claims_mod.decide(verb, ruled, use, kind, argued)
                    hits.append((story, gc["status"], got == gc["status"]))
    finally:
        stance._model = shipped  # type: ignore[assignment]
    for name, keep_it in (("all", lambda st: True), ("events", lambda st: st in EVENTS),
                          ("stances", lambda st: st not in EVENTS)):
        sel = [ok for _, st, ok in hits if keep_it(st)]
        print(f"claim status of the component, cross-validated by story, {name}: "
              f"{sum(sel) / max(len(sel), 1):.3f} ({len(sel)} gold claims, unmatched count wrong)")
    for story in sorted({s for s, _, _ in hits}):
        sel = [ok for s, _, ok in hits if s == story]
        print(f"  {story:40s} {len(sel):4d} claims  {sum(sel) / len(sel):.3f}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
