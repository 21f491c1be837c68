import pytest

from storyline.assess._labels import clean, headline


@pytest.mark.parametrize(("text", "expected"), [
    ("Nevertheless, he added, Valdorian ministers should revisit the border plan.",
     "Valdorian ministers should revisit the border plan"),
    ("Officials said the Ostrana bridge was closed.", "The Ostrana bridge was closed"),
    ("The Valdorian army moved troops to the border, officials said.",
     "The Valdorian army moved troops to the border"),
    ("The bridge was closed, said a Valdorian minister.", "The bridge was closed"),
])
def test_clean_drops_who_claims_it(text: str, expected: str) -> None:
    assert clean(text) == expected


def test_headline_is_the_proposition_shared_most_not_a_fragment() -> None:
    assert headline(["Officials said the Ostrana bridge was closed.",
                     "The Ostrana bridge was closed on Monday, a minister said.",
                     "Marek said."]) == "The Ostrana bridge was closed"
