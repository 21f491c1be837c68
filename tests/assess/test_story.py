import pytest

from storyline.assess._story import said_by
from storyline.store import Claim, Quote


def _claim(status: str, cue: str) -> Claim:
    return Claim(id=1, document_id=1, text="The move by Ostrana marks an escalation.", start=10,
                 end=50, status=status, cue=cue, holder_name="Ostrana")


@pytest.mark.parametrize(("status", "cue", "quoted", "expected"), [
    ("reported", "mark", False, None),
    ("asserted", "mark", False, None),
    ("reported", "mark", True, "Ostrana"),
    ("reported", "say", False, "Ostrana"),
    ("denied", "reject", False, "Ostrana"),
    ("opposed", "oppose", False, "Ostrana"),
])
def test_a_report_is_held_by_who_says_it_not_by_its_subject(status: str, cue: str, quoted: bool,
                                                            expected: str | None) -> None:
    quotes = [Quote(document_id=1, start=0, end=60, speaker_name="Ostrana")] if quoted else []
    assert said_by(_claim(status, cue), quotes, {}) == expected


@pytest.mark.parametrize(("start", "end", "expected"), [
    (12, 48, "Ostrana"),  # the quote inside the sentence, its marks and cue outside
    (10, 32, "Ostrana"),  # more than half of the sentence quoted
    (10, 20, None),       # a quarter quoted: the rest is the article's
])
def test_a_claim_mostly_in_its_holders_quote_is_said(start: int, end: int,
                                                     expected: str | None) -> None:
    quotes = [Quote(document_id=1, start=start, end=end, speaker_name="Ostrana")]
    assert said_by(_claim("reported", "mark"), quotes, {}) == expected
