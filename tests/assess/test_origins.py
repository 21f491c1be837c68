import json
from pathlib import Path

import pytest

from storyline.assess._origins import UNKNOWN, Facts, build

_REG = {"outlets": [
    {"name": "Daily Lantern", "domains": ["dailylantern.example"], "reliability": "B"},
    {"name": "Harbin Courier", "domains": ["courier.example"], "reliability": "C"}]}


@pytest.fixture
def registry(tmp_path: Path) -> str:
    p = tmp_path / "sources.json"
    p.write_text(json.dumps(_REG), "utf-8")
    return str(p)


def _doc(i: int, outlet: str | None, relation: str = "original",
         publisher: str | None = None) -> Facts:
    return Facts(i, None, relation, publisher, None, None, outlet, None, "jsonl", "en")


def test_an_outlets_article_citing_another_stays_its_own(registry: str) -> None:
    docs = {1: _doc(1, "Daily Lantern"), 2: _doc(2, "Daily Lantern", "cites", "Harbin Courier"),
            3: _doc(3, None, "cites", "Harbin Courier"), 4: _doc(4, None)}
    keys, found = build(docs, registry)
    assert keys == {1: "Daily Lantern", 2: "Daily Lantern", 3: "Harbin Courier", 4: UNKNOWN}
    assert sorted((o.key, o.independent, o.documents) for o in found.values()) == [
        ("Daily Lantern", True, [1, 2]), ("Harbin Courier", True, [3]), (UNKNOWN, False, [4])]


def test_many_articles_of_one_outlet_are_one_origin(registry: str) -> None:
    docs = {i: _doc(i, "Daily Lantern", "cites", "Harbin Courier") if i % 3
            else _doc(i, "Daily Lantern") for i in range(1, 31)}
    _, found = build(docs, registry)
    assert [(o.key, len(o.documents)) for o in found.values()] == [("Daily Lantern", 30)]
