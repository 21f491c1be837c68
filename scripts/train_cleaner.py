"""Train the line cleaner on the WCXB development pages' labelled lines (``make train-cleaner``).

Reads ../shared/eval/wcxb (text/, wcxb-text.labels.jsonl, wcxb-text.gold.json, manifest.json),
builds the features of storyline.ingest._lines for every non-empty line, reports figures
cross-validated by site (GroupKFold on the page's domain: no site in both a training and a
validation fold), then fits the models on all pages and writes them to
src/storyline/models/cleaner.joblib.

Shipped: the line model, which judges each line from its own features and its neighbours', and
an outlet model, which ranks the page's outlet candidates (``_meta.outlet_candidates``) against
the gold outlet of the pages that have one. With --context, a second stage is trained and written
too (``_cleaner`` uses it when the file has one): a context model that adds what the line model
said of the whole page (``_lines.context``), trained on the line model's out-of-fold verdicts, both
stages also learning from plain pages (every PLAIN_EVERY-th page's headline, byline and body lines
alone, in their site's fold). All CVs use the same folds.

    python scripts/train_cleaner.py [--wcxb DIR] [--folds 5] [--cv-only] [--oof FILE]
        [--reuse-oof] [--cv-export FILE] [--body-min P] [--title-min P] [--byline-min P]
        [--context]

--oof keeps the out-of-fold probabilities; with --reuse-oof a later run reads the line model's back
instead of refitting its folds (same data and seed give the same figures). --cv-export writes the
cleaning that the out-of-fold probabilities give (kept lines, headline, byline, outlet) as an
export that ../shared/eval/wcxb/score_text.py scores: the text path's figures on sites the models
never saw; --body-min and the others try other thresholds than _cleaner's there.
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

from storyline.ingest import _cleaner
from storyline.ingest._cleaner import CLASSES, MODEL_NAME, combine, decide
from storyline.ingest._decode import fix_text
from storyline.ingest._lines import Lines, features, nonempty, second_stage
from storyline.ingest._meta import name_key, outlet_candidates

ROOT = Path(__file__).resolve().parents[1]
SEED = 12
# Chrome whose words also occur in the article: still chrome, but its label is the least sure.
UNSCORABLE_WEIGHT = 0.5
# With --context, every PLAIN_EVERY-th page is also learned as a plain page (its gold headline,
# byline and body lines alone), weighed PLAIN_WEIGHT a line: a copied article without chrome keeps
# all its lines. Not shipped: on site-grouped CV it kept more of plain pages' body (0.986 against
# 0.977) but removed less chrome at equal body kept, and the two-stage cleaner it made lowered the
# ECB+ gate sample (pair F1 0.663 -> 0.634) and the WCXB gate's byline (0.724 -> 0.688).
PLAIN_EVERY = 2
PLAIN_WEIGHT = 0.5
PLAIN = "plain:"
# An outlet candidate is the site's name when one's words hold the other's and they differ by at
# most this many words ("Ostrana Gazette" / "Ostrana Gazette Online").
OUTLET_WORDS_OFF = 1


def load(wcxb: Path, plain_pages: bool = False
         ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[str], dict[str, list[str]]]:
    """Feature rows, class ids, sample weights, group (domain) ids and page of every line (plain
    pages named PLAIN + the page), and each page's non-empty lines."""
    pages = json.loads((wcxb / "manifest.json").read_text("utf-8"))["pages"]
    xs, ys, ws, gs, docs = [], [], [], [], []
    texts: dict[str, list[str]] = {}
    domains: dict[str, int] = {}
    for n, raw in enumerate((wcxb / "wcxb-text.labels.jsonl").read_text("utf-8").splitlines()):
        rec = json.loads(raw)
        doc = rec["doc"]
        labels = {i: lab for i, lab in rec["lines"]}
        text = fix_text((wcxb / "text" / doc).read_text("utf-8"))
        lines = [line.rstrip() for line in text.split("\n")]
        dom = domains.setdefault(pages[doc.removesuffix(".txt")]["domain"], len(domains))
        variants = [(doc, lines, 1.0)]
        if plain_pages and n % PLAIN_EVERY == 0:
            plain = [line if labels.get(i) in ("body", "title", "byline") else ""
                     for i, line in enumerate(lines)]
            variants.append((PLAIN + doc, plain, PLAIN_WEIGHT))
        for name, page, weight in variants:
            ne, x = features(page)
            if not ne.text:
                continue
            texts[name] = ne.text
            y = [labels.get(i, "boilerplate") for i in ne.index]
            xs.append(x)
            ys += [CLASSES.index("boilerplate" if lab == "unscorable" else lab) for lab in y]
            ws += [weight * (UNSCORABLE_WEIGHT if lab == "unscorable" else 1.0) for lab in y]
            gs += [dom] * len(y)
            docs += [name] * len(y)
    return np.vstack(xs), np.array(ys), np.array(ws), np.array(gs), docs, texts


