"""GENESIS-Online flat CSV (ffcsv) → tidy, vectorised over whole columns."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from loaders.coded import Coded
from loaders.detect import LINE_LIMIT, first_line, rows_of, table_code_from_name
from loaders.errors import LoaderError, Problem
from loaders.generic import (assemble, cell_text, check_problems, header_problems, ragged_problems,
                             safe_names)
from loaders.numbers import MARKERS, iso_time, number_problems, parse_column

#: Variable codes of the regional dimension (attribute code = AGS, `DG` Germany).
REGION_VARIABLES = {"KREISE", "DLAND", "DINSG", "REGBEZ", "GEMEIN", "GEODL1", "GEOLA1", "GEOBL1", "GEORB1",
                    "GEOKR1", "GEOGM1"}
# NOTE: one dimension can mix levels row by row (DLAND for the Land, REGBEZ, KREISE for districts).
_REGION_VARIABLE = re.compile(r"^GEO[A-Z]{2}\d$")
REQUIRED = ["statistics_code", "time", "value", "value_unit", "value_variable_label"]
_DIMENSION = re.compile(r"^(\d+)_variable_code$")
_DIMENSION_PART = re.compile(r"^\d+_variable_(code|label|attribute_code|attribute_label)$")


def load_flat(utf8: bytes, filename: str, *, delimiter: str = ";",
              default_decimal: str = ",") -> tuple[pd.DataFrame, str | None]:
    """UTF-8 bytes of a flat export → (tidy frame, decimal mark proven by the values or None)."""
    head = utf8[: utf8.find(b"\n") if b"\n" in utf8[:LINE_LIMIT] else LINE_LIMIT].decode("utf-8", errors="replace")
    header = next(iter(rows_of(first_line(head), delimiter)), (1, []))[1]
    header = [name.strip().lstrip("\ufeff") for name in header]
    check_problems(header_problems(header, 1) + _missing_columns(header, 1))
    columns, lines, ragged = _read_columns(header, delimiter, utf8)
    if len(lines) == 0:
        check_problems(ragged)
        raise LoaderError.single("no-data-rows", "Die Datei hat eine Kopfzeile, aber keine Datenzeilen.",
                                 "The file has a header but no data rows.", line=1)
    return _tidy(columns, lines, header, filename, default_decimal, ragged)


def load_flat_rows(rows: list[tuple[int, list]], filename: str) -> tuple[pd.DataFrame, str | None]:
    """A flat export whose rows come from a worksheet (numbers in `value` stay numbers)."""
    header = [str(cell or "").strip() for cell in rows[0][1]]
    problems = header_problems(header, rows[0][0]) + _missing_columns(header, rows[0][0])
    data = rows[1:]
    problems += ragged_problems(data, len(header))
    check_problems(problems)
    if not data:
        raise LoaderError.single("no-data-rows", "Die Datei hat eine Kopfzeile, aber keine Datenzeilen.",
                                 "The file has a header but no data rows.", line=rows[0][0])
    columns = {}
    for position, name in enumerate(header):
        column = [row[position] for _, row in data]
        if name == "value":
            columns[name] = pd.Series(column, dtype=object)
        else:
            columns[name] = pd.Series(["" if cell is None else cell_text(cell) for cell in column], dtype="str")
    return _tidy(columns, np.array([line for line, _ in data], dtype="int64"), header, filename, ",")


def _missing_columns(header: list[str], line: int) -> list[Problem]:
    return [Problem("missing-column", f"Die Spalte „{name}“ fehlt im GENESIS-Export.",
                    f"The column '{name}' is missing from the GENESIS export.", line=line, column=name)
            for name in REQUIRED if name not in header]


def _read_columns(header: list[str], delimiter: str,
                  source: bytes) -> tuple[dict[str, pd.Series | Coded], np.ndarray, list[Problem]]:
    """Whole columns as text (pyarrow when the layout is simple: all but `value` as Coded), their lines, and
    ragged-row problems."""
    newline = source.find(b"\n", 3 if source.startswith(b"\xef\xbb\xbf") else 0)
    start = len(source) if newline < 0 else newline + 1
    physical = source.count(b"\n", start) + (0 if source.endswith(b"\n") or start >= len(source) else 1)
    needed = [name for name in header if name in REQUIRED or name == "value_q" or _DIMENSION_PART.match(name)]
    # NOTE: pyarrow skips blank lines and reads quoted line breaks; then its row count differs from the
    # physical line count and the line-tracking reader below takes over. Without a quote character there is
    # no quoted line break, and pyarrow splits the file into blocks faster (newlines_in_values=False).
    quoted = source.find(b'"', start) >= 0
    try:
        table = pa_csv.read_csv(
            pa.BufferReader(pa.py_buffer(source).slice(start)),
            read_options=pa_csv.ReadOptions(column_names=header),
            parse_options=pa_csv.ParseOptions(delimiter=delimiter, newlines_in_values=quoted),
            convert_options=pa_csv.ConvertOptions(
                column_types={name: pa.large_string() if name == "value" else pa.dictionary(pa.int32(), pa.string())
                              for name in needed},
                include_columns=needed, strings_can_be_null=False))
    except pa.ArrowException:
        table = None
    if table is not None and table.num_rows == physical:
        # Every column but `value` repeats a few texts: pyarrow hands them over as codes (loaders.coded).
        table = table.unify_dictionaries()
        columns = {name: Coded.from_dictionary(table.column(name)) if name != "value" else
                   pd.Series(pd.arrays.ArrowStringArray(table.column(name)), dtype="str") for name in needed}
        return columns, np.arange(2, table.num_rows + 2, dtype="int64"), []
    text = source.decode("utf-8")
    rows = rows_of(text[1:] if text.startswith("\ufeff") else text, delimiter)[1:]
    ragged = ragged_problems(rows, len(header))
    rows = [(line, cells) for line, cells in rows if len(cells) == len(header)]
    lines = np.array([line for line, _ in rows], dtype="int64")
    columns = {name: pd.Series([cells[position] for _, cells in rows], dtype="str")
               for position, name in enumerate(header)}
    return columns, lines, ragged


def _text(column: pd.Series | Coded) -> Coded:
    return column if isinstance(column, Coded) else Coded.of(column)


def _tidy(columns: dict[str, pd.Series | Coded], lines: np.ndarray, header: list[str], filename: str,
          default_decimal: str, ragged: list[Problem] | None = None) -> tuple[pd.DataFrame, str | None]:
    statistics = _text(columns["statistics_code"])
    table = table_code_from_name(filename) or (statistics.at(0).strip() if len(statistics) else "")
    region_code: object = ""
    region_name: object = ""
    breakdowns: dict[str, pd.Series] = {}
    # NOTE: the dimension columns repeat a few texts over every row: worked on once per distinct text.
    def coded(name: str, default: Coded) -> Coded:
        return _text(columns[name]) if name in columns else default

    for number in sorted(int(match.group(1)) for name in header if (match := _DIMENSION.match(name))):
        prefix = f"{number}_variable"
        code = _text(columns[f"{prefix}_code"])
        label = coded(f"{prefix}_label", code)
        attribute_code = coded(f"{prefix}_attribute_code", Coded.constant("", len(code)))
        attribute_label = coded(f"{prefix}_attribute_label", attribute_code)
        if all(value in REGION_VARIABLES or _REGION_VARIABLE.fullmatch(value) for value in code.present()):
            region_code = attribute_code.map(str.strip).series()
            region_name = attribute_label.map(str.strip).series()
            continue
        name = (label.at(0).strip() or code.at(0).strip() or prefix) if len(code) else prefix
        while name in breakdowns:
            name += f" ({number})"
        if attribute_label is attribute_code:
            breakdowns[name] = attribute_code.map(lambda text: text.strip() or "Insgesamt" * (text == "")).series()
        else:
            breakdowns[name] = Coded.combine(
                [attribute_label, attribute_code],
                lambda text, attribute: text.strip() or "Insgesamt" * (attribute == "")).series()
    value_text = columns["value"]
    parsed = parse_column(value_text, default_decimal)
    problems = (ragged or []) + number_problems(parsed, value_text, lines, "value")
    check_problems(sorted(problems, key=lambda problem: problem.line or 0))
    stripped = value_text.str.strip() if value_text.dtype == "str" else None
    flags = stripped.where(stripped.isin(MARKERS), "") if stripped is not None else \
        pd.Series(parsed.flags, dtype="str")
    if "value_q" in columns:
        quality = _text(columns["value_q"]).map(str.strip).series()
        flags = flags.where(flags != "", quality)
    frame = assemble(table=table, time=_text(columns["time"]).transform(iso_time).series(), region_code=region_code,
                     region_name=region_name, variable=_text(columns["value_variable_label"]).map(str.strip).series(),
                     unit=_text(columns["value_unit"]).map(str.strip).series(), values=parsed.values, flags=flags,
                     breakdowns=safe_names(breakdowns), lines=lines)
    return frame, parsed.decimal
