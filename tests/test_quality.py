"""The quality gate (trafilatura's eval_gate.py is the model): dev-set figures with pinned floors.

Each section scores one development set of ../shared/eval with its own scorer and fails below
floors pinned here: the figures reached, minus a small margin. Floors are raised as extraction
improves and never lowered silently (a lowered floor says why in its commit). Figures go to
test-artifacts/quality.json. Without ../shared every test skips, saying so.
"""

from __future__ import annotations

# --- WCXB text and HTML paths (cleaning) -------------------------------------------------------

# --- PolNeAR dev (attribution) and bbc-dev (quotes, entities) ----------------------------------

# --- bbc-dev claims, figures, clusters and ECB+ dev (claims) -----------------------------------
