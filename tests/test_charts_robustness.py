"""Every chart builder of the pages "Fachkräftebedarf", "Zuwanderung & Asyl", "Anwerbung" and the overview returns
a valid ChartResult when the series it needs are missing: a published version with an empty `indicators` or
`projections` dataset, or a small sample of it. Nothing is invented: an empty chart says "keine Angabe"."""
import inspect

import pandas as pd
import pytest

from charts import demand, migration, overview, recruitment
from charts.base import MAX_FIGURE_JSON_BYTES, ChartResult, figure_json_bytes
from charts.format import NO_VALUE

SAMPLE_ROWS = 1_000
#: Modules whose builders read `indicators` or `projections` only: with both empty, every chart must say so.
DATA_PAGES = (demand, migration)


def _builders():
    found = []
    for module in (demand, migration, recruitment, overview):
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__ or not hasattr(function, "datasets"):
                continue
            signature = inspect.signature(function)
            if signature.return_annotation not in (ChartResult, "ChartResult"):
                continue
            found.append(pytest.param(module, function, id=f"{module.__name__.split('.')[-1]}.{name}"))
    return found


BUILDERS = _builders()


@pytest.fixture(scope="module")
def empty_frames(bundled_frames):
    """`indicators` and `projections` with 0 rows, same columns and dtypes as the bundled ones."""
    return {**bundled_frames, "indicators": bundled_frames["indicators"].iloc[:0].copy(),
            "projections": bundled_frames["projections"].iloc[:0].copy()}


@pytest.fixture(scope="module", params=["first_rows", "seeded_sample"])
def sample_frames(request, bundled_frames):
    """1,000 rows of `indicators` (and `projections`): the first ones, or the seeded sample of
    scripts/bench_figures.py (which keeps, e.g., foreign sector rows without their totals)."""
    from scripts.bench_figures import scaled_indicators

    indicators = bundled_frames["indicators"]
    indicators = (indicators.head(SAMPLE_ROWS).copy() if request.param == "first_rows"
                  else scaled_indicators(indicators, SAMPLE_ROWS))
    return {**bundled_frames, "indicators": indicators,
            "projections": bundled_frames["projections"].head(SAMPLE_ROWS).copy()}


def _call(function, frames, lang):
    required = [p.name for p in inspect.signature(function).parameters.values()
                if p.kind == p.KEYWORD_ONLY and p.default is p.empty and p.name != "lang"]
    assert not required, f"{function.__name__} needs {required}: give it a value from the page's option helper"
    return function(frames, lang=lang)


def _check(result):
    assert isinstance(result, ChartResult)
    assert figure_json_bytes(result.figure) <= MAX_FIGURE_JSON_BYTES
    assert isinstance(result.table, pd.DataFrame) and len(result.table.columns) > 0
    assert isinstance(result.alt, str) and result.alt.strip()


def _says_no_data(result, lang) -> bool:
    return any(annotation.text == NO_VALUE[lang] for annotation in result.figure.layout.annotations)


def test_the_empty_frames_keep_the_bundled_columns_and_dtypes(empty_frames, bundled_frames):
    for name in ("indicators", "projections"):
        assert empty_frames[name].empty
        pd.testing.assert_series_equal(empty_frames[name].dtypes, bundled_frames[name].dtypes)


def test_every_chart_builder_is_found():
    names = {param.id for param in BUILDERS}
    assert {"demand.employees_total_and_foreign", "demand.sectors_by_district", "migration.asylum_partial_periods",
            "migration.protection_seekers_nationalities"} <= names


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("module, function", BUILDERS)
def test_builder_without_indicators_and_projections_says_keine_angabe(empty_frames, bundled_frames, module,
                                                                     function, lang):
    result = _call(function, empty_frames, lang)
    _check(result)
    if module in DATA_PAGES:
        assert result.table.empty
        assert _says_no_data(result, lang), "an empty chart says 'keine Angabe' / 'not available'"
        assert ("no figures available" in result.alt) if lang == "en" else ("keine Angabe" in result.alt)
        assert list(result.table.columns) == list(_call(function, bundled_frames, lang).table.columns), \
            "the empty table has the columns of the full one"


@pytest.mark.parametrize("module, function", BUILDERS)
def test_builder_with_a_1000_row_sample(sample_frames, module, function):
    result = _call(function, sample_frames, "de")
    _check(result)
    if result.table.empty and module in DATA_PAGES:
        assert _says_no_data(result, "de")


def test_no_invented_total_when_protection_statuses_are_missing(empty_frames):
    result = migration.protection_seekers_status(empty_frames, lang="de")
    assert "zusammen 0" not in result.alt and "0 Personen" not in " ".join(result.notes)


def test_sectors_show_what_exists_for_a_region_without_rows(bundled_frames):
    result = demand.sectors_by_district(bundled_frames, lang="en", district="16999")
    assert result.table.empty and _says_no_data(result, "en")
    assert list(result.table.columns) == list(demand.sectors_by_district(bundled_frames, lang="en").table.columns)


def test_sectors_without_totals_show_the_foreign_bars_and_no_invented_total(bundled_frames):
    indicators = bundled_frames["indicators"]
    without_totals = indicators[~((indicators["source_id"] == demand.SECTORS_SOURCE)
                                  & (indicators["nationality"] == ""))]
    result = demand.sectors_by_district({**bundled_frames, "indicators": without_totals}, lang="de")
    assert result.table["insgesamt"].isna().all() and result.table["ausländisch"].notna().any()
    assert "(ausländisch): Höchstwert" in result.alt
    assert "Summe der Abschnitte keine Angabe" in result.notes[0]
