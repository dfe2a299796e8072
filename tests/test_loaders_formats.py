"""Formats on synthetic inputs: encodings, delimiters, decimal conventions, markers, dispatch by content."""
import datetime
import math
import sys
import types

import pandas as pd
import pytest

import loaders
from loaders.errors import LoaderError
from loaders.generic import frame_to_tidy

SYNTHETIC_TABLE = "region_code;region_name;value\n16;Thüringen;1,5\n16068;Sömmerda, Kreis;2\n"
SYNTHETIC_FLAT = (
    "\ufeffstatistics_code;statistics_label;time_code;time_label;time;1_variable_code;1_variable_label;"
    "1_variable_attribute_code;1_variable_attribute_label;2_variable_code;2_variable_label;"
    "2_variable_attribute_code;2_variable_attribute_label;value;value_unit;value_variable_code;"
    "value_variable_label;value_q\n"
    "99999;Synthetische Statistik;JAHR;Jahr;2023;DLAND;Bundesländer;16;Thüringen;GES;Geschlecht;;Insgesamt;"
    "-0,3;Prozent;SYN001;Veränderung;e\n"
    "99999;Synthetische Statistik;JAHR;Jahr;2023;DLAND;Bundesländer;16;Thüringen;GES;Geschlecht;GESW;weiblich;"
    "...;Prozent;SYN001;Veränderung;\n"
    "99999;Synthetische Statistik;JAHR;Jahr;2023;DLAND;Bundesländer;01;Schleswig-Holstein;GES;Geschlecht;GESM;"
    "männlich;12;Prozent;SYN001;Veränderung;()\n")
SYNTHETIC_CLASSIC = (
    "GENESIS-Tabelle: 99999-01-01-4\n"
    "Synthetische Tabelle;;;;\n"
    "Synthetischer Bestand (Anzahl);;;;\n"
    ";;;Geschlecht;Geschlecht\n"
    ";;;männlich;weiblich\n"
    "31.12.2020;;;;\n"
    "16;  Thüringen;Baugewerbe (F);10;x\n"
    "31.12.2021;;;;\n"
    "16;  Thüringen;Baugewerbe (F);11;1.234\n"
    "__________\n"
    "Stand: 01.01.2022 / 10:00:00\n")


def load(text: str, filename: str = "synthetic-upload.csv", encoding: str = "utf-8"):
    return loaders.load_bytes(text.encode(encoding), filename)


def refused(data: bytes, filename: str = "synthetic-upload.csv") -> LoaderError:
    with pytest.raises(LoaderError) as caught:
        loaders.load_bytes(data, filename)
    return caught.value


# --- encodings -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding, prefix, reported", [
    ("utf-8", b"", "utf-8"),
    ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
    ("utf-16-le", b"\xff\xfe", "utf-16"),
    ("utf-16-be", b"\xfe\xff", "utf-16"),
    ("cp1252", b"", "cp1252"),
])
def test_synthetic_table_reads_the_same_in_every_supported_encoding(encoding, prefix, reported):
    result = loaders.load_bytes(prefix + SYNTHETIC_TABLE.encode(encoding), "synthetic.csv")
    assert result.encoding == reported
    assert result.frame["region_name"].tolist() == ["Thüringen", "Sömmerda, Kreis"]
    assert result.frame["value"].tolist() == [1.5, 2.0]


def test_utf8_decoded_as_cp1252_before_is_refused_as_mojibake():
    error = refused(SYNTHETIC_TABLE.encode("utf-8").decode("cp1252").encode("utf-8"))
    assert error.problems[0].code == "mojibake" and error.problems[0].line == 2


def test_mac_roman_text_is_not_passed_off_as_cp1252():
    error = refused("region_name;value\nSömmerda äöü Jülich Gößnitz;1\n".encode("mac_roman"))
    assert error.problems[0].code == "unknown-encoding"


def test_utf16_without_bom_is_refused_by_name():
    error = refused(SYNTHETIC_TABLE.encode("utf-16-le"))
    assert "UTF-16" in error.problems[0].message_de


# --- delimiters and decimal conventions -------------------------------------------------------------------------

@pytest.mark.parametrize("text, delimiter, decimal, values", [
    ("jahr;ags;wert\n2020;16;1,5\n2021;16;2,25\n", ";", ",", [1.5, 2.25]),
    ("jahr,ags,wert\n2020,16,1.5\n2021,16,2.25\n", ",", ".", [1.5, 2.25]),
    ("jahr\tags\twert\n2020\t16\t1,5\n2021\t16\t7\n", "\t", ".", [1.5, 7.0]),
])
def test_delimiter_is_detected_from_consistent_field_counts(text, delimiter, decimal, values):
    result = load(text)
    assert result.delimiter == delimiter and result.decimal == decimal
    assert result.frame["value"].tolist() == values


