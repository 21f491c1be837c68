"""The workbench in a real browser: Debian's chromium driven by Playwright, headless.

Screenshots land in test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from storyline.pipeline import run_ingest
from storyline.serve import create_app, create_token
from storyline.settings import Settings
from storyline.store import Store
from tests.conftest import ROOT, SEEDS

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed "
                                "(.ci/run installs it: apt-get install chromium)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    import uvicorn

    folder = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{folder / 'b.db'}"
    store, settings = Store(url), Settings(db=url, processes=1, batch_size=8)
    run_ingest([SEEDS if SEEDS.is_dir() else ROOT / "examples"], store, settings)
    token = create_token(store, "browser-tester")
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(store, settings), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}", token
    server.should_exit = True
    thread.join(timeout=10)
    store.close()


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield b
        b.close()


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_follow_a_story_and_see_its_chart(site, browser) -> None:  # type: ignore[no-untyped-def]
    base, _ = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(base + "/")
    assert page.locator("li.story").count() > 0
    _shot(page, "01-home")
    page.locator("li.story a.label").first.click()
    page.wait_for_url("**/clusters/k*")
    chart = page.locator("svg.chart.timeline")
    chart.wait_for(state="visible")
    box = chart.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 100
    assert page.locator("svg.chart.timeline circle").count() >= 1
    assert page.locator("#status-chart[data-ready='1']").count() == 1  # our script ran under the CSP
    _shot(page, "02-cluster")
    assert errors == [], errors  # no CSP violations or script errors


def test_toggle_boilerplate(site, browser) -> None:  # type: ignore[no-untyped-def]
    base, _ = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base + "/documents/d1")
    details = page.locator("details#boilerplate")
    assert details.get_attribute("open") is None
    details.locator("summary").click()
    assert details.get_attribute("open") is not None
    assert page.locator("pre.removed").is_visible()
    _shot(page, "03-document-boilerplate-open")


def test_edit_without_then_with_a_token(site, browser) -> None:  # type: ignore[no-untyped-def]
    base, token = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base + "/")
    page.locator("li.story a.label").first.click()
    page.wait_for_url("**/clusters/k*")
    cluster_url = page.url
    form = page.locator("form.edit").first
    form.locator("select").select_option("denied")
    form.locator("input[name=comment]").fill("browser test, no token")
    form.locator("button").click()
    assert "401" in page.locator("h1").inner_text()
    _shot(page, "04-edit-refused")
    page.goto(base + "/signin")
    page.fill("input[name=token]", token)
    page.click("form.edit button")
    page.wait_for_url(base + "/")
    assert "browser-tester" in page.locator(".who").inner_text()
    page.goto(cluster_url)
    form = page.locator("form.edit").first
    form.locator("select").select_option("denied")
    form.locator("input[name=comment]").fill("browser test, signed in")
    form.locator("button").click()
    page.wait_for_url("**/clusters/k*")
    page.goto(base + "/audit")
    assert "browser test, signed in" in page.content()
    _shot(page, "05-audit")


@pytest.mark.parametrize(("path", "name"), [("/stances", "06-stances"), ("/provenance", "07-provenance"),
                                            ("/network", "08-network")])
def test_overview_pages(site, browser, path: str, name: str) -> None:  # type: ignore[no-untyped-def]
    base, _ = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    response = page.goto(base + path)
    assert response is not None and response.status == 200
    _shot(page, name)
