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


LISTS = ["stories", "claims", "documents", "entities", "quotes", "figures"]


@pytest.mark.parametrize("name", LISTS)
def test_every_list_has_facets_totals_and_json_and_csv_twins(served: Served, name: str) -> None:
    page = served.client.get(f"/{name}")
    assert page.status_code == 200 and 'class="totals"' in page.text
    assert f'href="/{name}.json"' in page.text and f'href="/{name}.csv"' in page.text
    data = served.client.get(f"/{name}.json").json()
    assert set(data) >= {"items", "total", "facets", "filters", "sort", "page", "pages", "size"}
    assert data["total"] > 0 and data["page"] == 1 and data["filters"] == {}
    assert all(v["count"] > 0 for f in data["facets"] for v in f["values"])
    rows = served.client.get(f"/{name}.csv")
    assert rows.headers["content-type"].startswith("text/csv")
    assert len(rows.text.strip().splitlines()) >= data["total"] + 1  # header + every row (cells may wrap)


def test_a_facet_count_is_what_its_filter_leaves(served: Served) -> None:
    for name in ("stories", "claims", "documents", "quotes"):
        data = served.client.get(f"/{name}.json").json()
        for facet in data["facets"]:
            for v in facet["values"][:3]:
                key = facet["name"]
                got = served.client.get(f"/{name}.json", params={key: v["value"]}).json()
                assert got["total"] == v["count"], (name, key, v)


