"""AppTest: the page "Zuwanderung & Asyl" renders every chart on real data in four lazy tabs, reacts to its
widgets and the language."""
import json

from tests.app_helpers import chart_keys, every_tab, open_tab
from ui.sections import MIGRATION

PAGE = "app_pages/migration.py"
#: Charts per tab, in tab order.
TAB_CHARTS = [["migration_per_year", "migration_partial"],
              ["migration_benefits_map", "migration_benefits_lines", "migration_benefits_thuringia"],
              ["migration_protection_map", "migration_protection_status", "migration_protection_nationalities"],
              ["migration_inkar_map"]]


def _figures(at) -> list[dict]:
    return [json.loads(element.proto.spec) for element in at.get("plotly_chart")]


def _captions(at) -> str:
    return "\n".join(c.value for c in at.caption)


def test_every_chart_renders_in_its_tab_with_source_caption_and_conflict_note(open_page):
    at = open_page(PAGE)
    assert not at.exception, at.exception
    assert at.title[0].value == "Zuwanderung & Asyl"
    per_year = _figures(at)[0]
    assert per_year["layout"]["separators"] == ",."
    assert any(s.get("name") == "statement:2016-05-18-staatskanzlei-integrationskonzept"
               for s in per_year["layout"].get("shapes", []))
    captions = _captions(at)
    assert "Abweichende Angaben verschiedener Quellen" in captions and "2017:" in captions
    seen = ""
    for at, charts in zip(every_tab(at, MIGRATION), TAB_CHARTS):
        assert not at.exception, at.exception
        assert chart_keys(at) == charts, "a hidden tab sends nothing"
        assert _captions(at).count("Quelle:") >= len(charts)
        seen += _captions(at)
    assert "Regionalstatistik 22221-01-01-4" in seen and "Erstaufnahmeeinrichtung" in seen


def test_widgets_change_the_figures_and_are_read_from_the_url(open_page):
    at = open_page(PAGE, migration_tab="Asylbewerberleistungen", migration_benefit_year="2012")
    assert not at.exception, at.exception
    assert any("31.12.2012" in h.value for h in at.subheader)
    at.multiselect(key="migration_districts").set_value(["16053"]).run()
    lines = _figures(at)[1]
    assert [trace["name"] for trace in lines["data"]] == ["Jena, kreisfreie Stadt"]
    open_tab(at, MIGRATION, 2)
    before = _figures(at)[0]
    at.radio(key="migration_measure").set_value("per_1000").run()
    assert not at.exception, at.exception
    after = _figures(at)[0]
    assert before["data"][0]["z"] != after["data"][0]["z"]
    assert after["data"][0]["colorbar"]["title"]["text"] == "je 1.000 Einwohner"
    open_tab(at, MIGRATION, 1)
    assert at.multiselect(key="migration_districts").value == ["16053"], "a hidden tab's choice is kept"


def test_a_link_with_an_inkar_indicator_opens_the_inkar_tab(open_page):
    at = open_page(PAGE, migration_inkar_indicator="Arbeitslosenquote")
    assert not at.exception, at.exception
    assert at.session_state[MIGRATION.key] == "Kreisindikatoren (INKAR)"
    assert any(h.value.startswith("Arbeitslosenquote nach Kreisen") for h in at.subheader)


def test_english_switch_and_markers_off(open_page):
    at = open_page(PAGE, lang="English")
    assert not at.exception, at.exception
    assert at.title[0].value == "Immigration & asylum"
    assert [tab.label for tab in at.tabs][0] == "Arrivals and applications"
    per_year = _figures(at)[0]
    assert per_year["layout"]["xaxis"]["title"]["text"] == "Year"
    assert per_year["layout"]["separators"] == ".,"
    assert "Quelle:" not in _captions(at) and "Source:" in _captions(at)
    at.sidebar.toggle(key="markers").set_value(False).run()
    per_year = _figures(at)[0]
    assert not per_year["layout"].get("shapes")
