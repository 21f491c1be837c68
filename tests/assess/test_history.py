from typing import Any

import pytest

from storyline.assess._history import arc, arc_line, fold, why_context

CONDITION = "a condition or a question: it poses the claim, it does not state it"
BACKGROUND = "the article's own background, not a statement of the claim by anyone"


@pytest.mark.parametrize(("text", "status", "holder", "expected"), [
    ("If the reports are confirmed, Ostrana will respond.", "reported", "Ivo Marek", CONDITION),
    ("The move marks an escalation.", "asserted", None, BACKGROUND),
    ("The move marks an escalation.", "asserted", "Daily Lantern", BACKGROUND),
    ("Will Valdoria send troops?", "reported", "the article",
     "a question: it poses the claim, it does not state it"),
    ("Valdoria sent troops, Marek said.", "reported", "Ivo Marek", None),
])
def test_why_context(text: str, status: str, holder: str | None, expected: str | None) -> None:
    row = {"text": text, "status": status, "holder": holder}
    assert why_context(row, ["Daily Lantern"]) == expected


@pytest.mark.parametrize(("said", "expected"), [(False, BACKGROUND), (True, None), (None, None)])
def test_the_articles_own_report_is_background_unless_it_says_so(said: bool | None,
                                                                 expected: str | None) -> None:
    row = {"text": "Reports of Valdorian troops mark a turn.", "status": "reported",
           "holder": "the article", "said": said}
    assert why_context(row, ["Daily Lantern"]) == expected


def _row(claim: str, doc: str, start: int, end: int, status: str, holder: str,
         text: str = "Valdoria sent troops.") -> dict[str, Any]:
    return {"claim": claim, "document": doc, "start": start, "end": end, "status": status,
            "holder": holder, "text": text, "figures": []}


def test_fold_keeps_one_line_a_sentence_and_the_arc_reads_in_order() -> None:
    rows = [_row("c1", "d1", 0, 30, "reported", "Ivo Marek"),
            _row("c2", "d1", 0, 30, "reported", "Lena Ost"),
            _row("c3", "d1", 40, 70, "asserted", "the article", "The move marks an escalation."),
            _row("c4", "d2", 0, 30, "denied", "Ostrana"),
            _row("c5", "d3", 0, 30, "confirmed", "the Accord")]
    fold(rows, {"d1": {"Daily Lantern"}})
    assert [(r["claim"], r["context"]) for r in rows] == [
        ("c1", False), ("c2", True), ("c3", True), ("c4", False), ("c5", False)]
    assert arc_line(arc(rows)) == ("reported (Ivo Marek, Lena Ost) → denied (Ostrana) → "
                                   "confirmed (the Accord)")


def test_the_arc_shows_each_status_of_the_kind_once_where_it_first_appears() -> None:
    rows = [_row("c1", "d1", 0, 30, "reported", "Ivo Marek"),
            _row("c2", "d1", 40, 70, "unconfirmed", "Lena Ost"),
            _row("c3", "d2", 0, 30, "reported", "Daily Lantern"),
            _row("c4", "d2", 40, 70, "asserted", "Ostrana"),
            _row("c5", "d2", 80, 110, "denied", "Ostrana"),
            _row("c6", "d3", 0, 30, "reported", "Kiro Vell"),
            _row("c7", "d3", 40, 70, "reported", "Ana Belt"),
            _row("c8", "d4", 0, 30, "confirmed", "the Accord")]
    fold(rows, {})
    assert arc_line(arc(rows, "event")) == (
        "reported (Ivo Marek, Daily Lantern, Kiro Vell, +1 more) → unconfirmed (Lena Ost) → "
        "denied (Ostrana) → confirmed (the Accord)")
    assert [s["claims"] for s in arc(rows, "event")] == [["c1", "c3", "c6", "c7"], ["c2"],
                                                         ["c5"], ["c8"]]


def test_an_arc_of_assertions_alone_keeps_them() -> None:
    rows = [_row("c1", "d1", 0, 30, "asserted", "Ivo Marek"),
            _row("c2", "d2", 0, 30, "asserted", "Lena Ost")]
    fold(rows, {})
    assert arc_line(arc(rows, "event")) == "asserted (Ivo Marek, Lena Ost)"


@pytest.mark.parametrize(("text", "holder", "expected"), [
    ("Marek said.", "Ivo Marek", "an attribution without what was said"),
    ("Ivo Marek told reporters.", "Ivo Marek", "an attribution without what was said"),
    ("Marek said the border closed.", "Ivo Marek", None),
    ("Valdoria sent troops, Marek said.", "Ivo Marek", None),
])
def test_an_attribution_alone_states_nothing(text: str, holder: str, expected: str | None) -> None:
    assert why_context({"text": text, "status": "reported", "holder": holder}) == expected
