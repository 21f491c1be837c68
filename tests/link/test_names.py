import pytest

from storyline.link._names import (
    bare,
    clipped,
    fold,
    initials,
    looks_acronym,
    region_base,
    same_given_name,
    same_person,
    squashed,
)


@pytest.mark.parametrize(("a", "b"), [
    ("Andriy Sybiga", "Andrii Sybiha"), ("Volodymyr Zelensky", "Volodymyr Zelenskyy"),
    ("Vladimir Zelensky", "Volodymyr Zelensky"), ("Oleksandr Kharchenko", "Aleksandr Kharchenko"),
])
def test_same_person_transliterations(a: str, b: str) -> None:
    assert same_person(a, b)


@pytest.mark.parametrize(("a", "b"), [
    ("Mark Rutte", "Mark Cancian"), ("Vladimir Putin", "Vladimir Zelensky"),
    ("Kim Jong Un", "Yoon Suk Yeol"), ("Antony Blinken", "Lloyd Austin"),
    ("Josep Borrell", "Kaja Kallas"), ("Donald Trump", "Joe Biden"),
])
def test_same_person_refuses_different_people(a: str, b: str) -> None:
    assert same_person(a, b) is None


@pytest.mark.parametrize(("name", "base"), [("Kursk Oblast", "kursk"), ("Kursk region", "kursk"),
                                            ("Kursk", None)])
def test_region_base(name: str, base: str | None) -> None:
    assert region_base(name) == base


def test_fold_ignores_case_accents_article() -> None:
    assert fold("The Jean-Noël Barrot") == fold("jean-noel barrot")


@pytest.mark.parametrize(("name", "expected"), [
    ("Mr Petrov", "petrov"), ("Sir Ivan Petrov", "ivan petrov"), ("Lord Avonmore", "lord avonmore"),
    ("Gen Ada Bell", "ada bell"), ("Petrov", "petrov"),
])
def test_bare_drops_courtesy_titles_and_offices_not_peerages(name: str, expected: str) -> None:
    assert bare(name) == expected


@pytest.mark.parametrize(("name", "expected"), [
    ("Valdorian Teachers Union", "vtu"), ("Office of Anti-Fraud Policy", "oafp"),
    ("Bank of Ostrana", "bo"),
])
def test_initials(name: str, expected: str) -> None:
    assert initials(name) == expected


@pytest.mark.parametrize(("name", "expected"), [
    ("VTU", True), ("Vtua", True), ("Vtu", False), ("Valdoria", False), ("V", False),
])
def test_looks_acronym(name: str, expected: bool) -> None:
    assert looks_acronym(name) is expected


def test_squashed_ignores_spaces() -> None:
    assert squashed("VT Bank") == squashed("VTBank") == "vtbank"


@pytest.mark.parametrize(("a", "b", "same"), [
    ("Rosalind Orsk", "Rosalin Orsk", True), ("Avi Orsk", "Joel Orsk", False),
    ("Rosalind Orsk", "Rosalind Orsk", False), ("Rosalind Orsk", "Rosamund Orsk", False),
    ("Rosalind Orsk", "Rosalind Varga", False),
])
def test_same_given_name(a: str, b: str, same: bool) -> None:
    assert (same_given_name(a, b) is not None) is same


@pytest.mark.parametrize(("short", "long", "same"), [
    ("Ost Utd", "Ostrana United", True), ("Ost United", "Ostrana United", True),
    ("Ostrana United", "Ostrana United", False),  # the name itself is no clipping
    ("Ost City", "Ostrana United", False), ("Chris Orsk", "Christine Orsk", False),
    ("Ostra United", "Ostrana United", False),  # most of the word kept: a name of its own
    ("Ost Unt", "Ostrana United", True), ("Ost Uni", "Ostrana United", True),
    ("Ost Uia", "Ostrana United", False),  # vowels: no consonant abbreviation
    ("Ost", "Ostrana", False),  # one word: no structure to go by
])
def test_clipped(short: str, long: str, same: bool) -> None:
    assert clipped(short, long) is same
