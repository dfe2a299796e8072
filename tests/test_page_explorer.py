"""AppTest: the Explorer charts any indicator; every widget is bound to the URL and changes the figure."""
import json

PAGE = "app_pages/explorer.py"


def _figure(at) -> dict:
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.spec)


def test_default_view_is_population_of_thuringia_with_source_caption(open_page):
    at = open_page(PAGE)
    assert not at.exception, at.exception
    assert at.title[0].value == "Explorer"
    figure = _figure(at)
    assert figure["data"][0]["name"].startswith("Thüringen")
    assert figure["layout"]["yaxis"]["title"]["text"] == "Bevölkerung (Personen)"
    assert figure["layout"]["separators"] == ",."
    captions = "\n".join(c.value for c in at.caption)
    assert "Quelle:" in captions and "Gesamtwerte ohne Aufschlüsselung" in captions


def test_changing_indicator_breakdown_and_chart_type_changes_the_figure(open_page):
    at = open_page(PAGE)
    at.selectbox(key="explorer_indicator").set_value("asylum_benefit_recipients").run()
    assert not at.exception, at.exception
    assert "Empfänger von Asylbewerberregelleistungen" in _figure(at)["layout"]["yaxis"]["title"]["text"]
    at.selectbox(key="explorer_breakdown").set_value("sex").run()
    at.selectbox(key="explorer_value").set_value("weiblich").run()
    assert not at.exception, at.exception
    official = _figure(at)["data"][0]
    assert official["y"][-1] == 9376.0  # women 31.12.2015, never a sum of categories
    at.radio(key="explorer_chart").set_value("map").run()
    assert not at.exception, at.exception
    figure = _figure(at)
    assert figure["data"][0]["type"] == "choropleth"
    assert any("23 Kreisen" in c.value for c in at.caption)


def test_view_is_restored_from_the_url_and_english_labels(open_page):
    at = open_page(PAGE, lang="English", explorer_indicator="Persons seeking protection",
                   explorer_regions=["Thüringen", "Deutschland"], explorer_breakdown="Status",
                   explorer_value="Offener Schutzstatus", explorer_chart="Bar")
    assert not at.exception, at.exception
    figure = _figure(at)
    assert [trace["type"] for trace in figure["data"]] == ["bar", "bar"]
    assert sorted(trace["y"][0] for trace in figure["data"]) == [9250.0, 419495.0]
    assert figure["layout"]["xaxis"]["title"]["text"] == "Period"
    assert figure["layout"]["separators"] == ".,"
    assert any("Status = Offener Schutzstatus" in c.value for c in at.caption)


def test_indicator_without_districts_offers_no_map_and_survives_a_switch(open_page):
    at = open_page(PAGE)
    at.radio(key="explorer_chart").set_value("map").run()
    at.selectbox(key="explorer_indicator").set_value("asylum_arrivals").run()
    assert not at.exception, at.exception
    assert at.radio(key="explorer_chart").options == ["Linie", "Balken"]
    figure = _figure(at)
    assert figure["data"][0]["type"] in ("scatter", "bar")
    assert any("Teiljahr" in (trace.get("name") or "") for trace in figure["data"])
