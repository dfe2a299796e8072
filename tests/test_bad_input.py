"""Catalogue of bad uploads: each case names the problem (code, German and English words, line/column)."""
import codecs
import datetime
import io
import random
import zipfile
from dataclasses import dataclass, field
from typing import Callable

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import loaders
from datasets.upload_checks import check_tidy
from loaders.errors import LoaderError, Problem
from loaders.result import TIDY_COLUMNS, LoadResult
from tests.test_loaders_xlsx_parquet import (BILLION_LAUGHS_DTD, XXE_DTD, openpyxl_bytes, synthetic_xlsx,
                                             zip_bomb_xlsx)

TODAY = datetime.date(2026, 11, 25)
FLAT_HEADER = ("\ufeffstatistics_code;statistics_label;time_code;time_label;time;1_variable_code;"
               "1_variable_label;1_variable_attribute_code;1_variable_attribute_label;value;value_unit;"
               "value_variable_code;value_variable_label\n")
FLAT_ROW = ("12411;Fortschreibung des Bevölkerungsstandes;STAG;Stichtag;2024-12-31;KREISE;Kreise;16051;"
            "Erfurt, kreisfreie Stadt;{value};Anzahl;BEVSTD;Bevölkerungsstand\n")
CLASSIC_HEAD = ("GENESIS-Tabelle: 12411-01-01-4\n"
                "Bevölkerungsstand: Bevölkerung nach Geschlecht;;;;\n"
                "- Stichtag 31.12. -;;;;\n"
                "regionale Tiefe: Kreise und krfr. Städte;;;;\n"
                "Fortschreibung des Bevölkerungsstandes;;;;\n"
                "Bevölkerungsstand (Anzahl);;;;\n"
                ";;31.12.2015;31.12.2015;31.12.2015\n"
                ";;Insgesamt;männlich;weiblich\n"
                "16;  Thüringen;2170714;1075139;1095575\n"
                "16051;      Erfurt, krsfr. Stadt;210118;102259;107859\n")


@dataclass(frozen=True)
class Refused:
    """An upload that must fail (or warn) with this problem; words are checked case-insensitively."""

    code: str
    words_de: tuple[str, ...]
    words_en: tuple[str, ...]
    line: int | None = None
    column: str | None = None
    value: str | None = None


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[], bytes]
    filename: str
    expect: Refused | None = None
    check_loaded: Callable[[LoadResult], None] | None = None
    extra: dict = field(default_factory=dict)


def text(content: str, encoding: str = "utf-8") -> Callable[[], bytes]:
    return lambda: content.encode(encoding)


