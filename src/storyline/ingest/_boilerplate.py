"""Rules for scraped plain text: the sure signs of chrome that the learned cleaner adds to its own
verdicts (:func:`sure_chrome`), and the whole rule classifier (:func:`classify_lines`).

Each line gets a score from independent signals (cue phrases of site chrome, a language or script
other than the body's, digits without words, list bullets, shortness); then structural rules
look at the document as a whole: a tail that starts at a strong end-of-article marker, an FAQ
block appended after the article, short trailing and leading crumbs, and lines that recur across
documents of the same site.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass

from storyline.ingest._language import count_letters, script_of

# Phrases that only site chrome uses: on any line they mark boilerplate.
_STRONG = re.compile(
    r"(?i)(\bno comments?\s*:?\s*$|\bpost a comment\b|\bleave a (comment|reply)\b"
    r"|\bonly (a )?members? of this (blog|site)\b|\ball rights reserved\b"
    r"|\brights to this material\b|\bcopyright holder\b|\bdo(es)? not reflect the (editorial|views)"
    r"|\b(this|the) (article|story|piece) (was |is |first )?(originally )?(published|appeared) (in|on|by)\b"
    r"|\bskip to (main )?content\b|\bimage (source|credit)s?\s*:|\bphoto(graph)? credits?\s*:"
    r"|\bsubscribe to (our|the) newsletter\b|\byou may also like\b|\bclick here to\b"
    r"|\b(register|sign up) and(/or)? (log|sign) in\b|\bwant to leave a comment\b"
    r"|\bfollow us on\b|\bshare (this|on) (article|story|facebook|twitter)\b|^\s*©|\(c\) \d{4}"
    r"|\bcookie (policy|settings)\b|\bprivacy policy\b|\bterms of (use|service)\b)"
)
# Words that chrome uses but prose may too: they count only on short lines.
_WEAK = re.compile(
    r"(?i)^\W*(log ?in|sign ?in|sign ?up|register|subscribe|update|discussion|comments?|share"
    r"|read more|related( articles| stories| news)?|advertisement|original (publication|article)"
    r"|the news mentions|more news|tags?|print|email|menu|search|home|news|top stories|trending)\b"
)
# A line of prose longer than this is an article paragraph even when it says "terms of use".
_CHROME_MAX_WORDS = 60
_FAQ = re.compile(r"(?i)^\W*(faqs?|frequently asked questions|q\s*&\s*a)\W*$")
_QA = re.compile(r"^\s*[QA]\s*[:.)]\s")
_BULLET = re.compile(r"^\s*[•·▪●◦‣\-–—*]\s*")
_SENTENCE_END = re.compile(r"[.!?…\"”’»)]\s*$")
_WORD = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")


@dataclass(slots=True, frozen=True)
class LineVerdict:
    line: str
    boilerplate: bool
    reason: str


def _words(line: str) -> int:
    return len(_WORD.findall(line))


def _line_score(line: str, body_script: str | None, foreign: Callable[[str], bool]) -> tuple[int, str]:
    text = line.strip()
    letters = count_letters(text)
    digits = len(_DIGIT.findall(text))
    words = _words(text)
    if words <= _CHROME_MAX_WORDS and _STRONG.search(text):
        return 3, "chrome phrase"
    if letters == 0:
        return 3, "no words"
    script = script_of(text)
    if body_script and script and script != body_script and letters >= 3:
        return 3, f"{script.lower()} script in a {body_script.lower()} body"
    score, reason = 0, ""
    if digits / max(letters + digits, 1) > 0.35:
        score, reason = score + 2, "mostly digits"
    if words <= 8 and _WEAK.search(text):
        score, reason = score + 2, "chrome word"
    if _BULLET.match(line) and words <= 12:
        score, reason = score + 1, reason or "list item"
    if words <= 3 and not _SENTENCE_END.search(text):
        score, reason = score + 1, reason or "fragment"
    if score < 2 and words >= 5 and foreign(text):
        score, reason = 3, "other language"
    return score, reason


def _prose_weight(line: str) -> int:
    """Characters of a line that reads like article prose (long, ends a sentence)."""
    return len(line) if _words(line) >= 10 and _SENTENCE_END.search(line.strip()) else 0


def classify_lines(
    lines: list[str],
    foreign: Callable[[str], bool] = lambda _: False,
    recurring: Collection[str] = (),
) -> list[LineVerdict]:
    """Judge every line; blank lines are boilerplate-free and carry no verdict of their own."""
    body_script = script_of(" ".join(line for line in lines if _words(line) >= 8)) or script_of(
        " ".join(lines))
    scored = [_line_score(line, body_script, foreign) if line.strip() else (0, "") for line in lines]
    flags = [s >= 2 for s, _ in scored]
    reasons = [r for _, r in scored]
    for i, line in enumerate(lines):
        if line.strip() and line.strip() in recurring and _prose_weight(line) < 400:
            flags[i], reasons[i] = True, "recurs on this site"
    _tail_rules(lines, flags, reasons, scored)
    _edge_rules(lines, flags, reasons)
    return [LineVerdict(line, flag and bool(line.strip()), reason if flag else "")
            for line, flag, reason in zip(lines, flags, reasons, strict=True)]


def sure_chrome(lines: list[str]) -> list[bool]:
    """Lines that are chrome whatever a model says: a phrase only chrome uses, no words, a script
    other than the body's, an FAQ block or an end-of-article marker's tail after the article."""
    body_script = script_of(" ".join(line for line in lines if _words(line) >= 8)) or script_of(
        " ".join(lines))
    scored = [_line_score(line, body_script, lambda _: False) if line.strip() else (0, "")
              for line in lines]
    # "no words" (a lone figure, a symbol) is left to the model: table cells and code say so too
    flags = [s >= 3 and r != "no words" for s, r in scored]
    reasons = [r for _, r in scored]
    _tail_rules(lines, flags, reasons, scored)
    return flags


def _tail_rules(lines: list[str], flags: list[bool], reasons: list[str],
                scored: list[tuple[int, str]]) -> None:
    """An FAQ block or a strong end marker after most of the prose starts the tail."""
    total = sum(_prose_weight(line) for line in lines) or 1
    seen = 0
    for i, line in enumerate(lines):
        seen += _prose_weight(line)
        if seen / total < 0.5:
            continue
        faq = bool(_FAQ.match(line)) and any(_QA.match(x) for x in lines[i + 1:i + 4])
        marker = scored[i][0] >= 3 and scored[i][1] == "chrome phrase"
        if faq or marker:
            rest = sum(_prose_weight(x) for x in lines[i + 1:])
            if faq or rest / total < 0.3:
                for j in range(i, len(lines)):
                    if lines[j].strip():
                        flags[j] = True
                        reasons[j] = reasons[j] or ("FAQ tail" if faq else "after end marker")
                return


def _edge_rules(lines: list[str], flags: list[bool], reasons: list[str]) -> None:
    """Crumbs: short unpunctuated lines at the very end; lines sandwiched in chrome."""
    for i in range(len(lines) - 1, -1, -1):
        text = lines[i].strip()
        if not text or flags[i]:
            continue
        if _words(text) < 5 and not _SENTENCE_END.search(text):
            flags[i], reasons[i] = True, "trailing crumb"
            continue
        break
    idx = [i for i, line in enumerate(lines) if line.strip()]
    for a, b, c in zip(idx, idx[1:], idx[2:], strict=False):
        if flags[a] and flags[c] and not flags[b] and _words(lines[b]) <= 4 \
                and not _SENTENCE_END.search(lines[b].strip()):
            flags[b], reasons[b] = True, "between chrome lines"
