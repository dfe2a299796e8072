"""Generic tables (CSV, XLSX, Parquet) → tidy: already-tidy columns by name, or wide columns melted."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

from loaders.errors import LoaderError, Problem, _short
from loaders.numbers import (ParsedColumn, invalid_number_problems, iso_time, number_problems, parse_column,
                             parse_columns)
from loaders.result import TIDY_COLUMNS

#: At most this many problems are collected per file.
PROBLEM_CAP = 1000

#: Header names (normalised: lower case, umlauts spelled out, `_` for blanks) → tidy column.
ALIASES = {
    "table": {"table", "tabelle"},
    "time": {"time", "jahr", "zeit", "stichtag", "zeitraum", "periode", "period", "datum", "date", "year",
             "year_month", "monat", "month", "berichtsjahr"},
    "region_code": {"region_code", "ags", "regionalschluessel", "kreis", "county", "rs", "kreisschluessel",
                    "gemeindeschluessel", "land_code"},
    "region_name": {"region_name", "name", "region", "kreisname", "gebiet", "land_name"},
    "variable": {"variable", "kennzahl", "indikator", "indicator", "merkmal"},
    "unit": {"unit", "einheit"},
    "value": {"value", "wert"},
    "flag": {"flag", "kennzeichen", "marker"},
}


def check_problems(problems: list[Problem]) -> None:
    """Raise one LoaderError with every problem (up to the cap) if there are any."""
    if problems:
        raise LoaderError(problems[:PROBLEM_CAP])


def assemble(*, table, time, region_code, region_name, variable, unit, values, flags,
             breakdowns: dict[str, object], lines) -> pd.DataFrame:
    """The tidy frame in contract order; scalars are broadcast, text columns get dtype `str`."""
    length = len(values)
    columns: dict[str, object] = {}
    for name, column in (("table", table), ("time", time), ("region_code", region_code),
                         ("region_name", region_name), ("variable", variable), ("unit", unit)):
        columns[name] = _text_column(column, length)
    columns["value"] = pd.array(np.asarray(values, dtype="float64"), dtype="float64")
    columns["flag"] = _text_column(flags, length)
    for name, column in breakdowns.items():
        columns[name] = _text_column(column, length)
    columns["source_line"] = np.asarray(lines, dtype="int64")
    frame = pd.DataFrame(columns)
    frame["value"] = frame["value"].astype("float64")
    return frame


def _text_column(column, length: int) -> pd.Series:
    if isinstance(column, str):
        repeated = pa.chunked_array([pa.repeat(pa.scalar(column, pa.large_string()), length)])
        return pd.Series(pd.arrays.ArrowStringArray(repeated), dtype="str")
    if isinstance(column, pd.Series) and column.dtype == "str":
        return column.reset_index(drop=True).fillna("")
    series = column if isinstance(column, pd.Series) else pd.Series(np.asarray(column, dtype=object))
    return series.reset_index(drop=True).astype("str").fillna("")


def ragged_problems(rows: Sequence[tuple[int, list]], expected: int) -> list[Problem]:
    problems = []
    for line, cells in rows:
        if len(cells) != expected:
            problems.append(Problem(
                "ragged-row",
                f"Die Zeile hat {len(cells)} Felder, die Kopfzeile hat {expected}.",
                f"The line has {len(cells)} fields, the header has {expected}.", line=line))
            if len(problems) >= PROBLEM_CAP:
                break
    return problems


def header_problems(header: list[str], line: int) -> list[Problem]:
    """Empty and duplicate header cells."""
    problems = []
    for position, name in enumerate(header, start=1):
        if str(name).strip() == "":
            problems.append(Problem("empty-header", "Die Spalte hat keine Überschrift (kein Name).",
                                    "The column has no header (no name).", line=line, column=str(position)))
    counts = Counter(str(name).strip() for name in header if str(name).strip())
    for name, count in counts.items():
        if count > 1:
            problems.append(Problem(
                "duplicate-header", f"Die Überschrift „{_short(name, 40)}“ kommt {count}-mal vor.",
                f"The header '{_short(name, 40)}' occurs {count} times.", line=line, column=name,
                value=_short(name)))
    return problems


def normalise_name(name: object) -> str:
    text = str(name).strip().lower()
    for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, spelled)
    text = unicodedata.normalize("NFKD", text)
    return re.sub(r"[\s\-]+", "_", text)


def load_rows(rows: list[tuple[int, list]], table: str, *, default_decimal: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Rows of cells (first row = header) → (tidy frame, warnings)."""
    if not rows:
        raise LoaderError.single("empty-file", "Die Datei enthält keine Zeilen.", "The file contains no rows.")
    header_line, header = rows[0]
    header = [_header_text(cell) for cell in header]
    data = rows[1:]
    problems = header_problems(header, header_line)
    problems += ragged_problems(data, len(header))
    if not data:
        problems.append(Problem("no-data-rows", "Die Datei hat eine Kopfzeile, aber keine Datenzeilen.",
                                "The file has a header but no data rows.", line=header_line))
    if len(header) == 1 and data:
        problems += _wrong_delimiter(header, data)
    whole_rows = [(line, cells) for line, cells in data if len(cells) == len(header)]
    if problems and all(problem.code == "ragged-row" for problem in problems) and whole_rows:
        # NOTE: report number problems of the intact rows together with the ragged ones.
        try:
            _rows_to_tidy(whole_rows, header, table, default_decimal)
        except LoaderError as error:
            problems += error.problems
        problems.sort(key=lambda problem: problem.line or 0)
    check_problems(problems)
    return _rows_to_tidy(data, header, table, default_decimal)


