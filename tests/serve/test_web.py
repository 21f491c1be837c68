"""The web pages: they render, they escape hostile text, they guard edits."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests.serve.conftest import Served

PAGES = ["/", "/stances", "/documents", "/entities", "/provenance", "/network", "/audit",
         "/signin", "/search?q=ministry"]


class ActiveContent(HTMLParser):
    """Collects what a browser would run: scripts, event handlers, javascript: URLs, images."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and values.get("src") != "/static/app.js":
            self.found.append("inline or foreign script")
        if tag in ("img", "iframe", "object", "embed"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"handler {name}")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"javascript: in {name}")


def active(html: str) -> list[str]:
    parser = ActiveContent()
    parser.feed(html)
    return parser.found


def _all_pages(served: Served) -> list[str]:
    docs = served.client.get("/api/v1/documents?limit=500").json()["items"]
    clusters = served.client.get("/api/v1/clusters?limit=20").json()["items"]
    ents = served.client.get("/api/v1/entities?limit=20").json()["items"]
    return (PAGES + [f"/documents/{d['id']}" for d in docs] + [f"/clusters/{k['id']}" for k in clusters]
            + [f"/entities/{e['id']}" for e in ents])


def test_every_page_renders_and_runs_nothing_from_articles(served: Served) -> None:
    for path in _all_pages(served):
        r = served.client.get(path)
        assert r.status_code == 200, (path, r.text[:300])
        assert active(r.text) == [], path
        assert "Content-Security-Policy" in r.headers and "script-src 'self'" in r.headers[
            "Content-Security-Policy"] and "unsafe-inline" not in r.headers["Content-Security-Policy"]
        assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_hostile_text_is_shown_as_text(served: Served) -> None:
    docs = served.client.get("/api/v1/documents?limit=500").json()["items"]
    hostile = next(d for d in docs if d["title"] and "Ministry" in d["title"])
    page = served.client.get(f"/documents/{hostile['id']}").text
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in page
    assert "javascript:alert(4)" in page and 'href="javascript:alert(4)"' not in page


def test_cluster_page_shows_chart_grade_and_evidence(served: Served) -> None:
    k = served.client.get("/api/v1/clusters?limit=1").json()["items"][0]
    page = served.client.get(f"/clusters/{k['id']}").text
    assert "<svg" in page and 'class="chart timeline"' in page
    assert k["grade"] in page and "Why this grade" in page and "<mark>" in page


def test_document_page_has_highlights_and_boilerplate_toggle(served: Served) -> None:
    docs = served.client.get("/api/v1/documents?limit=500").json()["items"]
    page = served.client.get(f"/documents/{docs[0]['id']}").text
    assert 'class="entity"' in page and '<details id="boilerplate">' in page


@pytest.mark.parametrize("path", ["/documents/d99999", "/clusters/k99999", "/entities/e99999"])
def test_missing_pages_say_so(served: Served, path: str) -> None:
    r = served.client.get(path)
    assert r.status_code == 404 and "storyline" in r.text and "<h1>404</h1>" in r.text


def _csrf(served: Served, path: str = "/signin") -> str:
    page = served.client.get(path).text
    m = re.search(r'name="csrf" value="([^"]+)"', page)
    assert m, page[:500]
    return m.group(1)


def test_edits_need_sign_in_and_csrf(served: Served) -> None:
    claim = served.client.get("/api/v1/claims?limit=1").json()["items"][0]
    served.client.cookies.clear()
    csrf = _csrf(served)
    r = served.client.post(f"/claims/{claim['id']}/status", data={"csrf": csrf, "status": "denied"})
    assert r.status_code == 401
    r = served.client.post("/signin", data={"csrf": "forged", "token": served.token})
    assert r.status_code == 401
    r = served.client.post("/signin", data={"csrf": csrf, "token": "wrong"})
    assert r.status_code == 401
    r = served.client.post("/signin", data={"csrf": csrf, "token": served.token}, follow_redirects=False)
    assert r.status_code == 303
    r = served.client.post(f"/claims/{claim['id']}/status", data={"csrf": "forged", "status": "denied"})
    assert r.status_code == 401
    r = served.client.post(f"/claims/{claim['id']}/status",
                           data={"csrf": csrf, "status": "denied", "comment": "web edit"},
                           follow_redirects=False)
    assert r.status_code == 303
    assert "web edit" in served.client.get("/audit").text
    served.client.post(f"/claims/{claim['id']}/status", data={"csrf": csrf, "status": ""})
    served.client.cookies.clear()
