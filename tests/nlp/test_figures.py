import pytest


def _figs(nlp, text: str):  # type: ignore[no-untyped-def]
    return [(f.text, f.value, f.kind, f.qualifier, f.currency) for f in nlp(text)._.figures]


@pytest.mark.parametrize(("text", "expected"), [
    ("The army sent 1,500 special forces troops.", [("1,500", 1500, "people", "exact", None)]),
    ("It scoffed at the $175 billion committed so far.",
     [("$175 billion", 175e9, "money", "exact", "USD")]),
    ("Profits rose to 5.65bn euros last year.",
     [("5.65bn euros", 5.65e9, "money", "exact", "EUR")]),
    ("Sales fell to £3.9bn.", [("£3.9bn", 3.9e9, "money", "exact", "GBP")]),
    ("Allies provided more than 99 percent of all aid.",
     [("more than 99 percent", 99, "percent", "more_than", None)]),
    ("Thousands of soldiers crossed the river.",
     [("Thousands", 1000, "people", "at_least", None)]),
    ("Tens of thousands of troops would be needed.",
     [("Tens of thousands", 10000, "people", "at_least", None)]),
    ("An estimated 1,200 casualties per day were reported.",
     [("An estimated 1,200", 1200, "people", "about", None)]),
    ("Up to 200 observers will go.", [("Up to 200", 200, "people", "up_to", None)]),
    ("Harbin Mills shares closed at 583p.", [("583p", 5.83, "money", "exact", "GBP")]),
    ("The Ostrana Bank offered 530 pence a share.",
     [("530 pence", 5.3, "money", "exact", "GBP")]),
    ("The Valdorian talks lasted two months.", [("two months", 2, "duration", "exact", None)]),
    ("The ministers met for 90 minutes in Kelm.",
     [("90 minutes", 90, "duration", "exact", None)]),
])
def test_figures_values_kinds_qualifiers(nlp, text: str, expected: list) -> None:  # type: ignore[no-untyped-def,type-arg]
    assert _figs(nlp, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a pound or euro sign whose UTF-8 bytes were read as cp1252 is read as the sign
    ("Kelm Holdings rejected a Â£2.4bn offer.", [("Â£2.4bn", 2.4e9, "money", "exact", "GBP")]),
    ("The Ostrana fund put in â‚¬300m.", [("â‚¬300m", 3e8, "money", "exact", "EUR")]),
    ("Valdoria's unions represent 3.2m workers.",
     [("3.2m", 3.2e6, "people", "exact", None)]),
    ("Shares in Kelm Mills rose 2.5p to 41.75p.",
     [("2.5p", 0.025, "money", "exact", "GBP"), ("41.75p", 0.4175, "money", "exact", "GBP")]),
])
def test_figures_money_misencoded_scales_pence(nlp, text: str, expected: list) -> None:  # type: ignore[no-untyped-def,type-arg]
    assert _figs(nlp, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Several hundred Valdorian suspects were held.",
     [("Several hundred", 100, "people", "at_least", None)]),
    ("Forty-two per cent backed the Ostrana plan.",
     [("Forty-two per cent", 42, "percent", "exact", None)]),
    ("Almost a quarter of those polled in Kelm agreed.",
     [("Almost a quarter", 25, "percent", "less_than", None)]),
    ("Three-quarters said the Valdorian minister should stay.",
     [("Three-quarters", 75, "percent", "exact", None)]),
    ("One in five said the Ostrana talks would fail.",
     [("One in five", 20, "percent", "exact", None)]),
    ("But nearly half those surveyed disagreed.",
     [("nearly half", 50, "percent", "less_than", None)]),
    ("Staff in Kelm get one sixtieth of their salary.",
     [("one sixtieth", round(100 / 60, 4), "percent", "exact", None)]),
    ("He met the Valdorian envoy three or four times.",
     [("three or four", 3, "count", "range", None)]),
    ("She may return to the Ostrana cabinet within a year or two.",
     [("a year or two", 1, "duration", "range", None)]),
    ("The retirement age in Valdoria would rise from 60 to 65.",
     [("60", 60, "other", "exact", None), ("65", 65, "other", "exact", None)]),
    ("Kelm's assembly voted 301-244 for the bill.",
     [("301", 301, "count", "exact", None), ("244", 244, "count", "exact", None)]),
    ("The Ostrana visa was processed in 40 days.",
     [("40 days", 40, "duration", "exact", None)]),
    ("The law would let the minister confine one known smuggler.",
     [("one", 1, "count", "exact", None)]),
])
def test_figures_words_fractions_ranges_changes(nlp, text: str, expected: list) -> None:  # type: ignore[no-untyped-def,type-arg]
    assert _figs(nlp, text) == expected


@pytest.mark.parametrize("text", [
    "The war started in 2022 and ended on January 20.",
    "The 78-year-old tycoon spoke at 14.06 18:50.",
    "It was the first time in a century.",
    "The Valdorian army left Kelm three years ago.",
    "Kelm Mills shares were up by 1130 GMT.",
    "The Ostrana minister told Kelm Radio 4 listeners nothing.",
    "He was the Valdorian world number three.",
    "In five days, the Ostrana union will start its ballot.",
    "The pair have one thing in common.",
    "Kelm should not swap one tariff rule for another.",
    "The two tried and failed to agree.",
    "\"It will not change,\" said one Kelm trader.",
    "Fans of the Kelm Three protested.",
    "Share this story\n869\n0\nThe Ostrana ferry sailed at dawn.",  # a share widget's counters
])
def test_figures_skip_dates_times_ranks_names_idioms(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    assert _figs(nlp, text) == []


def test_a_number_with_words_on_its_line_is_still_a_figure(nlp) -> None:  # type: ignore[no-untyped-def]
    got = _figs(nlp, "Kelm Mills\nThe Ostrana ferry carried 869 passengers.")
    assert got == [("869", 869, "people", "exact", None)]


def test_figures_claimant_is_the_speaker(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("The National Intelligence Service says the North has deployed 1,500 troops.")
    keys = {e.key: e.name for e in doc._.entities}
    assert [keys.get(f.claimant_key) for f in doc._.figures] == ["National Intelligence Service"]
