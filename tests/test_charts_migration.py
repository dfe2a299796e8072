"""Figure builders of "Zuwanderung & Asyl" on the bundled data: sources side by side, part-years labelled,
no double counting of hierarchical protection statuses, maps in the right layout."""
from collections import Counter

import pandas as pd
import pytest

from charts import migration
from charts.base import MAX_FIGURE_JSON_BYTES, figure_json_bytes
from charts.maps import map_region_codes
from charts.markers import statement_marker_ids

PRESS_RELEASE = "2016-05-18-staatskanzlei-integrationskonzept"


@pytest.fixture(scope="module")
def per_year(bundled_frames):
    return migration.asylum_per_year(bundled_frames, lang="de", markers=True)


def test_per_year_shows_every_source_as_its_own_trace_with_axis_titles(per_year, bundled_frames):
    figure = per_year.figure
    data_traces = [t for t in figure.data if t.legendgroup == "sources"]
    assert len(data_traces) == len(per_year.source_ids) == 8
    assert len(figure.data) == 8 + len(migration.YEAR_MEASURES)
    assert figure.layout.xaxis.title.text == "Jahr"
    assert figure.layout.yaxis.title.text == "Anzahl (Personen bzw. Anträge)"
    assert figure.layout.separators == ",."
    assert figure_json_bytes(figure) <= MAX_FIGURE_JSON_BYTES


def test_per_year_conflicting_2017_figures_stand_side_by_side_with_source_and_confidence(per_year):
    table = per_year.table
    year_2017 = table[table["Jahr"] == 2017]
    assert {5040.0, 4594.0} <= set(year_2017["Wert"])
    assert year_2017["Quelle"].nunique() >= 2
    conflict_note = next(n for n in per_year.notes if n.startswith("Abweichende Angaben"))
    assert "2017:" in conflict_note and "5.040" in conflict_note and "4.594" in conflict_note
    hovers = [text for trace in per_year.figure.data if trace.hovertext for text in trace.hovertext]
    hebammenhilfe = next(h for h in hovers if "Asylerstanträge 2017" in h)
    assert "Hebammenhilfe" in hebammenhilfe and "Verlässlichkeit: mittel" in hebammenhilfe
    assert "Jahre ohne Jahreswert: 2014." in per_year.notes


def test_per_year_bars_of_one_year_do_not_overlap(per_year):
    bars = [(x, w) for trace in per_year.figure.data if trace.legendgroup == "sources"
            for x, w in zip(trace.x, trace.width)]
    bars.sort()
    for (x1, w1), (x2, w2) in zip(bars, bars[1:]):
        assert x1 + w1 / 2 <= x2 - w2 / 2 + 1e-9


def test_per_year_one_marker_per_statement_including_the_2016_press_release(per_year, bundled_frames):
    ids = statement_marker_ids(per_year.figure)
    assert PRESS_RELEASE in ids
    assert set(Counter(ids).values()) == {1}
    without = migration.asylum_per_year(bundled_frames, lang="de", markers=False)
    assert statement_marker_ids(without.figure) == []


def test_per_year_alt_text_and_english_labels(per_year, bundled_frames):
    assert per_year.alt.startswith("Asylsuchende angekommen (Zugang) von 2015 bis 2020: Höchstwert 29.622 Personen")
    english = migration.asylum_per_year(bundled_frames, lang="en")
    assert english.figure.layout.xaxis.title.text == "Year"
    assert "Year" in english.table.columns and "Source" in english.table.columns
    assert english.figure.layout.separators == ".,"
    assert any(n.startswith("Conflicting figures") for n in english.notes)


def test_partial_periods_are_spans_and_months_points_labelled_teiljahr(bundled_frames):
    result = migration.asylum_partial_periods(bundled_frames, lang="de", markers=True)
    names = [trace.name for trace in result.figure.data]
    assert "Asylsuchende angekommen (Zugang) – Teiljahr" in names
    assert "Asylsuchende angekommen (Zugang) – Monatswert" in names
    span = next(t for t in result.figure.data if t.name == "Asylsuchende angekommen (Zugang) – Teiljahr")
    assert ("2016-01-01", "2016-09-30") in list(zip(span.x, span.x[1:]))
    months = next(t for t in result.figure.data if t.name == "Asylsuchende angekommen (Zugang) – Monatswert")
    assert list(months.y) == [4577.0, 417.0]
    assert set(result.table["Art"]) <= {"Teiljahr", "Monatswert", "Zeitraum"}
    assert not result.table["Zeitraum"].str.fullmatch(r"\d{4}").any()
    assert result.figure.layout.yaxis.title.text == "Anzahl (Personen bzw. Anträge)"
    assert set(Counter(statement_marker_ids(result.figure)).values()) == {1}
    assert "Teiljahr" in result.notes[0]


def test_benefits_map_2015_uses_23_districts_and_official_values(bundled_frames):
    result = migration.asylum_benefits_map(bundled_frames, lang="de", year=2015)
    codes = map_region_codes(result.figure)
    assert len(codes) == 23 and "16056" in codes
    shown = dict(zip(result.figure.data[0].locations, result.figure.data[0].z))
    assert shown["16074"] == 7626.0
    assert "regionalstatistik-22221-01-01-4" in result.source_ids
    assert "bkg-vg250-kreise-2018-opendatalab" in result.source_ids
    assert result.alt.startswith("Empfänger von Asylbewerberregelleistungen 31.12.2015 nach Kreisen: Höchstwert "
                                 "Saale-Holzland-Kreis (7.626 Personen)")
    assert figure_json_bytes(result.figure) <= MAX_FIGURE_JSON_BYTES


