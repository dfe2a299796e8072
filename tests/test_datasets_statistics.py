"""The indicators built from the official statistics files: schema, known published figures, sources, no double counting."""
import math

import pandas as pd
import pytest

from datasets import indicators_statistics as statistics
from datasets.base import RAW_DIR
from datasets.indicators import BREAKDOWNS, COLUMNS, IndicatorsSchema

KEY = ["indicator_id", "region_code", "period", *BREAKDOWNS, "source_id"]


@pytest.fixture(scope="module")
def built():
    return statistics.build(RAW_DIR)


def cell(frame, **where):
    """The rows matching every column=value given; breakdown columns not named must be '' (totals)."""
    mask = pd.Series(True, index=frame.index)
    for column in BREAKDOWNS:
        where.setdefault(column, "")
    for column, value in where.items():
        mask &= frame[column] == value
    return frame[mask]


def only_value(frame, **where):
    rows = cell(frame, **where)
    assert len(rows) == 1, f"expected one row for {where}, got {len(rows)}"
    return rows.iloc[0]


def test_build_validates_against_the_indicators_schema(built):
    IndicatorsSchema.validate(built, lazy=True)
    assert list(built.columns) == COLUMNS
    assert built["value"].dtype == "float64"
    text_columns = [column for column in COLUMNS if column != "value"]
    assert not built[text_columns].isna().any().any(), "text columns must hold '' for empty, never NA"


def test_no_duplicate_keys(built):
    assert not built.duplicated(KEY).any()


def test_build_is_deterministic(built):
    pd.testing.assert_frame_equal(built, statistics.build(RAW_DIR))


def test_every_source_id_has_a_source_row_and_every_source_is_used(built):
    declared = {source.source_id: source for source in statistics.SOURCES}
    assert len(declared) == len(statistics.SOURCES), "a source id is declared twice"
    assert set(built["source_id"]) == set(declared)
    for source in statistics.SOURCES:
        assert (RAW_DIR / source.raw_path).is_file(), source.raw_path
        assert source.url.startswith("https://") and source.licence and source.publisher
        assert source.confidence in {"high", "medium", "low"}
    assert declared["derived-12531-0043-2024-laender"].confidence == "medium"


def test_every_indicator_id_has_a_definition_with_its_unit(built):
    definitions = {definition.indicator_id: definition for definition in statistics.INDICATORS}
    assert set(built["indicator_id"]) <= set(definitions)
    for indicator_id, unit in built.groupby("indicator_id")["unit"].unique().items():
        assert list(unit) == [definitions[indicator_id].unit], indicator_id
    for definition in definitions.values():
        assert definition.title_de and definition.title_en and definition.description_de and definition.description_en
    counts = built["indicator_id"].map({key: d.is_count for key, d in definitions.items()})
    assert not (built.loc[counts, "value"] < 0).any(), "a count is negative"


def test_every_missing_value_keeps_its_source_marker(built):
    missing = built[built["value"].isna()]
    assert len(missing) > 0
    assert (missing["flag"] != "").all(), "a value is NA without the marker of its source"


def test_population_of_erfurt_on_31_12_2015(built):
    row = only_value(built, indicator_id="population", region_code="16051", period="2015-12-31",
                     source_id="regionalstatistik-12411-01-01-4")
    assert row["value"] == 210118
    assert row["region_name"] == "Erfurt, kreisfreie Stadt"
    thuringia = cell(built, indicator_id="population", region_code="16", period="2015-12-31",
                     source_id="regionalstatistik-12411-01-01-4")
    assert thuringia["value"].tolist() == [2170714]
    assert set(built.loc[built["indicator_id"] == "population", "region_code"]) >= {"DG", "01", "16", "16056"}


def test_eisenach_2024_is_kept_as_missing_with_its_dash(built):
    row = only_value(built, indicator_id="population", region_code="16056", period="2024-12-31")
    assert math.isnan(row["value"]) and row["flag"] == "-"
    assert "Wartburgkreis" in row["note"]


def test_thuringian_employees_on_30_06_2025(built):
    total = only_value(built, indicator_id="employees_svb", region_code="16", period="2025-06-30",
                       source_id="destatis-13111-01-03-4-2025")
    foreign = only_value(built, indicator_id="employees_svb", region_code="16", period="2025-06-30",
                         nationality="ausländisch", source_id="destatis-13111-01-03-4-2025")
    assert (total["value"], foreign["value"]) == (783130, 78539)
    laender = only_value(built, indicator_id="employees_svb", region_code="16", period="2025-06-30",
                         source_id="destatis-13111-0005")
    assert laender["value"] == 783130


def test_district_rows_of_the_2025_employee_file_stay_visible_as_dashes(built):
    districts = built[(built["source_id"] == "destatis-13111-01-03-4-2025") & (built["region_code"].str.len() == 5)]
    assert districts["region_code"].nunique() == 23
    assert districts["value"].isna().all() and (districts["flag"] == "-").all()


