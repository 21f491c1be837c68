import pytest

from storyline.link._names import fold, region_base, same_person


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
