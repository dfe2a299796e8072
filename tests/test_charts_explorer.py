"""Explorer builder on a synthetic indicators frame (the shape of any future upload) and on every bundled indicator."""
from collections import Counter

import pandas as pd
import pytest

from charts import explorer
from charts.base import MAX_FIGURE_JSON_BYTES, figure_json_bytes
from charts.maps import map_region_codes
from charts.markers import statement_marker_ids
from datasets.indicators import COLUMNS


def _row(indicator_id, region_code, region_name, period, value, *, source_id="synthetic-source-a", flag="",
         unit="Personen", note="", **breakdowns):
    row = {column: "" for column in COLUMNS}
    row.update(indicator_id=indicator_id, region_code=region_code, region_name=region_name, period=period,
               value=value, unit=unit, flag=flag, source_id=source_id, note=note, **breakdowns)
    return row


RATE = "synthetic_upload_rate"
synthetic_indicators = pd.DataFrame([
    # totals and a hierarchical sector breakdown (B-F = B-E + F): only one value may ever be shown
    _row(RATE, "16", "Thüringen", "2019", 100.0), _row(RATE, "16", "Thüringen", "2019", 60.0, sector="B-F"),
    _row(RATE, "16", "Thüringen", "2019", 40.0, sector="B-E"), _row(RATE, "16", "Thüringen", "2019", 20.0, sector="F"),
    _row(RATE, "16", "Thüringen", "2019", 48.0, sex="weiblich"),
    _row(RATE, "16", "Thüringen", "2020", 1234.5),
    _row(RATE, "16", "Thüringen", "2020", 1300.0, source_id="synthetic-source-b"),  # conflicting second source
    _row(RATE, "16", "Thüringen", "2021-01/2021-06", 700.0, note="Teiljahr"),
    _row(RATE, "16051", "Erfurt, kreisfreie Stadt", "2019", 30.0),
    _row(RATE, "16052", "Gera, kreisfreie Stadt", "2019", float("nan"), flag="."),
    _row(RATE, "16056", "Eisenach, kreisfreie Stadt", "2019", 7.0),
    # a breakdown without any total row: the explorer must pick one value, never add them
    _row("synthetic_by_country", "DG", "Deutschland", "2018", 5.0, nationality="Spanien"),
    _row("synthetic_by_country", "DG", "Deutschland", "2018", 3.0, nationality="Portugal"),
    _row("population", "16", "Thüringen", "2019", 2_143_145.0),
], columns=COLUMNS)

synthetic_statements = pd.DataFrame({
    "statement_id": ["synthetic-statement-2020", "synthetic-statement-1990"],
    "date": ["2020-05-18", "1990-01-01"], "title": ["Quote steigt", "zu früh"], "topics": ["", ""]})
synthetic_claims = pd.DataFrame({"statement_id": ["synthetic-statement-2020", "synthetic-statement-1990"],
                                 "indicator_id": [RATE, RATE], "measure": ["", ""]})


@pytest.fixture(scope="module")
def frames(bundled_frames):
    sources = pd.concat([bundled_frames["sources"], pd.DataFrame({
        "source_id": ["synthetic-source-a", "synthetic-source-b"], "title": ["Quelle A", "Quelle B"],
        "confidence": ["high", "low"]})], ignore_index=True)
    return {"indicators": synthetic_indicators, "sources": sources, "districts": bundled_frames["districts"],
            "policy_statements": synthetic_statements, "claims": synthetic_claims}


def test_choices_show_titles_and_unknown_ids_by_id(frames):
    choices = explorer.indicator_choices(frames, lang="de")
    assert choices[RATE] == RATE and choices["population"] == "Bevölkerung"
    assert explorer.indicator_choices(frames, lang="en")["population"] == "Population"


def test_options_list_varying_breakdowns_sorted_periods_and_map(frames):
    options = explorer.indicator_options(frames, lang="de", indicator=RATE)
    assert options["breakdowns"] == {"sex": "Geschlecht", "sector": "Wirtschaftszweig"}
    assert options["values"]["sector"] == ["", "B-E", "B-F", "F"]
    assert options["periods"] == ["2019", "2020", "2021-01/2021-06"]
    assert options["chart_types"] == ["line", "bar", "map"] and options["default_regions"] == ["16"]
    assert list(options["regions"]) == ["16", "16051", "16052", "16056"]
    country = explorer.indicator_options(frames, lang="de", indicator="synthetic_by_country")
    assert country["chart_types"] == ["line", "bar"] and country["default_regions"] == ["DG"]


