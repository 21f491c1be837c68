import pytest

from storyline.nlp.quotes import quote_spans


@pytest.mark.parametrize(("text", "quoted"), [
    ("He said “we will win” and left.", ["we will win"]),
    ('He said "we will win" and left.', ["we will win"]),
    ("“It is over,” she said. “We go home now.”", ["It is over,", "We go home now."]),
    ("They called it a “blue helmets\" force.", ["blue helmets"]),
    ("He said “this runs to the end of the paragraph without a closing mark", [
        "this runs to the end of the paragraph without a closing mark"]),
    ("No quotes at all in this one.", []),
])
def test_quote_spans_pairs_marks(text: str, quoted: list[str]) -> None:
    assert [text[a:b] for a, b in quote_spans(text)] == quoted


def _quotes(nlp, text: str):  # type: ignore[no-untyped-def]
    doc = nlp(text)
    names = {e.key: e.name for e in doc._.entities}
    return [(q.kind, q.text, names.get(q.speaker_key, q.speaker_name)) for q in doc._.quotes]


@pytest.mark.parametrize(("text", "kind", "words", "speaker"), [
    ("“We are lagging again,” Foreign Minister Anna Berg said on Monday.", "direct",
     "We are lagging again", "Anna Berg"),
    ("“It is important to have this as an option,” said Riho Terhas, a former general.",
     "direct", "It is important to have this as an option", "Riho Terhas"),
    ("Anna Berg told reporters that the border would stay closed until spring.", "indirect",
     "the border would stay closed until spring", "Anna Berg"),
    ("The Kremlin denied involvement in the attack.", "indirect", "involvement in the attack",
     "Kremlin"),
    ("President Tom Vale accused Ostrana of preparing an invasion.", "indirect",
     "Ostrana of preparing an invasion", "Tom Vale"),
    ("Mr Brown said the economy was growing faster than expected.", "indirect",
     "the economy was growing faster than expected", "Brown"),
])
def test_quotes_speaker_and_kind(nlp, text: str, kind: str, words: str, speaker: str) -> None:  # type: ignore[no-untyped-def]
    found = _quotes(nlp, text)
    assert any(k == kind and words in t and s == speaker for k, t, s in found), found


def test_quotes_pronoun_resolves_to_last_person(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _quotes(nlp, "Anna Berg arrived late. “We will not give up,” she said.")
    assert ("direct", "We will not give up", "Anna Berg") in found


def test_quotes_anonymous_source_kept_as_printed(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _quotes(nlp, "The plan had support, officials briefed on the talks said.")
    assert any(s and "officials" in s for _, _, s in found), found
