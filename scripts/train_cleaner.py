"""Train the line cleaner on the WCXB development pages' labelled lines (``make train-cleaner``).

Reads ../shared/eval/wcxb (text/, wcxb-text.labels.jsonl, manifest.json), builds the features of
storyline.ingest._lines for every non-empty line, reports figures cross-validated by site
(GroupKFold on the page's domain: no site in both a training and a validation fold), then fits
one model on all pages and writes it to src/storyline/models/cleaner.joblib.

    python scripts/train_cleaner.py [--wcxb DIR] [--folds 5] [--cv-only] [--oof FILE]
        [--cv-export FILE]

--cv-export writes the cleaning that the out-of-fold probabilities give (kept lines, headline,
byline) as an export that ../shared/eval/wcxb/score_text.py scores: the text path's figures on
sites the model never saw.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import joblib
import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GroupKFold

from storyline.ingest._cleaner import CLASSES, MODEL_NAME, decide
from storyline.ingest._decode import fix_text
from storyline.ingest._lines import Lines, features, nonempty

ROOT = Path(__file__).resolve().parents[1]
SEED = 12
# Chrome whose words also occur in the article: still chrome, but its label is the least sure.
UNSCORABLE_WEIGHT = 0.5


def load(wcxb: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Feature rows, class ids, sample weights, group (domain) ids and page of every line."""
    pages = json.loads((wcxb / "manifest.json").read_text("utf-8"))["pages"]
    xs, ys, ws, gs, docs = [], [], [], [], []
    domains: dict[str, int] = {}
    for raw in (wcxb / "wcxb-text.labels.jsonl").read_text("utf-8").splitlines():
        rec = json.loads(raw)
        doc = rec["doc"]
        labels = {i: lab for i, lab in rec["lines"]}
        text = fix_text((wcxb / "text" / doc).read_text("utf-8"))
        lines = [line.rstrip() for line in text.split("\n")]
        ne, x = features(lines)
        y = [labels.get(i, "boilerplate") for i in ne.index]
        keep = [k for k, lab in enumerate(y)]
        dom = domains.setdefault(pages[doc.removesuffix(".txt")]["domain"], len(domains))
        xs.append(x[keep])
        ys += [CLASSES.index("boilerplate" if lab == "unscorable" else lab) for lab in y]
        ws += [UNSCORABLE_WEIGHT if lab == "unscorable" else 1.0 for lab in y]
        gs += [dom] * len(keep)
        docs += [doc] * len(keep)
    return np.vstack(xs), np.array(ys), np.array(ws), np.array(gs), docs


def model() -> HistGradientBoostingClassifier:
    return HistGradientBoostingClassifier(max_iter=250, learning_rate=0.1, max_leaf_nodes=31,
                                          min_samples_leaf=40, l2_regularization=1.0,
                                          random_state=SEED)


def cross_validate(x: np.ndarray, y: np.ndarray, w: np.ndarray, g: np.ndarray,
                   folds: int) -> np.ndarray:
    """Out-of-fold class probabilities, folds grouped by site."""
    oof = np.zeros((len(y), len(CLASSES)), dtype=np.float32)
    for k, (tr, va) in enumerate(GroupKFold(n_splits=folds).split(x, y, g)):
        t0 = time.time()
        clf = model().fit(x[tr], y[tr], sample_weight=w[tr])
        oof[va] = clf.predict_proba(x[va])
        print(f"fold {k}: {len(tr)} train / {len(va)} validation lines, {time.time() - t0:.0f}s",
              file=sys.stderr)
    return oof


def report(oof: np.ndarray, y: np.ndarray) -> None:
    body, chrome = CLASSES.index("body"), CLASSES.index("boilerplate")
    for t in (0.02, 0.05, 0.1, 0.2, 0.3, 0.5):
        keep = oof[:, body] >= t
        kept = keep[y == body].mean()
        removed = (~keep[y == chrome]).mean()
        print(f"keep when P(body) >= {t:.2f}: body lines kept {kept:.4f}, chrome lines removed "
              f"{removed:.4f}")


def cv_export(wcxb: Path, oof: np.ndarray, docs: list[str], out: Path) -> None:
    """The export the out-of-fold probabilities give, for score_text.py."""
    rows: dict[str, list[int]] = {}
    for k, doc in enumerate(docs):
        rows.setdefault(doc, []).append(k)
    documents = []
    for doc, ks in rows.items():
        text = fix_text((wcxb / "text" / doc).read_text("utf-8"))
        ne: Lines = nonempty([line.rstrip() for line in text.split("\n")])
        got = decide(ne, oof[ks])
        documents.append({"id": len(documents), "source": doc, "text": "\n".join(got.kept),
                          "title": got.title, "byline": got.byline})
    out.write_text(json.dumps({"documents": documents}), "utf-8")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--wcxb", type=Path, default=ROOT.parent / "shared" / "eval" / "wcxb")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--cv-only", action="store_true")
    ap.add_argument("--no-cv", action="store_true")
    ap.add_argument("--oof", type=Path, help="write out-of-fold probabilities (npz) here")
    ap.add_argument("--cv-export", type=Path, help="write the out-of-fold cleaning as an export")
    args = ap.parse_args()
    t0 = time.time()
    x, y, w, g, docs = load(args.wcxb)
    print(f"{len(y)} lines of {len(set(docs))} pages, {len(set(g))} sites, "
          f"{x.shape[1]} features ({time.time() - t0:.0f}s)", file=sys.stderr)
    if not args.no_cv:
        oof = cross_validate(x, y, w, g, args.folds)
        report(oof, y)
        if args.oof:
            np.savez_compressed(args.oof, oof=oof, y=y, g=g, docs=np.array(docs))
        if args.cv_export:
            cv_export(args.wcxb, oof, docs, args.cv_export)
    if args.cv_only:
        return 0
    clf = model().fit(x, y, sample_weight=w)
    out = ROOT / "src" / "storyline" / "models" / MODEL_NAME
    joblib.dump(clf, out, compress=3)
    print(f"wrote {out} ({out.stat().st_size // 1024} KiB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
