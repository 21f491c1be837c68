"""Train the line cleaner on the WCXB development pages' labelled lines (``make train-cleaner``).

Reads ../shared/eval/wcxb (text/, wcxb-text.labels.jsonl, manifest.json), builds the features of
storyline.ingest._lines for every non-empty line, reports figures cross-validated by site
(GroupKFold on the page's domain: no site in both a training and a validation fold), then fits
the two stages on all pages and writes them to src/storyline/models/cleaner.joblib.

Two stages: the first judges each line from its own features and its neighbours'; the second
adds what the first stage said of the whole page (its neighbours' verdicts, the body mass before
and after, the likeliest headline and byline, the body region: ``_lines.context``). The second
stage is trained on the first stage's out-of-fold verdicts, so it learns from verdicts on sites
the first stage never saw, as on a user's page; both CVs use the same site-grouped folds.

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
from typing import Any

import joblib
import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GroupKFold

from storyline.ingest._cleaner import CLASSES, MODEL_NAME, combine, decide
from storyline.ingest._decode import fix_text
from storyline.ingest._lines import Lines, features, nonempty, second_stage
from storyline.ingest._meta import name_key, outlet_candidates

ROOT = Path(__file__).resolve().parents[1]
SEED = 12
# Chrome whose words also occur in the article: still chrome, but its label is the least sure.
UNSCORABLE_WEIGHT = 0.5
# An outlet candidate is the site's name when one's words hold the other's and they differ by at
# most this many words ("Ostrana Gazette" / "Ostrana Gazette Online").
OUTLET_WORDS_OFF = 1


def load(wcxb: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[str],
                              dict[str, list[str]]]:
    """Feature rows, class ids, sample weights, group (domain) ids and page of every line, and
    each page's non-empty lines."""
    pages = json.loads((wcxb / "manifest.json").read_text("utf-8"))["pages"]
    xs, ys, ws, gs, docs = [], [], [], [], []
    texts: dict[str, list[str]] = {}
    domains: dict[str, int] = {}
    for raw in (wcxb / "wcxb-text.labels.jsonl").read_text("utf-8").splitlines():
        rec = json.loads(raw)
        doc = rec["doc"]
        labels = {i: lab for i, lab in rec["lines"]}
        text = fix_text((wcxb / "text" / doc).read_text("utf-8"))
        lines = [line.rstrip() for line in text.split("\n")]
        ne, x = features(lines)
        texts[doc] = ne.text
        y = [labels.get(i, "boilerplate") for i in ne.index]
        keep = [k for k, lab in enumerate(y)]
        dom = domains.setdefault(pages[doc.removesuffix(".txt")]["domain"], len(domains))
        xs.append(x[keep])
        ys += [CLASSES.index("boilerplate" if lab == "unscorable" else lab) for lab in y]
        ws += [UNSCORABLE_WEIGHT if lab == "unscorable" else 1.0 for lab in y]
        gs += [dom] * len(keep)
        docs += [doc] * len(keep)
    return np.vstack(xs), np.array(ys), np.array(ws), np.array(gs), docs, texts


def second_rows(x: np.ndarray, p: np.ndarray, docs: list[str],
                texts: dict[str, list[str]]) -> np.ndarray:
    """The second stage's rows of every page (``_lines.second_stage``)."""
    rows = []
    start = 0
    while start < len(docs):
        end = start
        while end < len(docs) and docs[end] == docs[start]:
            end += 1
        rows.append(second_stage(x[start:end], texts[docs[start]], p[start:end]))
        start = end
    return np.vstack(rows)


def outlet_data(wcxb: Path, texts: dict[str, list[str]], pages: dict[str, Any]
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[tuple[str, int, int]]]:
    """Outlet candidates of the pages whose gold names the site: rows, labels (the candidate is
    the site's name, give or take a word: "Ostrana Gazette" for "The Ostrana Gazette Online"),
    site ids, and each page's (name, first row, end row)."""
    gold = json.loads((wcxb / "wcxb-text.gold.json").read_text("utf-8"))["documents"]
    xs, ys, gs, spans = [], [], [], []
    domains: dict[str, int] = {}
    start = 0
    for doc, lines in texts.items():
        want = gold.get(doc, {}).get("outlet")
        if not want:
            continue
        c = outlet_candidates(lines)
        target = set(name_key(want))
        for key in c.keys:
            got = set(key)
            ys.append(float(bool(got) and (got <= target or target <= got)
                            and abs(len(got) - len(target)) <= OUTLET_WORDS_OFF))
        xs.append(c.x)
        dom = domains.setdefault(pages[doc.removesuffix(".txt")]["domain"], len(domains))
        gs += [dom] * len(c.keys)
        spans.append((doc, start, start + len(c.keys)))
        start += len(c.keys)
    return np.vstack(xs), np.array(ys), np.array(gs), spans


