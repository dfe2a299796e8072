"""Figure builders of the page "Fachkräftebedarf" on the bundled data: marks, highlights, units, markers, size."""
import json

import pytest

from charts import demand, style
from charts.base import MAX_FIGURE_JSON_BYTES, figure_json_bytes
from charts.markers import statement_marker_ids

PRESS_RELEASE = "2016-05-18-staatskanzlei-integrationskonzept"


def _trace(result, name_part):
    return next(trace for trace in result.figure.data if name_part in (trace.name or ""))


@pytest.mark.parametrize("builder, params", [
    ("projection_vintages", {}), ("demand_split", {}), ("employment_over_time", {}),
    ("employees_total_and_foreign", {}), ("laender_indexed", {"laender": ["14", "DG"]}),
    ("population_and_projections", {}), ("sectors_by_district", {"district": "16051"})])
@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_figure_is_small_styled_and_described(bundled_frames, builder, params, lang):
    result = getattr(demand, builder)(bundled_frames, lang=lang, **params)
    assert figure_json_bytes(result.figure) <= MAX_FIGURE_JSON_BYTES
    assert result.figure.layout.separators == style.SEPARATORS[lang]
    assert result.alt.endswith(".") and ("Höchstwert" in result.alt) == (lang == "de" and builder != "demand_split")
    assert set(result.source_ids) <= set(bundled_frames["sources"]["source_id"])
    assert not result.table.empty
    if lang == "de":
        assert "Personen" in json.dumps(result.figure.to_plotly_json()["layout"], ensure_ascii=False) or \
            builder == "laender_indexed"


def test_vintages_one_mark_per_study_and_measure_with_the_2016_claim_highlighted(bundled_frames):
    result = demand.projection_vintages(bundled_frames, lang="de")
    total = _trace(result, "Fachkräftebedarf insgesamt")
    assert sorted(zip(total.x, total.y)) == [(2020, 200000.0), (2025, 280000.0), (2030, 344000.0)]
    claim = _trace(result, "Staatskanzlei")
    assert claim.marker.line.color == style.HIGHLIGHT_COLOUR and (claim.x[0], claim.y[0]) == (2025, 280000.0)
    annotation = next(a for a in result.figure.layout.annotations
                      if a.name == "highlight:" + demand.PRESS_RELEASE_PROJECTION)
    assert "280.000" in annotation.text and annotation.font.color == style.HIGHLIGHT_COLOUR
    assert result.figure.layout.xaxis.title.text == "Zieljahr" and result.figure.layout.yaxis.title.text == "Personen"
    assert "Veröffentlicht" in total.hovertemplate and "Basisjahr" in total.hovertemplate
    assert result.figure.layout.yaxis.separatethousands and not result.figure.layout.xaxis.separatethousands


def test_vintages_show_the_range_of_earlier_studies_without_inventing_a_year(bundled_frames):
    result = demand.projection_vintages(bundled_frames, lang="de")
    band = _trace(result, "Spanne früherer Studien")
    assert band.xaxis == "x2" and isinstance(band.x[0], str) and "ohne Zieljahr" in band.x[0]
    assert (band.base[0], band.base[0] + band.y[0]) == (75000.0, 280000.0)
    row = result.table[result.table["Untergrenze"].notna()].iloc[0]
    assert row["Zieljahr"] == "keine Angabe" and row["Obergrenze"] == 280000.0


def test_vintages_measure_filter_drops_traces_and_rows(bundled_frames):
    every = demand.projection_vintages(bundled_frames, lang="de")
    only_shortfall = demand.projection_vintages(bundled_frames, lang="de", measures=["shortfall"])
    assert [t.name for t in only_shortfall.figure.data] == ["Fehlende Fachkräfte"]
    assert len(only_shortfall.table) == 1 < len(every.table)
    assert len(every.figure.data) == len(demand.measure_options(bundled_frames)) + 2   # + highlight + range


def test_split_stacks_replacement_and_expansion_and_states_the_rounding(bundled_frames):
    result = demand.demand_split(bundled_frames, lang="de")
    assert result.figure.layout.barmode == "stack"
    assert [(t.name, t.y[0]) for t in result.figure.data] == [
        ("Ersatzbedarf", 272000.0), ("Erweiterungsbedarf", 72400.0), ("Gesamtbedarf laut Studie", 344000.0)]
    note = result.notes[0]
    assert "272.000 + 72.400 = 344.400" in note and "344.000" in note and "400" in note


