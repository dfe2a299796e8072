"""Browser: a view's URL reproduces it in a fresh browser; presentation mode hides the sidebar and the arrow keys
move through the pages and their tabs (headless Debian Chromium against `streamlit run`)."""
from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser import IDLE, streamlit_server

FIRST_PLOT = "document.querySelector('[data-testid=stPlotlyChart] .js-plotly-plot')"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with streamlit_server(tmp_path_factory.mktemp("state")) as url:
        yield url


def open_fresh(browser, url: str):
    """A new browser context (no cookies, no session) on `url`, once its first chart is drawn."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    tab.goto(url, timeout=60_000)
    expect(tab.locator("[data-testid=stPlotlyChart] .main-svg").first).to_be_visible(timeout=90_000)
    tab.wait_for_selector(IDLE, timeout=60_000)
    return context, tab


def first_figure(tab) -> list:
    """The plotly data of the first chart as the browser holds it (x, y, names … of every trace)."""
    tab.wait_for_selector(IDLE, timeout=60_000)
    return json.loads(tab.evaluate(f"() => JSON.stringify({FIRST_PLOT}.data)"))


def keys_ready(tab, direction: str) -> None:
    """Wait until the page's keyboard navigation knows where `direction` ("next"/"prev"/"exit") leads."""
    tab.wait_for_function("d => ((window.__dashboardKeyboard || {}).urls || {})[d]", arg=direction, timeout=30_000)


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_changed_widgets_reach_the_url_and_a_fresh_browser_reproduces_the_view(server, browser):
    context, tab = open_fresh(browser, f"{server}/explorer")
    before = first_figure(tab)
    tab.locator(".st-key-lang").get_by_text("English", exact=True).click()
    expect(tab).to_have_url(re.compile(r"lang=English"), timeout=30_000)
    tab.locator(".st-key-explorer_indicator [role=combobox]").click()
    options = tab.get_by_role("option")
    expect(options.first).to_be_visible(timeout=10_000)
    chosen = options.nth(1).inner_text().strip()
    options.nth(1).click()
    expect(tab).to_have_url(re.compile(r"explorer_indicator="), timeout=30_000)
    expect(tab.locator(".st-key-explorer_indicator [role=combobox]")).to_have_value(chosen)
    tab.wait_for_selector(IDLE, timeout=60_000)
    shared = tab.url
    figure = first_figure(tab)
    assert figure != before, "the indicator choice did not change the first chart"
    assert query_of(shared)["lang"] == ["English"]
    assert urlsplit(shared).path == "/explorer"

    tab.locator("[data-testid=stSidebar]").get_by_text("Copy link").click()
    shown = tab.locator("[data-testid=stSidebar] [data-testid=stCode]").first
    expect(shown).to_be_visible(timeout=10_000)
    link = shown.inner_text().strip()
    assert urlsplit(link).path.rstrip("/") == "/explorer" and query_of(link) == query_of(shared)
    assert tab.locator("[data-testid=stException]").count() == 0
    context.close()

    context, fresh = open_fresh(browser, link)
    expect(fresh.locator(".st-key-lang label:has(input:checked)")).to_have_text("English")
    expect(fresh.locator(".st-key-explorer_indicator [role=combobox]")).to_have_value(chosen)
    assert first_figure(fresh) == figure
    assert query_of(fresh.url) == query_of(shared)
    assert fresh.locator("[data-testid=stException]").count() == 0
    context.close()


def test_present_link_hides_the_sidebar_and_the_arrow_keys_move_through_pages_and_tabs(server, browser):
    context, tab = open_fresh(browser, f"{server}/fachkraeftebedarf?present=1&lang=en")   # aliases, deep link
    expect(tab.locator("[data-testid=stMain] h1")).to_have_text("Skilled-labour demand")
    expect(tab.locator("[data-testid=stSidebar]")).to_be_hidden()
    expect(tab.locator("[data-testid=stHeader]")).to_be_hidden()
    expect(tab.get_by_text("Leave the presentation: Esc")).to_be_visible()
    assert query_of(tab.url) == {"present": ["true"], "lang": ["English"]}
    size = tab.evaluate("() => getComputedStyle(document.querySelector('[data-testid=stMain] h1')).fontSize")
    assert float(size.removesuffix("px")) >= 48
    width = tab.evaluate("() => document.querySelector('[data-testid=stPlotlyChart]').getBoundingClientRect().width")
    assert width >= 1200, "charts use the full width of the 1400 px window"
    keys_ready(tab, "prev")
    tab.keyboard.press("ArrowLeft")
    expect(tab).to_have_url(re.compile(r"^http://127\.0\.0\.1:\d+/\?"), timeout=30_000)
    expect(tab.locator("[data-testid=stMain] h1")).to_have_text("Overview", timeout=60_000)
    expect(tab.locator("[data-testid=stSidebar]")).to_be_hidden()
    assert query_of(tab.url) == {"present": ["true"], "lang": ["English"]}
    keys_ready(tab, "next")
    tab.keyboard.press("ArrowRight")
    expect(tab).to_have_url(re.compile(r"/fachkraeftebedarf\?"), timeout=30_000)
    expect(tab.locator("[data-testid=stMain] h1")).to_have_text("Skilled-labour demand", timeout=60_000)
    keys_ready(tab, "next")
    tab.keyboard.press("ArrowRight")                           # the page's next tab before the next page
    expect(tab).to_have_url(re.compile(r"/fachkraeftebedarf\?.*demand_tab=Employment"), timeout=30_000)
    expect(tab.get_by_role("tab", name="Employment")).to_have_attribute("aria-selected", "true", timeout=60_000)
    expect(tab.locator("[data-testid=stPlotlyChart] .main-svg").first).to_be_visible(timeout=60_000)
    assert query_of(tab.url) == {"present": ["true"], "lang": ["English"], "demand_tab": ["Employment"]}
    keys_ready(tab, "prev")
    tab.keyboard.press("ArrowLeft")                            # back to the first tab (no parameter)
    expect(tab).to_have_url(re.compile(r"/fachkraeftebedarf\?present=true&lang=English$"), timeout=30_000)
    expect(tab.get_by_role("tab", name="Projections")).to_have_attribute("aria-selected", "true", timeout=60_000)
    keys_ready(tab, "exit")
    tab.keyboard.press("Escape")
    expect(tab).to_have_url(re.compile(r"/fachkraeftebedarf\?lang=English$"), timeout=30_000)
    expect(tab.locator("[data-testid=stSidebar]")).to_be_visible(timeout=60_000)
    assert tab.locator("[data-testid=stException]").count() == 0
    context.close()