def test_default_shows_totals_only_never_a_sum_of_categories(frames):
    result = explorer.explore(frames, lang="de", indicator=RATE, regions=["16"])
    values_2019 = result.table.loc[result.table["Zeitraum"] == "2019", "Wert"].tolist()
    assert values_2019 == [100.0]
    assert "Gesamtwerte ohne Aufschlüsselung" in result.notes[0]
    assert result.figure.layout.yaxis.title.text == f"{RATE} (Personen)"
    assert result.figure.layout.xaxis.title.text == "Zeitraum"
    assert result.figure.layout.separators == ",."


def test_one_breakdown_value_at_a_time(frames):
    result = explorer.explore(frames, lang="de", indicator=RATE, regions=["16"], breakdown="sector", value="B-E")
    assert result.table["Wert"].tolist() == [40.0]
    assert result.table["Wirtschaftszweig"].tolist() == ["B-E"]
    assert result.notes[0] == "Gezeigt: Wirtschaftszweig = B-E."


def test_column_without_total_is_fixed_to_one_value_and_said_so(frames):
    result = explorer.explore(frames, lang="de", indicator="synthetic_by_country", regions=["DG"])
    assert result.table["Wert"].tolist() == [3.0]
    assert any(n.startswith("Staatsangehörigkeit = Portugal (keine Gesamtzeile") for n in result.notes)


def test_conflicting_sources_partial_years_and_labels(frames):
    result = explorer.explore(frames, lang="de", indicator=RATE, regions=["16"])
    names = [trace.name for trace in result.figure.data]
    assert "Thüringen – Quelle A" in names and "Thüringen – Quelle B" in names
    assert "Thüringen – Quelle A (Teiljahr/Zeitraum)" in names
    assert len(result.figure.data) == 3
    conflict = next(n for n in result.notes if n.startswith("Abweichende Angaben"))
    assert "1.234,5 (Quelle A)" in conflict and "1.300 (Quelle B)" in conflict
    assert any("2021-01/2021-06" in n and "Teiljahr" in n for n in result.notes)
    assert sorted(result.source_ids) == ["synthetic-source-a", "synthetic-source-b"]
    assert result.alt.startswith(f"{RATE}, Thüringen von 2019 bis 2020: Höchstwert 1.234,5 Personen (2020)")


def test_bar_chart_and_english(frames):
    result = explorer.explore(frames, lang="en", indicator=RATE, regions=["16", "16051"], chart="bar")
    assert {trace.type for trace in result.figure.data} == {"bar"}
    assert result.figure.layout.barmode == "group"
    assert result.figure.layout.xaxis.title.text == "Period" and result.figure.layout.separators == ".,"
    assert "Region" in result.table.columns and "Source" in result.table.columns


def test_markers_one_per_statement_within_the_shown_periods(frames):
    result = explorer.explore(frames, lang="de", indicator=RATE, regions=["16"], markers=True)
    assert statement_marker_ids(result.figure) == ["synthetic-statement-2020"]
    assert statement_marker_ids(explorer.explore(frames, lang="de", indicator=RATE, regions=["16"]).figure) == []


def test_map_uses_the_layout_of_the_period_and_greys_missing_values(frames):
    result = explorer.explore(frames, lang="de", indicator=RATE, chart="map", period_to="2019")
    codes = map_region_codes(result.figure)
    assert len(codes) == 23 and "16056" in codes
    assert sorted(result.figure.data[0].locations) == ["16051", "16056"]
    assert "16052" in result.figure.data[1].locations
    assert "1 Werte ohne Angabe (Kennzeichen der Quelle: .)." in result.notes
    assert "bkg-vg250-kreise-2018-opendatalab" in result.source_ids
    assert figure_json_bytes(result.figure) <= MAX_FIGURE_JSON_BYTES


def test_period_range_limits_the_rows(frames):
    result = explorer.explore(frames, lang="de", indicator=RATE, regions=["16"], period_from="2020", period_to="2020")
    assert set(result.table["Zeitraum"]) == {"2020"}


def test_every_bundled_indicator_charts_as_line_and_map(bundled_frames):
    for indicator in explorer.indicator_choices(bundled_frames, lang="de"):
        options = explorer.indicator_options(bundled_frames, lang="de", indicator=indicator)
        for chart in options["chart_types"]:
            result = explorer.explore(bundled_frames, lang="de", indicator=indicator,
                                      regions=list(options["regions"])[:5], chart=chart)
            assert figure_json_bytes(result.figure) <= MAX_FIGURE_JSON_BYTES, (indicator, chart)
            assert result.alt and result.notes
            keys = result.table.drop(columns=["Wert", "Einheit", "Kennzeichen", "Hinweis"]).astype(str)
            assert not keys.duplicated().any(), (indicator, chart)
            assert Counter(statement_marker_ids(result.figure)) == Counter()
