"""The HTML path: trafilatura's precise body (its default mode's when far longer), readability's
when both extractors see more; a page no extractor reads keeps its visible text."""

from __future__ import annotations

import pytest

from storyline.ingest import extract_html
from storyline.ingest._html import choose_body

ARTICLE = "The ministry said the convoy crossed the border at dawn, officials told reporters."
LONG = "\n".join([ARTICLE] * 4)


@pytest.mark.parametrize(("precise", "read", "recall", "expected"), [
    (ARTICLE, LONG, LONG, LONG),          # both others find more: precise mode dropped text
    (ARTICLE, LONG, ARTICLE, ARTICLE),    # only readability finds more: likely chrome
    (ARTICLE, ARTICLE, LONG, ARTICLE),    # readability agrees with the precise body
    ("", LONG, ARTICLE, LONG),            # precise mode found nothing
    ("", "", ARTICLE, ARTICLE),
])
def test_choose_body(precise: str, read: str, recall: str, expected: str) -> None:
    assert choose_body(precise, read, lambda: recall) == expected


def test_recall_mode_only_runs_when_needed() -> None:
    calls: list[int] = []

    def recall() -> str:
        calls.append(1)
        return LONG

    choose_body(LONG, ARTICLE, recall)
    assert calls == []


def test_extract_html_keeps_paragraphs_and_drops_navigation() -> None:
    paragraphs = "".join(f"<p>{ARTICLE} Paragraph {i} adds detail on the talks.</p>" for i in range(6))
    html = (f"<html><head><title>Talks resume</title></head><body><nav><a href='/'>Home</a> "
            f"<a href='/w'>World</a></nav><article><h1>Talks resume</h1>{paragraphs}</article>"
            "<footer>Subscribe to our newsletter</footer></body></html>")
    got = extract_html(html)
    assert "Paragraph 5 adds detail" in got.text and "Paragraph 0" in got.text
    assert "newsletter" not in got.text and "Home" not in got.text


def test_a_page_without_an_article_still_gives_its_text() -> None:
    html = "<html><body><div><span>Ostrana</span> <span>harbour opens at dawn</span></div></body></html>"
    assert extract_html(html).text == "Ostrana harbour opens at dawn"
