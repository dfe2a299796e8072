"""Domain checks on uploaded tidy tables: each problem names line, column, value, in German and English."""
import datetime

import pandas as pd
import pytest

from datasets.base import RAW_DIR
from datasets.upload_checks import check_tidy
from loaders import load_file
from loaders.result import TIDY_COLUMNS

TODAY = datetime.date(2026, 11, 25)


def tidy(*rows: dict, breakdowns: tuple[str, ...] = ()) -> pd.DataFrame:
    """Tidy rows (Erfurt population by default), source_line counting from 2 like a file with a header."""
    base = {"table": "12411-01-01-4", "time": "2024-12-31", "region_code": "16051", "region_name": "Erfurt",
            "variable": "Bevölkerungsstand", "unit": "Anzahl", "value": 210118.0, "flag": ""}
    records = []
    for line, row in enumerate(rows, start=2):
        records.append({**base, **{name: "" for name in breakdowns}, **row, "source_line": line})
    return pd.DataFrame(records, columns=[*TIDY_COLUMNS, *breakdowns, "source_line"])


def codes(problems) -> list[str]:
    return [problem.code for problem in problems]


def test_a_clean_table_has_no_problem():
    frame = tidy({}, {"region_code": "16", "region_name": "Thüringen"}, {"region_code": "DG"})
    assert check_tidy(frame, today=TODAY) == []


def test_negative_count_is_named_with_line_column_and_value():
    problems = check_tidy(tidy({}, {"region_code": "16052", "value": -3.0}), today=TODAY)
    assert codes(problems) == ["negative-count"]
    problem = problems[0]
    assert (problem.line, problem.column, problem.value) == (3, "value", "-3.0")
    assert "negativ" in problem.message("de") and "negative" in problem.message("en")
    assert "Zeile 3" in problem.message("de") and "line 3" in problem.message("en")


@pytest.mark.parametrize("unit", ["1000", "Personen", "Anträge", "anzahl"])
def test_every_count_unit_refuses_negative_values(unit):
    assert codes(check_tidy(tidy({"unit": unit, "value": -0.5}), today=TODAY)) == ["negative-count"]


@pytest.mark.parametrize("unit, variable", [("%", "Veränderung gegenüber Vorjahr"), ("Prozent", "Quote"),
                                            ("Anzahl", "Wanderungssaldo")])
def test_rates_and_balances_may_be_negative(unit, variable):
    assert check_tidy(tidy({"unit": unit, "variable": variable, "value": -1.2}), today=TODAY) == []


def test_the_count_units_can_be_chosen():
    frame = tidy({"unit": "Betten", "value": -1.0})
    assert check_tidy(frame, today=TODAY) == []
    assert codes(check_tidy(frame, today=TODAY, count_units=("Betten",))) == ["negative-count"]


@pytest.mark.parametrize("code", ["16099", "16000", "99", "17"])
def test_region_code_not_in_the_registry_is_unknown(code):
    problems = check_tidy(tidy({"region_code": code}), today=TODAY)
    assert codes(problems) == ["unknown-region"]
    assert (problems[0].line, problems[0].column, problems[0].value) == (2, "region_code", code)
    assert code in problems[0].message_de and "unbekannt" in problems[0].message_de
    assert "unknown" in problems[0].message_en


@pytest.mark.parametrize("code", ["1651", "16051 ", "Erfurt", "", "dg"])
def test_region_code_that_is_not_ags_shaped_is_refused(code):
    problems = check_tidy(tidy({"region_code": code}), today=TODAY)
    if code == "16051 ":
        assert problems == [], "surrounding spaces are not a different code"
        return
    assert codes(problems) == ["unknown-region"]
    assert "AGS" in problems[0].message_de and "AGS" in problems[0].message_en


@pytest.mark.parametrize("code", ["16056", "16063", "01001", "03241", "09162", "05334002", "160", "DG", "11"])
def test_known_codes_from_the_raw_files_are_accepted(code):
    assert check_tidy(tidy({"region_code": code}), today=TODAY) == []


