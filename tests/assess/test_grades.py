import random
from pathlib import Path

import pytest

from storyline.assess import clusters
from storyline.assess._timeline import infer_date
from storyline.pipeline import run_ingest
from storyline.settings import Settings
from storyline.store import Store


def _grades(store: Store) -> list[tuple[str, int, str]]:
    return sorted((c["grade"][0], c["credibility"], str(c["kind"])) for c in clusters(store))


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
            results.append(_grades(store))
    assert results[0] == results[1] == results[2]
    assert results[0]


def test_confirmed_and_denied_cluster_graded(tmp_path: Path, examples: Path) -> None:
    db = f"sqlite:///{tmp_path / 'g.db'}"
    with Store(db) as store:
        run_ingest([str(examples)], store, Settings(db=db, processes=1))
        assert any(c["credibility"] <= 3 for c in clusters(store))


@pytest.mark.parametrize(("text", "published", "expected"), [
    ("The ministry confirmed on Tuesday that …", "2024-11-21", "2024-11-19"),
    ("Officials said yesterday …", "2024-11-21", "2024-11-20"),
    ("The proposal was floated in February …", "2024-11-21", "2024-02-01"),
    ("Plain statement.", "2024-11-21", "2024-11-21"),
    ("On Tuesday …", None, None),
])
def test_infer_date(text: str, published: str | None, expected: str | None) -> None:
    assert infer_date(text, published)[0] == expected


@pytest.mark.parametrize(("a", "b", "same"), [
    ("special forces troops", "North Korean soldiers", True),
    ("troops", "troops", True),
    ("NATO allies", "North Korean soldiers", False),
    ("billion dollars", "troops", False),
])
def test_figures_compare_only_what_they_count(a: str, b: str, same: bool) -> None:
    from storyline.assess import _thing

    assert (_thing(a) == _thing(b)) is same