def _rows_to_tidy(data, header, table, default_decimal):
    frame = pd.DataFrame([cells for _, cells in data], columns=header, dtype=object)
    lines = np.array([line for line, _ in data], dtype="int64")
    return frame_to_tidy_report(frame, table, lines=lines, default_decimal=default_decimal)


def _header_text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _wrong_delimiter(header: list[str], data: list[tuple[int, list]]) -> list[Problem]:
    texts = [header[0]] + [str(cells[0]) for _, cells in data[:100]]
    for separator in (";", ",", "\t", "|"):
        if sum(separator in text for text in texts) >= 0.8 * len(texts):
            shown = "Tabulator" if separator == "\t" else separator
            return [Problem(
                "wrong-delimiter",
                f"Die Datei hat nur eine Spalte, deren Text „{shown}“ enthält: vermutlich ist das Trennzeichen "
                "falsch oder jede Zeile steht in Anführungszeichen.",
                f"The file has a single column whose text contains '{shown}': the delimiter is probably wrong "
                "or every line is quoted.", line=data[0][0], column="1", value=_short(str(data[0][1][0])))]
    return []


def frame_to_tidy(df: pd.DataFrame, table: str, *, lines: Sequence[int] | None = None,
                  default_decimal: str = ".") -> pd.DataFrame:
    """A generic table (tidy or wide) → the tidy contract. Raises LoaderError."""
    return frame_to_tidy_report(df, table, lines=lines, default_decimal=default_decimal)[0]


def frame_to_tidy_report(df: pd.DataFrame, table: str, *, lines: Sequence[int] | None = None,
                         default_decimal: str = ".") -> tuple[pd.DataFrame, list[Problem]]:
    """Like frame_to_tidy, and also the warnings (text cells in a value column)."""
    df = df.reset_index(drop=True)
    line_numbers = np.asarray(lines if lines is not None else np.arange(len(df)) + 2, dtype="int64")
    names = [str(name) for name in df.columns]
    problems = header_problems(names, 1) if lines is None else []
    check_problems(problems)
    if len(df) == 0:
        raise LoaderError.single("no-data-rows", "Die Tabelle hat keine Datenzeilen.", "The table has no data rows.")
    roles = _roles(names)
    if "value" in roles.values():
        return _tidy_from_tidy(df, names, roles, table, line_numbers, default_decimal)
    return _tidy_from_wide(df, names, roles, table, line_numbers, default_decimal)


def _roles(names: list[str]) -> dict[str, str]:
    """Column name → tidy role, for columns whose header names one (first match wins)."""
    roles: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        normalised = normalise_name(name)
        for role, aliases in ALIASES.items():
            if role not in taken and normalised in aliases:
                roles[name] = role
                taken.add(role)
                break
    if "value" not in taken:
        candidates = [name for name in names if name not in roles
                      and re.match(r"^(wert|value)[_ ]", normalise_name(name))]
        if len(candidates) == 1:
            roles[candidates[0]] = "value"
    return roles


def _text_of(column: pd.Series, role: str) -> pd.Series:
    texts = pd.Series([cell_text(cell) for cell in column.to_numpy(dtype=object)], dtype="str")
    if role == "time":
        return iso_time(texts)
    if role == "region_code":
        # NOTE: AGS stored as numbers lose their leading zero (1001 for 01001): restore it.
        return texts.str.replace(r"^(\d|\d{4}|\d{7})$", r"0\1", regex=True)
    if role == "region_name":
        return texts.str.strip()
    return texts


