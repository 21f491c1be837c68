import re
from pathlib import Path

import html5lib
import pytest

from storyline.assess.brief import brief_html, brief_markdown
from storyline.pipeline import run_ingest
from storyline.settings import Settings
from storyline.store import Store


@pytest.fixture(scope="module")
def briefs(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    examples = Path(__file__).resolve().parents[2] / "examples"
    db = f"sqlite:///{tmp_path_factory.mktemp('brief') / 'b.db'}"
    with Store(db) as store:
        run_ingest([str(examples)], store, Settings(db=db, processes=1))
        return brief_markdown(store), brief_html(store)


def test_markdown_is_one_line_a_paragraph_and_every_reference_links(briefs: tuple[str, str]) -> None:
    md, _ = briefs
    refs = re.findall(r"\[d\d+:\d+-\d+\]", md)
    links = re.findall(r"\[d\d+:\d+-\d+\]\(/documents/d\d+#(?:c\d+|s\d+-\d+)\)", md)
    assert refs and len(links) == len(refs)
    assert "## Key claims" in md and "## Sources" in md
    assert [ln for ln in md.splitlines() if "“ " in ln or " ”" in ln] == []
    assert "\n\n\n" not in md


def test_html_parses_escapes_and_links_every_reference(briefs: tuple[str, str]) -> None:
    md, page = briefs
    parser = html5lib.HTMLParser(strict=True)
    parser.parse(page)
    assert parser.errors == []
    assert "**" not in page and "<style>" in page
    hrefs = re.findall(r'<a href="/documents/d\d+#(?:c\d+|s\d+-\d+)">d\d+:\d+-\d+</a>', page)
    assert len(hrefs) == len(re.findall(r"\[d\d+:\d+-\d+\]", md))


def test_stance_lines_quote_different_sentences(briefs: tuple[str, str]) -> None:
    md, _ = briefs
    stances = md.split("## Stances", 1)[1].split("## Sources", 1)[0] if "## Stances" in md else ""
    quoted = re.findall(r"“(.+)” \[d\d+:\d+-\d+\]", stances)
    assert len(quoted) == len(set(quoted))


def test_relation_phrase_reads_as_english() -> None:
    from storyline.assess.brief import relation_phrase

    got = [relation_phrase("reprint", "Valdoria Wire"), relation_phrase("cites", "Ostrana Post"),
           relation_phrase("original", None)]
    assert got == ["reprint of Valdoria Wire", "cites Ostrana Post", "original"]
