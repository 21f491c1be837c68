import pytest


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