def test_employment_shows_both_official_series_by_source(bundled_frames):
    result = demand.employment_over_time(bundled_frames, lang="de")
    names = [t.name for t in result.figure.data]
    assert len(names) == 2 and any("August 2025" in n for n in names) and any("August 2015" in n for n in names)
    tls = _trace(result, "August 2025")
    assert (min(tls.x), max(tls.x)) == (1991, 2020)
    assert result.figure.layout.yaxis.title.text == "1.000 Personen"


def test_employment_markers_one_per_statement_and_none_when_off(bundled_frames):
    with_markers = demand.employment_over_time(bundled_frames, lang="de", markers=True)
    ids = statement_marker_ids(with_markers.figure)
    assert PRESS_RELEASE in ids and len(ids) == len(set(ids))
    assert statement_marker_ids(demand.employment_over_time(bundled_frames, lang="de", markers=False).figure) == []


def test_employees_total_and_foreign_keep_each_table_separate(bundled_frames):
    result = demand.employees_total_and_foreign(bundled_frames, lang="de")
    foreign = [t for t in result.figure.data if t.name.startswith("darunter") and "laut" not in t.name]
    assert [list(t.y) for t in foreign] == [[11248.0, 13051.0, 16251.0, 20529.0], [78539.0]]
    ids = statement_marker_ids(result.figure)
    assert ids.count(PRESS_RELEASE) == 2          # one dashed line per panel (total, foreign)
    assert any("10 %" in note for note in result.notes)


def test_laender_are_indexed_to_the_first_quarter(bundled_frames):
    result = demand.laender_indexed(bundled_frames, lang="de", laender=["14", "DG"], markers=False)
    assert [t.name for t in result.figure.data] == ["Thüringen", "Sachsen", "Deutschland (Summe der 16 Länder)"]
    assert all(t.y[0] == 100 for t in result.figure.data)
    assert len(demand.laender_indexed(bundled_frames, lang="de", laender=[]).figure.data) == 1
    assert result.figure.layout.yaxis.title.text == "Index (erstes Quartal = 100)"


def test_population_projections_are_separate_labelled_marks(bundled_frames):
    result = demand.population_and_projections(bundled_frames, lang="de")
    projections = [t for t in result.figure.data if t.name.startswith("Vorausberechnung")]
    assert len(projections) == 3 and all(t.mode == "markers" for t in projections)
    assert sorted(t.x[0][:4] for t in projections) == ["2035", "2040", "2042"]
    latest = _trace(result, "2024")
    assert latest.y[0] == 2100277.0
    assert _trace(result, "Zensus 2022").y[0] == 2110396.0


def test_sectors_change_with_the_district(bundled_frames):
    erfurt = demand.sectors_by_district(bundled_frames, lang="de", district="16051")
    thuringia = demand.sectors_by_district(bundled_frames, lang="de", district="16")
    assert len(erfurt.figure.data[0].y) == len(demand.SECTIONS_2015) == 10
    assert erfurt.figure.data[0].x != thuringia.figure.data[0].x
    assert "104.429" in erfurt.notes[0] and "104.430" in erfurt.notes[0]
    assert "16051" in demand.district_options(bundled_frames) and len(demand.district_options(bundled_frames)) == 24


def test_english_labels(bundled_frames):
    result = demand.projection_vintages(bundled_frames, lang="en")
    assert result.figure.layout.xaxis.title.text == "Target year"
    assert "Total skilled-labour demand" in [t.name for t in result.figure.data]
    assert "Zieljahr" not in result.table.columns


@pytest.mark.parametrize("builder", ["employees_total_and_foreign", "laender_indexed", "population_and_projections"])
def test_date_axes_use_numeric_ticks_not_english_month_names(bundled_frames, builder):
    figure = getattr(demand, builder)(bundled_frames, lang="de").figure
    formats = [stop.value for stop in figure.layout.xaxis.tickformatstops]
    assert "%m/%Y" in formats and not any("%b" in f or "%B" in f for f in formats)
