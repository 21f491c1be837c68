import pytest

from storyline.nlp import Analyzer
from storyline.nlp.headlines import with_headline
from storyline.records import Article, ClaimRec, MentionRec
from storyline.settings import Settings

BODY = ("Valdoria's navy seized two cargo ships off the Ostrana coast on Monday, the port "
        "authority said.\nThe ships were taken to Marek harbour.\n")


def _claims(title: str | None, body: str = BODY) -> list[ClaimRec]:
    with Analyzer(Settings(processes=1)) as analyzer:
        (found,) = analyzer.analyse([Article(source="t.txt", kind="txt", text=body, title=title)])
    return found.claims


def test_headline_claims_keep_their_words_off_the_body_offsets() -> None:
    claims = _claims("Valdoria's navy seizes two ships off Ostrana")
    heads = [c for c in claims if c.start == c.end == 0]
    assert [c.text for c in heads] == ["Valdoria's navy seizes two ships off Ostrana"]
    body = [c for c in claims if c not in heads]
    assert body and all(BODY[c.start:c.end] == c.text for c in body)
    assert claims[:len(heads)] == heads  # the headline's claims come first


@pytest.mark.parametrize("title", [None, "World news", "Is Valdoria seizing ships?",
                                   "Valdoria's navy seized two cargo ships off the Ostrana coast"])
def test_headline_without_a_statement_of_its_own_gives_no_claim(title: str | None) -> None:
    # no headline, a label, a question, and a headline the body opens with (already the body's)
    assert not [c for c in _claims(title) if c.start == c.end == 0]


def test_headline_holder_the_body_never_names_keeps_the_printed_name() -> None:
    heads = [ClaimRec(text="Ships seized, Ostrana says", start=0, end=0, status="reported",
                      holder_key="Ostrana", holder_name="Ostrana"),
             ClaimRec(text="Marek harbour full", start=0, end=0, status="asserted",
                      holder_key="Marek", holder_name="Marek")]
    body = [ClaimRec(text="The ships were taken to Marek harbour.", start=0, end=38,
                     status="asserted")]
    got = with_headline(body, heads, [MentionRec(key="Marek", name="Marek", label="GPE")])
    assert [(c.holder_key, c.holder_name) for c in got] == [(None, "Ostrana"), ("Marek", "Marek"),
                                                           (None, None)]