def second_rows(x: np.ndarray, p: np.ndarray, docs: list[str],
                texts: dict[str, list[str]]) -> np.ndarray:
    """The context model's rows of every page (``_lines.second_stage``)."""
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
        want = gold.get(doc, {}).get("outlet") if not doc.startswith(PLAIN) else None
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
    """The context model: fewer rounds at a faster rate (its inputs are already verdicts)."""
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
        if not doc.startswith(PLAIN):
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


def plain_report(p: np.ndarray, y: np.ndarray, docs: list[str]) -> None:
    """On the plain pages: the share of body lines kept, and of pages that keep them all."""
    plain = np.array([d.startswith(PLAIN) for d in docs])
    body = (y == CLASSES.index("body")) & plain
    keep = p[:, 0] >= _cleaner.BODY_MIN
    whole = {d for d, k, b in zip(docs, keep, body, strict=True) if b and not k}
    pages = {d for d in docs if d.startswith(PLAIN)}
    print(f"  plain pages: body lines kept {keep[body].mean():.4f}, pages kept whole "
          f"{1 - len(whole) / max(len(pages), 1):.3f} of {len(pages)}", file=sys.stderr)


def real(docs: list[str]) -> np.ndarray:
    return np.array([not d.startswith(PLAIN) for d in docs])


def line_oof(args: argparse.Namespace, x: np.ndarray, y: np.ndarray, w: np.ndarray,
             g: np.ndarray) -> np.ndarray:
    """The line model's out-of-fold probabilities (read back with --reuse-oof)."""
    if args.reuse_oof and args.oof and args.oof.exists():
        kept = np.load(args.oof)
        if len(kept["oof1"]) == len(y):
            return np.asarray(kept["oof1"])
    return cross_validate(x, y, w, g, args.folds)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--wcxb", type=Path, default=ROOT.parent / "shared" / "eval" / "wcxb")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--cv-only", action="store_true")
    ap.add_argument("--oof", type=Path, help="write out-of-fold probabilities (npz) here")
    ap.add_argument("--reuse-oof", action="store_true", help="read --oof's line model back")
    ap.add_argument("--cv-export", type=Path, help="write the out-of-fold cleaning as an export")
    ap.add_argument("--context", action="store_true",
                    help="train the context model too, with plain pages (not shipped)")
    for name in ("body", "title", "byline"):
        ap.add_argument(f"--{name}-min", type=float, help="threshold tried in the CV export")
    args = ap.parse_args()
    for name in ("body", "title", "byline"):
        if (value := getattr(args, f"{name}_min")) is not None:
            setattr(_cleaner, f"{name.upper()}_MIN", value)
    t0 = time.time()
    x, y, w, g, docs, texts = load(args.wcxb, plain_pages=args.context)
    print(f"{len(y)} lines of {len(set(docs))} pages, {len(set(g))} sites, "
          f"{x.shape[1]} features ({time.time() - t0:.0f}s)", file=sys.stderr)
    pages = json.loads((args.wcxb / "manifest.json").read_text("utf-8"))["pages"]
    ox, oy, og, spans = outlet_data(args.wcxb, texts, pages)
    oscore = outlet_cv(ox, oy, og, args.folds)
    outlet_oof = {doc: oscore[a:b] for doc, a, b in spans}
    oof1 = line_oof(args, x, y, w, g)
    ok = real(docs)
    print("line model, cross-validated by site:", file=sys.stderr)
    report(oof1[ok], y[ok])
    both, x2 = oof1, None
    if args.context:
        plain_report(oof1, y, docs)
        x2 = second_rows(x, oof1, docs, texts)
        oof2 = cross_validate(x2, y, w, g, args.folds, second_model)
        both = combine(oof1, oof2)
        print("context model, cross-validated by site:", file=sys.stderr)
        report(both[ok], y[ok])
        plain_report(both, y, docs)
    else:
        oof2 = np.zeros_like(oof1)
    if args.oof:
        np.savez_compressed(args.oof, oof1=oof1, oof2=oof2, y=y, g=g, docs=np.array(docs))
    if args.cv_export:
        cv_export(args.wcxb, both, docs, args.cv_export, outlet_oof)
    if args.cv_only:
        return 0
    clf = {"lines": model().fit(x, y, sample_weight=w), "outlet": outlet_model().fit(ox, oy)}
    if x2 is not None:
        clf["context"] = second_model().fit(x2, y, sample_weight=w)
    out = ROOT / "src" / "storyline" / "models" / MODEL_NAME
    joblib.dump(clf, out, compress=3)
    print(f"wrote {out} ({out.stat().st_size // 1024} KiB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