def test_benefit_lines_one_per_chosen_region(bundled_frames):
    result = migration.asylum_benefits_lines(bundled_frames, lang="de", regions=["16051", "16074"])
    assert [t.name for t in result.figure.data] == ["Erfurt, kreisfreie Stadt", "Saale-Holzland-Kreis"]
    assert list(result.figure.data[1].x) == [2010, 2011, 2012, 2013, 2014, 2015]
    assert result.figure.layout.yaxis.title.text == "Personen"
    assert len(result.table) == 12


def test_benefits_thuringia_shows_press_totals_beside_the_official_series(bundled_frames):
    result = migration.asylum_benefits_thuringia(bundled_frames, lang="de", markers=True)
    assert len(result.figure.data) == 4
    assert result.figure.data[0].name.startswith("amtliche Statistik")
    press_sources = set(result.source_ids) - {"regionalstatistik-22221-01-01-4"}
    assert press_sources == {"insuedthueringen-2015-asylbewerber-ausgaben", "t-online-2018-08-asylbewerberleistungen",
                             "uhz-2021-11-asylbewerberleistungen"}
    year_2015 = result.table[result.table["Zeitraum"] == "2015-12-31"]
    assert list(year_2015["Wert"]) == [28401.0, 28401.0] and year_2015["Quelle"].nunique() == 2
    assert set(Counter(statement_marker_ids(result.figure)).values()) == {1}


def test_protection_seekers_total_never_double_counts_statuses(bundled_frames):
    from datasets.indicators_statistics import protection_seekers_total_status_codes

    by_district = migration.protection_seekers_by_district(bundled_frames)
    indicators = bundled_frames["indicators"]
    cells = indicators[(indicators["indicator_id"] == "protection_seekers")
                       & (indicators["source_id"] == "destatis-12531-0043-2024")]
    codes = cells["breakdown"].str.removeprefix("Schutzstatuskategorie=")
    expected = cells[codes.isin(protection_seekers_total_status_codes())]["value"].sum()
    assert by_district["protection_seekers"].sum() == expected == 72755.0
    assert cells["value"].sum() > expected  # summing every category would double-count
    assert len(by_district) == 22 and "16056" not in set(by_district["region_code"])


def test_protection_seekers_map_absolute_and_per_1000(bundled_frames):
    absolute = migration.protection_seekers_map(bundled_frames, lang="de", measure="absolute")
    rate = migration.protection_seekers_map(bundled_frames, lang="de", measure="per_1000")
    assert len(map_region_codes(absolute.figure)) == 22
    erfurt_abs = dict(zip(absolute.figure.data[0].locations, absolute.figure.data[0].z))["16051"]
    erfurt_rate = dict(zip(rate.figure.data[0].locations, rate.figure.data[0].z))["16051"]
    assert erfurt_abs == 10035.0
    assert erfurt_rate == pytest.approx(10035 / 218793 * 1000)
    assert any("berechnet aus zwei amtlichen Zahlen" in n for n in rate.notes)
    assert "destatis-12411-01-01-4-2024" in rate.source_ids
    assert "destatis-12411-01-01-4-2024" not in absolute.source_ids
    assert rate.figure.data[0].colorbar.title.text == "je 1.000 Einwohner"
    assert "45,9 je 1.000 Einwohner" in rate.figure.data[0].text[0]


def test_protection_status_top_level_and_sub_levels_are_separate(bundled_frames):
    result = migration.protection_seekers_status(bundled_frames, lang="de")
    top, sub = result.figure.data
    assert sum(top.x) == 72755.0 and len(top.x) == 3
    assert len(sub.x) == 7 and all(name.strip().startswith("davon") for name in sub.y)
    assert "72.755" in result.notes[0]
    assert result.figure.layout.xaxis.title.text == "Schutzsuchende (Personen)"


def test_protection_nationalities_stack_the_top_level_only(bundled_frames):
    result = migration.protection_seekers_nationalities(bundled_frames, lang="de", top=10)
    assert len(result.figure.data) == 3
    ukraine = sum(pd.Series(trace.x, index=trace.y).fillna(0)["Ukraine"] for trace in result.figure.data)
    assert ukraine == 29425.0
    assert list(result.figure.layout.yaxis.categoryarray)[-1] == "Ukraine"
    assert result.alt.startswith("Häufigste Staatsangehörigkeiten der Schutzsuchenden in Thüringen am 31.12.2024: "
                                 "Ukraine 29.425")


def test_inkar_map_notes_the_reception_facility_spike(bundled_frames):
    result = migration.inkar_map(bundled_frames, lang="de", indicator="asylum_seekers_per_1000_inhabitants", year=2015)
    shown = dict(zip(result.figure.data[0].locations, result.figure.data[0].z))
    assert shown["16074"] == 88.49 and len(map_region_codes(result.figure)) == 23
    assert any("Erstaufnahmeeinrichtung" in n for n in result.notes)
    assert "88,49" in result.alt
    unemployment = migration.inkar_map(bundled_frames, lang="en", indicator="unemployment_rate", year=1998)
    assert unemployment.table["Period"].eq("1998").all()
    assert any("initial-reception" in n for n in unemployment.notes)


def test_page_options_list_years_regions_and_inkar_indicators(bundled_frames):
    options = migration.page_options(bundled_frames, lang="en")
    assert options["benefit_years"] == [2010, 2011, 2012, 2013, 2014, 2015]
    assert len(options["benefit_regions"]) == 24 and options["benefit_regions"]["16"] == "Thüringen"
    assert list(options["inkar"]) == migration.INKAR_INDICATORS
    assert options["inkar"]["unemployment_rate"]["title"] == "Unemployment rate"