def synthetic_zip(names: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in names.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def parquet_of(table: pa.Table) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def value_of_line_is_missing(line: int) -> Callable[[LoadResult], None]:
    def check(result: LoadResult) -> None:
        values = result.frame.loc[result.frame["source_line"] == line, "value"]
        assert len(values) and values.isna().all(), "a cell that is not a number must not become a number"
    return check


def label_kept(label: str) -> Callable[[LoadResult], None]:
    def check(result: LoadResult) -> None:
        cells = result.frame.astype("str").to_numpy().ravel().tolist()
        assert label in cells, f"{label!r} not kept verbatim"
    return check


def utf16_loaded(result: LoadResult) -> None:
    assert result.encoding == "utf-16"
    assert result.frame["region_name"].tolist() == ["Thüringen", "Sömmerda, Kreis"]
    assert result.frame["value"].tolist() == [1.5, 2.0]


def cp1252_loaded(result: LoadResult) -> None:
    assert result.encoding == "cp1252"
    assert "Sömmerda, Kreis" in result.frame["region_name"].tolist()


def truncated_classic_loaded(result: LoadResult) -> None:
    assert result.format == "genesis-classic"
    erfurt = result.frame[result.frame["region_code"] == "16051"]
    assert sorted(erfurt["value"].tolist()) == [102259.0, 107859.0, 210118.0]


def xlsx_formula_label_loaded(result: LoadResult) -> None:
    assert result.format == "xlsx"
    label_kept('=HYPERLINK("http://x","y")')(result)


def many_columns_loaded(result: LoadResult) -> None:
    assert result.rows == 19_999


MANY_COLUMNS = ("region_code;" + ";".join(f"Merkmal{i}" for i in range(1, 20_000)) + "\n"
                + "16;" + ";".join(str(i) for i in range(1, 20_000)) + "\n")
UTF16_TABLE = "region_code;region_name;value\n16;Thüringen;1,5\n16068;Sömmerda, Kreis;2\n"

CASES = [
    Case("empty-file", lambda: b"", "upload.csv",
         Refused("empty-file", ("leer",), ("empty",))),
    Case("only-whitespace", text("  \r\n\t\n   \n"), "upload.csv",
         Refused("empty-file", ("leer",), ("empty",))),
    Case("only-utf8-bom", lambda: codecs.BOM_UTF8, "upload.csv",
         Refused("empty-file", ("leer",), ("empty",))),
    Case("header-only", text("region_code;time;value\n"), "upload.csv",
         Refused("no-data-rows", ("keine", "zeile"), ("no", "row"))),
    Case("utf16-with-bom-loads", lambda: UTF16_TABLE.encode("utf-16"), "upload.csv",
         check_loaded=utf16_loaded),
    Case("utf16-without-bom", lambda: UTF16_TABLE.encode("utf-16-le"), "upload.csv",
         Refused("binary-file", ("utf-16",), ("utf-16",))),
    Case("undecodable-bytes", lambda: b"region_code;value\n16;\x81\x8d\x8f\x90\x9d\n", "upload.csv",
         Refused("unknown-encoding", ("kodier", "utf-8"), ("encod", "utf-8"), line=2)),
    Case("binary-garbage", lambda: random.Random(20261125).randbytes(4096), "upload.csv",
         Refused("binary-file", ("keine textdatei", "binär"), ("not a text", "binary"))),
    Case("png-named-csv", lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "chart.csv",
         Refused("binary-file", ("png", "bild", "binär"), ("png", "image", "binary"))),
    Case("pdf-named-csv", lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
         "report.csv", Refused("binary-file", ("pdf",), ("pdf",))),
    Case("zip-not-xlsx-named-xlsx", lambda: synthetic_zip({"readme.txt": "kein Arbeitsblatt"}), "upload.xlsx",
         Refused("xlsx-missing-part", ("xlsx", "fehlt"), ("xlsx", "missing"))),
    Case("csv-text-named-xlsx-warns", text("region_code;time;value\n16;2024;1\n"), "upload.xlsx",
         Refused("extension-mismatch", (".xlsx",), (".xlsx",))),
    Case("truncated-xlsx", lambda: openpyxl_bytes([["region_code", "value"], ["16", 1]])[:600], "upload.xlsx",
         Refused("not-a-zip", ("keine gültige xlsx",), ("not a valid xlsx",))),
    Case("synthetic-zip-bomb-xlsx", lambda: zip_bomb_xlsx(uncompressed_megabytes=300), "synthetic-zip-bomb.xlsx",
         Refused("zip-bomb", ("zip-bombe",), ("zip bomb",))),
    Case("xml-entity-expansion-shared-strings",
         lambda: synthetic_xlsx('<row r="1"><c r="A1" t="s"><v>0</v></c></row>',
                                shared_strings="<si><t>&lol9;</t></si>", shared_strings_prolog=BILLION_LAUGHS_DTD),
         "synthetic-billion-laughs.xlsx", Refused("xml-entities", ("entität",), ("entities",))),
    Case("xml-external-entity-in-sheet",
         lambda: synthetic_xlsx('<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>',
                                sheet_prolog=XXE_DTD),
         "synthetic-xxe.xlsx", Refused("xml-entities", ("entität",), ("entities",))),
    Case("legacy-xls", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024), "upload.xls",
         Refused("encrypted-or-old-excel", (".xls", "passwort"), (".xls", "password"))),
    Case("encrypted-xlsx", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024), "upload.xlsx",
         Refused("encrypted-or-old-excel", ("passwort",), ("password",))),
    Case("wrong-delimiter-decimal-commas",
         text("region_code,value\n16,1,5\n16051,2,25,1\n16052,3\n"), "upload.csv",
         Refused("ragged-row", ("feld",), ("field",), line=2)),
    Case("ragged-row-line-3", text("region_code;time;value\n16;2024;1\n16051;2024;2;99\n"), "upload.csv",
         Refused("ragged-row", ("feld",), ("field",), line=3)),
    Case("duplicate-header", text("region_code;time;value;value\n16;2024;1;2\n"), "upload.csv",
         Refused("duplicate-header", ("doppel", "mehrfach", "2-mal"), ("duplicate", "twice", "2 times"),
                 column="value")),
    Case("missing-header-cell", text("region_code;;value\n16;2024;1\n"), "upload.csv",
         Refused("empty-header", ("überschrift",), ("header",), line=1, column="2")),
    Case("ambiguous-point-in-decimal-comma-file", text("region_code;time;value\n16;2024;1.234\n"), "upload.csv",
         Refused("ambiguous-decimal", ("mehrdeutig",), ("two ways",), line=2, column="value", value="1.234")),
    Case("ambiguous-comma-in-decimal-point-file", text('region_code,time,value\n16,2024,"1,234"\n'), "upload.csv",
         Refused("ambiguous-decimal", ("mehrdeutig",), ("two ways",), line=2, column="value", value="1,234")),
    Case("mixed-decimal-conventions", text("region_code;time;value\n16;2024;1,5\n16051;2024;2.75\n"),
         "upload.csv", Refused("mixed-decimal", ("dezimal",), ("decimal",), column="value")),
    Case("text-in-numeric-column", text("region_code;time;value\n16;2024;1\n16051;2024;viele\n"), "upload.csv",
         Refused("invalid-number", ("keine zahl",), ("not a number", "neither a number"), line=3, column="value",
                 value="viele"), check_loaded=value_of_line_is_missing(3)),
    Case("huge-single-line", lambda: ("region_code;region_name;value\n16;" + "x" * 1_200_000 + ";1\n").encode(),
         "upload.csv", Refused("line-too-long", ("zeile", "lang"), ("line", "long"), line=2)),
    Case("unsupported-extension-exe", lambda: b"MZ\x90\x00" + bytes(256), "setup.exe",
         Refused("unsupported-extension", (".exe",), (".exe",))),
    Case("unsupported-extension-json", text('{"region_code": "16", "value": 1}'), "upload.json",
         Refused("unsupported-extension", (".json",), (".json",))),
    Case("cp1252-loads-without-mojibake",
         text("region_code;region_name;value\n16068;Sömmerda, Kreis;678\n", "cp1252"), "upload.csv",
         check_loaded=cp1252_loaded),
    Case("mojibake-utf8-saved-as-cp1252-before",
         text("region_code;region_name;value\n16068;SÃ¶mmerda, Kreis;678\n"), "upload.csv",
         Refused("mojibake", ("kodierung",), ("encoding",), line=2)),
    Case("nul-byte-in-text", text("region_code;region_name;value\n16051;Erf\x00urt;1\n"), "upload.csv",
         Refused("nul-byte", ("nul", "null"), ("nul", "null"), line=2)),
    Case("genesis-classic-truncated-before-footer", text(CLASSIC_HEAD, "cp1252"), "12411-01-01-4.csv",
         check_loaded=truncated_classic_loaded),
    Case("genesis-flat-missing-value-column",
         text(FLAT_HEADER.replace("value;value_unit", "wert;value_unit") + FLAT_ROW.format(value="210118")),
         "12411-flat.csv", Refused("missing-column", ("value",), ("value",), column="value")),
    Case("formula-text-label-kept-verbatim",
         text('region_code;region_name;value\n16;=HYPERLINK("http://x","y");1\n'), "upload.csv",
         check_loaded=label_kept('=HYPERLINK("http://x","y")')),
    Case("svg-markup-label-kept-verbatim",
         text("region_code;region_name;value\n16;<svg onload=alert(1)>;1\n"), "upload.csv",
         check_loaded=label_kept("<svg onload=alert(1)>")),
    Case("xlsx-formula-text-label-kept-verbatim",
         lambda: synthetic_xlsx('<row r="1"><c r="A1" t="inlineStr"><is><t>region_code</t></is></c>'
                                '<c r="B1" t="inlineStr"><is><t>region_name</t></is></c>'
                                '<c r="C1" t="inlineStr"><is><t>value</t></is></c></row>'
                                '<row r="2"><c r="A2" t="inlineStr"><is><t>16</t></is></c>'
                                '<c r="B2" t="inlineStr"><is><t>=HYPERLINK("http://x","y")</t></is></c>'
                                '<c r="C2"><v>1</v></c></row>'),
         "upload.xlsx", check_loaded=xlsx_formula_label_loaded),
    Case("very-many-columns", text(MANY_COLUMNS), "upload.csv", check_loaded=many_columns_loaded),
    Case("corrupt-parquet", lambda: b"PAR1" + bytes(100) + b"PAR1", "upload.parquet",
         Refused("corrupt-parquet", ("parquet", "beschädigt"), ("parquet", "damaged"))),
    Case("parquet-nested-column",
         lambda: parquet_of(pa.table({"region_code": ["16"], "breakdowns": [[1, 2]]})), "upload.parquet",
         Refused("parquet-unsupported-column", ("breakdowns",), ("breakdowns",), column="breakdowns")),
    Case("file-larger-than-limit", text("region_code;value\n" + "16;1\n" * 3_000), "upload.csv",
         Refused("file-too-large", ("groß",), ("large",)), extra={"max_bytes": 10_000}),
    Case("xlsx-header-only", lambda: openpyxl_bytes([["region_code", "time", "value"]]), "upload.xlsx",
         Refused("no-data-rows", ("keine", "zeile"), ("no", "row"))),
]


