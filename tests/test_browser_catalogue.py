"""Browser test: `streamlit run dashboard.py` in headless Debian Chromium shows the catalogue."""
import pytest
from playwright.sync_api import expect

from tests.browser import ROOT, streamlit_server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with streamlit_server(tmp_path_factory.mktemp("state")) as url:
        yield url


def _no_exception(page):
    assert page.locator("[data-testid=stException]").count() == 0


def test_deep_link_on_fresh_server_renders_full_app(server, browser):
    """The first request to a fresh server is a shared deep link: sidebar and page must both render."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/daten?lang=English", timeout=60_000)
    expect(page.get_by_role("heading", name="Data & sources")).to_be_visible(timeout=90_000)
    expect(page.locator("[data-testid=stSidebar]")).to_be_visible()
    _no_exception(page)
    page.close()


def test_catalogue_page_shows_datasets_and_takes_readme_screenshot(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/daten", timeout=60_000)
    expect(page.get_by_role("heading", name="Daten & Quellen")).to_be_visible(timeout=90_000)
    expect(page.locator("[data-testid=stDataFrame]").first).to_be_visible(timeout=30_000)
    page.wait_for_timeout(1500)  # let the data grid paint its canvas before the screenshot
    _no_exception(page)
    (ROOT / "docs").mkdir(exist_ok=True)
    page.screenshot(path=str(ROOT / "docs" / "screenshot-catalogue.png"), full_page=False)
    page.close()
