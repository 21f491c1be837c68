import pytest

from storyline.records import STANCES


@pytest.mark.parametrize(("text", "status", "holder"), [
    ("The State Department confirmed on Tuesday that the troops had begun combat operations.",
     "confirmed", "State Department"),
    ("The Kremlin has denied involvement in the attack.", "denied", "Kremlin"),
    ("Defence Secretary Lloyd Austin could not confirm reports of the deployment.", "unconfirmed",
     "Lloyd Austin"),
    ("The National Intelligence Service says Valdoria has deployed 1,500 troops to Ostrana.",
     "reported", "National Intelligence Service"),
    ("Prime Minister Jon Aldis proposed the deployment of peacekeepers along the border.",
     "proposed", "Jon Aldis"),
    ("Chancellor Olaf Scholz opposed the idea of sending troops.", "opposed", "Olaf Scholz"),
    ("European allies are considering the idea of deploying troops to the region.",
     "considered", None),
    # a response that is a plain yes or no, held by whoever gave it
    ("When Ostrana proposed a ceasefire, the answer from Valdoria was a resounding no.",
     "opposed", "Valdoria"),
    ("The reaction from the unions to the pay offer was an emphatic yes.", "supported", None),
    # what a proposal could do, argued for or against it
    ("A monitoring mission on the border could help deter an attack, the minister said.",
     "supported", None),
    ("Sending troops to the border could provoke Valdoria, the minister warned.", "opposed", None),
])
def test_claims_status_and_holder(nlp, text: str, status: str, holder: str | None) -> None:  # type: ignore[no-untyped-def]
    doc = nlp(text)
    names = {e.key: e.name for e in doc._.entities}
    found = [(c.status, names.get(c.holder_key, c.holder_name)) for c in doc._.claims]
    assert any(s == status and (holder is None or h == holder) for s, h in found), found


