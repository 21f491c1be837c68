"""Every custom attribute our components set on Doc and Span, declared in one place."""

from __future__ import annotations

from spacy.tokens import Doc, Span

DOC_ATTRS = ("entities", "quotes", "attributions", "figures", "claims", "demonym_mentions", "record")
_TEXT_KEY = "storyline_text"


def register() -> None:
    """Declare the extensions (idempotent)."""
    for name in DOC_ATTRS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    if not Span.has_extension("entity_key"):
        Span.set_extension("entity_key", default=None)


def text_of(doc: Doc) -> str:
    """``doc.text``, computed once: spaCy rebuilds it from every token on each access."""
    cached = doc.user_data.get(_TEXT_KEY)
    if not isinstance(cached, str):
        cached = doc.user_data[_TEXT_KEY] = doc.text
    return cached


def forget_text(doc: Doc) -> None:
    doc.user_data.pop(_TEXT_KEY, None)


register()
