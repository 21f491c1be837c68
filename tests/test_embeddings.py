"""Sentence embeddings of claim propositions."""

import numpy as np
import pytest

pytest.importorskip("sentence_transformers",
                    reason="the embeddings extra is not installed (pip install -e '.[embeddings]')")

from storyline.embeddings import embed


def test_each_text_gets_a_unit_row_and_a_repeated_text_the_same_row() -> None:
    texts = ["Ostrana sent 2,000 troops across the border on Tuesday.",
             "The harbour reopened after the storm.",
             "Ostrana sent 2,000 troops across the border on Tuesday."]
    vecs = embed(texts)
    assert vecs.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(vecs[0], vecs[2])
    assert float(vecs[0] @ vecs[1]) < 0.6


def test_nothing_to_embed() -> None:
    assert embed([]).shape == (0, 384)
