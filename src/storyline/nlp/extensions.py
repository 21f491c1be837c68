"""Every custom attribute our components set on Doc and Span, declared in one place."""

from __future__ import annotations

from spacy.tokens import Doc, Span

DOC_ATTRS = ("entities", "quotes", "figures", "claims", "demonym_mentions", "record")


def register() -> None:
    """Declare the extensions (idempotent)."""
    for name in DOC_ATTRS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    if not Span.has_extension("entity_key"):
        Span.set_extension("entity_key", default=None)


register()
