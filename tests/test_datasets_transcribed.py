"""The datasets built from transcribed press/official figures and statements keep every figure, source and unknown."""
import math

import pandas as pd
import pytest

from datasets import (claims, indicators_statistics, indicators_transcribed, policy_statements, projections,
                      recruitment_pilots)
from datasets.base import RAW_DIR
from datasets.indicators import IndicatorsSchema
from datasets.indicators_transcribed import (INDICATOR_ROWS, SHARED_INDICATOR_IDS, SKIPPED_ROWS, iso_period,
                                             parse_values, read_transcription)

PRESS_RELEASE_SOURCE = indicators_transcribed.STATEMENT_SOURCE.source_id


@pytest.fixture(scope="module")
def frames():
    return {
        "indicators": indicators_transcribed.build(RAW_DIR),
        "projections": projections.build(RAW_DIR),
        "recruitment_pilots": recruitment_pilots.build(RAW_DIR),
        "policy_statements": policy_statements.build(RAW_DIR),
        "claims": claims.build(RAW_DIR),
    }


def _one(frame: pd.DataFrame, **where) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column] == value
    assert mask.sum() == 1, f"expected one row with {where}, found {mask.sum()}"
    return frame[mask].iloc[0]


def test_every_build_validates_against_its_schema_and_is_deterministic(frames):
    IndicatorsSchema.validate(frames["indicators"])
    for module in (projections, recruitment_pilots, policy_statements, claims):
        frame = frames[module.SPEC.meta.name]
        module.SPEC.schema.validate(frame)
        pd.testing.assert_frame_equal(frame, module.build(RAW_DIR))


def test_no_duplicate_keys(frames):
    key = ["indicator_id", "region_code", "period", "sex", "nationality", "status", "sector", "age_group",
           "breakdown", "source_id"]
    assert not frames["indicators"].duplicated(key).any()
    for module in (projections, recruitment_pilots, policy_statements, claims):
        frame = frames[module.SPEC.meta.name]
        assert not frame.duplicated(list(module.SPEC.meta.key)).any(), module.SPEC.meta.name


def test_press_release_is_the_first_statement_with_a_verbatim_quote(frames):
    statements = frames["policy_statements"]
    first = statements.iloc[0]
    assert first["statement_id"] == "2016-05-18-staatskanzlei-integrationskonzept"
    assert first["date"] == "2016-05-18"
    assert first["source_id"] == PRESS_RELEASE_SOURCE
    text = indicators_transcribed.read_statement_text(RAW_DIR)
    assert first["quote"] in text and "280.000 Fachkräfte" in first["quote"]
    assert (statements["quote"].str.len() <= 300).all()
    assert list(statements["date"].iloc[1:]) == sorted(statements["date"].iloc[1:])


def test_280000_skilled_workers_by_2025_comes_from_the_press_release(frames):
    row = _one(frames["projections"], source_id=PRESS_RELEASE_SOURCE)
    assert (row["measure"], row["horizon_year"], row["value"]) == ("total_demand", 2025, 280000.0)
    claim = _one(frames["claims"], statement_id=policy_statements.PRESS_RELEASE_ID, measure="total_demand")
    assert (claim["period"], claim["value"]) == ("2025", 280000.0)


def test_span_of_earlier_studies_is_a_range_row_without_a_point_value(frames):
    row = _one(frames["projections"], projection_id="2018-fruehere-studien-total-demand-range")
    assert (row["value_low"], row["value_high"]) == (75000.0, 280000.0)
    assert math.isnan(row["value"])


def test_2030_total_is_roughly_replacement_plus_expansion(frames):
    table = frames["projections"].set_index("projection_id")["value"]
    total = table["2018-studie-total-demand-2030"]
    parts = table["2018-studie-replacement-demand-2030"] + table["2018-studie-expansion-demand-2030"]
    # NOTE: the sources say "rund/mehr als 344 000"; 272 000 + 72 400 = 344 400, i.e. 400 above the total.
    assert parts - total == 400
    assert abs(parts - total) / total < 0.01


def test_workforce_decline_is_negative_and_population_projections_keep_their_base_year(frames):
    table = frames["projections"].set_index("projection_id")
    assert table.loc["2024-fachkraeftestudie-workforce-change-2035", "value"] == -140000
    assert table.loc["2019-tls-2-rbv-population-2040", ["base_year", "value"]].tolist() == [2018, 1862000]
    assert table.loc["2023-tls-3-rbv-population-2042", ["base_year", "value"]].tolist() == [2021, 1925700]
    assert set(frames["projections"]["measure"]) <= set(projections.MEASURES)


