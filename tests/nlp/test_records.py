"""The records component: our findings as plain data, so a Doc crosses process boundaries."""

from __future__ import annotations

from spacy.tokens import Doc

from storyline.nlp import build_pipeline


def test_the_wider_attributions_are_plain_records_and_the_doc_serialises() -> None:
    nlp = build_pipeline()
    doc = nlp("Mara Lind, the defence minister of Ostrana, thinks that the crossing will reopen in May.")
    assert doc._.attributions is None
    assert doc._.record["attributions"] == [
        {"text": "the crossing will reopen in May", "kind": "indirect", "start": 56, "end": 87,
         "cue": "think", "speaker_key": "Mara Lind", "speaker_name": None}]
    back = Doc(nlp.vocab).from_bytes(doc.to_bytes())  # what nlp.pipe(n_process=2) does
    assert back._.record["attributions"] == doc._.record["attributions"]
