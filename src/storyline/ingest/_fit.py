"""Fitting what a reader found to what a store holds and the nlp stage can take: no lone
surrogate or NUL in any field, a body no longer than the nlp stage's memory bound."""

from __future__ import annotations

import re

from storyline.ingest._model import RawItem
from storyline.ingest._prepare import content_hash
from storyline.records import Article

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # NUL (PostgreSQL refuses it), lone surrogates
# The longest body analysed: spaCy's parser and NER need about 1 GB of temporary memory per
# 100,000 characters (its E088 note) and the nlp stage must stay under 2 GB, while a long news
# article is under 60,000 characters. A longer body is cut at a paragraph and the cut reported.
MAX_CHARS = 100_000


def scrub(value: str) -> str:
    """``value`` with what no store can hold replaced: a lone surrogate (from a JSON escape or a
    file name in no encoding) by U+FFFD, a NUL dropped."""
    return _UNSTORABLE.sub(lambda m: "" if m.group() == "\x00" else "\ufffd", value)


# Bidi embedding, override and isolate controls: in a one-line field (a byline, a title) a
# right-to-left override reversed the rest of the line it was shown in (the provenance line).
# Body text keeps them: right-to-left scripts use them inside paragraphs.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_LINE_FIELDS = ("url", "title", "outlet", "published")


def scrub_item(item: RawItem) -> RawItem:
    """The item with every text field scrubbed (see :func:`scrub`), and no bidi control in a
    one-line field."""
    for name in ("source", "kind", "text", "html", "url", "title", "outlet", "published"):
        value = getattr(item, name)
        if isinstance(value, str) and _UNSTORABLE.search(value):
            value = scrub(value)
        if isinstance(value, str) and name in _LINE_FIELDS:
            value = _BIDI.sub("", value)
        setattr(item, name, value)
    item.byline = [_BIDI.sub("", scrub(b)) for b in item.byline]
    return item


def cut(article: Article, limit: int = MAX_CHARS) -> str | None:
    """Cut a body over ``limit`` characters at its last paragraph (else sentence, else word)
    break before the limit; returns the reason to report, None when nothing was cut."""
    n = len(article.text)
    if n <= limit:
        return None
    head = article.text[:limit]
    at = max(head.rfind("\n"), 0) or max(head.rfind(". ") + 1, 0) or max(head.rfind(" "), 0)
    article.text = head[:at or limit].rstrip()
    article.content_hash = content_hash(article.text)
    return (f"stored the first {len(article.text):,} of {n:,} characters (longer bodies are "
            f"cut at {limit:,}: the nlp stage's memory bound); split the file to keep the rest")
