import pytest

from storyline.ingest._meta import byline_names, clean_title, domain_outlet, parse_date


@pytest.mark.parametrize(("line", "names"), [
    ("By Nicholas Vinocur", ["Nicholas Vinocur"]),
    ("Op-ed article by NATO Secretary General Mark Rutte", ["Mark Rutte"]),
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
    ("Pistorius arrives in Kiev (Bild, Germany)", "Pistorius arrives in Kiev", "Bild"),
    ("A plain headline", "A plain headline", None),
])
def test_clean_title(title: str, clean: str, tag: str | None) -> None:
    assert clean_title(title) == (clean, tag)


def test_domain_outlet_from_chrome() -> None:
    assert domain_outlet(["Do not reflect the position of example.name"]) == "example.name"
    assert domain_outlet(["no domain here"]) is None


@pytest.mark.parametrize(("raw", "iso"), [
    ("2024-10-20T10:00:00Z", "2024-10-20"), ("Tue, 19 Nov 2024 08:00:00 GMT", "2024-11-19"),
    ("20 October 2024", "2024-10-20"), ("not a date", None), (None, None),
])
def test_parse_date(raw: str | None, iso: str | None) -> None:
    assert parse_date(raw) == iso