def test_all_laender_are_there_for_comparison(built):
    laender = built[(built["source_id"] == "destatis-13111-0005")]
    assert laender["region_code"].nunique() == 16
    assert laender["period"].nunique() == 8


def test_employees_by_sector_in_2015(built):
    rows = cell(built, indicator_id="employees_svb", region_code="16", period="2015-06-30",
                source_id="regionalstatistik-13111-07-05-4", sector="Baugewerbe (F)")
    assert rows["value"].tolist() == [56712]
    total = only_value(built, indicator_id="employees_svb", region_code="16", period="2015-06-30",
                       source_id="regionalstatistik-13111-07-05-4")
    assert total["value"] == 786098


def test_employed_persons_2014_from_both_calculation_vintages(built):
    older = only_value(built, indicator_id="employed_persons", region_code="16", period="2014",
                       source_id="regionalstatistik-13312-01-04-4")
    newer = only_value(built, indicator_id="employed_persons", region_code="16", period="2014",
                       source_id="tls-erwerbstaetige-zr002007")
    assert (older["value"], newer["value"]) == (1047.1, 1039.9)
    assert older["unit"] == newer["unit"] == "1000 Personen"
    for source_id in ("regionalstatistik-13312-01-04-4", "tls-erwerbstaetige-zr002007"):
        manufacturing = cell(built, indicator_id="employed_persons", region_code="16", period="2014",
                             source_id=source_id, sector="Verarbeitendes Gewerbe (C)")
        assert len(manufacturing) == 1, f"{source_id}: sector labels are not aligned across sources"


def test_asylum_benefit_recipients_in_soemmerda(built):
    row = only_value(built, indicator_id="asylum_benefit_recipients", region_code="16068", period="2015-12-31")
    assert row["value"] == 678
    women = only_value(built, indicator_id="asylum_benefit_recipients", region_code="16068", period="2015-12-31",
                       sex="weiblich")
    assert women["value"] == 223
    basic = only_value(built, indicator_id="asylum_benefit_recipients", region_code="16068", period="2015-12-31",
                       breakdown="Art der Leistung=Grundleistungen")
    assert basic["value"] == 619


@pytest.mark.parametrize("year, first_applications", [(2015, 441_899), (2016, 722_370), (2018, 161_931)])
def test_bamf_first_applications_sum_to_the_published_yearly_total(built, year, first_applications):
    rows = built[(built["indicator_id"] == "asylum_first_applications") & (built["period"] == str(year))]
    assert set(rows["region_code"]) == {"DG"}
    assert rows["value"].sum() == first_applications
    assert (rows["nationality"] != "").all(), "every BAMF row is one country of origin"
    totals = built[(built["indicator_id"] == "asylum_applications_total") & (built["period"] == str(year))]
    assert totals["value"].sum() >= first_applications


def test_protection_seekers_top_level_statuses_sum_without_double_counting(built):
    assert statistics.protection_seekers_total_status_codes() == ("SCHUTZST-AK-1", "SCHUTZST-OF", "SCHUTZST-X")
    districts = built[(built["indicator_id"] == "protection_seekers")
                      & (built["source_id"] == "destatis-12531-0043-2024")]
    top_level = districts[statistics.is_top_level_protection_status(districts)]
    assert top_level["value"].sum() == 60095 + 9250 + 3410
    assert districts["value"].sum() > top_level["value"].sum(), "sub-categories must not be part of the total"
    derived = built[(built["source_id"] == "derived-12531-0043-2024-laender") & (built["region_code"] == "16")]
    derived_top = derived[statistics.is_top_level_protection_status(derived)]
    assert derived_top["value"].sum() == top_level["value"].sum()
    recognised = districts[statistics.protection_status_code(districts) == "SCHUTZST-AK-1"]
    assert set(recognised["status"]) == {"Anerkannter Schutzstatus"}


def test_inkar_asylum_seekers_in_saale_holzland_2015(built):
    row = only_value(built, indicator_id="asylum_seekers_per_1000_inhabitants", region_code="16074", period="2015")
    assert row["value"] == 88.49 and row["unit"] == "je 1000 Einwohner"
    assert only_value(built, indicator_id="in_migration_rate", region_code="16054", period="2015")["value"] == 345.3


def test_census_2022_keeps_quality_flags_and_one_copy_of_each_category(built):
    census = built[built["indicator_id"] == "population_census"]
    assert set(census["region_code"]) == {"16", "DG"}
    total = only_value(built, indicator_id="population_census", region_code="16", period="2022-05-15")
    assert total["value"] == 2110396 and total["flag"] == "e"
    suppressed = census[census["value"].isna()]
    assert len(suppressed) > 0 and (suppressed["flag"] == "-").all()


def test_municipalities_per_district(built):
    rows = built[built["indicator_id"] == "municipalities_count"]
    assert rows["region_code"].nunique() == 23
    assert only_value(built, indicator_id="municipalities_count", region_code="16071")["value"] == 38
