import pytest


def _figs(nlp, text: str):  # type: ignore[no-untyped-def]
    return [(f.text, f.value, f.kind, f.qualifier, f.currency) for f in nlp(text)._.figures]


@pytest.mark.parametrize(("text", "expected"), [
    ("The army sent 1,500 special forces troops.", ("1,500", 1500, "people", "exact", None)),
    ("It scoffed at the $175 billion committed so far.",
     ("$175 billion", 175e9, "money", "exact", "USD")),
    ("Profits rose to 5.65bn euros last year.", ("5.65bn euros", 5.65e9, "money", "exact", "EUR")),
    ("Sales fell to £3.9bn.", ("£3.9bn", 3.9e9, "money", "exact", "GBP")),
    ("Allies provided more than 99 percent of all aid.",
     ("more than 99 percent", 99, "percent", "more_than", None)),
    ("Thousands of soldiers crossed the river.", ("Thousands", 1000, "people", "at_least", None)),
    ("Tens of thousands of troops would be needed.",
     ("Tens of thousands", 10000, "people", "at_least", None)),
    ("An estimated 1,200 casualties per day were reported.",
     ("An estimated 1,200", 1200, "people", "about", None)),
    ("Up to 200 observers will go.", ("Up to 200", 200, "people", "up_to", None)),
    ("Harbin Mills shares closed at 583p.", ("583p", 5.83, "money", "exact", "GBP")),
    ("The Ostrana Bank offered 530 pence a share.", ("530 pence", 5.3, "money", "exact", "GBP")),
    ("The Valdorian talks lasted two months.", ("two months", 2, "duration", "exact", None)),
    ("The ministers met for 90 minutes in Kelm.", ("90 minutes", 90, "duration", "exact", None)),
])
def test_figures_values_kinds_qualifiers(nlp, text: str, expected: tuple) -> None:  # type: ignore[no-untyped-def,type-arg]
    found = _figs(nlp, text)
    assert any(f[0].lower() == expected[0].lower() and f[1:] == expected[1:] for f in found), found


@pytest.mark.parametrize("text", [
    "The war started in 2022 and ended on January 20.",
    "The 78-year-old tycoon spoke at 14.06 18:50.",
    "It was the first time in a century.",
    "The Valdorian army left Kelm three years ago.",
])
def test_figures_skip_dates_years_ages(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    assert _figs(nlp, text) == []


def test_figures_claimant_is_the_speaker(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("The National Intelligence Service says the North has deployed 1,500 troops.")
    keys = {e.key: e.name for e in doc._.entities}
    assert [keys.get(f.claimant_key) for f in doc._.figures] == ["National Intelligence Service"]
