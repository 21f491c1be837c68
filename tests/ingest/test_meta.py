import pytest

from storyline.ingest._meta import (
    byline_names,
    clean_title,
    domain_outlet,
    line_byline_names,
    name_key,
    outlet_candidates,
    page_outlet,
    parse_date,
    tidy_headline,
)


@pytest.mark.parametrize(("line", "names"), [
    ("By Ivo Marenko", ["Ivo Marenko"]),
    ("Op-ed article by Valdorian Secretary General Lena Varga", ["Lena Varga"]),
    ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
    ("Written by: Anna Maria Schmidt", ["Anna Maria Schmidt"]),
    ("Troops moved by night across the border towards the capital", None),
    ("By the end of the week", None),
])
def test_byline_names(line: str, names: list[str] | None) -> None:
    assert byline_names(line) == names


@pytest.mark.parametrize(("title", "clean", "tag"), [
    ("European allies weigh troops for the region (The Washington Post, USA)",
     "European allies weigh troops for the region", "The Washington Post"),
    ("Roe arrives in Ostrana (Bild, Germany)", "Roe arrives in Ostrana", "Bild"),
    ("A plain headline", "A plain headline", None),
])
def test_clean_title(title: str, clean: str, tag: str | None) -> None:
    assert clean_title(title) == (clean, tag)


@pytest.mark.parametrize(("line", "names"), [
    ("By Jane Doe", ["Jane Doe"]),
    ("Jane Doe, MS, RD · 4 min read", ["Jane Doe"]),
    ("Written by Ana Roe, Ivo Marenko, and Lena Varga", ["Ana Roe", "Ivo Marenko", "Lena Varga"]),
    ("by Ivo Marenko | Travel | 8 min read", ["Ivo Marenko"]),
    ("Last Updated on April 8, 2024 by Lena Varga", ["Lena Varga"]),
    ("0 · by Ana Roe · Updated on 8 January 2026", ["Ana Roe"]),
    ("Ana Roe•Updated on Jul 4, 2024 •28 min read", ["Ana Roe"]),
    ("By Ana Roe, Political Reporter", ["Ana Roe"]),
    ("The Ostrana Gazette Team", ["The Ostrana Gazette Team"]),
    ("Kira", ["Kira"]),
    ("Posted on 3 May 2025", []),
    ("ByLena Varga", ["Lena Varga"]),  # a byline glued where the page's markup had a break
    ("IVO MARENKOPUBLISHED 3 MAY 2025", ["IVO MARENKO"]),
])
def test_line_byline_names(line: str, names: list[str]) -> None:
    assert line_byline_names(line) == names


@pytest.mark.parametrize(("chrome", "outlet"), [
    (["Home", "© 2024 Ostrana Gazette. All rights reserved."], "Ostrana Gazette"),
    (["Copyright © 2019-2025 Valdoria Daily | Privacy"], "Valdoria Daily"),
    (["Copyright 2023 Harbour Notes"], "Harbour Notes"),
    (["Share", "Menu"], None),
])
def test_page_outlet_is_the_copyright_holder(chrome: list[str], outlet: str | None) -> None:
    assert page_outlet(chrome) == outlet


def test_domain_outlet_from_chrome() -> None:
    assert domain_outlet(["Do not reflect the position of example.name"]) == "example.name"
    assert domain_outlet(["no domain here"]) is None


@pytest.mark.parametrize(("raw", "iso"), [
    ("2024-10-20T10:00:00Z", "2024-10-20"), ("Tue, 19 Nov 2024 08:00:00 GMT", "2024-11-19"),
    ("20 October 2024", "2024-10-20"), ("not a date", None), (None, None),
])
def test_parse_date(raw: str | None, iso: str | None) -> None:
    assert parse_date(raw) == iso


@pytest.mark.parametrize(("name", "key"), [
    ("The Ostrana Gazette", ("ostrana", "gazette")),
    ("Ostrana-Gazette.example", ("ostranagazetteexample",)),
    ("Café  Valdoria’s", ("cafe", "valdorias")),
    ("The", ("the",)),
])
def test_name_key(name: str, key: tuple[str, ...]) -> None:
    assert name_key(name) == key


def test_outlet_candidates_are_the_capitalised_names_of_chrome_lines() -> None:
    got = outlet_candidates(["Ostrana Gazette", "Harbour talks resume",
                             "© 2025 Ostrana Gazette. All rights reserved."])
    assert got.names == ["Ostrana Gazette", "Ostrana", "Gazette", "Harbour talks resume", "Harbour",
                         "All"]
    assert got.x.shape == (6, 27)
    # "Ostrana Gazette": two words, on two lines, one of them whole, in the copyright notice
    assert got.x[0, [0, 3, 5, 6]].tolist() == [2.0, pytest.approx(0.6931, abs=1e-4), 1.0, 1.0]


@pytest.mark.parametrize(("line", "title"), [
    ("Home › Guides › Harbour talks resume in Ostrana", "Harbour talks resume in Ostrana"),
    ("Harbour talks resume in Ostrana | Ostrana Gazette", "Harbour talks resume in Ostrana"),
    ("Ostrana | Valdoria", "Ostrana | Valdoria"),
    ("Home › Ostrana", "Home › Ostrana"),
])
def test_tidy_headline(line: str, title: str) -> None:
    assert tidy_headline(line) == title
