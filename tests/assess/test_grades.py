import json
import random
from pathlib import Path

import pytest

from storyline.assess import clusters
from storyline.assess._grades import RULES, credibility, grade
from storyline.assess._origins import UNKNOWN, Facts, build
from storyline.pipeline import run_ingest
from storyline.settings import Settings
from storyline.store import Claim, Store


def _doc(i: int, *, outlet: str | None = None, url: str | None = None, kind: str = "jsonl",
         relation: str = "unknown", publisher: str | None = None,
         dup: int | None = None) -> Facts:
    return Facts(i, dup, relation, publisher, None, None, outlet, url, kind, "en")


def _claim(i: int, doc: int, status: str, holder: str | None = None) -> Claim:
    return Claim(id=i, document_id=doc, text=f"Valdoria moved troops ({i}).", start=0, end=20,
                 status=status, holder_name=holder)


# One row of docs/grades.md each: (q, confirmed, denied, only not-confirmed) -> credibility.
@pytest.mark.parametrize(("q", "confirmed", "denied", "unconfirmed_only", "expected"), [
    (2, True, False, False, 1),
    (3, True, False, False, 1),
    (2, False, False, False, 2),
    (2, True, True, False, 3),
    (2, False, True, False, 3),
    (1, False, False, False, 3),
    (1, True, False, False, 3),
    (1, False, True, False, 4),
    (0, False, False, True, 4),
    (0, False, True, False, 5),
    (0, False, False, False, 6),
])
def test_credibility_rows(q: int, confirmed: bool, denied: bool, unconfirmed_only: bool,
                          expected: int) -> None:
    assert credibility(q, confirmed, denied, unconfirmed_only) == expected


def test_rules_table_matches_docs() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "grades.md").read_text("utf-8")
    rows = [line.split("|")[1:3] for line in doc.splitlines() if line[:4] in
            {f"| {n} " for n in range(1, 7)}]
    assert [(int(n), m.strip()) for n, m in rows] == [(n, m) for n, _, m in RULES]


_REG = {"outlets": [
    {"name": "Daily Lantern", "aliases": ["The Daily Lantern"], "domains": ["dailylantern.example"],
     "reliability": "B"},
    {"name": "Harbin Courier", "domains": ["courier.example"], "reliability": "C"},
    {"name": "Kelm Gazette", "domains": ["gazette.example"], "reliability": "E"}]}


@pytest.fixture
def registry(tmp_path: Path) -> str:
    p = tmp_path / "sources.json"
    p.write_text(json.dumps(_REG), "utf-8")
    return str(p)


@pytest.mark.parametrize(("doc", "key", "reliability", "independent"), [
    (_doc(1, outlet="Daily Lantern", url="https://www.dailylantern.example/a",
          relation="original", publisher="Daily Lantern", kind="html"), "Daily Lantern", "B", True),
    (_doc(1, outlet="Daily Lantern", relation="original", publisher="Daily Lantern"),
     "Daily Lantern", "B", True),
    (_doc(1, outlet="dailylantern.example", kind="text"), "Daily Lantern", "B", True),
    (_doc(1, outlet="Daily Lantern", url="https://lantern-news.example/a", relation="original",
          publisher="Daily Lantern", kind="html"),
     "lantern-news.example (names itself Daily Lantern)", "F", True),
    (_doc(1, outlet="Daily Lantern", kind="html", relation="original", publisher="Daily Lantern"),
     "Daily Lantern (self-named)", "F", True),
    (_doc(1, relation="reprint", publisher="Daily Lantern", kind="text"), "Daily Lantern", "B", True),
    (_doc(1, outlet="Ostrana Blog"), "Ostrana Blog", "F", True),
    (_doc(1, url="https://blog.example/p", kind="html"), "blog.example", "F", True),
    (_doc(1, kind="text"), UNKNOWN, "F", False),
])
def test_origin_of_one_document(doc: Facts, key: str, reliability: str, independent: bool,
                                registry: str) -> None:
    keys, found = build({1: doc}, registry)
    assert (keys[1], found[key].reliability, found[key].independent) == (key, reliability,
                                                                         independent)


