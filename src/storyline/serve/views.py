"""Plain-data views for the command line, over the same queries as the API and the pages."""

from __future__ import annotations

from typing import Any

from storyline.serve import _queries as Q
from storyline.store import Store


def claim(store: Store, ref: str) -> dict[str, Any]:
    """One claim (``c12``): text, status, holder, document and source file, corrections."""
    return Q.claim(store, ref)


def cluster(store: Store, ref: str) -> dict[str, Any]:
    """One story (``k3``): label, grade, reasons, timeline, figures; NotFound names the list."""
    return Q.cluster(store, ref)


__all__ = ["claim", "cluster"]
