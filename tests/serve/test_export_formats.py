"""The interchange exports, each validated by its own library: STIX 2.1 (stix2-validator), MISP
(pymisp), FollowTheMoney (its model) and ClaimReview (a JSON Schema of schema.org's required fields),
over the examples corpus and the seeds; deterministic, and every claim keeps its document and offsets.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from followthemoney import model
from pymisp import MISPEvent
from stix2validator import ValidationOptions, validate_string

from storyline.assess import override_status
from storyline.pipeline import run_ingest
from storyline.serve.export import (
    CSV_TABLES,
    FORMATS,
    export_claimreview,
    export_csv,
    export_csv_tables,
    export_ftm,
    export_json,
    export_misp,
    export_stix,
    write_export,
)
from storyline.settings import Settings
from storyline.store import Store
from tests.conftest import ROOT, SEEDS

BASE = "https://desk.example.org/storyline"
Corpus = tuple[Store, Settings, dict[str, Any]]
SCHEMA = json.loads((ROOT / "tests" / "resources" / "claimreview.schema.json").read_text())


@pytest.fixture(scope="module", params=["examples", "seeds"])
def corpus(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[Corpus]:
    """One ingested store per corpus for the whole module; one claim's status corrected."""
    folder = ROOT / "examples" if request.param == "examples" else SEEDS
    if not folder.is_dir():
        pytest.skip("../shared/corpus/seeds is not here (only in the project's own workplace)")
    tmp = tmp_path_factory.mktemp(f"export_{request.param}")
    settings = Settings(db=f"sqlite:///{tmp / 'x.db'}", processes=1, batch_size=8, base_url=BASE)
    store = Store(settings.db)
    run_ingest([folder], store, settings)
    data = export_json(store)
    claim = data["claims"][0]
    override_status(store, int(claim["id"][1:]), "denied" if claim["status"] != "denied" else "reported",
                    "tester", "checked with the ministry")
    yield store, settings, export_json(store)
    store.close()


def _text(data: dict[str, Any], doc: str) -> str:
    return str(next(d["text"] for d in data["documents"] if d["id"] == doc))


def _words(data: dict[str, Any], c: dict[str, Any]) -> str:
    """What a claim's offsets index: its document's text, or for a claim of the headline (the
    empty span 0-0, nlp/headlines.py) its own words, which the title holds."""
    if c["start"] == c["end"] == 0:
        title = next(d["title"] for d in data["documents"] if d["id"] == c["document"])
        assert c["text"] in title
        return str(c["text"])
    return _text(data, c["document"])[c["start"]:c["end"]]


# --- STIX 2.1 --------------------------------------------------------------------------------

def test_stix_bundle_validates_and_keeps_every_claim(corpus: Corpus) -> None:
    store, settings, data = corpus
    bundle = export_stix(store, settings)
    result = validate_string(json.dumps(bundle), ValidationOptions(version="2.1"))
    assert [str(e) for e in result.errors] == []
    assert result.is_valid
    # left: ids are UUIDv5 on purpose (deterministic), and "news-report" is outside report-type-ov
    assert {re.findall(r"\{(\d+)\}", w)[0] for w in result.warnings} <= {"103", "218"}
    objs = bundle["objects"]
    reports = {o["external_references"][0]["external_id"]: o for o in objs if o["type"] == "report"}
    assert sorted(reports) == sorted(d["id"] for d in data["documents"])
    for doc, r in reports.items():
        assert r["description"] == _text(data, doc)
    notes = {o["x_storyline_claim"]: o for o in objs if o["type"] == "note" and "claim" in o["labels"]}
    assert sorted(notes) == sorted(c["id"] for c in data["claims"])
    for c in data["claims"]:
        n = notes[c["id"]]
        assert (n["x_storyline_document"], n["x_storyline_start"], n["x_storyline_end"]) == (
            c["document"], c["start"], c["end"])
        assert reports[c["document"]]["id"] in n["object_refs"]
        assert n["content"] == _words(data, c) == c["text"]
        assert n["labels"] == ["claim", c["status"]]


