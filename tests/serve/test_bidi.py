"""Bidi controls in stored fields never reorder what a page shows."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from markupsafe import Markup

from storyline.pipeline import run_ingest
from storyline.serve import create_app
from storyline.serve._security import neutral
from storyline.settings import Settings
from storyline.store import Document, Store

RLO, PDF, LRI, PDI, RLM = "\u202e", "\u202c", "\u2066", "\u2069", "\u200f"
CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize(("value", "shown"), [
    (f"Mira Kessel{RLO}txt.exe{PDF}", "Mira Kesseltxt.exe"),
    (f"{LRI}Ostrana Daily{PDI}{RLM}", "Ostrana Daily"),
    (Markup(f"<b>{RLO}harbour</b>"), Markup("<b>harbour</b>")),
    ("no control here", "no control here"),
    (None, None),
    (7, 7),
])
def test_neutral_removes_bidi_controls_and_keeps_markup_markup(value: object, shown: object) -> None:
    out = neutral(value)
    assert (out, type(out)) == (shown, type(shown))


def test_a_byline_with_a_right_to_left_override_renders_neutralised(tmp_path: Path) -> None:
    record = {"title": "Harbour strike ends", "outlet": "Ostrana Daily",
              "text": "Harbour workers in Ostrana returned on Monday, the union said.\n"
                      "The port reopened after a week, officials said."}
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    run_ingest([tmp_path / "in"], store, Settings(db=store.url, processes=1), nlp=False)
    with store.session.begin() as s:  # as a store written before ingest scrubbed them holds it
        doc = s.get(Document, 1)
        assert doc is not None
        doc.byline = [f"Mira Kessel{RLO} · reprint of Valdoria Herald"]
        doc.title = f"Harbour {RLO}strike ends"
        doc.outlet = f"Ostrana {LRI}Daily{PDI}"
    with TestClient(create_app(store, Settings(db=store.url))) as c:
        page = c.get("/documents/d1")
        listing = c.get("/documents")
    store.close()
    assert (page.status_code, listing.status_code) == (200, 200)
    assert CONTROLS.findall(page.text + listing.text) == []
    meta = re.search(r'<p class="meta">(.*?) · source:', page.text, re.S)
    assert meta is not None
    assert meta.group(1) == "Mira Kessel · reprint of Valdoria Herald · Ostrana Daily · en"
    assert "<h1 class=\"headline\">Harbour strike ends</h1>" in page.text