def cell_text(cell: object) -> str:
    if cell is None or (isinstance(cell, float) and np.isnan(cell)) or cell is pd.NA or cell is pd.NaT:
        return ""
    if isinstance(cell, (float, np.floating)) and float(cell).is_integer():
        return str(int(cell))
    if isinstance(cell, pd.Timestamp) or hasattr(cell, "isoformat"):
        text = cell.isoformat()
        return text[:10] if text.endswith("T00:00:00") or len(text) == 10 else text
    return str(cell).strip()


def _tidy_from_tidy(df, names, roles, table, lines, default_decimal):
    value_name = next(name for name, role in roles.items() if role == "value")
    column = df[value_name]
    parsed = parse_column(column, default_decimal)
    problems = number_problems(parsed, column, lines, value_name, invalid_is_problem=False)
    check_problems(problems)
    warnings = invalid_number_problems(parsed, column, lines, value_name)
    fields = {role: _text_of(df[name], role) for name, role in roles.items() if role != "value"}
    flags = pd.Series(parsed.flags, dtype="str")
    if "flag" in fields:
        flags = flags.where(flags != "", fields["flag"])
    breakdowns = {name: _text_of(df[name], "") for name in names if name not in roles}
    frame = assemble(table=fields.get("table", table), time=fields.get("time", ""),
                     region_code=fields.get("region_code", ""), region_name=fields.get("region_name", ""),
                     variable=fields.get("variable", ""), unit=fields.get("unit", ""),
                     values=parsed.values, flags=flags, breakdowns=safe_names(breakdowns), lines=lines)
    return frame, warnings[:PROBLEM_CAP]


def _tidy_from_wide(df, names, roles, table, lines, default_decimal):
    candidates = [name for name in names if name not in roles]
    series = {name: df[name] for name in candidates}
    parsed_columns: dict[str, ParsedColumn] = {}
    for name, parsed in zip(candidates, parse_columns(list(series.values()), default_decimal)):
        numbers = int(np.isfinite(parsed.values).sum()) + len(parsed.ambiguous)
        mostly_numbers = numbers >= 2 and numbers >= 9 * len(parsed.invalid)
        if numbers > 0 and (len(parsed.invalid) == 0 or mostly_numbers):
            parsed_columns[name] = parsed
    if not parsed_columns:
        raise LoaderError.single(
            "no-value-column",
            "Keine Spalte enthält Zahlen: es fehlt eine Wert-Spalte (z. B. „wert“ oder „value“).",
            "No column holds numbers: a value column (e.g. 'wert' or 'value') is missing.")
    problems = []
    for name, parsed in parsed_columns.items():
        if len(parsed.ambiguous) or parsed.conflict:
            problems += number_problems(parsed, series[name], lines, name)
    check_problems(problems)
    warnings = [problem for name, parsed in parsed_columns.items()
                for problem in invalid_number_problems(parsed, series[name], lines, name)]
    identifiers = [name for name in names if name not in parsed_columns]
    fields = {role: _text_of(df[name], role) for name, role in roles.items()}
    breakdowns = {name: _text_of(df[name], "") for name in identifiers
                  if name not in roles or roles[name] == "variable"}
    fields.pop("variable", None)
    count = len(df)
    width = len(parsed_columns)

    def repeat(column: pd.Series) -> np.ndarray:
        return np.repeat(column.to_numpy(dtype=object), width)

    def field_or(role: str, default: str) -> object:
        return repeat(fields[role]) if role in fields else default

    values = np.column_stack([parsed.values for parsed in parsed_columns.values()]).ravel()
    flags = np.column_stack([parsed.flags for parsed in parsed_columns.values()]).ravel()
    if "flag" in fields:
        flags = np.where(flags == "", repeat(fields["flag"]), flags)
    frame = assemble(table=field_or("table", table), time=field_or("time", ""),
                     region_code=field_or("region_code", ""), region_name=field_or("region_name", ""),
                     variable=np.tile(np.array(list(parsed_columns), dtype=object), count),
                     unit=field_or("unit", ""), values=values, flags=flags,
                     breakdowns=safe_names({name: repeat(column) for name, column in breakdowns.items()}),
                     lines=np.repeat(lines, width))
    return frame, warnings[:PROBLEM_CAP]


def safe_names(breakdowns: dict[str, object]) -> dict[str, object]:
    """Breakdown columns never reuse a contract column name."""
    safe = {}
    for name, column in breakdowns.items():
        new_name = name
        while new_name in TIDY_COLUMNS or new_name == "source_line" or new_name in safe:
            new_name += " (Merkmal)"
        safe[new_name] = column
    return safe
