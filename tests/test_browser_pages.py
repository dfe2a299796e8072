"""Browser test: every page opened through the sidebar navigation draws a plotly chart, no exception."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser import IDLE, ROOT, streamlit_server
from ui.i18n import t
from ui.pages import PAGES
from ui.sections import DEMAND, MIGRATION

#: Pages whose charts sit in lazy tabs: the test opens every tab.
TABS = {"fachkraeftebedarf": DEMAND, "zuwanderung-asyl": MIGRATION}
ALL_DRAWN = """idle => document.querySelector(idle) &&
                  [...document.querySelectorAll('[data-testid=stMain] [data-testid=stPlotlyChart]')]
                      .every(chart => chart.querySelector('.main-svg'))"""

CHART_PAGES = [p for p in PAGES if p.url_path not in ("daten", "praesentation") and not p.analyst_only]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with streamlit_server(tmp_path_factory.mktemp("state")) as url:
        yield url


@pytest.fixture(scope="module")
def page(server, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    tab.goto(server, timeout=60_000)
    expect(tab.locator("[data-testid=stSidebarNav]")).to_be_visible(timeout=90_000)
    yield tab
    context.close()


@pytest.mark.parametrize("page_def", CHART_PAGES, ids=[p.url_path for p in CHART_PAGES])
def test_page_draws_a_chart_through_the_navigation(page, page_def):
    page.locator("[data-testid=stSidebarNav] a", has_text=t(page_def.title_key, "de")).first.click()
    path = "" if page_def.url_path == "ueberblick" else page_def.url_path    # the default page lives at /
    expect(page).to_have_url(re.compile(rf"^http://127\.0\.0\.1:\d+/{path}(\?.*)?$"), timeout=30_000)
    chart = page.locator("[data-testid=stPlotlyChart] .main-svg").first
    expect(chart).to_be_visible(timeout=60_000)
    assert page.locator("[data-testid=stException]").count() == 0
    tab_set = TABS.get(page_def.url_path)
    for index, label in enumerate(tab_set.labels("de") if tab_set else [None]):
        if index:
            page.get_by_role("tab", name=label).click()
            expect(page.get_by_role("tab", name=label)).to_have_attribute("aria-selected", "true")
            page.wait_for_timeout(300)
        page.wait_for_function(ALL_DRAWN, arg=IDLE, timeout=60_000)    # the run is over, every chart drawn
        ticks = page.locator(".xtick text, .ytick text, .x2tick text, .y2tick text, .cbaxis text").all_text_contents()
        assert ticks, f"no axis ticks drawn ({label})"
        # Numbers on axes in the page's language: 400.000, never plotly's SI suffixes ("400k", "1.2M").
        assert not [tick for tick in ticks if re.fullmatch(r"[−-]?\d[\d.,]*\s*[kMGTµ]", tick.strip())], ticks
        assert page.locator("[data-testid=stException]").count() == 0
    if page_def.url_path == "ueberblick":
        page.wait_for_timeout(1000)
        page.screenshot(path=str(ROOT / "docs" / "screenshot-overview.png"))


def test_maps_draw_every_district_without_internet_access(page):
    """Plotly choropleths fetch a world outline; the app serves an empty one so offline maps still draw."""
    page.locator("[data-testid=stSidebarNav] a", has_text=t("page_migration", "de")).first.click()
    page.get_by_role("tab", name=t("migration_tab_benefits", "de")).click()
    districts = page.locator("[data-testid=stPlotlyChart] .choroplethlocation")
    expect(districts.first).to_be_visible(timeout=60_000)
    assert districts.count() >= 22
    assert page.locator("[data-testid=stException]").count() == 0


def test_no_request_leaves_the_server_visitors_are_not_sent_to_third_parties(server, browser):
    """Fonts, favicon, map outlines: everything a page loads comes from the app's own server."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    tab = context.new_page()
    tab.goto(f"{server}/zuwanderung-asyl", timeout=60_000)       # charts and maps
    expect(tab.locator("[data-testid=stPlotlyChart] .main-svg").first).to_be_visible(timeout=90_000)
    tab.wait_for_timeout(2000)
    context.close()
    own = re.compile(rf"^(data:|blob:|{re.escape(server)}/)")
    assert requested and [url for url in requested if not own.match(url)] == []


@pytest.mark.parametrize("query, lang, topic", [("", "de", None),
                                               ("?overview_topics=Asyl", "de", "Asyl"),
                                               ("?lang=English&overview_topics=Asylum", "en", "Asylum")])
def test_the_start_page_under_its_own_name_works_like_the_start_page(server, browser, query, lang, topic):
    """/ueberblick (the start page's URL name) must not answer "Page not found": it shows the start page with
    the link's parameters, so a typed link works like the share link."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    tab.goto(f"{server}/ueberblick{query}", timeout=60_000)
    expect(tab.locator("[data-testid=stPlotlyChart] .main-svg").first).to_be_visible(timeout=90_000)
    expect(tab.locator("[data-testid=stMain] h1").first).to_have_text(t("page_overview", lang))
    pressed = tab.locator(".st-key-overview_topics button[aria-pressed=true]")
    if topic:
        expect(pressed).to_have_text(topic)
    else:
        expect(pressed).to_have_count(0)
    tab.wait_for_timeout(500)
    assert re.fullmatch(rf"{re.escape(server)}/ueberblick{re.escape(query)}", tab.url), tab.url   # link kept
    assert tab.get_by_text("Page not found").count() == 0
    assert tab.locator("[data-testid=stException]").count() == 0
    context.close()