def test_decimal_point_in_a_semicolon_file_is_never_multiplied_by_ten():
    assert load("ags;wert\n16;1.5\n16051;2\n").frame["value"].tolist() == [1.5, 2.0]


def test_point_thousands_in_a_decimal_comma_file_needs_evidence_in_the_same_column():
    error = refused(b"ags;jahr;wert\n16;2020;7\n16051;2020;1.234\n")
    problem = error.problems[0]
    assert (problem.code, problem.line, problem.column, problem.value) == ("ambiguous-decimal", 3, "wert", "1.234")
    proven = load("ags;jahr;wert\n16;2020;1.234,5\n16051;2020;1.234\n")
    assert proven.frame["value"].tolist() == [1234.5, 1234.0]


def test_comma_in_a_decimal_point_file_is_ambiguous_unless_the_column_proves_it():
    error = refused(b'ags,wert\n16,"1,234"\n')
    assert error.problems[0].code == "ambiguous-decimal" and error.problems[0].value == "1,234"
    proven = load('ags,wert\n16,"1,234"\n16051,"2,500,000"\n')
    assert proven.frame["value"].tolist() == [1234.0, 2500000.0]


def test_comma_with_three_digits_in_a_decimal_comma_file_is_a_decimal():
    assert load("ags;wert\n16;1,234\n").frame["value"].tolist() == [1.234]


@pytest.mark.parametrize("cell, expected", [
    ("1.234.567", 1234567.0), ("1.234.567,5", 1234567.5), ("1 227,6", 1227.6), ("1\u2009227,6", 1227.6),
    ("1\u202f227", 1227.0), ("1\u00a0227,25", 1227.25), ("-0,3", -0.3), ("\u22125", -5.0), ("0,125", 0.125),
])
def test_german_thousands_separators_and_signs(cell, expected):
    assert load(f"ags;wert\n16;{cell}\n").frame["value"].tolist() == [expected]


def test_mixed_decimal_marks_in_one_column_are_refused_naming_the_column():
    error = refused(b"ags;wert\n16;1,5\n16051;2.75\n")
    assert error.problems[0].code == "mixed-decimal" and error.problems[0].column == "wert"


# --- markers and flags -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("marker", ["-", "–", ".", "x", "...", "…", "/"])
def test_special_markers_become_nan_and_keep_the_marker_in_flag(marker):
    frame = load(f"ags;wert\n16;{marker}\n16051;3\n").frame
    assert math.isnan(frame["value"][0]) and frame["flag"][0] == marker
    assert frame["value"][1] == 3.0 and frame["flag"][1] == ""


def test_genesis_flat_quality_flag_goes_to_flag_when_there_is_no_marker():
    result = load(SYNTHETIC_FLAT, "99999-0001_synthetic.csv")
    frame = result.frame
    assert result.format == "genesis-flat" and result.decimal == ","
    assert frame["value"].tolist()[::2] == [-0.3, 12.0] and math.isnan(frame["value"][1])
    assert frame["flag"].tolist() == ["e", "...", "()"]
    assert frame["table"].tolist() == ["99999-0001"] * 3 and frame["time"][0] == "2023"
    assert frame["region_code"].tolist() == ["16", "16", "01"]
    assert frame["Geschlecht"].tolist() == ["Insgesamt", "weiblich", "männlich"]
    assert frame["source_line"].tolist() == [2, 3, 4]


def test_genesis_flat_with_crlf_line_ends_keeps_line_numbers():
    frame = load(SYNTHETIC_FLAT.replace("\n", "\r\n"), "99999-0001_synthetic.csv").frame
    assert frame["source_line"].tolist() == [2, 3, 4] and frame["flag"].tolist() == ["e", "...", "()"]


def test_genesis_flat_ragged_row_names_its_line():
    broken = SYNTHETIC_FLAT + "99999;kaputt;JAHR\n"
    error = refused(broken.encode(), "synthetic.csv")
    assert error.problems[0].code == "ragged-row" and error.problems[0].line == 5


