"""Claim clusters in a store too large to re-cluster: new claims are placed, the rest stays."""

from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select, update

from storyline.assess import assess_store
from storyline.link import _clusters, _placing, _rows, _similar
from storyline.pipeline import run_ingest
from storyline.settings import Settings
from storyline.store import Claim, Cluster, Store

UNRELATED = ("Harbour Town beat Millbrook Rovers 3-1 on Saturday to reach the cup final.\n"
             "The club's new stadium in Harbour Town will open in August, the chairman said.\n")


def _partition(store: Store) -> set[frozenset[str]]:
    by: dict[int, set[str]] = {}
    for c in store.analysis_rows(Claim):
        by.setdefault(c.cluster_id or 0, set()).add(f"d{c.document_id}:{c.start}")
    return {frozenset(v) for v in by.values()}


def _grades(store: Store) -> dict[int, tuple[str, int]]:
    with store.session() as s:
        return {k.id: (k.reliability, k.credibility) for k in s.scalars(select(Cluster))}


@pytest.fixture
def placed(tmp_path: Path, examples: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """The examples added one at a time to a store treated as large (incremental placement)."""
    monkeypatch.setattr(_clusters, "EXACT_LIMIT", 0)
    db = f"sqlite:///{tmp_path / 'i.db'}"
    store = Store(db)
    for f in sorted(examples.glob("*.txt")):
        run_ingest([str(f)], store, Settings(db=db, processes=1))
    return store


def test_placing_new_claims_gives_the_full_clustering(placed: Store) -> None:
    placed_clusters, placed_grades = _partition(placed), sorted(_grades(placed).values())
    assess_store(placed, full=True)
    assert _partition(placed) == placed_clusters
    assert sorted(_grades(placed).values()) == placed_grades
    placed.close()


def test_unrelated_news_leaves_clusters_alone(placed: Store, tmp_path: Path) -> None:
    with placed.session() as s:
        before = {k.id: (k.label, k.updated_at) for k in s.scalars(select(Cluster))}
    (tmp_path / "sport.txt").write_text(UNRELATED)
    run_ingest([str(tmp_path / "sport.txt")], placed, Settings(db="sqlite:///unused.db", processes=1))
    with placed.session() as s:
        after = {k.id: (k.label, k.updated_at) for k in s.scalars(select(Cluster))}
        new = list(s.scalars(select(Claim).where(Claim.document_id == max(
            c.document_id for c in s.scalars(select(Claim))))))
    assert new and all(c.cluster_id is not None for c in new)
    assert {k: v for k, v in after.items() if k in before} == before  # not even regraded
    assert set(after) - set(before) == {c.cluster_id for c in new}
    placed.close()


def _claim(i: int, text: str, status: str = "asserted", proposition: str | None = None) -> Claim:
    return Claim(id=i, document_id=1, text=text, proposition=proposition or text,
                 start=i * 100, end=i * 100 + len(text), status=status)


@pytest.mark.parametrize(("texts", "expected"), [
    # "the reports" points to the latest earlier claim that spoke of reports, not the one before
    (["Reports say thousands of Ostranan soldiers crossed into Valdoria.",
      "The minister met farmers in the north.",
      "Officials have not confirmed the reports."], [(2, 0, True)]),
    # a description with its own content does not point back
    (["The minister met farmers in the north.",
      "The deployment of Ostranan troops to the border marks an escalation."], []),
    (["The minister met farmers in the north.",
      "The idea of sending monitors to the border is gaining support."], []),
    # with no earlier claim using the word, the claim just before it
    (["Ostranan troops crossed the river at dawn.",
      "The government denied the information."], [(1, 0, True)]),
])
def test_claims_that_point_back_find_what_they_refer_to(
        texts: list[str], expected: list[tuple[int, int, bool]]) -> None:
    claims = [_claim(i, t) for i, t in enumerate(texts)]
    kinds = ["event"] * len(claims)
    about: list[set[str]] = [{"Valdoria"} for _ in claims]
    assert _similar._antecedents(claims, kinds, about) == expected


def test_a_denial_naming_nothing_answers_the_claim_before_it() -> None:
    claims = [_claim(0, "Valdoria says Ostrana sent 1,500 troops.", "reported"),
              _claim(1, "Ostrana denied involvement in military transfers.", "denied",
                     "involvement in military transfers")]
    about: list[set[str]] = [{"Ostrana"}, set()]
    assert _similar._antecedents(claims, ["event", "event"], about) == [(1, 0, False)]


@pytest.mark.parametrize(("text", "state"), [
    ("reports of North Koreans headed to the front", "North Korea"),
    ("French troops crossed the border", "France"),
])
def test_people_named_by_their_state_count_as_that_state(text: str, state: str) -> None:
    c = _claim(0, text)
    assert state in _similar._about([c], [], {})[0]


@pytest.mark.parametrize("text", [
    "French President Emmanuel Macron proposed sending troops",
    "the idea was welcomed by the Lithuanian foreign minister",
])
def test_a_nationality_in_a_title_names_a_person_not_a_state(text: str) -> None:
    c = _claim(0, text)
    assert _similar._about([c], [], {})[0] == set()


def test_a_person_tagged_as_an_organisation_counts_as_the_person() -> None:
    c = _claim(0, "preparing for Tramond's return to office and talks with Ostrana")
    at = c.text.index("Tramond")
    mention = type("M", (), {"document_id": c.document_id, "key": "Tramond", "name": "Tramond",
                             "label": "ORG", "spans": [(at, at + 7)], "entity_id": 7})()
    ostrana = c.text.index("Ostrana")
    state = type("M", (), {"document_id": c.document_id, "key": "Ostrana", "name": "Ostrana",
                           "label": "GPE", "spans": [(ostrana, ostrana + 7)], "entity_id": 8})()
    entities = {7: ("Arlo Tramond", "PERSON"), 8: ("Ostrana", "GPE")}
    assert _similar._about([c], [mention, state], entities)[0] == {"Ostrana"}


def _unit(*xs: float) -> np.ndarray:  # type: ignore[type-arg]
    v = np.array(xs + (0.0,) * (4 - len(xs)), dtype=np.float32)
    return v / np.linalg.norm(v)


def test_a_stance_left_alone_in_its_article_joins_the_articles_issue() -> None:
    claims = [Claim(id=i, document_id=doc, text="", start=i, end=i + 1, status=status)
              for i, (doc, status) in enumerate([
                  (1, "considered"), (1, "supported"),  # the article's issue
                  (1, "considered"),                    # alone, near enough: joins
                  (1, "considered"),                    # alone, unrelated words: stays
                  (1, "opposed"), (2, "opposed"),       # linked to another article: stays
                  (1, "asserted"),                      # an event: stays
                  (1, "opposed"), (1, "opposed"), (3, "supported")])]  # a side thread: its
    kinds = ["proposal"] * 6 + ["event"] + ["proposal"] * 3  # claims of the article join
    mat = np.stack([_unit(1, 0.1), _unit(1, 0.2), _unit(0.5, 1), _unit(0, 0, 1),
                    _unit(0.6, 1), _unit(0.6, 1), _unit(1, 0.1),
                    _unit(0.7, 1), _unit(0.7, 1), _unit(0.7, 1)])
    groups = [[0, 1], [2], [3], [4, 5], [6], [7, 8, 9]]
    assert _similar.adopt(groups, claims, kinds, mat) == [
        [0, 1, 2, 7, 8], [3], [4, 5], [6], [9]]


def test_a_new_claim_joins_a_large_cluster_as_it_is(placed: Store, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_placing, "REFORM_LIMIT", 1)  # every cluster of two claims or more is large
    formed: list[set[int] | None] = []
    write = _clusters._write

    def spy(store: Store, claims: list, groups: list, kinds: list,  # type: ignore[type-arg]
            redone: set[int] | None = None) -> set[int]:
        formed.append(redone)
        return write(store, claims, groups, kinds, redone)

    monkeypatch.setattr(_clusters, "_write", spy)
    with placed.session() as s:
        before = {c.id: c.cluster_id for c in s.scalars(select(Claim))}
        sizes = Counter(before.values())
        labels = {k.id: k.label for k in s.scalars(select(Cluster))}
    (tmp_path / "wire.txt").write_text(
        "Harbour Town beat Millbrook Rovers 3-1 on Saturday to reach the cup final.\n"
        "The Northern Accord said on Friday that it had confirmed that more than 5,000 Valdorian "
        "soldiers are now stationed near Kelm, close to the Ostrana border.\n")
    run_ingest([str(tmp_path / "wire.txt")], placed, Settings(db="sqlite:///unused.db", processes=1))
    with placed.session() as s:
        after = {c.id: c.cluster_id for c in s.scalars(select(Claim))}
        kept = {k.id: k.label for k in s.scalars(select(Cluster)) if k.id in labels}
    assert {i: after[i] for i in before} == before  # no stored claim moved
    assert kept == labels  # nor was any cluster formed anew
    joined = {after[i] for i in set(after) - set(before)} & {k for k, n in sizes.items() if n > 1}
    assert joined, "the confirmation joins the cluster of the deployment it repeats"
    assert not joined & set().union(*(r or set() for r in formed))  # joined, not formed anew
    placed.close()


def test_placing_reads_ids_in_chunks(placed: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Many new documents at once: every IN (…) is cut in chunks (here of one id)."""
    monkeypatch.setattr(_rows, "CHUNK", 1)
    placed_clusters = _partition(placed)
    with placed.session.begin() as s:  # the claims of the two later documents are new again
        first = min(c.document_id for c in s.scalars(select(Claim)))
        s.execute(update(Claim).where(Claim.document_id > first).values(cluster_id=None))
    _clusters.cluster_claims(placed)
    assert _partition(placed) == placed_clusters
    placed.close()
