"""The quality gate: seed figures with pinned floors (raise them as extraction improves)."""

import importlib.util
import json
from pathlib import Path

from storyline.assess import cluster_view, clusters, set_date
from storyline.pipeline import run_ingest
from storyline.serve.export import export_json
from storyline.settings import Settings
from storyline.store import Store
from tests.conftest import SHARED

FLOORS = {
    "boilerplate_removed": 0.95, "body_kept": 1.0, "title_acc": 1.0, "byline_acc": 0.8,
    "origin_acc": 0.8, "entities_f1": 0.90, "quantities_f1": 0.90, "quotes_end_to_end_f1": 0.87,
    "direct_quotes_end_to_end_f1": 0.90, "same_entity_recall": 1.0, "claim_status_acc": 0.90,
}


# Days given to the five seed files (by file order) as an analyst would, from their own text.
SEED_DAYS = ("2024-10-20", "2024-12-04", "2024-11-04", "2024-12-15", "2024-10-21")


def _dated_event_story(store: Store) -> dict[str, object]:
    docs = sorted(store.documents(), key=lambda d: d.source)
    for doc, day in zip(docs, SEED_DAYS, strict=True):
        set_date(store, doc.id, day, "test")
    event = max((k for k in clusters(store) if k["kind"] == "event"), key=lambda k: k["claims"])
    return cluster_view(store, int(event["id"][1:]))


def test_seed_scores_hold_their_floors(seeds: Path, tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("score", SHARED / "eval" / "score.py")
    assert spec and spec.loader
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    db = f"sqlite:///{tmp_path / 'seeds.db'}"
    with Store(db) as store:
        report = run_ingest([str(seeds)], store, Settings(db=db, processes=1))
        again = run_ingest([str(seeds)], store, Settings(db=db, processes=1))
        data = export_json(store)
        for k in clusters(store):  # a figure is shown once, however many claims cover it
            figures = [(f["document"], f["start"]) for f in cluster_view(store, int(k["id"][1:]))["figures"]]
            assert len(figures) == len(set(figures)), k["id"]
        event = _dated_event_story(store)
    assert report.new == 5 and again.new == 0
    # issue #14: no F or unknown origin counted as independent; with dates given to the files,
    # the event story's history reads reported -> unconfirmed -> denied -> confirmed
    origins = next(r for r in event["reasons"] if r["kind"] == "origins")["origins"]
    assert [o["origin"] for o in origins if o["independent"]] == ["POLITICO",
                                                                 "The Washington Post"]
    assert all(o["reliability"] != "F" for o in origins if o["independent"])
    assert [s["status"] for s in event["arc"]] == ["reported", "unconfirmed", "denied", "confirmed"]
    assert all(r["date"] for r in event["timeline"])
    gold = json.loads((SHARED / "eval" / "seeds.gold.json").read_text())
    got = score.score(gold, data)
    assert got["false_merges"] == 0
    # Clusters follow stories and kind (issue #18): one seed claim the learned status calls a
    # stance ('warned that the deployment … demands a firm response', gold: confirmed) sits in
    # the story's proposal cluster; was 0 with the phrase clusters fitted to these five articles
    # (121 splits on bbc-dev), 5 at 3d10b0d.
    assert got["claim_clusters_split"] <= 1
    low = {k: round(got[k], 3) for k, floor in FLOORS.items() if got[k] < floor}
    assert not low, low
