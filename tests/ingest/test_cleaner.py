"""The learned line cleaner on invented pages: chrome out, body in, headline and byline found."""

from __future__ import annotations

from storyline.ingest._cleaner import clean_lines, clean_page

BODY = [
    "Officials in Ostrana said on Monday that the harbour talks would resume next week after a pause.",
    "The Valdorian minister told reporters the government was ready to compromise on the fishing quota.",
    "Opposition leaders criticised the decision, saying it came far too late for the coastal towns.",
    "Analysts expect the negotiations to last several months before any agreement is reached there.",
]
PAGE = ["Home", "News", "Sport", "Sign in", "Subscribe", "",
        "Harbour talks to resume after Valdoria softens its stance", "By Ana Roe", "",
        *BODY, "", "Share this article", "Facebook", "Twitter", "Related stories",
        "© 2025 Ostrana Gazette. All rights reserved.", "Privacy Policy", "Cookie settings"]


def test_clean_lines_keeps_the_body_and_finds_title_byline_and_outlet() -> None:
    got = clean_lines(PAGE)
    assert got.kept == BODY
    assert got.title == "Harbour talks to resume after Valdoria softens its stance"
    assert got.byline == ["Ana Roe"]
    assert got.outlet == "Ostrana Gazette"
    assert set(got.removed) == {"Home", "News", "Sport", "Sign in", "Subscribe", "Share this article",
                                "Facebook", "Twitter", "Related stories", "Privacy Policy",
                                "Cookie settings", "© 2025 Ostrana Gazette. All rights reserved."}


def test_recurring_site_lines_are_removed() -> None:
    got = clean_lines([*BODY, "Follow our live coverage"], recurring={"Follow our live coverage"})
    assert got.kept == BODY and got.removed == ["Follow our live coverage"]


def test_extracted_html_lines_are_kept_as_they_are() -> None:
    got = clean_page(["Home", *BODY], extracted=True)
    assert (got.kept, got.removed, got.title) == (["Home", *BODY], [], None)


def test_an_empty_page() -> None:
    got = clean_lines(["", "  "])
    assert (got.kept, got.removed, got.title, got.byline) == ([], [], None, [])


def test_a_plain_copy_keeps_its_lead_sentence_in_the_body() -> None:
    lead = "The Valdorian coast guard said on Tuesday that it had stopped two boats near Kelm."
    got = clean_lines([lead, *BODY])
    assert got.kept == [lead, *BODY]
    assert got.title is None


def test_a_plain_copy_with_a_headline_keeps_every_body_line() -> None:
    got = clean_lines(["Harbour talks to resume in Ostrana", "", *BODY])
    assert got.kept == BODY
    assert got.title == "Harbour talks to resume in Ostrana"