@pytest.mark.parametrize("text", [
    "Such a deployment, if confirmed, would cause concern in Washington.",
    "Officials may soon confirm the numbers.",
])
def test_claims_hedges_are_not_confirmations(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    assert "confirmed" not in [c.status for c in nlp(text)._.claims]


def test_claims_one_per_holder(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Both the Kremlin and Pyongyang have denied involvement in military transfers.")
    names = {e.key: e.name for e in doc._.entities}
    holders = sorted(names.get(c.holder_key, "") for c in doc._.claims if c.status == "denied")
    assert holders == ["Kremlin", "Pyongyang"]


# The status comes from the innermost stance, not from the verb that attributes it.
@pytest.mark.parametrize(("text", "status"), [
    ("General Tom Vale stated he could not confirm reports of troops crossing the border.",
     "unconfirmed"),
    ("The alliance is discussing the possible deployment of peacekeepers to Ostrana, the Daily "
     "Courier writes.", "considered"),
    ("President Lea Mor has expressed interest in the idea, officials said.", "considered"),
    ("Chancellor Anna Berg ruled out the deployment of troops.", "opposed"),
    ("In March, when Lea Mor said she did not rule out the deployment of troops in Ostrana, "
     "reactions were cool.", "proposed"),
    ("In the meantime, this may well be the presence of allied troops in the region.", "considered"),
    ("The ministry rejected the proposal to send troops.", "opposed"),
])
def test_claims_innermost_stance(nlp, text: str, status: str) -> None:  # type: ignore[no-untyped-def]
    assert status in [c.status for c in nlp(text)._.claims], [(c.status, c.cue) for c in nlp(text)._.claims]


@pytest.mark.parametrize("text", [
    "I am sure the reports will be verified very soon.",
    "The ministry will confirm the figures next week.",
])
def test_claims_future_is_not_confirmation(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    assert "confirmed" not in [c.status for c in nlp(text)._.claims]


@pytest.mark.parametrize(("text", "proposition"), [
    ("General Tom Vale could not confirm reports of troops crossing the border.",
     "reports of troops crossing the border"),
    ("The National Intelligence Service says Valdoria has deployed 1,500 troops to Ostrana.",
     "Valdoria has deployed 1,500 troops to Ostrana"),
])
def test_claims_keep_their_proposition(nlp, text: str, proposition: str) -> None:  # type: ignore[no-untyped-def]
    assert proposition in [c.proposition for c in nlp(text)._.claims]


@pytest.mark.parametrize(("text", "issue"), [
    # whose plan it is is not the issue
    ("The council rejected the mayor's plan to close the harbour road.",
     "plan to close the harbour road"),
    ("Senator Ada Korr told reporters it is time to revisit Governor Bell's idea of building "
     "a second bridge.", "idea of building a second bridge"),
    # who put it forward is not the issue: what is left points back to an earlier claim
    ("The idea put forward by Bell has attracted interest, including from two neighbouring "
     "towns.", "The idea"),
    # an aside after a comma is not the issue
    ("The ministers are considering the idea of sending peacekeepers to Ostrana, laying the "
     "groundwork for talks next month.", "the idea of sending peacekeepers to Ostrana"),
    # "the concept was that …": what follows is the issue
    ("Officials said the working concept was that a group of neighbours could assemble forces "
     "to guard the border.", "a group of neighbours could assemble forces to guard the border"),
])
def test_a_stance_is_on_its_issue(nlp, text: str, issue: str) -> None:  # type: ignore[no-untyped-def]
    stances = [c for c in nlp(text)._.claims if c.status in STANCES]
    assert stances, [(c.status, c.text) for c in nlp(text)._.claims]
    assert issue in [c.proposition for c in stances]


def test_claims_inside_a_quote_are_held_by_its_speaker(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("“I am sure the troops have crossed into Ostrana,” said General Tom Vale.")
    names = {e.key: e.name for e in doc._.entities}
    assert any(names.get(c.holder_key) == "Tom Vale" for c in doc._.claims), \
        [(c.status, c.holder_key, c.holder_name) for c in doc._.claims]


@pytest.mark.parametrize(("text", "status", "claim"), [
    ("Both Ostrana and its allies have denied involvement in the attacks, and General Tom Vale "
     "stated he could not confirm reports of troops crossing the border.", "unconfirmed",
     "General Tom Vale stated he could not confirm reports of troops crossing the border"),
    ("The ministry said the convoy had crossed the river, and General Tom Vale stated he could "
     "not confirm reports of troops crossing the border.", "unconfirmed",
     "General Tom Vale stated he could not confirm reports of troops crossing the border"),
])
def test_claims_quote_their_own_clause_of_a_joined_sentence(  # type: ignore[no-untyped-def]
        nlp, text: str, status: str, claim: str) -> None:
    assert claim in [c.text for c in nlp(text)._.claims if c.status == status], \
        [(c.status, c.text) for c in nlp(text)._.claims]


def test_a_stance_by_a_passive_agent_is_its_own_claim(nlp) -> None:  # type: ignore[no-untyped-def]
    text = ("The mayor floated the plan to close the harbour road in March, only to be quickly "
            "shot down by Governor Ada Bell.")
    claims = {c.status: c for c in nlp(text)._.claims}
    assert claims["proposed"].proposition.startswith("the plan to close the harbour road")
    assert claims["opposed"].holder_key == "Ada Bell"
    assert claims["opposed"].proposition == claims["proposed"].proposition  # on the same issue


def _holders_of(nlp, text: str) -> list[tuple[str, str | None]]:  # type: ignore[no-untyped-def]
    doc = nlp(text)
    names = {e.key: e.name for e in doc._.entities}
    return [(c.status, names.get(c.holder_key or "", c.holder_name)) for c in doc._.claims]


# Holders (issue #14): who takes the position, never a name the sentence only mentions.
@pytest.mark.parametrize(("text", "found"), [
    # a spokesman speaks for the body he is a spokesman for
    ('"We prefer a fair price," said Tomas Lind, a spokesman for Ostrana Capital.',
     [("reported", "Ostrana Capital")]),
    # a quote whose mark was never closed runs on into the next sentence: the same speaker
    ('Mayor Ilse Varga said: "The plan is wrong and the council should drop it. "It will ruin '
     'the old town and cost the city millions."',
     [("opposed", "Ilse Varga"), ("asserted", "Ilse Varga")]),
    # a place in the subject's modifier is mentioned, not the holder: the phrase as printed
    ("Valdoria's biggest farmers' union opposed the new water tax.",
     [("opposed", "Valdoria's biggest farmers' union")]),
    # the subject of an accusation is what is said of, not who says it
    ("Former Valdor Bank chief Piet Dorn is accused of hiding losses of $2bn from the board.",
     [("reported", None)]),
    # a definite body is the organisation the article names; rejecting an offer opposes it,
    # rejecting allegations denies them
    ("Ostrana Rail has rejected a takeover offer from Valdor Transport. The company said the bid "
     "undervalued its business.", [("opposed", "Ostrana Rail"), ("considered", "Ostrana Rail")]),
    ("Ostrana Rail rejected the allegations of fraud made by its former auditor.",
     [("denied", "Ostrana Rail")]),
    # a body or a work with a named owner is the owner's: "X's board", "X's inquiry"
    ("Ostrana Rail's board has rejected the takeover offer from Valdor Transport.",
     [("opposed", "Ostrana Rail")]),
    ("Judge Ada Bell's inquiry found that the Valdorian minister had approved the licence "
     "for the harbour.", [("confirmed", "Ada Bell")]),  # an inquiry's finding confirms
    # a definite pair is the two people last named together
    ("Valdorians Sean Dorran and Liam Corcoran, who hold a 29% share of the ferry line, will "
     "reject any bid. But the Valdorian duo have cut off talks with Piet Glazer on the sale of "
     "their share.",
     [("opposed", "Sean Dorran"), ("opposed", "Liam Corcoran"), ("opposed", "Sean Dorran"),
      ("opposed", "Liam Corcoran")]),
])
def test_claims_holders(nlp, text: str, found: list[tuple[str, str | None]]) -> None:  # type: ignore[no-untyped-def]
    assert _holders_of(nlp, text) == found


def test_claims_in_a_quote_are_said_by_its_speaker(nlp) -> None:  # type: ignore[no-untyped-def]
    """A claim made in a run-on quote carries the verb of saying, so the history keeps its
    speaker as the holder."""
    doc = nlp('Mayor Ilse Varga said: "The plan is wrong. "It will ruin the old town and cost '
              'the city millions."')
    assert [c.cue for c in doc._.claims] == ["say", "say"]


_ARGUED = ("The government of Valdoria proposed a new water tax. Farmers opposed the plan. The "
           "opposition party rejected the tax. Ostrana Rail backed the plan. ")


def test_claims_evaluation_in_an_argued_article_is_a_stance(nlp) -> None:  # type: ignore[no-untyped-def]
    """In an article that argues over a proposal, what someone says of it is a position; the
    same words alone, with nothing argued around them, are a report."""
    said = '"It is unfair and it will hurt every family in the valley," Mayor Ilse Varga said.'
    assert [c.status for c in nlp(_ARGUED + said)._.claims] == [
        "proposed", "opposed", "opposed", "supported", "opposed"]
    assert [c.status for c in nlp(said)._.claims] == ["reported"]


@pytest.mark.parametrize("text", [
    'The skier Mara Holm said: "I was not notified of a failed sample by anyone."',
    "Mara Holm was never notified of the result, her lawyer said.",
])
def test_claims_not_notified_is_unconfirmed(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    """Not being told of a finding fails to confirm it; it does not deny it."""
    assert [c.status for c in nlp(text)._.claims] == ["unconfirmed"]