def test_genesis_classic_with_date_block_lines_and_sector_column():
    with pytest.raises(LoaderError) as caught:
        load(SYNTHETIC_CLASSIC, "synthetic.csv")
    assert caught.value.problems[0].code == "ambiguous-decimal" and caught.value.problems[0].line == 9
    result = load(SYNTHETIC_CLASSIC.replace("1.234", "1234"), "synthetic.csv")
    frame = result.frame
    assert frame["time"].tolist() == ["2020-12-31", "2020-12-31", "2021-12-31", "2021-12-31"]
    assert frame["Geschlecht"].tolist() == ["männlich", "weiblich"] * 2
    assert set(frame["Wirtschaftszweig"]) == {"Baugewerbe (F)"} and set(frame["region_name"]) == {"Thüringen"}
    assert frame["flag"].tolist() == ["", "x", "", ""]
    assert (frame["variable"][0], frame["unit"][0], frame["table"][0]) == \
        ("Synthetischer Bestand", "Anzahl", "99999-01-01-4")
    assert result.notes == ["Stand: 01.01.2022 / 10:00:00"]


# --- generic tables ---------------------------------------------------------------------------------------------

def test_german_alias_columns_make_an_already_tidy_table():
    frame = load("Jahr;AGS;Name;Wert;Einheit;Geschlecht\n31.12.2020;16051;Erfurt;5;Anzahl;weiblich\n").frame
    row = frame.iloc[0]
    assert (row["time"], row["region_code"], row["region_name"], row["value"], row["unit"], row["Geschlecht"]) == \
        ("2020-12-31", "16051", "Erfurt", 5.0, "Anzahl", "weiblich")


def test_wide_table_is_melted_with_the_column_header_as_variable():
    frame = load("county,year,quote,rate\n1001,2020,5.5,\n16051,2020,6,7.25\n").frame
    assert frame["variable"].tolist() == ["quote", "rate", "quote", "rate"]
    assert frame["region_code"].tolist() == ["01001", "01001", "16051", "16051"]
    assert frame["value"].tolist()[0] == 5.5 and math.isnan(frame["value"][1])
    assert frame["source_line"].tolist() == [2, 2, 3, 3]


def test_every_problem_of_a_file_is_reported_at_once():
    error = refused(b"ags;wert;wert;\n16;1\n16;1;2;3;4\n16;2;3;4\n16;1;2;3;4;5\n")
    codes = [problem.code for problem in error.problems]
    assert codes.count("duplicate-header") == 1 and codes.count("empty-header") == 1
    assert [problem.line for problem in error.problems if problem.code == "ragged-row"] == [2, 3, 5]


def test_header_only_and_single_quoted_column_are_named():
    assert refused(b"ags;wert\n").problems[0].code == "no-data-rows"
    error = refused(b'"ags;wert"\n"16;1"\n"16051;2"\n')
    assert error.problems[0].code == "wrong-delimiter"


def test_frame_to_tidy_accepts_typed_frames():
    frame = frame_to_tidy(pd.DataFrame({"ags": [16051, 1001], "jahr": [2020, 2021], "wert": [1.5, None]}),
                          "synthetic")
    assert frame["region_code"].tolist() == ["16051", "01001"] and frame["time"].tolist() == ["2020", "2021"]
    assert frame["value"].tolist()[0] == 1.5 and math.isnan(frame["value"][1])
    assert frame["table"].tolist() == ["synthetic"] * 2


# --- dispatch by content ----------------------------------------------------------------------------------------

@pytest.fixture
def stub_readers(monkeypatch):
    """Synthetic stand-ins for the XLSX and Parquet readers (the real ones are tested elsewhere)."""
    calls = {}
    xlsx = types.ModuleType("loaders.xlsx")
    parquet = types.ModuleType("loaders.parquet")

    def read_xlsx_rows(data):
        calls["xlsx"] = data
        return calls["rows"]

    def read_parquet_frame(data):
        calls["parquet"] = data
        return calls["frame"]
    xlsx.read_xlsx_rows = read_xlsx_rows
    parquet.read_parquet_frame = read_parquet_frame
    monkeypatch.setitem(sys.modules, "loaders.xlsx", xlsx)
    monkeypatch.setitem(sys.modules, "loaders.parquet", parquet)
    return calls