def outlet_model() -> HistGradientBoostingClassifier:
    return HistGradientBoostingClassifier(max_iter=150, learning_rate=0.1, max_leaf_nodes=15,
                                          min_samples_leaf=20, random_state=SEED)


def model() -> HistGradientBoostingClassifier:
    return HistGradientBoostingClassifier(max_iter=250, learning_rate=0.1, max_leaf_nodes=31,
                                          min_samples_leaf=40, l2_regularization=1.0,
                                          random_state=SEED)


def second_model() -> HistGradientBoostingClassifier:
    """The second stage: fewer rounds at a faster rate (its inputs are already verdicts)."""
    return HistGradientBoostingClassifier(max_iter=80, learning_rate=0.25, max_leaf_nodes=31,
                                          min_samples_leaf=40, l2_regularization=1.0,
                                          random_state=SEED)


def cross_validate(x: np.ndarray, y: np.ndarray, w: np.ndarray, g: np.ndarray,
                   folds: int, make: Any = model) -> np.ndarray:
    """Out-of-fold class probabilities, folds grouped by site."""
    oof = np.zeros((len(y), len(CLASSES)), dtype=np.float32)
    for k, (tr, va) in enumerate(GroupKFold(n_splits=folds).split(x, y, g)):
        t0 = time.time()
        clf = make().fit(x[tr], y[tr], sample_weight=w[tr])
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
        print(f"  keep when P(body) >= {t:.2f}: body lines kept {kept:.4f}, chrome lines removed "
              f"{removed:.4f}", file=sys.stderr)


def outlet_cv(x: np.ndarray, y: np.ndarray, g: np.ndarray, folds: int) -> np.ndarray:
    """Out-of-fold outlet scores, folds grouped by site."""
    oof = np.zeros(len(y))
    for tr, va in GroupKFold(n_splits=folds).split(x, y, g):
        oof[va] = outlet_model().fit(x[tr], y[tr]).predict_proba(x[va])[:, 1]
    return oof


def cv_export(wcxb: Path, oof: np.ndarray, docs: list[str], out: Path,
              outlet_oof: dict[str, np.ndarray]) -> None:
    """The export the out-of-fold probabilities give, for score_text.py."""
    rows: dict[str, list[int]] = {}
    for k, doc in enumerate(docs):
        rows.setdefault(doc, []).append(k)
    documents = []
    for doc, ks in rows.items():
        text = fix_text((wcxb / "text" / doc).read_text("utf-8"))
        ne: Lines = nonempty([line.rstrip() for line in text.split("\n")])
        scores = outlet_oof.get(doc)
        got = decide(ne, oof[ks], outlet_ranker=(lambda c, s=scores: s if s is not None
                                                 else np.zeros(len(c))))
        documents.append({"id": len(documents), "source": doc, "text": "\n".join(got.kept),
                          "title": got.title, "byline": got.byline, "outlet": got.outlet})
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
    x, y, w, g, docs, texts = load(args.wcxb)
    print(f"{len(y)} lines of {len(set(docs))} pages, {len(set(g))} sites, "
          f"{x.shape[1]} features ({time.time() - t0:.0f}s)", file=sys.stderr)
    pages = json.loads((args.wcxb / "manifest.json").read_text("utf-8"))["pages"]
    ox, oy, og, spans = outlet_data(args.wcxb, texts, pages)
    oscore = outlet_cv(ox, oy, og, args.folds)
    outlet_oof = {doc: oscore[a:b] for doc, a, b in spans}
    oof1 = cross_validate(x, y, w, g, args.folds)  # the second stage learns from these
    print("first stage, cross-validated by site:", file=sys.stderr)
    report(oof1, y)
    if args.oof:
        np.savez_compressed(args.oof.with_suffix(".stage1.npz"), oof=oof1, y=y, g=g,
                            docs=np.array(docs))
    x2 = second_rows(x, oof1, docs, texts)
    if not args.no_cv:
        oof = cross_validate(x2, y, w, g, args.folds, second_model)
        print("second stage, cross-validated by site:", file=sys.stderr)
        report(oof, y)
        if args.oof:
            np.savez_compressed(args.oof, oof=oof, oof1=oof1, y=y, g=g, docs=np.array(docs))
        if args.cv_export:
            cv_export(args.wcxb, combine(oof1, oof), docs, args.cv_export, outlet_oof)
    if args.cv_only:
        return 0
    clf = {"stage1": model().fit(x, y, sample_weight=w),
           "stage2": second_model().fit(x2, y, sample_weight=w),
           "outlet": outlet_model().fit(ox, oy)}
    out = ROOT / "src" / "storyline" / "models" / MODEL_NAME
    joblib.dump(clf, out, compress=3)
    print(f"wrote {out} ({out.stat().st_size // 1024} KiB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