def test_stix_stories_outlets_reprints_and_corrections(corpus: Corpus) -> None:
    store, settings, data = corpus
    objs = export_stix(store, settings)["objects"]
    groupings = {o["x_storyline_story"]: o for o in objs if o["type"] == "grouping"}
    assert sorted(groupings) == sorted(k["id"] for k in data["clusters"])
    scale = {1: 90, 2: 70, 3: 50, 4: 30, 5: 10}
    for k in data["clusters"]:
        g = groupings[k["id"]]
        assert g.get("confidence") == scale.get(k["grade"]["credibility"])
        assert g["x_storyline_permalink"] == f"{BASE}/clusters/{k['id']}"
    by_id = {o["id"]: o for o in objs}
    ref = {o["id"]: o["external_references"][0]["external_id"] for o in objs if o["type"] == "report"}
    derived = sorted((ref[o["source_ref"]], ref[o["target_ref"]]) for o in objs
                     if o["type"] == "relationship" and o["relationship_type"] == "derived-from")
    expected = sorted((d["id"], d["near_duplicate_of"]) for d in data["documents"] if d["near_duplicate_of"])
    assert [pair for pair in derived if pair in expected] == expected
    opinions = [o for o in objs if o["type"] == "opinion"]
    assert [(by_id[o["object_refs"][0]]["x_storyline_claim"], o["authors"], o["opinion"]) for o in opinions
            ] == [(data["claims"][0]["id"], ["tester"], "disagree")]
    outlets = [o for o in objs if o["type"] == "identity" and o.get("sectors") == ["communications"]]
    assert all(re.fullmatch(r"[A-F] - .+", o["x_opencti_reliability"]) for o in outlets)


# --- MISP ------------------------------------------------------------------------------------

def _no_note_tz(event: dict[str, Any]) -> dict[str, Any]:
    """pymisp reads a note's time as UTC and writes it back with '+00:00': the only change."""
    text = json.dumps(event, sort_keys=True)
    return dict(json.loads(re.sub(r'("(?:created|modified)": "[0-9T:-]+)\+00:00"', r'\1"', text)))


def test_misp_events_load_and_round_trip(corpus: Corpus) -> None:
    store, settings, data = corpus
    events = export_misp(store, settings)
    assert len(events) == len(data["clusters"])
    claims_of: dict[str, list[dict[str, Any]]] = {}
    for c in data["claims"]:
        claims_of.setdefault(c["cluster"], []).append(c)
    for k, wrapped in zip(data["clusters"], events, strict=True):
        ev = MISPEvent()
        ev.load(copy.deepcopy(wrapped))
        assert _no_note_tz(json.loads(ev.to_json())) == _no_note_tz(wrapped["Event"])
        g = k["grade"]
        assert sorted(t.name for t in ev.tags) == sorted([
            f'admiralty-scale:information-credibility="{g["credibility"]}"',
            f'admiralty-scale:source-reliability="{g["reliability"].lower()}"',
            'osint:source-type="news-report"'])
        members = claims_of.get(k["id"], [])
        media = {o.comment.split(" ")[0]: o for o in ev.objects if o.name == "news-media"}
        assert sorted(media) == sorted({c["document"] for c in members})
        for c in members:
            notes = [n.note for n in media[c["document"]].notes]
            assert any(f"claim {c['id']} [{c['document']}:{c['start']}-{c['end']}] {c['status']}" in n
                       for n in notes), (c, notes)
        assert [r.name for r in ev.event_reports] == [f"Brief: {' '.join(k['label'].split())[:200]}"]


# --- FollowTheMoney --------------------------------------------------------------------------

def test_ftm_entities_validate_and_keep_every_claim(corpus: Corpus) -> None:
    store, settings, data = corpus
    entities = export_ftm(store, settings)
    for e in entities:
        schema = model.get(e["schema"])
        assert schema is not None
        assert set(e["properties"]) <= set(schema.properties), e
        assert set(schema.required) <= set(e["properties"]), e
        schema.validate(e)  # raises InvalidData on any bad value
        model.get_proxy(e, cleaned=False)
    assert len({e["id"] for e in entities}) == len(entities)
    articles = {e["properties"]["summary"][0].split()[-1]: e for e in entities if e["schema"] == "Article"}
    assert sorted(articles) == sorted(d["id"] for d in data["documents"])
    notes = {e["properties"]["keywords"][2]: e for e in entities
             if e["schema"] == "Note" and e["properties"]["keywords"][0] == "claim"}
    assert sorted(notes) == sorted(c["id"] for c in data["claims"])
    for c in data["claims"]:
        p = notes[c["id"]]["properties"]
        assert p["entity"] == [articles[c["document"]]["id"]]
        assert p["summary"][0].startswith(f"{c['document']}:{c['start']}-{c['end']} · {c['status']} · ")
        body = articles[c["document"]]["properties"]["bodyText"][0]
        assert body == _text(data, c["document"]).strip()
        # followthemoney trims a value's ends; the offsets index the document's text
        assert p["description"] == [_words(data, c).strip()] == [c["text"].strip()]
    links = [(e["properties"]["subject"], e["properties"]["object"]) for e in entities
             if e["schema"] == "UnknownLink"]
    for d in data["documents"]:
        if d["near_duplicate_of"]:
            assert ([articles[d["id"]]["id"]], [articles[d["near_duplicate_of"]]["id"]]) in links


