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
    # two apostrophes stand for a double quotation mark
    ("''We will win,'' she said. ''Then we go home.''", ["We will win,", "Then we go home."]),
    ("He called it ''a blue helmets force'' twice.", ["a blue helmets force"]),
    # an opening mark while a quote is open: a lost paragraph break starts a new quote
    ('She said: "I am not worried. I am calm. "We have done nothing wrong." Then she left.',
     ["I am not worried. I am calm.", "We have done nothing wrong."]),
    ("He said: “One thing is clear. “The border stays closed,” he added.",
     ["One thing is clear.", "The border stays closed,"]),
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
    # a thing that "signals" is not a speaker: the report stays Anna Berg's
    ("Foreign Minister Anna Berg said such a move would signal that Valdoria was struggling.",
     "indirect", "such a move would signal that Valdoria was struggling", "Anna Berg"),
    ("Governor Tom Vale has boasted he can end the strike in a day.", "indirect",
     "he can end the strike in a day", "Tom Vale"),
    # an appeal is reported like speech
    ("Mayor Ada Bell called on residents to leave the harbour before the storm.", "indirect",
     "residents to leave the harbour before the storm", "Ada Bell"),
])
def test_quotes_speaker_and_kind(nlp, text: str, kind: str, words: str, speaker: str) -> None:  # type: ignore[no-untyped-def]
    found = _quotes(nlp, text)
    assert any(k == kind and words in t and s == speaker for k, t, s in found), found


