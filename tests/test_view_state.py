"""Views in the URL: share link, link aliases, notice about invalid link values (units + AppTest of the app)."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from ui.view_state import (LINK_BOX_KEY, app_root, build_url, contrast_ratio, neighbour_urls, normalise_query)

NOTICE_DE = "Einige Angaben im Link waren ungültig oder veraltet und wurden durch Standardwerte ersetzt"


# ------------------------------------------------------------------------------------------------ pure helpers

def test_share_url_keeps_the_page_path_every_value_of_a_key_and_encodes_special_characters():
    url = build_url("http://127.0.0.1:8501/explorer",
                    {"lang": ["English"], "explorer_regions": ["16051", "16052"], "q": ["a b&c=<d>"]})
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("http", "127.0.0.1:8501", "/explorer")
    assert parse_qs(parts.query) == {"lang": ["English"], "explorer_regions": ["16051", "16052"],
                                     "q": ["a b&c=<d>"]}
    assert "<" not in url and " " not in url


def test_share_url_without_parameters_is_the_page_itself():
    assert build_url("http://host/daten", {}) == "http://host/daten"
    assert build_url(None, {"lang": ["English"]}) == "?lang=English"


@pytest.mark.parametrize(("query", "expected"), [
    ({"present": ["1"]}, {"present": ["true"]}),
    ({"present": ["TRUE"]}, {"present": ["true"]}),
    ({"present": ["ja"]}, {"present": ["true"]}),
    ({"present": ["0"]}, {"present": ["false"]}),
    ({"lang": ["en"]}, {"lang": ["English"]}),
    ({"lang": ["DE"]}, {"lang": ["Deutsch"]}),
    ({"lang": ["english"]}, {"lang": ["English"]}),
    ({"markers": ["0"]}, {"markers": ["false"]}),
])
def test_aliases_become_the_values_the_widgets_accept(query, expected):
    assert normalise_query(query) == expected


def test_unknown_values_and_other_parameters_are_left_for_the_widgets_to_judge():
    query = {"lang": ["Klingonisch"], "present": ["vielleicht"], "explorer_regions": ["16051", "99999"]}
    assert normalise_query(query) == query


def test_app_root_strips_the_page_path_of_the_page_on_screen():
    paths = ["ueberblick", "fachkraeftebedarf", "daten", "daten-hochladen"]
    assert app_root("http://h:1/daten-hochladen", paths) == "http://h:1"
    assert app_root("http://h:1/daten", paths) == "http://h:1"
    assert app_root("http://h:1", paths) == "http://h:1"
    assert app_root("https://example.org/dash/fachkraeftebedarf", paths) == "https://example.org/dash"


def test_neighbour_pages_in_navigation_order_keep_the_given_parameters():
    paths = ["ueberblick", "fachkraeftebedarf", "explorer"]
    query = {"present": ["true"], "lang": ["English"]}
    assert neighbour_urls("http://h", paths, "ueberblick", "ueberblick", query) == (
        None, "http://h/fachkraeftebedarf?present=true&lang=English")
    assert neighbour_urls("http://h", paths, "fachkraeftebedarf", "ueberblick", query) == (
        "http://h/?present=true&lang=English", "http://h/explorer?present=true&lang=English")
    assert neighbour_urls("http://h", paths, "explorer", "ueberblick", {})[1] is None
    assert neighbour_urls("http://h", paths, None, "ueberblick", {}) == (None, None)


def test_the_keys_step_through_a_page_s_tabs_before_the_next_page_and_back():
    paths = ["ueberblick", "fachkraeftebedarf", "explorer"]
    tabs = {"fachkraeftebedarf": ("demand_tab", ["Prognosen", "Beschäftigung", "Bevölkerung"])}
    query = {"present": ["true"]}

    def keys(current, open_tab=None):
        return neighbour_urls("http://h", paths, current, "ueberblick", query, tabs, open_tab)

    demand = "http://h/fachkraeftebedarf?present=true"
    assert keys("ueberblick") == (None, demand)                                # the first tab: no parameter
    assert keys("fachkraeftebedarf") == ("http://h/?present=true", demand + "&demand_tab=Besch%C3%A4ftigung")
    assert keys("fachkraeftebedarf", "Beschäftigung") == (demand, demand + "&demand_tab=Bev%C3%B6lkerung")
    assert keys("fachkraeftebedarf", "Bevölkerung") == (demand + "&demand_tab=Besch%C3%A4ftigung",
                                                        "http://h/explorer?present=true")
    assert keys("explorer")[0] == demand + "&demand_tab=Bev%C3%B6lkerung"       # back: the last tab first
    assert keys("fachkraeftebedarf", "Prognosen") == keys("fachkraeftebedarf")  # the first tab by name
    assert keys("fachkraeftebedarf", "no such tab") == keys("fachkraeftebedarf")


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)    # the classic AA grey
    assert contrast_ratio("#777777", "#ffffff") < 4.5


# ------------------------------------------------------------------------------------------------ AppTest

@pytest.fixture
def app(open_link):
    return open_link


def _notices(at) -> list[str]:
    return [toast.value for toast in at.toast]


def test_tampered_link_gives_one_notice_per_page_and_the_defaults(app):
    at = app(lang="Klingonisch", explorer_regions="99999", demand_measures="<script>alert(1)</script>")
    assert not at.exception, at.exception
    assert at.sidebar.radio(key="lang").value == "Deutsch"
    assert _notices(at) == [f"{NOTICE_DE}: `lang`"]

    at.switch_page("app_pages/explorer.py").run()
    assert not at.exception, at.exception
    assert [n.split(": ", 1)[1] for n in _notices(at)] == ["`explorer_regions`"]
    assert at.multiselect(key="explorer_regions").value == ["16"]     # the default region: Thüringen
    assert at.get("plotly_chart")

    at.switch_page("app_pages/demand.py").run()
    assert not at.exception, at.exception
    assert [n.split(": ", 1)[1] for n in _notices(at)] == ["`demand_measures`"]
    measures = at.multiselect(key="demand_measures")
    assert measures.value == measures.options or len(measures.value) > 1
    assert all("script" not in n and "99999" not in n for n in _notices(at))

    at.multiselect(key="demand_measures").set_value(["shortfall"]).run()     # later reruns: no notice again
    assert not at.exception and _notices(at) == []


def test_a_valid_link_gives_no_notice_and_defaults_in_the_link_are_not_invalid(app):
    at = app(lang="Deutsch", markers="true", present="false")
    assert not at.exception, at.exception
    assert _notices(at) == []
    at = app(lang="English", markers="false")
    assert _notices(at) == []
    assert at.sidebar.toggle(key="markers").value is False
    assert at.sidebar.radio(key="lang").value == "English"


def test_language_alias_in_the_link_switches_to_english_and_the_link_says_english(app):
    at = app(lang="en")
    assert not at.exception, at.exception
    assert at.sidebar.radio(key="lang").value == "English"
    assert at.title[0].value == "Overview"
    assert at.query_params["lang"] == "English"
    assert _notices(at) == []


def test_the_copy_link_box_holds_every_parameter_of_the_view(app):
    """(AppTest does not pass widget changes back into the URL; the browser test covers that round trip.)"""
    at = app(lang="en", demand_district="Erfurt, kreisfreie Stadt")
    at.switch_page("app_pages/demand.py").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="demand_district").value == "16051"
    assert "Copy link" in [e.label for e in at.sidebar.expander]
    assert at.sidebar.code == [], "the link box is lazy: the link is built once it is opened"
    at.session_state[LINK_BOX_KEY] = True
    at.run()
    link = at.sidebar.code[0].value
    assert parse_qs(urlsplit(link).query) == {"lang": ["English"], "demand_district": ["Erfurt, kreisfreie Stadt"],
                                              "demand_tab": ["Sectors by district"]}
