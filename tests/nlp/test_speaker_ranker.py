"""The learned speaker ranker: its shipped model, and what it gives quotes the rules leave alone."""

import json

from storyline import models
from storyline.nlp import speaker_ranker
from storyline.nlp.speaker_ranker import FEATURES, MODEL, Candidate


def test_shipped_model_matches_the_features() -> None:
    with models.path(MODEL, rebuild="train-quotes").open(encoding="utf-8") as fh:
        model = json.load(fh)
    assert model["features"] == list(FEATURES)
    assert len(model["coef"]) == len(FEATURES)
    assert 0.0 <= model["threshold"] < 1.0


def _quotes(nlp, text: str) -> list[tuple[str, str | None]]:  # type: ignore[no-untyped-def]
    doc = nlp(text)
    names = {e.key: e.name for e in doc._.entities}
    return [(q.text, names.get(q.speaker_key, q.speaker_name)) for q in doc._.quotes]


def test_a_quote_without_cue_goes_to_the_person_just_introduced(nlp) -> None:  # type: ignore[no-untyped-def]
    text = ("Anna Berg, the mayor of Tarn, spoke to reporters after the vote.\n"
            "“We will rebuild the bridge before the winter comes.”")
    assert _quotes(nlp, text) == [("We will rebuild the bridge before the winter comes.", "Anna Berg")]


def test_no_one_named_near_a_quote_leaves_it_without_a_speaker(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "The vote was close.\n“We will rebuild the bridge before the winter comes.”"
    assert _quotes(nlp, text) == [("We will rebuild the bridge before the winter comes.", None)]


def test_recording_hands_over_the_candidates_and_gives_no_speaker(nlp) -> None:  # type: ignore[no-untyped-def]
    text = ("Anna Berg, the mayor of Tarn, spoke to reporters after the vote.\n"
            "“We will rebuild the bridge before the winter comes.”")
    seen: list[tuple[str, list[Candidate]]] = []
    with speaker_ranker.recording(lambda doc, a, b, cands: seen.append((doc.text[a:b], cands))):
        assert _quotes(nlp, text) == [("We will rebuild the bridge before the winter comes.", None)]
    assert [(q, [c.key for c in cands]) for q, cands in seen] == [
        ("We will rebuild the bridge before the winter comes.", ["Anna Berg"])]
    features = seen[0][1][0].features
    assert set(features) == set(FEATURES)
    assert (features["before"], features["subject"], features["person"], features["sent_m1"],
            features["para_start"]) == (1.0, 1.0, 1.0, 1.0, 1.0)
