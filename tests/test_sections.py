"""Lazy page tabs (ui.sections): which tab a link opens, in which language, and what the share link holds."""
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.app_helpers import chart_keys, open_tab
from ui.sections import DEMAND, MIGRATION, TAB_SETS, normalise_link
from ui.view_state import LINK_BOX_KEY

DISTRICT = {"demand_district": ["Jena, kreisfreie Stadt"]}


def test_tab_labels_are_unique_and_widget_keys_belong_to_one_tab():
    for tab_set in TAB_SETS:
        for lang in ("de", "en"):
            labels = tab_set.labels(lang)
            assert len(set(labels)) == len(labels) and all(labels)    # st.tabs(bind=...) requires it
        keys = [key for section in tab_set.sections for key in section.widget_keys]
        assert len(set(keys)) == len(keys)


@pytest.mark.parametrize(("query", "lang", "expected"), [
    (DISTRICT, "de", {**DISTRICT, "demand_tab": ["Branchen nach Kreisen"]}),
    (DISTRICT, "en", {**DISTRICT, "demand_tab": ["Sectors by district"]}),
    ({"demand_tab": ["Bevölkerung"], "lang": ["English"]}, "en", {"demand_tab": ["Population"], "lang": ["English"]}),
    ({"demand_tab": ["Population"]}, "de", {"demand_tab": ["Bevölkerung"]}),
    # the link names a tab: it wins over the tab of a widget it sets
    ({**DISTRICT, "demand_tab": ["Prognosen"]}, "de", {**DISTRICT, "demand_tab": ["Prognosen"]}),
    # a widget of the first tab: nothing to add (the first tab opens anyway, and is never in the URL)
    ({"demand_measures": ["Fehlende Fachkräfte"]}, "de", {"demand_measures": ["Fehlende Fachkräfte"]}),
    # widgets of two tabs: the first of them in tab order
    ({"migration_inkar_year": ["2020"], "migration_measure": ["je 1.000 Einwohner"]}, "de",
     {"migration_inkar_year": ["2020"], "migration_measure": ["je 1.000 Einwohner"],
      "migration_tab": ["Schutzsuchende"]}),
    # an unknown tab label is left for the widget to reject (and for the notice about invalid link values)
    ({"demand_tab": ["Quatsch"]}, "de", {"demand_tab": ["Quatsch"]}),
])
def test_normalise_link(query, lang, expected):
    assert normalise_link(query, lang) == expected


def test_normalise_link_leaves_its_argument_alone():
    query = {"demand_district": ["Jena, kreisfreie Stadt"]}
    normalise_link(query, "de")
    assert query == {"demand_district": ["Jena, kreisfreie Stadt"]}


def test_an_english_link_with_a_german_tab_opens_the_tab_without_a_notice(open_link):
    at = open_link(lang="en", demand_tab="Bevölkerung")
    at.switch_page("app_pages/demand.py").run()
    assert not at.exception, at.exception
    assert at.session_state[DEMAND.key] == "Population"
    assert chart_keys(at) == ["demand_population"]
    assert [toast.value for toast in at.toast] == []


def test_an_invalid_tab_in_the_link_opens_the_first_tab_with_a_notice(open_link):
    at = open_link(migration_tab="<b>x</b>")
    at.switch_page("app_pages/migration.py").run()
    assert not at.exception, at.exception
    assert chart_keys(at) == ["migration_per_year", "migration_partial"]
    assert [toast.value.split(": ", 1)[1] for toast in at.toast] == ["`migration_tab`"]


def test_the_share_link_names_the_open_tab_and_the_first_tab_is_not_named(open_page):
    at = open_page("app_pages/migration.py")
    def link() -> dict:
        at.session_state[LINK_BOX_KEY] = True
        at.run()
        return parse_qs(urlsplit(at.sidebar.code[0].value).query)
    assert "migration_tab" not in link()
    open_tab(at, MIGRATION, 3)
    assert link()["migration_tab"] == ["Kreisindikatoren (INKAR)"]
    at.sidebar.radio(key="lang").set_value("English").run()
    assert at.session_state[MIGRATION.key] == "District indicators (INKAR)"
    assert chart_keys(at) == ["migration_inkar_map"]
    assert link()["migration_tab"] == ["District indicators (INKAR)"]