def test_greek_pilot_participants_are_unknown_not_zero(frames):
    greek = frames["recruitment_pilots"].set_index("pilot_id").loc[recruitment_pilots.GREEK_PILOT]
    for column in recruitment_pilots.COUNT_COLUMNS:
        assert pd.isna(greek[column]), f"{column} of the Greek pilot must be NA (keine Angabe), not {greek[column]}"
    assert pd.isna(greek["funding_eur"])
    assert (greek["announced"], greek["status_date"]) == ("2015-07", "2016-05-18")
    assert greek["status_source_id"] == PRESS_RELEASE_SOURCE


def test_pilot_counts_read_from_the_transcription(frames):
    pilots = frames["recruitment_pilots"].set_index("pilot_id")
    assert pilots.loc["bad-salzungen-pflege-italien", "started_training"] == 8
    assert pilots.loc["bad-salzungen-pflege-polen", "started_training"] == 4
    assert pilots.loc["el-salvador-pflege-azubis", "started_training"] == 17
    assert pilots.loc["german-professional-school-eisenach", ["target", "funding_eur"]].tolist() == [1000, 11.5e6]
    assert pilots.loc["catt-usbekistan-azubis", ["target", "start", "end"]].tolist() == [60, "2026", "2028"]
    assert pilots.loc["mobipro-eu", "region_code"] == "DG"


def test_arrivals_2015_and_2016_with_their_source(frames):
    arrivals = frames["indicators"][frames["indicators"]["indicator_id"] == "asylum_arrivals"]
    assert _one(arrivals, period="2015", source_id="bimf-zahlen")["value"] == 29622
    assert _one(arrivals, period="2016", source_id="bimf-zahlen")["value"] == 6600
    assert _one(arrivals, period="2016-01/2016-09")["note"].count("Teiljahr") == 1
    assert _one(arrivals, period="2015-09")["value"] == 4577


def test_conflicting_2017_application_figures_are_both_kept(frames):
    indicators = frames["indicators"]
    first = _one(indicators, indicator_id="asylum_first_applications", period="2017")
    ministry = _one(indicators, indicator_id="asylum_applications_unspecified", period="2017")
    assert (first["value"], first["source_id"]) == (5040, "hebammenhilfe-daten-thueringen")
    assert (ministry["value"], ministry["source_id"]) == (4594, "otz-2019-asylantraege-sinkt-weiter")
    assert "4594" in first["note"] and "5040" in ministry["note"]
    assert "niedrig" in ministry["note"]


def test_press_benefit_recipients_sit_beside_the_official_series_with_their_own_source(frames):
    benefits = frames["indicators"][frames["indicators"]["indicator_id"] == "asylum_benefit_recipients"]
    assert benefits["period"].tolist() == ["2014-12-31", "2015-12-31", "2016-12-31", "2017-12-31", "2020-12-31"]
    official = {source.source_id for source in indicators_statistics.SOURCES}
    assert not set(benefits["source_id"]) & official


def test_every_transcription_row_is_used_or_skipped_with_a_reason(frames):
    table = read_transcription(RAW_DIR)
    mapped = {(spec.kennzahl, spec.zeitraum) for spec in INDICATOR_ROWS}
    mapped |= {(spec.kennzahl, spec.zeitraum) for spec in projections.PROJECTION_ROWS}
    used_elsewhere = set(table.loc[table["thema"] == "3_rekrutierung", ["kennzahl", "zeitraum"]].itertuples(
        index=False, name=None))
    for row in table.itertuples():
        key = (row.kennzahl, row.zeitraum)
        assert key in mapped or key in SKIPPED_ROWS or key in used_elsewhere, f"line {row.line} {key} is not used"
    assert set(SKIPPED_ROWS) == {
        ("Königsteiner Schlüssel (Verteilungsschlüssel, Jahr nicht angegeben)", "unbekannt"),
        ("Geflüchtete in regulärer Arbeit (Zuwanderungs- und Integrationsbericht)", "ca. 2022"),
    }
    assert not set(SKIPPED_ROWS) & mapped
    for kennzahl, zeitraum in SKIPPED_ROWS:
        with pytest.raises(ValueError):
            iso_period(zeitraum)


