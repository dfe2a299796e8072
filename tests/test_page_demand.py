"""AppTest of the page "Fachkräftebedarf": charts on real data, sources, English, widgets change the figures."""
import json

PAGE = "app_pages/demand.py"


def _figures(at) -> list[dict]:
    return [json.loads(element.proto.spec) for element in at.get("plotly_chart")]


def _captions(at) -> list[str]:
    return [caption.value for caption in at.caption]


def test_page_shows_every_chart_with_its_source(open_page):
    at = open_page(PAGE)
    assert not at.exception, at.exception
    assert at.title[0].value == "Fachkräftebedarf"
    figures = _figures(at)
    assert len(figures) == 7
    assert sum(c.startswith("Quelle: ") for c in _captions(at)) == 7
    assert figures[0]["layout"]["xaxis"]["title"]["text"] == "Zieljahr"
    assert any("280.000" in a.get("text", "") for a in figures[0]["layout"]["annotations"])
    assert any("344.400" in c for c in _captions(at))


def test_english_switch_changes_labels(open_page):
    at = open_page(PAGE, lang="English")
    assert not at.exception, at.exception
    assert at.title[0].value == "Skilled-labour demand"
    figures = _figures(at)
    assert figures[0]["layout"]["xaxis"]["title"]["text"] == "Target year"
    assert figures[0]["layout"]["separators"] == ".,"
    assert not any(c.startswith("Quelle: ") for c in _captions(at))


def test_measure_filter_and_district_change_the_figures(open_page):
    at = open_page(PAGE)
    before = _figures(at)
    at.multiselect(key="demand_measures").set_value(["shortfall"]).run()
    at.selectbox(key="demand_district").set_value("16051").run()
    assert not at.exception, at.exception
    after = _figures(at)
    assert [t["name"] for t in after[0]["data"]] == ["Fehlende Fachkräfte"] != [t["name"] for t in before[0]["data"]]
    assert after[-1]["data"][0]["x"] != before[-1]["data"][0]["x"]
    assert "Erfurt, kreisfreie Stadt" in at.subheader[-1].value


def test_laender_choice_from_the_url(open_page):
    at = open_page(PAGE, demand_laender=["Bayern"], demand_district="Jena, kreisfreie Stadt")
    assert not at.exception, at.exception
    laender = next(f for f in _figures(at) if f["layout"]["yaxis"]["title"]["text"].startswith("Index"))
    assert [t["name"] for t in laender["data"]] == ["Thüringen", "Bayern"]
    assert "Jena" in at.subheader[-1].value


def test_markers_toggle_removes_statement_lines(open_page):
    at = open_page(PAGE)
    def marker_count():
        return sum(1 for f in _figures(at) for s in f["layout"].get("shapes", [])
                   if s.get("name", "").startswith("statement:"))
    assert marker_count() > 0
    at.sidebar.toggle(key="markers").set_value(False).run()
    assert not at.exception and marker_count() == 0