def test_zip_content_goes_to_the_xlsx_reader_and_classic_layout_is_understood(stub_readers):
    stub_readers["rows"] = [
        (1, ["GENESIS-Tabelle: 99999-01-01-4", None, None]), (2, ["Synthetischer Bestand (Anzahl)", None, None]),
        (3, [None, None, datetime.datetime(2020, 12, 31)]), (4, [None, None, "Insgesamt"]),
        (5, [16051, "  Erfurt", 1.234]), (6, ["16", "  Thüringen", "-"])]
    result = loaders.load_bytes(b"PK\x03\x04synthetic", "synthetic.xlsx")
    assert result.format == "xlsx" and stub_readers["xlsx"].startswith(b"PK")
    assert result.frame["value"].tolist()[0] == 1.234 and result.frame["flag"].tolist() == ["", "-"]
    assert result.frame["time"].tolist() == ["2020-12-31"] * 2
    assert result.frame["region_code"].tolist() == ["16051", "16"] and result.frame["source_line"].tolist() == [5, 6]


def test_xlsx_generic_rows_keep_numbers_as_numbers(stub_readers):
    stub_readers["rows"] = [(1, ["ags", "wert", None]), (3, ["16", 1.234, None]), (4, ["16051", 2, None])]
    result = loaders.load_bytes(b"PK\x03\x04synthetic", "synthetic.xlsx")
    assert result.frame["value"].tolist() == [1.234, 2.0] and result.frame["source_line"].tolist() == [3, 4]


def test_parquet_content_goes_to_the_parquet_reader_even_when_named_csv(stub_readers):
    stub_readers["frame"] = pd.DataFrame({"region_code": ["16"], "time": ["2024"], "value": [3.5]})
    result = loaders.load_bytes(b"PAR1synthetic", "synthetic.csv")
    assert result.format == "parquet" and result.frame["value"].tolist() == [3.5]
    assert [problem.code for problem in result.warnings] == ["extension-mismatch"]


def test_image_named_csv_is_refused_naming_what_it_is():
    error = refused(b"\x89PNG\r\n\x1a\n" + bytes(32), "chart.csv")
    assert error.problems[0].code == "binary-file" and "PNG" in error.problems[0].message_de
    assert ".csv" in error.problems[0].message_de


def test_unknown_extension_lists_the_allowed_ones():
    error = refused(b"ags;wert\n16;1\n", "upload.json")
    assert error.problems[0].code == "unsupported-extension"
    assert all(extension in error.problems[0].message_en for extension in loaders.ALLOWED_EXTENSIONS)


def test_unexpected_failure_becomes_an_internal_error_without_traceback(monkeypatch):
    def broken(*arguments, **keywords):
        raise RuntimeError("synthetic failure deep inside")
    monkeypatch.setattr("loaders.generic.load_rows", broken)
    error = refused(b"ags;wert\n16;1\n")
    assert error.problems[0].code == "internal-error"
    assert "synthetic failure" not in error.message("de") and "Traceback" not in error.message("en")


def test_genesis_flat_saved_as_xlsx_is_read_like_the_csv(stub_readers):
    lines = SYNTHETIC_FLAT.lstrip("\ufeff").splitlines()
    stub_readers["rows"] = [(1, lines[0].split(";"))] + [
        (number, [12.5 if cell == "12" else cell for cell in line.split(";")])
        for number, line in enumerate(lines[1:], start=2)]
    frame = loaders.load_bytes(b"PK\x03\x04synthetic", "99999-0001_synthetic.xlsx").frame
    assert frame["value"].tolist()[::2] == [-0.3, 12.5] and frame["flag"].tolist() == ["e", "...", "()"]
    assert frame["Geschlecht"].tolist() == ["Insgesamt", "weiblich", "männlich"]
    assert frame["table"].tolist() == ["99999-0001"] * 3


def test_ragged_rows_and_ambiguous_numbers_are_reported_together_by_line():
    error = refused(b"ags;jahr;wert\n16;2020;7\n16051;2020;1.234\n16052;2020\n16053;2020;2.500\n")
    assert [(problem.code, problem.line) for problem in error.problems] == \
        [("ambiguous-decimal", 3), ("ragged-row", 4), ("ambiguous-decimal", 5)]


def test_problems_are_capped_at_one_thousand_per_file():
    error = refused(("ags;wert\n" + "16;1;2\n" * 1500).encode())
    assert len(error.problems) == 1000 and error.problems[-1].line == 1001
    assert "+999" in error.message("de")


def test_missing_file_is_a_loader_error_naming_the_file(tmp_path):
    with pytest.raises(LoaderError) as caught:
        loaders.load_file(tmp_path / "synthetic-missing.csv")
    assert caught.value.problems[0].code == "unreadable-file"
    assert "synthetic-missing.csv" in caught.value.message("de")