def test_future_period_is_named():
    problems = check_tidy(tidy({"time": "2027-01"}, {"time": "2026"}, {"time": "2026-11-25"}), today=TODAY)
    assert codes(problems) == ["future-period"]
    assert (problems[0].line, problems[0].column, problems[0].value) == (2, "time", "2027-01")
    assert "Zukunft" in problems[0].message_de and "future" in problems[0].message_en


@pytest.mark.parametrize("period", ["31.12.2024", "2024-13-01", "2024-02-30", "2024/12", "2016-09/2016-01", "", "Q1 2024"])
def test_period_that_is_not_iso_is_bad(period):
    problems = check_tidy(tidy({"time": period}), today=TODAY)
    assert codes(problems) == ["bad-period"]
    assert (problems[0].column, problems[0].value) == ("time", period)
    assert "Zeitangabe" in problems[0].message_de and "period" in problems[0].message_en


@pytest.mark.parametrize("period", ["2024", "2024-06", "2024-02-29", "2016-01/2016-09", "2015/2016"])
def test_iso_periods_are_accepted(period):
    assert check_tidy(tidy({"time": period}), today=TODAY) == []


def test_duplicate_key_names_both_lines():
    frame = tidy({"sex": "männlich"}, {"sex": "weiblich"}, {"sex": "männlich", "value": 1.0}, breakdowns=("sex",))
    problems = check_tidy(frame, today=TODAY)
    assert codes(problems) == ["duplicate-key"]
    problem = problems[0]
    assert (problem.line, problem.column, problem.value) == (4, "region_code", "16051")
    assert "Zeile 2" in problem.message_de and "line 2" in problem.message_en
    assert "anderen Wert" in problem.message_de and "different value" in problem.message_en


def test_rows_that_differ_only_in_a_breakdown_are_not_duplicates():
    frame = tidy({"sex": ""}, {"sex": "männlich"}, {"sex": "weiblich"}, breakdowns=("sex",))
    assert check_tidy(frame, today=TODAY) == []


def test_every_problem_of_a_table_is_reported_at_once_by_line():
    frame = tidy({"value": -1.0}, {"region_code": "16099"}, {"time": "2030"}, {"time": "1.1.2020"}, {})
    problems = check_tidy(frame, today=TODAY)
    assert [(p.line, p.code) for p in problems] == [
        (2, "negative-count"), (3, "unknown-region"), (4, "future-period"), (5, "bad-period"), (6, "duplicate-key")]


@pytest.mark.parametrize("relative_path", [
    "destatis-genesis/12411-01-01-4_bevoelkerung_kreise_2024-12-31_thueringen.csv",
    "destatis-genesis/12531-0043_schutzsuchende_kreise_2024-12-31_thueringen.csv",
    "destatis-genesis/13111-01-03-4_svb_arbeitsort_nationalitaet_2025-06-30_thueringen.csv",
    "destatis-genesis/13111-0005_svb_arbeitsort_laender_quartale_2023-2025_alle_laender.csv",
    "regionalstatistik-genesapi-data/12411-01-01-4_00.csv",
    "destatis-genesis/11111-02-01-4_zahl_gemeinden_kreise_2024-12-31_thueringen.csv",
    "regionalstatistik-genesapi-data/22221-01-01-4_00.csv",
    "regionalstatistik-genesapi-data/13111-01-03-4_00.csv",
    "regionalstatistik-genesapi-data/13111-07-05-4_00.csv",
    "regionalstatistik-genesapi-data/13312-01-04-4_00.csv",
])
def test_the_real_official_files_pass_the_domain_checks(relative_path):
    frame = load_file(RAW_DIR / relative_path).frame
    assert check_tidy(frame, today=TODAY) == []


def test_census_file_repeats_two_categories_and_is_told_so():
    # NOTE: 1000A lists 'ohne' and 'einseitige' Einwanderungsgeschichte in two classifications under one label.
    frame = load_file(RAW_DIR / "destatis-genesis/1000A-2022_zensus2022_alter_einwanderungsgeschichte_thueringen_und_de.csv").frame
    problems = check_tidy(frame, today=TODAY)
    assert problems and set(codes(problems)) == {"duplicate-key"}
    assert all("demselben Wert" in problem.message_de for problem in problems)
