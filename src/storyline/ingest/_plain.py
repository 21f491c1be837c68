"""Pages too big to clean in bounded time: made smaller, or read as plain text without a parser.

The cleaning of a page (three extractors over its tree) grows with its elements: a page of
100,000 tiny elements took 4 minutes, and a hostile page can hold many more in its 20 MB. So a
reader's HTML is counted first (one linear scan). Over :data:`MAX_ELEMENTS`, its inline
formatting tags (``<span>``, ``<b>``…, which hold words and no structure) are unwrapped; still
over, the page is read as text: script, style and the head dropped, block tags made line
breaks, every other tag removed, by linear scans only (no tree, no recursion, no backtracking),
and the item goes on as a plain-text item (the line cleaner still removes boilerplate lines).
The line cleaner in turn grows with lines (about 0.6 ms a line): a text of more than
:data:`MAX_LINES` non-empty lines is refused with its reason, never cleaned for minutes.
"""

from __future__ import annotations

import dataclasses
import html as htmllib
import re

from storyline.errors import TooLarge
from storyline.ingest._model import RawItem

# The 819 real pages of a web-cleaning benchmark hold 834 elements at the median and 6,399 at
# most; 20,000 (3 times that) cleans in about 5 s on a loaded 2-core machine.
MAX_ELEMENTS = 20_000
# The 794 of those pages as text hold 195 non-empty lines at the median and 2,276 at most;
# 5,000 (twice that) took 24 s to clean on the 2-core machine under a load of 7 (10,000: 30 s
# and a line-distance matrix of 800 MB, which grows with the square of the lines).
MAX_LINES = 5_000

_START = re.compile(r"<[A-Za-z]")
# Formatting tags: unwrapped they leave the same words in the same blocks. Links stay (the
# cleaners weigh link density to find navigation).
_INLINE = re.compile(r"</?(?:span|font|b|i|em|strong|small|big|u|s|strike|sup|sub|mark|abbr|"
                     r"cite|q|time|wbr|code|kbd|var|ins|del|bdi|bdo|nobr)\b[^<>]*>", re.I)
_COMMENT_OPEN, _COMMENT_CLOSE = "<!--", "-->"
_DROPPED = ("script", "style", "noscript", "template", "svg", "math", "iframe", "object", "head",
            "select", "textarea")
_BLOCK = re.compile(r"</?(?:p|div|br|hr|li|ul|ol|dl|dt|dd|h[1-6]|tr|table|thead|tbody|tfoot|"
                    r"article|section|header|footer|nav|aside|main|blockquote|pre|figure|"
                    r"figcaption|address|details|summary|form|fieldset|legend|caption|center)"
                    r"\b[^<>]*>", re.I)
_TAG = re.compile(r"<[^<>]*>")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_TITLE = re.compile(r"<title\b[^<>]*>", re.I)


def elements(html: str) -> int:
    """How many start tags ``html`` holds (a linear count, no parse)."""
    return sum(1 for _ in _START.finditer(html))


def bounded(item: RawItem, limit: int = MAX_ELEMENTS,
            max_lines: int = MAX_LINES) -> RawItem | TooLarge:
    """``item`` as its cleaner reads it in bounded time: unchanged when its HTML holds at most
    ``limit`` elements, else with its inline tags unwrapped, else read as plain text; a text of
    over ``max_lines`` lines is the reason it is refused."""
    if item.html is not None and elements(item.html) > limit:
        smaller = _without_comments(_INLINE.sub("", item.html))
        if elements(smaller) <= limit:
            return dataclasses.replace(item, html=smaller)
        title, text = plain_text(smaller)
        item = dataclasses.replace(item, html=None, text=text, title=item.title or title)
    if item.html is None and item.text is not None:
        lines = sum(1 for line in item.text.split("\n") if line.strip())
        if lines > max_lines:
            return TooLarge(f"{lines:,} lines of text, over the {max_lines:,} one article can "
                            "hold and be cleaned in bounded time; split it into articles")
    return item


def plain_text(html: str) -> tuple[str | None, str]:
    """The page's title and its text, one line per block, by linear scans only."""
    title = _title(html)
    for name in _DROPPED:
        html = _drop(html, name)
    html = _BLOCK.sub("\n", html)
    html = _TAG.sub("", html)
    lines = (_SPACES.sub(" ", htmllib.unescape(line)).strip() for line in html.split("\n"))
    return title, "\n".join(line for line in lines if line)


def _title(html: str) -> str | None:
    found = _TITLE.search(html)
    if found is None:
        return None
    end = html.lower().find("</title", found.end())
    raw = html[found.end():end if end >= 0 else found.end() + 300]
    title = _SPACES.sub(" ", htmllib.unescape(_TAG.sub("", raw))).strip()
    return title[:300] or None


def _without_comments(html: str) -> str:
    out, at = [], 0
    while (start := html.find(_COMMENT_OPEN, at)) >= 0:
        out.append(html[at:start])
        end = html.find(_COMMENT_CLOSE, start + 4)
        at = len(html) if end < 0 else end + 3
    out.append(html[at:])
    return "".join(out)


def _drop(html: str, name: str) -> str:
    """``html`` without each ``<name …>…</name>`` (an unclosed one runs to the end): one pass
    forward, so many unclosed tags cost no more than one."""
    low = html.lower()
    opening, closing = "<" + name, "</" + name
    out, at = [], 0
    while (start := low.find(opening, at)) >= 0:
        after = start + len(opening)
        if after < len(low) and (low[after].isalnum() or low[after] in "-_:"):
            out.append(html[at:after])  # a longer name (<header> for <head>): kept
            at = after
            continue
        out.append(html[at:start])
        end = low.find(closing, after)
        if end < 0:
            at = len(html)
            break
        close = low.find(">", end)
        at = len(html) if close < 0 else close + 1
    out.append(html[at:])
    return "".join(out)
