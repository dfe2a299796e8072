"""Explorer figures stay ≤ 500 KB at 1,000,000 synthetic source rows, and the table holds exactly what is drawn.

A size bound, never a timing. The synthetic indicator (scripts/bench_synthetic.py) has daily periods for
Thuringia, Germany and the 22 districts, broken down by sex and nationality: without a limit, every region
selected as a line chart was 7.5 MB of JSON (30,304 points).
"""
import pandas as pd
import pytest

from charts import explorer
from charts.base import MAX_FIGURE_JSON_BYTES, figure_json_bytes
from scripts.bench_synthetic import UPLOAD_INDICATOR_ID, synthetic_indicators

ROWS = 1_000_000


@pytest.fixture(scope="module")
def frames(bundled_frames):
    return {**bundled_frames, "indicators": synthetic_indicators(ROWS)}


@pytest.fixture(scope="module")
def regions(frames):
    return sorted(frames["indicators"]["region_code"].unique())


def _drawn(figure) -> list[tuple[str, float]]:
    return sorted((str(x), float(y)) for trace in figure.data for x, y in zip(trace.x, trace.y))


def test_the_synthetic_frame_has_a_million_rows_of_one_indicator(frames):
    indicators = frames["indicators"]
    assert len(indicators) == ROWS and set(indicators["indicator_id"]) == {UPLOAD_INDICATOR_ID}


@pytest.mark.parametrize("chart", explorer.CHART_TYPES)
def test_every_chart_type_stays_below_500_kb_at_a_million_rows(frames, regions, chart):
    result = explorer.explore(frames, lang="de", indicator=UPLOAD_INDICATOR_ID, regions=regions, chart=chart)
    assert figure_json_bytes(result.figure) <= MAX_FIGURE_JSON_BYTES
    assert 0 < len(result.table) <= explorer.MAX_POINTS


@pytest.mark.parametrize("chart", ["line", "bar"])
def test_thinned_chart_draws_exactly_the_table_and_says_so(frames, regions, chart):
    result = explorer.explore(frames, lang="en", indicator=UPLOAD_INDICATOR_ID, regions=regions, chart=chart)
    table = result.table
    assert _drawn(result.figure) == sorted(
        (explorer.period_position(p), float(v)) for p, v in zip(table["Period"], table["Value"]))
    assert any("periods shown" in note and "nothing averaged" in note for note in result.notes)
    periods = sorted(table["Period"].unique())
    all_periods = sorted(frames["indicators"]["period"].unique())
    assert periods[0] == all_periods[0] and periods[-1] == all_periods[-1], "first and last period always drawn"
    per_region = table.groupby("AGS")["Period"].apply(frozenset)
    assert per_region.nunique() == 1, "every series is drawn at the same periods"


def test_thinning_never_sums_a_breakdown(frames, regions):
    """Totals only by default: the drawn values are the rows with empty sex and nationality, as they are."""
    result = explorer.explore(frames, lang="de", indicator=UPLOAD_INDICATOR_ID, regions=regions[:3], chart="line")
    rows = frames["indicators"]
    totals = rows[(rows["sex"] == "") & (rows["nationality"] == "")]
    expected = totals.set_index(["region_code", "period"])["value"]
    shown = result.table.set_index(["AGS", "Zeitraum"])["Wert"]
    pd.testing.assert_series_equal(shown, expected.loc[shown.index], check_names=False)


def test_a_narrow_period_range_shows_every_value_without_a_note(frames):
    result = explorer.explore(frames, lang="de", indicator=UPLOAD_INDICATOR_ID, regions=["16"],
                              period_from="2024-12-01", period_to="2024-12-31", chart="line")
    assert len(result.table) == 31
    assert not any("Zeitpunkten gezeigt" in note for note in result.notes)


# ---------------------------------------------------------------------------------------------------------------
# The part-year asylum chart on the bundled indicators plus year-shifted synthetic copies (scripts/bench_figures.py):
# without a limit, 709 KB of JSON (3,023 points) at 1,000,000 rows.

@pytest.fixture(scope="module")
def scaled_partial(bundled_frames):
    from charts import migration
    from scripts.bench_figures import scaled_indicators

    frames = {**bundled_frames, "indicators": scaled_indicators(bundled_frames["indicators"], ROWS)}
    every_period = migration._thuringia_asylum(frames, migration.PARTIAL_MEASURES)["period"]
    every_period = sorted(every_period[~every_period.str.fullmatch(r"\d{4}")].unique(), key=explorer.period_sort_key)
    return migration.asylum_partial_periods(frames, lang="en", markers=True), every_period


def test_partial_periods_stay_below_500_kb_at_a_million_rows(scaled_partial):
    result, _ = scaled_partial
    assert figure_json_bytes(result.figure) <= MAX_FIGURE_JSON_BYTES
    assert 0 < len(result.table)


def test_thinned_partial_periods_draw_exactly_the_table_and_say_so(scaled_partial):
    from charts import migration

    result, every_period = scaled_partial
    drawn = []
    for trace in result.figure.data:
        if not (trace.name or "").endswith((migration.label("part_year", "en"), migration.label("month", "en"))):
            continue                                   # statement markers
        values = list(trace.y)
        drawn += values[::3] if trace.mode == "lines+markers" else values   # a span is start, end, gap
    assert sorted(drawn) == sorted(result.table["Value"].astype(float))
    assert any("periods shown" in note and "nothing averaged" in note for note in result.notes)
    shown = sorted(result.table["Period"].unique(), key=explorer.period_sort_key)
    assert shown[0] == every_period[0] and shown[-1] == every_period[-1], "first and last period always drawn"
    assert len(shown) < len(every_period)