def test_koenigsteiner_schluessel_values_and_mobipro_by_country(frames):
    indicators = frames["indicators"]
    key = indicators[indicators["indicator_id"] == "koenigsteiner_schluessel"]
    assert key.set_index("period")["value"].to_dict() == {"2008": 2.89, "2015": 2.74835, "2016": 2.72451,
                                                          "2017": 2.6947}
    mobipro = indicators[indicators["indicator_id"] == "mobipro_eu_applicants"].set_index("nationality")
    assert (mobipro["region_code"] == "DG").all()
    assert mobipro.loc[["Spanien", "Portugal"], "value"].tolist() == [5642, 407]


def test_every_source_id_used_has_a_source_row(frames):
    pairs = [(indicators_transcribed.SOURCES, frames["indicators"]["source_id"]),
             (projections.SOURCES, frames["projections"]["source_id"]),
             (recruitment_pilots.SOURCES, recruitment_pilots.source_ids_of(frames["recruitment_pilots"])),
             (policy_statements.SOURCES, frames["policy_statements"]["source_id"])]
    for sources, used in pairs:
        declared = {source.source_id for source in sources}
        assert set(used) <= declared, sorted(set(used) - declared)
        for source in sources:
            assert source.url.startswith("http") or source.raw_path, source.source_id
            assert source.licence and source.confidence in ("high", "medium", "low")
    urls = {source.source_id: source.url for sources, _ in pairs for source in sources}
    assert urls[PRESS_RELEASE_SOURCE].startswith("https://www.welt.de/")


def test_every_claim_points_to_an_existing_statement_indicator_measure_and_pilot(frames):
    claim_table = frames["claims"]
    assert set(claim_table["statement_id"]) <= set(frames["policy_statements"]["statement_id"])
    own_ids = {definition.indicator_id for definition in indicators_transcribed.INDICATORS}
    other_ids = {definition.indicator_id for definition in indicators_statistics.INDICATORS}
    assert set(SHARED_INDICATOR_IDS) <= other_ids and not set(SHARED_INDICATOR_IDS) & own_ids
    assert set(claim_table["indicator_id"]) - {""} <= own_ids | other_ids
    assert set(claim_table["measure"]) - {""} <= set(frames["projections"]["measure"])
    assert set(claim_table["pilot_id"]) - {""} <= set(frames["recruitment_pilots"]["pilot_id"])
    assert ((claim_table["indicator_id"] == "") | (claim_table["measure"] == "")).all()


def test_every_statement_has_at_least_one_claim(frames):
    assert set(frames["policy_statements"]["statement_id"]) == set(frames["claims"]["statement_id"])


def test_press_release_claims_cover_the_statement(frames):
    press = frames["claims"][frames["claims"]["statement_id"] == policy_statements.PRESS_RELEASE_ID]
    assert press.iloc[0]["measure"] == "total_demand"
    falling = _one(press, indicator_id="asylum_arrivals", direction="sinkend")
    assert (falling["region_code"], falling["period"]) == ("16", "2016")
    assert pd.isna(falling["value"])
    assert _one(press, pilot_id=recruitment_pilots.GREEK_PILOT)["period"] == "2016"
    assert _one(press, pilot_id=recruitment_pilots.SPAIN_PORTUGAL)["indicator_id"] == "mobipro_eu_applicants"
    without_number = press[press["claim_id"].str.endswith(("eckpunkte-vor-sommerpause", "spurwechsel"))]
    assert len(without_number) == 2 and without_number["value"].isna().all()
    assert press["claim_id"].str.endswith("einrichtungen-vorhalten").any()


def test_claims_about_indicators_point_at_rows_that_exist(frames):
    indicators = frames["indicators"]
    linked = frames["claims"][(frames["claims"]["indicator_id"] != "") & frames["claims"]["value"].notna()]
    cells = set(indicators[["indicator_id", "region_code", "period"]].itertuples(index=False, name=None))
    for claim in linked.itertuples():
        assert (claim.indicator_id, claim.region_code, claim.period) in cells, claim.claim_id


def test_value_parser_reads_ranges_and_pairs():
    assert parse_values("75000-280000") == [75000.0, 280000.0]
    assert parse_values("8 / 4") == [8.0, 4.0]
    assert parse_values("2.74835") == [2.74835]
    with pytest.raises(AssertionError):
        parse_values("rund 6600")
