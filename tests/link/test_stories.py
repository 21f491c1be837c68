"""Stories: documents on one event together, two similar events apart."""

from dataclasses import dataclass

import pytest

from storyline.link import _stories

RAID_A = [
    "The Valdorian navy frigate Kestrel stopped raiders attacking a merchant ship in the Ostrana "
    "Strait and detained 23 of them.",
    "Raiders in two skiffs fired on a merchant ship in the Ostrana Strait before the frigate "
    "Kestrel of the Valdorian navy detained 23 men.",
    "The Kestrel answered a distress call from a merchant ship in the Ostrana Strait; the "
    "Valdorian navy said 23 raiders were detained.",
    "A Valdorian navy statement said the Kestrel detained 23 raiders who had attacked a merchant "
    "ship in the Ostrana Strait.",
]
RAID_B = [
    "Sailors from the Valdorian navy frigate Harrow boarded a raider boat in the Ostrana Strait "
    "on Thursday and detained 31 raiders, a day after a merchant ship was chased.",
    "The Harrow crew seized rifles from 31 raiders who had chased a merchant ship in the "
    "Ostrana Strait, Valdorian navy officials said on Thursday.",
    "Valdorian navy officials said the Harrow boarded the boat at dawn and 31 raiders gave up "
    "their rifles in the Ostrana Strait.",
    "The Harrow, on patrol in the Ostrana Strait, boarded a raider boat that had chased a "
    "merchant ship, and detained 31 raiders, the Valdorian navy said.",
]
# one raid told by two agencies: each names its own reporter, the rest is the same event
BYLINES = [f"{text} Reporting by {name}." for text, name in zip(
    RAID_A + RAID_A, ["Mira Tolven"] * 4 + ["Jonas Brell"] * 4, strict=True)]


def test_two_similar_events_are_two_stories() -> None:
    texts = dict(enumerate(RAID_A + RAID_B))
    found = _stories.stories(texts)
    groups = sorted(sorted(d for d in texts if found[d] == s) for s in set(found.values()))
    assert groups == [[0, 1, 2, 3], [4, 5, 6, 7]]


def test_one_event_told_by_two_reporters_stays_one_story() -> None:
    found = _stories.stories(dict(enumerate(BYLINES)))
    assert len(set(found.values())) == 1


def test_without_the_split_similar_events_are_one_story(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_stories, "SPLIT_MIN_DOCS", 10**6)
    found = _stories.stories(dict(enumerate(RAID_A + RAID_B)))
    assert len(set(found.values())) == 1


@dataclass
class _Claim:
    document_id: int
    status: str


def test_a_storys_few_stances_are_read_as_its_events(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_stories, "MINOR_KIND", 0.35)
    claims = [_Claim(1, "reported"), _Claim(1, "asserted"), _Claim(2, "reported"),
              _Claim(2, "opposed"), _Claim(2, "confirmed"), _Claim(3, "opposed"),
              _Claim(3, "supported")]
    story = {1: 0, 2: 0, 3: 1}
    assert _stories.claim_kinds(claims, story) == [
        "event", "event", "event", "event", "event", "proposal", "proposal"]
