"""The REST API: reads, filters, pagination, caching, the error shape, token-guarded writes."""

from __future__ import annotations

import pytest

from tests.serve.conftest import Served, finished_job


def _json(served: Served, path: str, status: int = 200) -> dict:  # type: ignore[type-arg]
    r = served.client.get(path)
    assert r.status_code == status, r.text
    return r.json()  # type: ignore[no-any-return]


@pytest.mark.parametrize("path", ["/api/v1/documents", "/api/v1/entities", "/api/v1/quotes",
                                  "/api/v1/figures", "/api/v1/claims", "/api/v1/clusters",
                                  "/api/v1/audit"])
def test_lists_are_paginated(served: Served, path: str) -> None:
    page = _json(served, path + "?limit=2")
    assert set(page) >= {"items", "total", "limit", "offset"} and page["limit"] == 2
    assert len(page["items"]) <= 2
    if page["total"] > 2:
        nxt = _json(served, path + "?limit=2&offset=2")
        assert nxt["items"] and nxt["items"][0] != page["items"][0]


def test_document_detail_has_provenance_and_findings(served: Served) -> None:
    first = _json(served, "/api/v1/documents?limit=1")["items"][0]
    doc = _json(served, f"/api/v1/documents/{first['id']}")
    assert {"text", "removed", "origin", "entities", "quotes", "figures", "claims"} <= set(doc)


def test_reprint_shares_its_origin(served: Served) -> None:
    docs = _json(served, "/api/v1/documents?limit=100")["items"]
    copies = [d for d in docs if d["near_duplicate_of"] or d["origin"]["relation"] == "reprint"]
    assert copies, docs


def test_filters(served: Served) -> None:
    ents = _json(served, "/api/v1/entities?type=person&limit=100")["items"]
    assert ents and all(e["type"] == "PERSON" for e in ents)
    someone = ents[0]["id"]
    docs = _json(served, f"/api/v1/documents?entity={someone}")["items"]
    assert docs
    claims = _json(served, "/api/v1/claims?status=reported&limit=100")["items"]
    assert all(c["status"] == "reported" for c in claims)
    assert _json(served, "/api/v1/documents?since=2999-01-01")["total"] == 0


def test_cluster_detail_has_grade_reasons_timeline(served: Served) -> None:
    k = _json(served, "/api/v1/clusters?limit=1")["items"][0]
    view = _json(served, f"/api/v1/clusters/{k['id']}")
    assert view["grade"]["code"][0] in "ABCDEF" and 1 <= view["grade"]["credibility"] <= 6
    assert isinstance(view["reasons"], list) and view["timeline"]


def test_search_and_stances(served: Served) -> None:
    found = _json(served, "/api/v1/search?q=border")
    assert found["documents"]
    assert {"issues", "actors"} <= set(_json(served, "/api/v1/stances"))


@pytest.mark.parametrize(("path", "status", "code"), [
    ("/api/v1/documents/d99999", 404, "not_found"),
    ("/api/v1/documents/banana", 404, "not_found"),
    ("/api/v1/clusters/k99999", 404, "not_found"),
    ("/api/v1/documents?limit=0", 422, "invalid_request"),
    ("/api/v1/claims?status=maybe", 422, "invalid_request"),
    ("/api/v1/nothing-here", 404, "http_404"),
    ("/api/v1/search?q=a%00b", 422, "invalid_request"),        # PostgreSQL cannot store NUL
    ("/api/v1/documents?outlet=%00", 422, "invalid_request"),
])
def test_one_error_shape(served: Served, path: str, status: int, code: str) -> None:
    body = _json(served, path, status)
    assert set(body) == {"error"} and body["error"]["code"] == code and body["error"]["message"]


def test_etag_gives_304_until_the_store_changes(served: Served) -> None:
    r = served.client.get("/api/v1/documents")
    tag = r.headers["etag"]
    again = served.client.get("/api/v1/documents", headers={"If-None-Match": tag})
    assert again.status_code == 304
    other = served.client.get("/api/v1/documents?limit=3", headers={"If-None-Match": tag})
    assert other.status_code == 200


def test_writes_need_a_token(served: Served) -> None:
    claim = _json(served, "/api/v1/claims?limit=1")["items"][0]
    path = f"/api/v1/claims/{claim['id']}/status"
    r = served.client.post(path, json={"status": "denied"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    r = served.client.post(path, json={"status": "denied"}, headers={"Authorization": "Bearer nope"})
    assert r.status_code == 401
    r = served.client.post(path, json={"status": "denied", "comment": "checked the source"},
                           headers={"Authorization": f"Bearer {served.token}"})
    assert r.status_code == 200, r.text
    assert _json(served, f"/api/v1/claims?document={claim['document']}&limit=500")["items"][0]
    log = _json(served, "/api/v1/audit")["items"]
    assert log[0]["who"] == "tester" and log[0]["comment"] == "checked the source"
    undo = served.client.post(path, json={"status": None},
                              headers={"Authorization": f"Bearer {served.token}"})
    assert undo.status_code == 200


def test_upload_ingests_and_is_idempotent(served: Served) -> None:
    auth = {"Authorization": f"Bearer {served.token}"}
    text = ("Harbour workers in Ostrana walked out on Friday, the union said.\n"
            "The strike closed the port for the first time since 1998, officials said.\n")
    files = [("files", ("../../etc/strike.txt", text.encode(), "text/plain"))]
    assert served.client.post("/api/v1/documents", files=files).status_code == 401
    job = finished_job(served.client, served.client.post("/api/v1/documents", files=files,
                                                         headers=auth), auth)
    assert (job["state"], job["new"], job["duplicate"], job["failed"]) == ("done", 1, 0, []), job
    again = finished_job(served.client, served.client.post("/api/v1/documents", files=files,
                                                           headers=auth), auth)
    assert (again["state"], again["new"], again["duplicate"]) == ("done", 0, 1), again
    docs = _json(served, "/api/v1/documents?limit=500")["items"]
    detail = _json(served, f"/api/v1/documents/{docs[-1]['id']}")
    assert detail["source"] == "upload:strike.txt"


@pytest.mark.parametrize(("name", "status"), [("payload.exe", 415), ("notes.pdf", 415)])
def test_upload_rejects_other_types(served: Served, name: str, status: int) -> None:
    r = served.client.post("/api/v1/documents", files=[("files", (name, b"MZ\x00", "x/y"))],
                           headers={"Authorization": f"Bearer {served.token}"})
    assert r.status_code == status and r.json()["error"]["code"] == "unsupported_input"


def test_openapi_is_served(served: Served) -> None:
    spec = _json(served, "/api/v1/openapi.json")
    assert "/api/v1/clusters/{ref}" in spec["paths"]


def test_entity_page_details_its_latest_documents(served: Served,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from storyline.serve import _queries

    ents = _json(served, "/api/v1/entities?limit=100")["items"]
    busy = max(ents, key=lambda e: len(_json(served, f"/api/v1/entities/{e['id']}")["documents"]))
    whole = _json(served, f"/api/v1/entities/{busy['id']}")
    assert whole["documents_total"] == len(whole["documents"]) > 1
    monkeypatch.setattr(_queries, "ENTITY_DOCUMENTS", 1)
    part = served.client.get(f"/api/v1/entities/{busy['id']}", headers={"Cache-Control": "no-cache"}).json()
    assert part["documents"] == [max(whole["documents"], key=lambda d: int(d[1:]))]
    assert part["documents_total"] == whole["documents_total"]
    page = served.client.get(f"/entities/{busy['id']}").text
    assert "the latest 1 of" in page and "/documents?entity=" in page
