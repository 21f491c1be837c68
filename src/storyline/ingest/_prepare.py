"""From a RawItem to an Article: clean body, removed lines, metadata, language, origin, hash."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection
from urllib.parse import urlsplit

from storyline.errors import EmptyInput
from storyline.ingest._cleaner import clean_page
from storyline.ingest._decode import fix_text
from storyline.ingest._html import extract_html
from storyline.ingest._language import detect_language
from storyline.ingest._meta import byline_names, clean_title, domain_outlet, parse_date
from storyline.ingest._model import RawItem
from storyline.ingest._provenance import detect_origin
from storyline.records import Article
from storyline.settings import Settings

_GLUED = re.compile(r"^(?P<title>[^\n]{10,150}?[a-z]{3}[%)]?)(?=[A-Z][a-z])")
_WS = re.compile(r"\s+")


def content_hash(text: str) -> str:
    """SHA-256 of the case-folded, space-collapsed body: equal for copies of one text."""
    return hashlib.sha256(_WS.sub(" ", text.casefold()).strip().encode("utf-8")).hexdigest()


def prepare(item: RawItem, settings: Settings, recurring: Collection[str] = ()) -> Article:
    """Clean one item into an Article; raises EmptyInput when no body is left."""
    if item.html:
        ex = extract_html(item.html, item.url)
        raw = ex.text
        title, byline = item.title or ex.title, item.byline or ex.byline
        outlet, published = item.outlet or ex.outlet, item.published or ex.published
    else:
        raw = fix_text(item.text or "")
        title, byline, outlet, published = item.title, list(item.byline), item.outlet, item.published
    lines = [line.rstrip() for line in raw.split("\n")]
    doc_lang = detect_language(raw, settings.languages)
    page = clean_page(lines, recurring, extracted=bool(item.html))
    kept, removed = page.kept, page.removed
    title, byline = title or page.title, byline or page.byline
    if title is None and len(kept) == 1:  # a headline glued to its body
        title, kept = _title_from(kept)
    if not byline:
        byline, kept = _byline_from(kept)
    tagged = None
    if title:
        title, tagged = clean_title(fix_text(title))
    text = "\n".join(kept)
    if not text.strip():
        raise EmptyInput("no article text left after removing boilerplate")
    if outlet is None:
        outlet = page.outlet or domain_outlet(removed) or _url_site(item.url)
    origin = detect_origin(text, removed, tagged, outlet, title)
    return Article(
        source=item.source, kind=item.kind, text=text, title=title or None, byline=byline,
        outlet=outlet, url=item.url, published=parse_date(published),
        published_evidence="metadata" if published else None,
        language=_language(text, doc_lang, removed, settings), removed=removed,
        origin_publisher=origin.publisher, origin_relation=origin.relation,
        origin_evidence=origin.evidence, content_hash=content_hash(text),
    )


def _language(text: str, doc_lang: str | None, removed: list[str], settings: Settings) -> str | None:
    """The body's language: the whole item's when nothing was removed, else judged again (the
    removed chrome may have been in another language)."""
    if not removed:
        return doc_lang
    return detect_language(text, settings.languages) or doc_lang


def _title_from(kept: list[str]) -> tuple[str | None, list[str]]:
    first = kept[0]
    if (len(first.split()) <= 30 and not first.endswith((".", ":"))) or (len(kept) > 1 and \
            len(first.split()) <= 20):
        return first, kept[1:]
    m = _GLUED.match(first)
    if m and len(kept) == 1:
        return m.group("title"), [first[m.end():]]
    return None, kept


def _byline_from(kept: list[str]) -> tuple[list[str], list[str]]:
    for i, line in enumerate(kept[:3]):
        names = byline_names(line)
        if names:
            return names, kept[:i] + kept[i + 1:]
    return [], kept


def _url_site(url: str | None) -> str | None:
    if not url or "://" not in url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None
