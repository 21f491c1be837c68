"""Claim clusters in a store too large to re-cluster: new claims are placed, the rest stays."""

from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select, update

from storyline.assess import assess_store
from storyline.link import _clusters, _placing, _rows
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


@pytest.mark.parametrize(("texts", "label"), [
    (["Valdoria's navy seized two ships off Ostrana.",
      "Two ships were seized off Ostrana by Valdoria's navy on Monday, the port said.",
      "The port said the weather was fine.",
      "Valdoria seized the ships."],
     "Two ships were seized off Ostrana by Valdoria's navy on Monday, the port said."),
    (["Marek harbour reopened.", "Ships sail again."], "Marek harbour reopened."),
    (["It was.", "It is.", "It was not."], "It was."),  # stop words alone: the first
])
def test_a_cluster_is_labelled_by_its_most_central_wording(texts: list[str], label: str) -> None:
    rows = [_rows.ClaimRow(id=i, document_id=i, cluster_id=None, status="asserted", start=0,
                           end=len(t), holder_key=None, text=t, proposition=None)
            for i, t in enumerate(texts)]
    assert _clusters._label(rows) == label