def test_pages_are_numbered_and_sorts_apply(served: Served) -> None:
    everything = served.client.get("/entities.json?size=500&sort=name").json()
    names = [e["name"] for e in everything["items"]]
    assert names == sorted(names) and len(names) == everything["total"] > 6
    second = served.client.get("/entities.json?size=3&page=2&sort=name").json()
    assert [e["name"] for e in second["items"]] == names[3:6]
    assert second["pages"] == -(-everything["total"] // 3)
    desc = served.client.get("/entities.json?size=500&sort=-documents").json()["items"]
    assert [e["documents"] for e in desc] == sorted((e["documents"] for e in desc), reverse=True)
    html = served.client.get("/entities?size=3&page=2&sort=name").text
    assert 'aria-current="page">2<' in html and 'rel="next"' in html and 'rel="prev"' in html


def test_a_bad_filter_says_what_to_use(served: Served) -> None:
    r = served.client.get("/claims?status=maybe")
    assert r.status_code == 400 and "unknown status" in r.text


@pytest.mark.parametrize("kind", ["clusters", "documents", "entities"])
def test_every_page_has_a_json_twin_with_the_apis_data(served: Served, kind: str) -> None:
    ref = served.client.get(f"/api/v1/{kind}?limit=1").json()["items"][0]["id"]
    twin = served.client.get(f"/{kind}/{ref}.json")
    assert twin.status_code == 200 and twin.json() == served.client.get(f"/api/v1/{kind}/{ref}").json()
    assert served.client.get(f"/{kind}/{ref}.csv").headers["content-type"].startswith("text/csv")
    assert f'href="/{kind}/{ref}.json"' in served.client.get(f"/{kind}/{ref}").text


def test_search_finds_an_entity_by_a_merged_name_with_its_documents(served: Served) -> None:
    ents = served.client.get("/entities.json?size=500&sort=-documents").json()["items"]
    keep, gone = ents[0], next(e for e in ents[1:] if e["name"].lower() not in ents[0]["name"].lower())
    csrf = _signed_in(served)
    served.client.post("/entities/merge", data={"csrf": csrf, "a": keep["name"], "b": gone["name"]})
    try:
        after = served.client.get("/entities.json?size=500").json()["items"]
        one = next(e for e in after if {keep["name"], gone["name"]} <= {e["name"], *e["aliases"]})
        other = gone["name"] if one["name"] == keep["name"] else keep["name"]
        found = served.client.get("/search.json", params={"q": other}).json()
        top = found["entities"][0]
        assert (top["id"], top["how"], top["matched"]) == (one["id"], "alias", other)
        assert found["documents_total"] >= top["documents"] >= max(keep["documents"], gone["documents"])
        assert all(d["snippet"]["match"] for d in found["documents"] if d["via_entity"])
        page = served.client.get("/search", params={"q": other}).text
        assert f'href="/entities/{top["id"]}"' in page and "<mark>" in page
    finally:
        served.client.post("/entities/split", data={"csrf": csrf, "a": keep["name"], "b": gone["name"]})
        served.client.cookies.clear()


def test_search_filters_claims_by_status(served: Served) -> None:
    claim = served.client.get("/claims.json").json()["items"][0]
    word = max(re.findall(r"[A-Za-z]{4,}", claim["text"]), key=len)
    found = served.client.get("/search.json", params={"q": word, "status": claim["status"]}).json()
    assert claim["id"] in [c["id"] for c in found["claims"]]
    assert {c["status"] for c in found["claims"]} == {claim["status"]}
    assert all(c["snippet"]["match"].lower() == word.lower() for c in found["claims"])


def test_the_timeline_fits_the_page_and_names_each_document_once(served: Served) -> None:
    k = served.client.get("/api/v1/clusters?limit=1").json()["items"][0]
    svg = served.client.get(f"/clusters/{k['id']}").text.split('<svg', 1)[1].split("</svg>")[0]
    assert "viewBox" in svg and 'width="' not in svg.split(">", 1)[0]
    assert 'role="img"' not in svg and 'class="point"' in svg
    axis = re.findall(r'class="axis">([^<]+)<', svg)
    labels = [a for a in axis if re.fullmatch(r"d\d+", a)]
    assert len(labels) == len(set(labels))


def _signed_in(served: Served) -> str:
    served.client.cookies.clear()
    csrf = _csrf(served)
    served.client.post("/signin", data={"csrf": csrf, "token": served.token})
    return csrf


def test_edit_forms_show_only_when_signed_in(served: Served) -> None:
    k = served.client.get("/api/v1/clusters?limit=1").json()["items"][0]["id"]
    served.client.cookies.clear()
    assert 'class="edit' not in served.client.get(f"/clusters/{k}").text
    _signed_in(served)
    page = served.client.get(f"/clusters/{k}").text
    assert 'action="/claims/c' in page and "/holder" in page and "/story" in page
    served.client.cookies.clear()


def test_correct_a_holder_and_move_a_claim(served: Served) -> None:
    stories = served.client.get("/api/v1/clusters?limit=50").json()["items"]
    k = stories[0]["id"]
    c = served.client.get(f"/api/v1/clusters/{k}").json()["timeline"][0]["claim"]
    csrf = _signed_in(served)
    r = served.client.post(f"/claims/{c}/holder", data={"csrf": csrf, "holder": " Ivan  Roe ",
                                                        "comment": "named in the next line"},
                           follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/clusters/{k}#{c}"
    one = served.client.get(f"/claims/{c}.json").json()
    assert one["holder"] == "Ivan Roe" and one["holder_corrected"] is True
    page = served.client.get(f"/clusters/{k}").text
    assert "correction: holder → <b>Ivan Roe</b>" in page
    r = served.client.post(f"/claims/{c}/holder", data={"csrf": csrf, "holder": ""},
                           follow_redirects=False)
    assert served.client.get(f"/claims/{c}.json").json()["holder_corrected"] is False
    if len(stories) > 1:
        other = stories[1]["id"]
        r = served.client.post(f"/claims/{c}/story", data={"csrf": csrf, "story": other},
                               follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == f"/clusters/{other}#{c}"
        assert served.client.get(f"/claims/{c}.json").json()["cluster"] == other
        served.client.post(f"/claims/{c}/story", data={"csrf": csrf, "story": k})
    r = served.client.post(f"/claims/{c}/story", data={"csrf": csrf, "story": "k99999"})
    assert r.status_code == 404
    audit = served.client.get("/audit.json").json()["items"]
    assert "claim.holder" in [a["action"] for a in audit]
    served.client.cookies.clear()


def test_the_stance_matrix_keeps_only_actors_with_positions(served: Served) -> None:
    m = served.client.get("/stances.json").json()
    counts = [r["positions"] for r in m["actors"]]
    assert counts == sorted(counts, reverse=True) and all(n > 0 for n in counts)
    assert [x["stance"] for x in m["legend"]] == ["supported", "opposed", "considered", "proposed"]
    if m["issues"]:
        issue = m["issues"][0]["id"]
        one = served.client.get("/stances.json", params={"issue": issue}).json()
        assert [i["id"] for i in one["issues"]] == [issue]
        assert all(set(r["cells"]) == {issue} for r in one["actors"])
        top = one["actors"][0]
        assert sum(x["count"] for x in top["summary"][issue]) == top["positions"]
        cell = served.client.get("/stances.json", params={"issue": issue, "actor": top["actor"]}).json()
        assert [x["claim"] for x in cell["evidence"]] == [x["claim"] for x in top["cells"][issue]]
        assert 'id="evidence"' in served.client.get("/stances", params={"issue": issue,
                                                                       "actor": top["actor"]}).text


def _event(n: int, date: str | None, status: str, doc: str = "d1") -> dict[str, object]:
    return {"claim": f"c{n}", "document": doc, "date": date, "status": status,
            "holder": "Ivan Roe", "text": f"The envoy said the convoy crossed ({n}).", "figures": []}


def test_a_dated_timeline_has_a_time_axis_and_keeps_asserted_apart() -> None:
    from storyline.serve._charts import status_timeline

    events = [_event(1, "2024-10-01", "reported"), _event(2, "2024-10-03", "asserted"),
              _event(3, "2024-10-21", "confirmed", "d2"), _event(4, None, "denied", "d3")]
    svg = str(status_timeline(events, "event"))
    xs = [float(x) for x in re.findall(r'<circle cx="([\d.]+)" cy="\d+" r="7"', svg)]
    assert xs == sorted(xs) and len(xs) == 4
    assert (xs[1] - xs[0]) / (xs[2] - xs[0]) == pytest.approx(2 / 20)  # days apart, to scale
    axis = re.findall(r'class="axis">([^<]+)<', svg)
    assert axis[0].startswith("below: asserted") and axis[1] == "2024-10-01"
    assert axis[-2:] == ["2024-10-21", "undated"]
    lanes = dict(re.findall(r'cy="(\d+)" r="5" fill="[^"]+"/><text[^>]*>(\w+)<', svg))
    by_name = {v: int(k) for k, v in lanes.items()}
    assert list(by_name) == ["confirmed", "reported", "unconfirmed", "denied", "asserted"]
    assert by_name["asserted"] - by_name["denied"] > by_name["denied"] - by_name["unconfirmed"]
    assert 'polyline points="' in svg and svg.count("<a ") == 4 and 'role="img"' not in svg


@pytest.mark.parametrize("page", ["stances", "provenance", "network", "audit"])
def test_overview_pages_have_json_and_csv_twins(served: Served, page: str) -> None:
    html = served.client.get(f"/{page}").text
    assert f'href="/{page}.json"' in html and f'href="/{page}.csv"' in html
    assert served.client.get(f"/{page}.json").status_code == 200
    rows = served.client.get(f"/{page}.csv")
    assert rows.status_code == 200 and rows.headers["content-type"].startswith("text/csv")
    assert served.client.get(f"/{page}.xml").status_code == 404


def test_a_headline_claim_is_marked_in_the_title_where_its_permalink_points() -> None:
    from storyline.serve.web import headline

    heads = [{"id": "c7", "text": "Ostrana closes the Valdoria crossing"},
             {"id": "c8", "text": "a wording the title does not hold"}]
    html = str(headline("Live: Ostrana closes the Valdoria crossing <at dawn>", heads))
    assert html == ('<a class="anchor" id="c8"></a><span class="claim in-c8">Live: </span>'
                    '<a class="anchor" id="c7"></a>'
                    '<span class="claim in-c7 in-c8">Ostrana closes the Valdoria crossing</span>'
                    '<span class="claim in-c8"> &lt;at dawn&gt;</span>')
