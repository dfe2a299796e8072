"""Browser test: the lazy tabs of Fachkräftebedarf keep hidden choices, name the open tab in the URL and in
the copied link, and open the tab of the widget a link sets."""
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser import IDLE, streamlit_server

SECTORS, JENA = "Branchen nach Kreisen", "Jena, kreisfreie Stadt"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with streamlit_server(tmp_path_factory.mktemp("state")) as url:
        yield url


def _open(browser, url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(url, timeout=60_000)
    expect(page.locator("[data-testid=stMain] [data-testid=stPlotlyChart] .main-svg").first).to_be_visible(
        timeout=90_000)
    return context, page


def _idle(page):
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=60_000)


def _query(page) -> dict:
    return parse_qs(urlsplit(page.url).query)


def _click_tab(page, name):
    page.get_by_role("tab", name=name).click()
    expect(page.get_by_role("tab", name=name)).to_have_attribute("aria-selected", "true")
    _idle(page)


def _charts(page) -> int:
    return page.locator("[data-testid=stMain] [data-testid=stPlotlyChart]").count()


def test_a_hidden_tab_keeps_its_choice_and_the_url_names_the_open_tab(server, browser):
    context, page = _open(browser, f"{server}/fachkraeftebedarf")
    _idle(page)
    assert _charts(page) == 2 and _query(page) == {}            # Prognosen: its two charts, nothing else sent
    _click_tab(page, SECTORS)
    assert _query(page) == {"demand_tab": [SECTORS]} and _charts(page) == 1
    page.locator(".st-key-demand_district input[role=combobox]").click()
    page.get_by_role("option", name=JENA).click()
    expect(page.locator(".st-key-demand_district input[role=combobox]")).to_have_value(JENA)
    _idle(page)
    _click_tab(page, "Prognosen")
    assert _query(page) == {} and _charts(page) == 2
    _click_tab(page, SECTORS)
    expect(page.locator(".st-key-demand_district input[role=combobox]")).to_have_value(JENA)
    assert _query(page) == {"demand_tab": [SECTORS], "demand_district": [JENA]}

    page.locator("[data-testid=stSidebar] label", has_text="English").click()
    expect(page.locator("[data-testid=stMain] h1")).to_have_text("Skilled-labour demand", timeout=60_000)
    _idle(page)
    expect(page.get_by_role("tab", name="Sectors by district")).to_have_attribute("aria-selected", "true")
    page.locator("[data-testid=stSidebar]").get_by_text("Copy link").click()
    shown = page.locator("[data-testid=stSidebar] [data-testid=stCode]").first
    expect(shown).to_be_visible(timeout=10_000)
    link = shown.inner_text().strip()
    assert parse_qs(urlsplit(link).query) == {"demand_tab": ["Sectors by district"], "demand_district": [JENA],
                                              "lang": ["English"]}
    assert page.locator("[data-testid=stException]").count() == 0
    context.close()

    context, page = _open(browser, link)
    expect(page.get_by_role("tab", name="Sectors by district")).to_have_attribute("aria-selected", "true")
    expect(page.locator(".st-key-demand_district input[role=combobox]")).to_have_value(JENA)
    context.close()


def test_a_link_with_a_later_tab_s_widget_opens_that_tab_and_names_it(server, browser):
    context, page = _open(browser, f"{server}/fachkraeftebedarf?demand_district=Jena%2C+kreisfreie+Stadt")
    _idle(page)
    expect(page.get_by_role("tab", name=SECTORS)).to_have_attribute("aria-selected", "true")
    expect(page.locator(".st-key-demand_district input[role=combobox]")).to_have_value(JENA)
    assert _query(page) == {"demand_district": [JENA], "demand_tab": [SECTORS]}
    assert page.locator("[data-testid=stToast]").count() == 0, "a valid link gives no notice"
    context.close()
