import pytest

from storyline.ingest._provenance import detect_origin, lsh_bands, minhash

BODY = "Officials said the talks would resume next week in the capital. " * 3


@pytest.mark.parametrize(("body", "removed", "tagged", "publisher", "relation"), [
    (BODY, ["This article was published in Politico."], None, "POLITICO", "reprint"),
    (BODY, [], "The Washington Post", "The Washington Post", "reprint"),
    ("Politico reported the information.\n" + BODY, [], None, "POLITICO", "cites"),
    ("According to Reuters, the talks failed.\n" + BODY, [], None, "Reuters", "cites"),
    ("The minister told POLITICO on Sunday that it was time.\n" + BODY, [], None, "POLITICO",
     "cites"),
    ("Valdoria's envoy tells Reuters the border will reopen.\n" + BODY, [], None, "Reuters",
     "reprint"),
    ("OSTRANA (AP) — The council met on Tuesday.\n" + BODY, [], None, "Associated Press",
     "reprint"),
    ("Sept. 26 (UPI) -- The council met on Tuesday.\n" + BODY, [], None, "UPI", "reprint"),
    ("Rep. Ivan Roe (R-Val.): the council met.\n" + BODY, [], None, None, "unknown"),
    (BODY + "\nIn an interview with CNN, the mayor said the bridge was safe.", [], None, "CNN",
     "cites"),
    (BODY, [], None, None, "unknown"),
    ("This story originally appeared in the Daily Lantern. " + BODY, [], None, "Daily Lantern",
     "reprint"),
])
def test_detect_origin(body: str, removed: list[str], tagged: str | None, publisher: str | None,
                       relation: str) -> None:
    o = detect_origin(body, removed, tagged, None)
    assert (o.publisher, o.relation) == (publisher, relation)


def test_detect_origin_own_outlet_is_original() -> None:
    o = detect_origin("The minister told Reuters it was time.\n" + BODY, [], None, "reuters.com")
    assert (o.publisher, o.relation) == ("Reuters", "original")


def test_minhash_near_duplicates_are_close() -> None:
    a = minhash(BODY + " The end.", 128)
    b = minhash(BODY + " The very end.", 128)
    c = minhash("Something else entirely about football and a cup final in May. " * 3, 128)
    assert a.jaccard(b) > 0.6 > a.jaccard(c)


@pytest.mark.parametrize("threshold", [0.5, 0.8, 0.9])
def test_lsh_bands_divide_permutations(threshold: float) -> None:
    b = lsh_bands(threshold, 128)
    assert 1 <= b <= 128


def test_an_interview_in_the_headline_makes_that_outlet_the_origin() -> None:
    o = detect_origin(BODY, [], None, None, title="Valdoria's envoy tells CNN talks will resume")
    assert (o.publisher, o.relation, o.evidence) == ("CNN", "reprint", "tells CNN")


def test_an_interview_with_the_own_outlet_is_original() -> None:
    o = detect_origin("The minister told POLITICO it was time.\n" + BODY, [], None, "politico.com")
    assert (o.publisher, o.relation) == ("POLITICO", "original")
