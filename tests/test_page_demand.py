"""AppTest of the page "Fachkräftebedarf": charts on real data in four lazy tabs, sources, English, widgets
change the figures, links open the tab of the widget they set."""
import json

from tests.app_helpers import chart_keys, every_tab, open_tab
from ui.sections import DEMAND

PAGE = "app_pages/demand.py"
#: Charts per tab, in tab order.
TAB_CHARTS = [["demand_vintages", "demand_split"], ["demand_employment", "demand_svb", "demand_laender_chart"],
              ["demand_population"], ["demand_sectors"]]


def _figures(at) -> list[dict]:
    return [json.loads(element.proto.spec) for element in at.get("plotly_chart")]


def _captions(at) -> list[str]:
    return [caption.value for caption in at.caption]


def test_each_tab_shows_only_its_charts_each_with_its_source(open_page):
    at = open_page(PAGE)
    assert not at.exception, at.exception
    assert at.title[0].value == "Fachkräftebedarf"
    assert [tab.label for tab in at.tabs] == ["Prognosen", "Beschäftigung", "Bevölkerung", "Branchen nach Kreisen"]
    figures = _figures(at)
    assert figures[0]["layout"]["xaxis"]["title"]["text"] == "Zieljahr"
    assert any("280.000" in a.get("text", "") for a in figures[0]["layout"]["annotations"])
    assert any("344.400" in c for c in _captions(at))
    for at, charts in zip(every_tab(at, DEMAND), TAB_CHARTS):
        assert not at.exception, at.exception
        assert chart_keys(at) == charts, "a hidden tab sends nothing"
        assert sum(c.startswith("Quelle: ") for c in _captions(at)) == len(charts)


def test_english_switch_changes_labels_and_keeps_the_open_tab(open_page):
    at = open_page(PAGE)
    open_tab(at, DEMAND, 2)
    at.sidebar.radio(key="lang").set_value("English").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Skilled-labour demand"
    assert at.session_state[DEMAND.key] == "Population" and chart_keys(at) == ["demand_population"]
    open_tab(at, DEMAND, 0, "en")
    figures = _figures(at)
    assert figures[0]["layout"]["xaxis"]["title"]["text"] == "Target year"
    assert figures[0]["layout"]["separators"] == ".,"
    assert not any(c.startswith("Quelle: ") for c in _captions(at))


def test_measure_filter_and_district_change_the_figures(open_page):
    at = open_page(PAGE)
    before = _figures(at)[0]
    at.multiselect(key="demand_measures").set_value(["shortfall"]).run()
    assert not at.exception, at.exception
    after = _figures(at)[0]
    assert [t["name"] for t in after["data"]] == ["Fehlende Fachkräfte"] != [t["name"] for t in before["data"]]
    open_tab(at, DEMAND, 3)
    sectors_before = _figures(at)[-1]
    at.selectbox(key="demand_district").set_value("16051").run()
    assert not at.exception, at.exception
    assert _figures(at)[-1]["data"][0]["x"] != sectors_before["data"][0]["x"]
    assert "Erfurt, kreisfreie Stadt" in at.subheader[-1].value
    open_tab(at, DEMAND, 0)
    assert at.multiselect(key="demand_measures").value == ["shortfall"], "a hidden tab's choice is kept"
    open_tab(at, DEMAND, 3)
    assert at.selectbox(key="demand_district").value == "16051"


def test_a_link_with_a_later_tab_s_widget_opens_that_tab(open_page):
    at = open_page(PAGE, demand_district="Jena, kreisfreie Stadt")
    assert not at.exception, at.exception
    assert at.session_state[DEMAND.key] == "Branchen nach Kreisen"
    assert "Jena" in at.subheader[-1].value
    at = open_page(PAGE, demand_tab="Beschäftigung", demand_laender=["Bayern"])
    laender = next(f for f in _figures(at) if f["layout"]["yaxis"]["title"]["text"].startswith("Index"))
    assert [t["name"] for t in laender["data"]] == ["Thüringen", "Bayern"]


def test_markers_toggle_removes_statement_lines(open_page):
    at = open_page(PAGE)
    open_tab(at, DEMAND, 1)
    def marker_count():
        return sum(1 for f in _figures(at) for s in f["layout"].get("shapes", [])
                   if s.get("name", "").startswith("statement:"))
    assert marker_count() > 0
    at.sidebar.toggle(key="markers").set_value(False).run()
    assert not at.exception and marker_count() == 0