def test_quotes_pronoun_resolves_to_last_person(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _quotes(nlp, "Anna Berg arrived late. “We will not give up,” she said.")
    assert ("direct", "We will not give up", "Anna Berg") in found


@pytest.mark.parametrize(("text", "words", "speaker"), [
    # "X, she said, Y": Y is hers; she is the subject before, not a name inside that sentence
    ("General Ada Korr spoke first. Korr downplayed the development, which she said shows "
     "President Tom Vale's Valdoria is desperate. Moreover, she said, integrating the new units "
     "would prove a huge challenge.", "integrating the new units would prove a huge challenge",
     "Ada Korr"),
    # he is the subject who spoke with someone, not the one spoken with
    ("Donald Trump, who will be inaugurated in January, spoke with Jon Aldis. He has said he can "
     "end the war in a day.", "he can end the war in a day", "Donald Trump"),
])
def test_quotes_pronoun_is_the_subject_before(nlp, text: str, words: str, speaker: str) -> None:  # type: ignore[no-untyped-def]
    found = _quotes(nlp, text)
    assert any(words in t and s == speaker for _, t, s in found), found


def test_quotes_anonymous_source_kept_as_printed(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _quotes(nlp, "The plan had support, officials briefed on the talks said.")
    assert any(s and "officials" in s for _, _, s in found), found


# Speaker resolution in context: each text, the words of one quote, and who said them.
@pytest.mark.parametrize(("text", "words", "speaker"), [
    # a quote with no cue continues the speaker of the report before it, direct or indirect
    ("Minister Anna Berg warned that the talks could collapse.\n“We are running out of time.”",
     "We are running out of time", "Anna Berg"),
    ("“It is an option,” said Tom Vale, who led the army until 2018. “Every delay helps them.”",
     "Every delay helps them", "Tom Vale"),
    # a role noun with its country goes to the person holding that role, not to the country
    ("Valdorian President Tom Vale met Ostranian President Lea Mor. Later the Ostranian president "
     "said that her army would withdraw.", "her army would withdraw", "Lea Mor"),
    ("Ostranian Foreign Minister Anna Berg arrived. Ostrana’s foreign minister said the border "
     "would reopen in May.", "the border would reopen in May", "Anna Berg"),
    # an apposition names the speaker
    ("His new security adviser, Mark Doyle, said the president may also pressure the rebels.",
     "the president may also pressure the rebels", "Mark Doyle"),
    # anonymous sources keep their description, relative clause included
    ("Nobody knows what happens next, said an official who took part in the talks.",
     "Nobody knows what happens next", "an official who took part in the talks"),
    ("“The guarantee they seek is membership,” said a senior alliance official.",
     "The guarantee they seek is membership", "a senior alliance official"),
    # "according to X" before a quotation in the same sentence
    ("According to Lea Mor, the plan is “one block in a larger design.”",
     "one block in a larger design", "Lea Mor"),
    # a participle cue after a comma reports for the main clause's subject
    ("Anna Berg warned that defeat would undermine order, emphasizing the need to raise support.",
     "the need to raise support", "Anna Berg"),
    # a bare spokesman speaks for the organisation that spoke just before, not the last place named
    ("The Interior Ministry confirmed on Monday that troops had crossed near the border with "
     "Ostrana. A spokesman said that most of the 3,000 soldiers had moved north.",
     "most of the 3,000 soldiers had moved north", "Interior Ministry"),
    # "X reported that Y warned Z": Z is Y's
    ("The Daily Courier wrote that Interior Minister Tom Vale warned that the floods would spread.",
     "the floods would spread", "Tom Vale"),
])
def test_speaker_in_context(nlp, text: str, words: str, speaker: str) -> None:  # type: ignore[no-untyped-def]
    found = _quotes(nlp, text)
    assert any(words in t and s == speaker for _, t, s in found), found


def test_each_named_subject_of_a_denial_gets_the_quote(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _quotes(nlp, "Both the Kremlin and Pyongyang have denied involvement in the transfers.")
    speakers = {s for _, t, s in found if "involvement in the transfers" in t}
    assert {"Kremlin", "Pyongyang"} <= speakers, found


def test_anonymous_conjoined_sources_stay_one_speaker(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _quotes(nlp, "European diplomats and alliance officials say they believe he has no plan.")
    assert [(t, s) for _, t, s in found] == [
        ("they believe he has no plan", "European diplomats and alliance officials")], found


@pytest.mark.parametrize("text", [
    "Such a move would signal that the government was struggling in the war.",  # not a speaker
    "When asked if he could consider a ceasefire, the president smiled.",       # a question
    "The country unveiled its “victory plan” on Monday.",                        # scare quotes
])
def test_not_quotes(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    assert _quotes(nlp, text) == []


# Shapes common in British news: "said X of Y" inversion, role before the name, apposition,
# a titled surname later, an institution's minutes.
@pytest.mark.parametrize(("text", "kind", "words", "speaker"), [
    ("\"There is no doubt that Mira would be a great gain for the national squad,\" said Sarah "
     "Jennings of Ostrana Athletics.", "direct", "There is no doubt that Mira would be a great gain",
     "Sarah Jennings"),
    ("Squad captain Tova Rennick said the team would understand if Mira stayed at home for the "
     "race.", "indirect", "the team would understand if Mira stayed at home", "Tova Rennick"),
    ("Piet Anders, chief economist at the Bank of Valdoria, said he was surprised that a split "
     "vote had come so soon.", "indirect", "he was surprised that a split vote", "Piet Anders"),
    ("Ivan Dorn arrived in the afternoon. Mr Dorn later told reporters: \"Of course I trust the "
     "prime minister.\"", "direct", "Of course I trust the prime minister", "Ivan Dorn"),
    ("The Bank of Valdoria's minutes said that risks to the price forecast were \"firmly "
     "to the downside\" to keep rates on hold.", "indirect", "risks to the price forecast",
     "Bank of Valdoria"),
])
def test_quotes_british_news_shapes(nlp, text: str, kind: str, words: str, speaker: str) -> None:  # type: ignore[no-untyped-def]
    found = _quotes(nlp, text)
    assert any(k == kind and words in t and s == speaker for k, t, s in found), found


def test_speaker_after_a_quote_whatever_the_parser_took_for_subjects(nlp) -> None:  # type: ignore[no-untyped-def]
    text = ('"The plan is all a show, no?" Ivo Marten said.\n'
            '"The early states matter, but they award only 4 percent of the delegates," campaign '
            'manager Ada Brill said.')
    assert _quotes(nlp, text) == [
        ("direct", "The plan is all a show, no?", "Ivo Marten"),
        ("direct", "The early states matter, but they award only 4 percent of the delegates",
         "Ada Brill")]


def test_speaker_inverted_after_the_cue(nlp) -> None:  # type: ignore[no-untyped-def]
    text = ('"The risk," said Tomas Halvorsen, an economist who is the director of the Ostrana '
            'Forecast, "is that we will lose jobs."')
    assert _quotes(nlp, text) == [("direct", "The risk", "Tomas Halvorsen"),
                                  ("direct", "is that we will lose jobs.", "Tomas Halvorsen")]


@pytest.mark.parametrize(("text", "found"), [
    # a described group speaks as printed
    ("Those surveyed say the new tax would hurt small farms.",
     [("indirect", "the new tax would hurt small farms", "Those surveyed")]),
    # the report comes before "according to"
    ("The harbour will close for a month, according to the port authority.",
     [("indirect", "The harbour will close for a month", "the port authority")]),
    # a question is reported when it is one ("whether", not "if")
    ("Reporters asked whether the minister would resign.",
     [("indirect", "whether the minister would resign", "Reporters")]),
])
def test_reported_speech_forms(nlp, text: str, found: list[tuple[str, str, str]]) -> None:  # type: ignore[no-untyped-def]
    assert _quotes(nlp, text) == found


def test_a_pronoun_is_the_speaker_not_the_person_spoken_of(nlp) -> None:  # type: ignore[no-untyped-def]
    text = ("Opposition leader Piet Vane said Ivan Dorn should resign over the affair. "
            "He added that the inquiry had been a waste of time.")
    assert _quotes(nlp, text) == [
        ("indirect", "Ivan Dorn should resign over the affair", "Piet Vane"),
        ("indirect", "the inquiry had been a waste of time", "Piet Vane")]


def test_calling_for_something_reports_it(nlp) -> None:  # type: ignore[no-untyped-def]
    assert _quotes(nlp, "Opposition leader Piet Vane called for a new inquiry into the affair.") == [
        ("indirect", "a new inquiry into the affair", "Piet Vane")]


def _attributions(nlp, text: str):  # type: ignore[no-untyped-def]
    doc = nlp(text)
    names = {e.key: e.name for e in doc._.entities}
    return ([(q.kind, q.text, names.get(q.speaker_key, q.speaker_name)) for q in doc._.quotes],
            [(a.cue, a.text, names.get(a.speaker_key, a.speaker_name)) for a in doc._.attributions])


@pytest.mark.parametrize(("text", "quotes", "wide"), [
    # a finding, a belief and an intent are attributions, not quotes; a finding is held by what
    # found it
    ("Polls show that the mayor of Ostrana is losing support.", [],
     [("show", "the mayor of Ostrana is losing support", "Polls")]),
    ("The minister of Valdoria expects that prices will fall in the spring.", [],
     [("expect", "prices will fall in the spring", "The minister of Valdoria")]),
    ("Dara Venn wants to build a new bridge over the river.", [],
     [("want", "to build a new bridge over the river", "Dara Venn")]),
    # a belief reported inside a quote is part of the quote
    ("Piet Vane said Ivan Dorn thinks the inquiry was a waste of time.",
     [("indirect", "Ivan Dorn thinks the inquiry was a waste of time", "Piet Vane")], []),
    ("The weather seemed to improve.", [], []),
    # what a thing was called is an attribution too; a call on the phone is not
    ("Piet Vane called the plan a disaster for Valdoria.", [],
     [("call", "the plan a disaster for Valdoria", "Piet Vane")]),
    ("They called him on Tuesday.", [], []),
    ("Piet Vane described the plan as a disaster for Valdoria.", [],
     [("describe", "the plan as a disaster for Valdoria", "Piet Vane")]),
    # what someone is for or against
    ("The union endorsed the new tax on imports.", [],
     [("endorse", "the new tax on imports", "The union")]),
    ("Troops supported by tanks entered the town.", [], []),
    ("Dara Venn refused to release the letters from the ministry.", [],
     [("refuse", "to release the letters from the ministry", "Dara Venn")]),
])
def test_beliefs_intents_and_findings_are_attributions(nlp, text: str, quotes: list[tuple[str, str, str]],  # type: ignore[no-untyped-def]
                                                       wide: list[tuple[str, str, str]]) -> None:
    assert _attributions(nlp, text) == (quotes, wide)


# Reports framed by a cue that takes no complement: each text and every quote found.
@pytest.mark.parametrize(("text", "found"), [
    ("The bridge will reopen in May, officials said on Monday.",
     [("indirect", "The bridge will reopen in May", "officials")]),
    ("The mill is losing money on every order, said its owner, Tom Vale.",
     [("indirect", "The mill is losing money on every order", "Tom Vale")]),
    ("But as Anna Berg noted, the voters will look again if the party starts winning.",
     [("indirect", "the voters will look again if the party starts winning", "Anna Berg")]),
    # a source that is no speaker still sources what it is said to say
    ("Vale holds a clear lead in Tarn, according to the latest average of polls, where voting "
     "starts in May.",
     [("indirect", "Vale holds a clear lead in Tarn", "the latest average of polls")]),
    # a cue of a relative clause, or one with a clause of its own, frames nothing
    ("They would replace the current powers to detain suspects, which the judges have ruled "
     "against.", []),
    ("The star witness is Lea Mor, one of six managers charged in the case, She has pleaded "
     "guilty to fraud and appeared for the prosecution.", []),
])
def test_framed_reports(nlp, text: str, found: list[tuple[str, str, str]]) -> None:  # type: ignore[no-untyped-def]
    assert _quotes(nlp, text) == found
