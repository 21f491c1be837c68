from pathlib import Path

import pytest
from sqlalchemy import select

from storyline.assess import cluster_view, clusters, set_date
from storyline.assess._dates import Dated, resolve
from storyline.errors import InputError
from storyline.pipeline import run_ingest
from storyline.settings import Settings
from storyline.store import Decision, Store


@pytest.mark.parametrize(("text", "published", "expected"), [
    ("The ministry confirmed on Tuesday that the bridge was closed.", "2024-11-21",
     Dated("2024-11-19", "“on Tuesday” relative to 2024-11-21", 0.7)),
    # a bare weekday in that weekday's paper is the day itself; "last" puts it a week back
    ("The envoy spoke to reporters on Sunday.", "2024-10-20",
     Dated("2024-10-20", "“on Sunday” relative to 2024-10-20", 0.7)),
    ("The envoy spoke to reporters last Sunday.", "2024-10-20",
     Dated("2024-10-13", "“last Sunday” relative to 2024-10-20", 0.7)),
    ("Officials said yesterday the border was shut.", "2024-11-21",
     Dated("2024-11-20", "“yesterday” relative to 2024-11-21", 0.8)),
    ("The plan was floated in February by Valdoria.", "2024-11-21",
     Dated("2024-02-01", "“in February” relative to 2024-11-21", 0.4)),
    ("Plain statement.", "2024-11-21", Dated("2024-11-21", "publication date", 0.9)),
    ("Talks have run since February.", "2024-11-21", Dated("2024-11-21", "publication date", 0.9)),
    ("On 3 March 2024 the council met.", None,
     Dated("2024-03-03", "“3 March 2024” in the text (document undated)", 0.95)),
    ("Last week the council met.", None,
     Dated(None, "undated: “Last week” orders it within its document", 0.0, -7)),
    ("On Tuesday the council met.", None,
     Dated(None, "undated: “Tuesday” orders it within its document", 0.0, -6)),
    ("Plain statement.", None, Dated(None, "undated", 0.0)),
])
def test_resolve(text: str, published: str | None, expected: Dated) -> None:
    assert resolve(text, published) == expected


def test_an_analysts_date_is_taken_as_given() -> None:
    assert resolve("Plain statement.", "2024-05-02", by_analyst=True) == Dated(
        "2024-05-02", "set by an analyst", 1.0)


def test_an_analyst_sets_a_documents_date_audited_and_the_history_follows(tmp_path: Path,
                                                                         examples: Path) -> None:
    db = f"sqlite:///{tmp_path / 'd.db'}"
    with Store(db) as store:
        run_ingest([str(examples)], store, Settings(db=db, processes=1))
        k = clusters(store)[0]["id"]
        doc = int(cluster_view(store, int(k[1:]))["timeline"][0]["document"][1:])
        r = set_date(store, doc, "2024-05-02", "ana", "from the print edition")
        assert (r["date"], r["was"], k in r["stories"]) == ("2024-05-02", "undated", True)
        lines = [e for e in cluster_view(store, int(k[1:]))["timeline"]
                 if e["document"] == f"d{doc}"]
        assert lines and {e["date"] is not None for e in lines} == {True}
        with store.session() as s:
            audit = [(d.action, d.subject, d.object, d.who, d.comment)
                     for d in s.scalars(select(Decision))]
        assert audit == [("document.date", f"d{doc}", "2024-05-02", "ana",
                          "from the print edition")]
        with pytest.raises(InputError):
            set_date(store, doc, "2024-5-2", "ana")