def test_unknown_documents_form_one_group_never_independent(registry: str) -> None:
    docs = {i: _doc(i, kind="jsonl") for i in range(1, 21)}
    keys, found = build(docs, registry)
    assert set(keys.values()) == {UNKNOWN}
    assert [o.as_dict()["independent"] for o in found.values()] == [False]
    g = grade([_claim(i, i, "reported") for i in range(1, 21)], docs, registry, keys, found)
    assert (g.reliability, g.credibility, g.reasons[0]["count"]) == ("F", 6, 0)


def test_one_outlet_alone_never_gives_1_or_2(registry: str) -> None:
    docs = {i: _doc(i, outlet="Daily Lantern", relation="original", publisher="Daily Lantern")
            for i in range(1, 21)}
    claims = [_claim(1, 1, "confirmed", "the ministry")] + [
        _claim(i, i, "reported") for i in range(2, 21)]
    g = grade(claims, docs, registry)
    assert (g.reliability, g.credibility, g.reasons[0]["count"]) == ("B", 3, 1)


def test_unknown_rewrite_is_no_corroboration(registry: str) -> None:
    docs = {1: _doc(1, outlet="Daily Lantern", relation="original", publisher="Daily Lantern"),
            2: _doc(2, kind="text"),
            3: _doc(3, outlet="Kelm Gazette", relation="original", publisher="Kelm Gazette")}
    claims = [_claim(1, 1, "reported", "officials"), _claim(2, 2, "confirmed", "the ministry"),
              _claim(3, 3, "reported", "officials")]
    g = grade(claims, docs, registry)
    rule = g.reasons[0]["rule"]
    assert (g.credibility, rule["qualified"], rule["confirmed_by"], rule["not_counted"]) == (
        3, ["Daily Lantern"], [], ["Kelm Gazette", UNKNOWN])
    assert rule["text"] == ("3 (possibly true): 1 independent origin(s) of reliability A–C carry "
                            "it: Daily Lantern (d1); not counted (unknown source or reliability "
                            "D–F): Kelm Gazette (d3); unknown source (d2)")


def test_two_qualified_origins_and_a_confirmation_give_1_a_denial_lowers(registry: str) -> None:
    docs = {1: _doc(1, outlet="Daily Lantern", relation="original", publisher="Daily Lantern"),
            2: _doc(2, outlet="Harbin Courier", relation="original", publisher="Harbin Courier"),
            3: _doc(3, outlet="Daily Lantern", relation="original", publisher="Daily Lantern",
                    dup=1)}
    claims = [_claim(1, 1, "reported", "officials"), _claim(2, 2, "confirmed", "the Accord")]
    assert grade(claims, docs, registry).credibility == 1
    assert grade([*claims, _claim(3, 3, "denied", "Valdoria")], docs, registry).credibility == 3
    assert grade(claims[:1], docs, registry).credibility == 3


def test_grades_same_whatever_the_order(tmp_path: Path, examples: Path) -> None:
    files = sorted(examples.glob("*.txt"))
    results = []
    for n, order in enumerate([files, list(reversed(files)), None]):
        db = f"sqlite:///{tmp_path / f'o{n}.db'}"
        with Store(db) as store:
            s = Settings(db=db, processes=1)
            if order is None:
                run_ingest([str(examples)], store, s)
            else:
                random.Random(n).shuffle(order)
                for f in order:
                    run_ingest([str(f)], store, s)
            results.append(sorted((c["grade"], str(c["kind"])) for c in clusters(store)))
    assert results[0] == results[1] == results[2]
    assert results[0]


@pytest.mark.parametrize(("a", "b", "same"), [
    ("special forces troops", "North Korean soldiers", True),
    ("troops", "troops", True),
    ("NATO allies", "North Korean soldiers", False),
    ("billion dollars", "troops", False),
])
def test_figures_compare_only_what_they_count(a: str, b: str, same: bool) -> None:
    from storyline.assess._story import _thing

    assert (_thing(a) == _thing(b)) is same
