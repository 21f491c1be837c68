"""Features of the learned cleaner's two stages on invented pages."""

from __future__ import annotations

import numpy as np

from storyline.ingest._lines import context, features, second_stage, width

PAGE = ["Home", "Sign in",
        "Harbour talks to resume after Valdoria softens its stance on the quota",
        "Officials in Ostrana said on Monday that the harbour talks would resume next week.",
        "Share", "Related stories"]
# First-stage verdicts (body, chrome, title, byline) of PAGE's lines.
P = np.array([[0.0, 1.0, 0.0, 0.0], [0.1, 0.9, 0.0, 0.0], [0.2, 0.1, 0.7, 0.0],
              [0.9, 0.1, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.6, 0.4, 0.0, 0.0]])


def test_features_give_one_row_of_fixed_width_per_nonempty_line() -> None:
    ne, x = features(["", *PAGE, "  "])
    assert ne.index == [1, 2, 3, 4, 5, 6] and ne.text == PAGE
    assert x.shape == (6, width())


def test_context_of_the_first_stage_verdicts() -> None:
    got = context(PAGE, P)
    assert got.shape == (6, 44)
    assert np.allclose(got[:, :4], P)
    # the body region: from the first to the last prose line with P(body) >= 0.5 (line 3 only)
    assert got[:, 37].tolist() == [0.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    # the likeliest headline is line 2: its rank is 0, others' distance to it is signed
    title_rank = got[:, 31]
    assert title_rank[2] == 0.0 and (title_rank[[0, 1, 3, 4, 5]] > 0).all()
    assert np.allclose(got[:, 33], np.sign(np.arange(6) - 2) * np.log1p(np.abs(np.arange(6) - 2)))


def test_second_stage_rows_are_own_features_and_context() -> None:
    ne, x = features(PAGE)
    got = second_stage(x, ne.text, P)
    assert got.shape == (6, 31 + 44)
    assert np.allclose(got[:, :31], x[:, :31])


def test_context_marks_bare_counters_above_the_first_paragraph() -> None:
    page = ["Ostrana Gazette", "Ferry fares to rise in Valdoria", "869", "0",
            "The Valdorian ferry company said on Monday that its fares would rise by a tenth "
            "from the spring.", "Fares by route", "12", "Kelm to Ostrana"]
    probs = np.tile([0.5, 0.5, 0.0, 0.0], (len(page), 1))
    got = context(page, probs)
    # no letters; no letters above the first paragraph; short above it
    assert got[:, 41].tolist() == [0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0]
    assert got[:, 42].tolist() == [0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0]
    assert got[:, 43].tolist() == [1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0]