def problems_of(case: Case) -> tuple[LoadResult | None, list[Problem]]:
    try:
        result = loaders.load_bytes(case.build(), case.filename, **case.extra)
    except LoaderError as error:
        return None, error.problems
    return result, result.warnings


def assert_names_the_problem(problems: list[Problem], expect: Refused) -> None:
    codes = [problem.code for problem in problems]
    matching = [problem for problem in problems if problem.code == expect.code]
    assert matching, f"expected problem {expect.code!r}, got {codes}"
    problem = matching[0]
    german, english = problem.message("de").lower(), problem.message("en").lower()
    assert any(word.lower() in german for word in expect.words_de), f"German message lacks {expect.words_de}: {german}"
    assert any(word.lower() in english for word in expect.words_en), f"English message lacks {expect.words_en}: {english}"
    if expect.line is not None:
        assert problem.line == expect.line
        assert f"zeile {expect.line}" in german and f"line {expect.line}" in english
    if expect.column is not None:
        assert problem.column == expect.column
        assert f"spalte {expect.column.lower()}" in german and f"column {expect.column.lower()}" in english
    if expect.value is not None:
        assert problem.value == expect.value


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_upload_is_named(case: Case):
    result, problems = problems_of(case)
    if case.expect is not None:
        assert_names_the_problem(problems, case.expect)
        if result is not None and case.check_loaded is not None:
            case.check_loaded(result)
    else:
        assert result is not None, f"expected the file to load, got {[p.code for p in problems]}: " \
                                   f"{problems[0].message('en') if problems else ''}"
        case.check_loaded(result)