# --- ClaimReview -----------------------------------------------------------------------------

def test_claimreview_meets_schema_org_required_fields(corpus: Corpus) -> None:
    store, settings, data = corpus
    reviews = export_claimreview(store, settings)
    assert len(reviews) == len(data["clusters"])
    for k, r in zip(data["clusters"], reviews, strict=True):
        jsonschema.validate(r, SCHEMA)
        assert r["url"] == f"{BASE}/clusters/{k['id']}"
        rating = r["reviewRating"]
        assert (rating["worstRating"], rating["bestRating"]) == (1, 6)
        assert rating["ratingValue"] == 7 - k["grade"]["credibility"]
        assert "not a verdict" in rating["ratingExplanation"]
        assert k["grade"]["code"] in rating["ratingExplanation"]
        assert r["claimReviewed"] == r["claimReviewed"].strip() and "\n" not in r["claimReviewed"]
        works = [r["itemReviewed"]["firstAppearance"], *r["itemReviewed"]["appearance"]]
        members = sorted((c["document"], c["start"], c["end"]) for c in data["claims"]
                         if c["cluster"] == k["id"])
        found = [re.fullmatch(r"(d\d+):(\d+)-(\d+)", w["identifier"]) for w in works]
        assert sorted((m[1], int(m[2]), int(m[3])) for m in found if m) == members


# --- determinism and CSV ---------------------------------------------------------------------

def test_every_format_exports_byte_identical_twice(corpus: Corpus,
                                                   tmp_path: Path) -> None:
    store, settings, _ = corpus
    for fmt in FORMATS:
        runs = []
        for _ in range(2):
            buf = io.StringIO()
            write_export(store, fmt, buf, settings)
            runs.append(buf.getvalue())
        assert runs[0] == runs[1], fmt
        assert runs[0].endswith("\n"), fmt
    assert export_csv_tables(store, tmp_path / "a.zip") == export_csv_tables(store, tmp_path / "b.zip")
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()


def test_csv_tables_one_row_per_item(corpus: Corpus, tmp_path: Path) -> None:
    store, _, data = corpus
    counts = export_csv_tables(store, tmp_path / "t.zip")
    assert counts == {"documents": len(data["documents"]), "claims": len(data["claims"]),
                      "quotes": len(data["quotes"]), "figures": len(data["quantities"]),
                      "entities": len(data["entities"]), "stories": len(data["clusters"])}
    with zipfile.ZipFile(tmp_path / "t.zip") as z:
        assert sorted(z.namelist()) == sorted(f"{t}.csv" for t in CSV_TABLES)
    buf = io.StringIO(newline="")
    assert export_csv(store, buf, "claims") == len(data["claims"])
    buf.seek(0)
    rows = list(csv.DictReader(buf))
    assert [(r["id"], r["document"], int(r["start"]), int(r["end"]), r["status"], r["text"])
            for r in rows] == [
        (c["id"], c["document"], c["start"], c["end"], c["status"], c["text"]) for c in data["claims"]]
    export_csv_tables(store, tmp_path / "folder")
    assert sorted(p.name for p in (tmp_path / "folder").iterdir()) == sorted(f"{t}.csv" for t in CSV_TABLES)


def test_stix_place_is_a_location_only_with_a_country() -> None:
    from storyline.serve._stix import _country
    from storyline.store import Entity

    assert _country(Entity(name="France", type="GPE", aliases=[])) == "FR"
    assert _country(Entity(name="Valdoria", type="GPE", aliases=["Republic of Valdoria"])) is None


def test_claimreview_rating_and_stix_confidence_scales() -> None:
    from storyline.serve._claimreview import rating_value
    from storyline.serve._snapshot import STIX_CONFIDENCE

    assert [rating_value(c) for c in range(1, 7)] == [6, 5, 4, 3, 2, 1]
    assert STIX_CONFIDENCE == {1: 90, 2: 70, 3: 50, 4: 30, 5: 10}
