"""Speaker resolution: which person a pronoun stands for, on invented sentences."""

import re

import pytest

from storyline.nlp.speakers import PRONOUNS, pronoun_of, speaker_words


@pytest.mark.parametrize(("aliases", "pronoun"), [
    ({"Anna Berg", "Mrs Berg"}, "she"),
    ({"Tom Vale", "Mr. Vale"}, "he"),
    ({"Ivan Roe", "Sir Ivan Roe", "Sir Ivan"}, "he"),
    ({"Orla Penn", "Baroness Penn"}, "she"),
    ({"Lea Mor"}, None),          # no title: either
    ({"Mr Mor", "Mrs Mor"}, None),  # two people's forms disagree: either
    ({"Mrs"}, None),              # a title alone is no printed form of a person
])
def test_pronoun_of_titles(aliases: set[str], pronoun: str | None) -> None:
    assert pronoun_of(aliases) == pronoun


def test_speaker_words_come_from_the_language_files() -> None:
    en = speaker_words("en")
    assert PRONOUNS == en.pronouns == {"he", "she", "they", "i", "we", "it"}
    assert speaker_words("xx") == en  # a language without the file falls back to English
    assert {"spokesman", "ministry"} <= en.spokes and "spokesman" in en.person_nouns
    assert en.leaders == {"leader", "head"}
    assert re.fullmatch(en.modifier, "European") and not re.fullmatch(en.modifier, "the")


def _quotes(nlp, text: str) -> list[tuple[str, str, str | None]]:  # type: ignore[no-untyped-def]
    doc = nlp(text)
    names = {e.key: e.name for e in doc._.entities}
    return [(q.kind, q.text, names.get(q.speaker_key, q.speaker_name)) for q in doc._.quotes]


def test_she_is_not_a_man_named_before(nlp) -> None:  # type: ignore[no-untyped-def]
    text = ("Mrs Anna Berg met Mr Tom Vale in the capital. Mr Vale thanked her. "
            "“We will not give up,” she said.")
    assert _quotes(nlp, text) == [("direct", "We will not give up", "Anna Berg")]


def test_a_name_inside_the_quote_is_not_the_speaker(nlp) -> None:  # type: ignore[no-untyped-def]
    text = ("Anna Berg arrived in the capital on Monday. Crowds waited for hours. "
            "“I would take Lea Mor over Tom Vale any day,” she said.")
    assert _quotes(nlp, text) == [("direct", "I would take Lea Mor over Tom Vale any day",
                                   "Anna Berg")]


@pytest.mark.parametrize(("text", "found"), [
    # a question ends the parser's sentence: the cue is the next one's
    ("“How long will the bridge stay shut?” Tom Vale said in response.",
     [("direct", "How long will the bridge stay shut?", "Tom Vale")]),
    # the next sentence reports something else: no cue, and three words nobody is said to say
    # are no quote
    ("“Is it over?” Tom Vale asked the crowd whether they would stay.",
     [("indirect", "whether they would stay", "Tom Vale")]),
    # a statement put out reports for whoever put it out
    ("Mayor Anna Berg issued a statement saying the harbour would reopen in May.",
     [("indirect", "the harbour would reopen in May", "Anna Berg")]),
    ("Her campaign sent out an email stating, “The mayor joins a growing list of critics.”",
     [("direct", "The mayor joins a growing list of critics.", "Her campaign")]),
    # a report cited is no statement of the one citing it
    ("Tom Vale cited a study saying the harbour would close.", []),
])
def test_cue_after_a_question_and_statements(nlp, text: str, found: list[tuple[str, str, str]]) -> None:  # type: ignore[no-untyped-def]
    assert _quotes(nlp, text) == found


@pytest.mark.parametrize(("text", "found"), [
    # a group of a person's speaks for itself
    ("Tom Vale's lawyers said the auditors never warned him.",
     [("indirect", "the auditors never warned him", "Tom Vale's lawyers")]),
    # a person's spokesmen speak for the person
    ("Tom Vale's spokesmen said the plan would go ahead.",
     [("indirect", "the plan would go ahead", "Tom Vale")]),
])
def test_a_persons_group_speaks_for_itself(nlp, text: str, found: list[tuple[str, str, str]]) -> None:  # type: ignore[no-untyped-def]
    assert _quotes(nlp, text) == found


def _parsed(words: list[str], heads: list[int], deps: list[str], tags: list[str]):  # type: ignore[no-untyped-def]
    """A Doc built by hand, parse included (the parser's reading of datelines varies)."""
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    pos = {"NNP": "PROPN", "NN": "NOUN", "DT": "DET", "VBD": "VERB", "VBN": "VERB", "VBZ": "AUX",
           "VBG": "VERB", "IN": "SCONJ", "PRP": "PRON", ",": "PUNCT", ".": "PUNCT",
           ":": "PUNCT", "-LRB-": "PUNCT", "-RRB-": "PUNCT"}
    return Doc(Vocab(), words=words, heads=heads, deps=deps, tags=tags,
               pos=[pos[t] for t in tags])


def test_a_datelines_place_is_no_subject() -> None:
    from storyline.nlp.speakers import dateline, subject_heads

    # "TARN ― The council announced plans, acknowledging that it failed."
    doc = _parsed(["TARN", "―", "The", "council", "announced", "plans", ",", "acknowledging",
                   "that", "it", "failed", "."],
                  [1, 1, 3, 4, 1, 4, 4, 4, 10, 10, 7, 4],
                  ["nsubj", "ROOT", "det", "nsubj", "ccomp", "dobj", "punct", "advcl", "mark",
                   "nsubj", "ccomp", "punct"],
                  ["NNP", ":", "DT", "NN", "VBD", "NN", ",", "VBG", "IN", "PRP", "VBD", "."])
    assert [dateline(t) for t in doc] == [True] + [False] * 11
    assert subject_heads(doc[7]) == [doc[3]]
    # "Tarn (Agency) – Berg has spoken, saying that it failed.": two subjects, the second speaks
    doc = _parsed(["Tarn", "(", "Agency", ")", "–", "Berg", "has", "spoken", ",", "saying",
                   "that", "it", "failed", "."],
                  [7, 0, 0, 0, 0, 7, 7, 7, 7, 7, 12, 12, 9, 7],
                  ["nsubj", "punct", "appos", "punct", "punct", "nsubj", "aux", "ROOT", "punct",
                   "advcl", "mark", "nsubj", "ccomp", "punct"],
                  ["NNP", "-LRB-", "NNP", "-RRB-", ":", "NNP", "VBZ", "VBN", ",", "VBG", "IN",
                   "PRP", "VBD", "."])
    assert subject_heads(doc[9]) == [doc[5]]


@pytest.mark.parametrize(("text", "found"), [
    # a name or a noun before a dash is a subject
    ("Anna Berg – the mayor – said the harbour would reopen.",
     [("indirect", "the harbour would reopen", "Anna Berg")]),
    ("The mayor – a former judge – said the harbour would reopen.",
     [("indirect", "the harbour would reopen", "The mayor – a former judge")]),
])
def test_dashes_after_a_subject(nlp, text: str, found: list[tuple[str, str, str]]) -> None:  # type: ignore[no-untyped-def]
    assert _quotes(nlp, text) == found
