"""AppTest: the page "Zuwanderung & Asyl" renders every chart on real data, reacts to its widgets and the language."""
import json

PAGE = "app_pages/migration.py"
CHART_KEYS = ["migration_per_year", "migration_partial", "migration_benefits_map", "migration_benefits_lines",
              "migration_benefits_thuringia", "migration_protection_map", "migration_protection_status",
              "migration_protection_nationalities", "migration_inkar_map"]


def _figures(at) -> list[dict]:
    return [json.loads(element.proto.spec) for element in at.get("plotly_chart")]


def _captions(at) -> str:
    return "\n".join(c.value for c in at.caption)


def test_every_chart_renders_with_source_caption_and_conflict_note(open_page):
    at = open_page(PAGE)
    assert not at.exception, at.exception
    assert at.title[0].value == "Zuwanderung & Asyl"
    figures = _figures(at)
    assert len(figures) == len(CHART_KEYS)
    captions = _captions(at)
    assert captions.count("Quelle:") >= len(CHART_KEYS)
    assert "Regionalstatistik 22221-01-01-4" in captions
    assert "Abweichende Angaben verschiedener Quellen" in captions and "2017:" in captions
    assert "Erstaufnahmeeinrichtung" in captions
    per_year = figures[0]
    assert per_year["layout"]["separators"] == ",."
    assert any(s.get("name") == "statement:2016-05-18-staatskanzlei-integrationskonzept"
               for s in per_year["layout"].get("shapes", []))


def test_widgets_change_the_figures_and_are_read_from_the_url(open_page):
    at = open_page(PAGE, migration_benefit_year="2012", migration_inkar_indicator="Arbeitslosenquote")
    assert not at.exception, at.exception
    assert any("31.12.2012" in h.value for h in at.subheader)
    assert any(h.value.startswith("Arbeitslosenquote nach Kreisen") for h in at.subheader)
    before = _figures(at)[5]
    at.radio(key="migration_measure").set_value("per_1000").run()
    assert not at.exception, at.exception
    after = _figures(at)[5]
    assert before["data"][0]["z"] != after["data"][0]["z"]
    assert after["data"][0]["colorbar"]["title"]["text"] == "je 1.000 Einwohner"
    at.multiselect(key="migration_districts").set_value(["16053"]).run()
    lines = _figures(at)[3]
    assert [trace["name"] for trace in lines["data"]] == ["Jena, kreisfreie Stadt"]


def test_english_switch_and_markers_off(open_page):
    at = open_page(PAGE, lang="English")
    assert not at.exception, at.exception
    assert at.title[0].value == "Immigration & asylum"
    per_year = _figures(at)[0]
    assert per_year["layout"]["xaxis"]["title"]["text"] == "Year"
    assert per_year["layout"]["separators"] == ".,"
    assert "Quelle:" not in _captions(at) and "Source:" in _captions(at)
    at.sidebar.toggle(key="markers").set_value(False).run()
    per_year = _figures(at)[0]
    assert not per_year["layout"].get("shapes")