def tidy_frame(**overrides) -> pd.DataFrame:
    """One synthetic tidy row (Erfurt population) with the given cells replaced."""
    row = {"table": "12411-01-01-4", "time": "2024-12-31", "region_code": "16051", "region_name": "Erfurt",
           "variable": "Bevölkerungsstand", "unit": "Anzahl", "value": 210118.0, "flag": "", "source_line": 2}
    row.update(overrides)
    return pd.DataFrame([row], columns=[*TIDY_COLUMNS, "source_line"])


DOMAIN_CASES = [
    ("negative-count", tidy_frame(value=-5.0),
     Refused("negative-count", ("negativ",), ("negative",), line=2, column="value")),
    ("unknown-region-16099", tidy_frame(region_code="16099"),
     Refused("unknown-region", ("16099", "unbekannt"), ("16099", "unknown"), line=2, column="region_code",
             value="16099")),
    ("future-period-2099", tidy_frame(time="2099-12-31"),
     Refused("future-period", ("zukunft",), ("future",), line=2, column="time", value="2099-12-31")),
]


@pytest.mark.parametrize("name, frame, expect", DOMAIN_CASES, ids=[case[0] for case in DOMAIN_CASES])
def test_domain_problem_is_named(name, frame, expect):
    assert_names_the_problem(check_tidy(frame, today=TODAY), expect)


def test_valid_synthetic_row_has_no_domain_problem():
    assert check_tidy(tidy_frame(), today=TODAY) == []
