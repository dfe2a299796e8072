"""Classic GENESIS / Regionalstatistik table exports (title, header block, data, footer) → tidy."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from loaders.errors import LoaderError, Problem
from loaders.generic import PROBLEM_CAP, assemble, check_problems
from loaders.numbers import is_time_text, iso_time, number_problems, parse_columns

_FOOTER = re.compile(r"^_{5,}")
_MEASURE = re.compile(r"^(?P<variable>.+?)\s*\((?P<unit>[^()]+)\)$")
_UNIT = re.compile(r"^(\d+|Anzahl|Prozent|%|EUR|Euro|Tsd\.?|Tsd\. EUR|Mill\. EUR|Mio\. EUR|ha|km²|qkm|"
                   r"Personen|Jahre|Tage|Std\.|je \d+ .+)$")
_REGION_CODE = re.compile(r"^(DG|\d{1,12})$")
# NOTE: WZ 2008 sector labels end with their section letters, e.g. "Baugewerbe (F)", "(B-F)".
_WZ_LABEL = re.compile(r"\([A-U](-[A-U])?\)$")


@dataclass
class _Header:
    time: list[str] | None = None
    variable: list[str] | None = None
    unit: list[str] | None = None
    breakdowns: dict[str, list[str]] = field(default_factory=dict)


def load_classic(rows: list[tuple[int, list]], *, default_decimal: str = ",") -> tuple[pd.DataFrame, list[str]]:
    """Rows of a classic export → (tidy frame, notes from the footer). Raises LoaderError."""
    numbers_by_line = {line: {position: cell for position, cell in enumerate(cells) if _is_number(cell)}
                       for line, cells in rows}
    rows = [(line, [_text(cell) for cell in cells]) for line, cells in rows]
    body, notes = _split_footer(rows)
    if not body:
        raise LoaderError.single("empty-file", "Die Datei enthält keine Zeilen.", "The file contains no rows.")
    first_line, first = body[0]
    table = re.sub(r"^GENESIS-Tabelle:\s*", "", first[0]).strip() if first else ""
    titles, header_rows, data = _sections(body[1:])
    if not header_rows:
        raise LoaderError.single(
            "missing-header-lines", "Die Kopfzeilen der GENESIS-Tabelle fehlen (Zeilen, die mit „;;“ beginnen).",
            "The header lines of the GENESIS table are missing (lines starting with ';;').", line=first_line)
    if not data:
        raise LoaderError.single("no-data-rows", "Die GENESIS-Tabelle hat keine Datenzeilen.",
                                 "The GENESIS table has no data rows.", line=header_rows[-1][0])
    lead = min(_leading_empty(cells) for _, cells in header_rows)
    width = max(len(cells) for _, cells in header_rows)
    value_count = width - lead
    if value_count < 1:
        raise LoaderError.single(
            "missing-header-lines", "Die Kopfzeilen der GENESIS-Tabelle benennen keine Wertspalten.",
            "The header lines of the GENESIS table name no value columns.", line=header_rows[0][0])
    problems = [Problem("ragged-row", f"Die Zeile hat {len(cells)} Felder, die Kopfzeilen haben {width}.",
                        f"The line has {len(cells)} fields, the header lines have {width}.", line=line)
                for line, cells, _ in data if len(cells) != width]
    check_problems(problems[:PROBLEM_CAP])
    header = _read_header([cells[lead:] + [""] * (width - len(cells)) for _, cells in header_rows], titles)
    frame = _tidy(table, titles, header, data, lead, value_count, default_decimal, numbers_by_line)
    return frame, notes


def _is_number(cell: object) -> bool:
    """XLSX cells that are numbers already (never re-read through a decimal convention)."""
    return isinstance(cell, (int, float)) and not isinstance(cell, bool)


def _text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime):
        return cell.strftime("%d.%m.%Y")
    if isinstance(cell, dt.date):
        return cell.strftime("%d.%m.%Y")
    return str(cell)


def _split_footer(rows):
    for position, (_, cells) in enumerate(rows):
        if cells and _FOOTER.match(cells[0].strip()):
            notes = []
            for _, footer_cells in rows[position + 1:]:
                notes += [" ".join(part.strip() for part in cell.splitlines() if part.strip())
                          for cell in footer_cells if cell.strip()]
            return rows[:position], notes
    return rows, []


def _leading_empty(cells: list[str]) -> int:
    count = 0
    for cell in cells:
        if cell.strip():
            break
        count += 1
    return count


def _sections(rows):
    """Split into title lines, header rows and data rows (line, cells, time of the last date-only line)."""
    titles: list[str] = []
    header_rows: list[tuple[int, list[str]]] = []
    data: list[tuple[int, list[str], str]] = []
    current_time = ""
    for line, cells in rows:
        filled = [cell for cell in cells if cell.strip()]
        if not filled:
            continue
        first = cells[0].strip()
        if first == "":
            if not data:
                header_rows.append((line, cells))
            continue
        if len(filled) == 1:
            if is_time_text(first):
                current_time = first
            elif not header_rows:
                titles.append(first)
            continue
        if not header_rows:
            titles.append(first)
            continue
        data.append((line, cells, current_time))
    return titles, header_rows, data


def _read_header(rows: list[list[str]], titles: list[str]) -> _Header:
    header = _Header()
    rows = [[cell.strip() for cell in row] for row in rows]
    remaining = []
    for row in rows:
        filled = [cell for cell in row if cell]
        if header.time is None and filled and all(is_time_text(cell) for cell in filled):
            header.time = row
        else:
            remaining.append(row)
    if not _title_measure(titles) and remaining:
        header.variable = _fill_forward(remaining.pop(0))
    if remaining and _is_uniform(remaining[-1]) and _UNIT.match(remaining[-1][0]):
        header.unit = remaining.pop()
    position = 0
    unnamed = 0
    while position < len(remaining):
        row = remaining[position]
        if position + 1 < len(remaining) and _is_uniform(row):
            name, values = row[0], remaining[position + 1]
            position += 2
        else:
            unnamed += 1
            name, values = ("Merkmal" if unnamed == 1 else f"Merkmal {unnamed}"), row
            position += 1
        while name in header.breakdowns:
            name += " (2)"
        header.breakdowns[name] = [cell or "Insgesamt" for cell in values]
    return header


def _is_uniform(row: list[str]) -> bool:
    return bool(row) and row[0] != "" and all(cell == row[0] for cell in row)


def _fill_forward(row: list[str]) -> list[str]:
    filled, previous = [], ""
    for cell in row:
        previous = cell or previous
        filled.append(previous)
    return filled


def _title_measure(titles: list[str]) -> tuple[str, str] | None:
    """"Bevölkerungsstand (Anzahl)" in the last title line → ("Bevölkerungsstand", "Anzahl")."""
    if not titles:
        return None
    match = _MEASURE.match(titles[-1].strip())
    if match is None:
        return None
    return match.group("variable"), match.group("unit")


def _tidy(table, titles, header: _Header, data, lead, value_count, default_decimal, numbers_by_line):
    first_cells = data[0][1]
    has_time_column = is_time_text(first_cells[0])
    code_position = 1 if has_time_column else 0
    extra_positions = list(range(code_position + 2, lead))
    row_count = len(data)
    lines = np.array([line for line, _, _ in data], dtype="int64")
    cells = [row + [""] * (lead + value_count - len(row)) for _, row, _ in data]

    def leading(position: int) -> np.ndarray:
        return np.array([row[position].strip() for row in cells], dtype=object)

    row_time = leading(0) if has_time_column else np.array([time for _, _, time in data], dtype=object)
    # NOTE: AGS typed as numbers in a worksheet lose their leading zero (1001 for 01001): restore it.
    region_code = np.array([("0" + code) if len(code) in (1, 4, 7) and code.isdigit() else code
                            for code in leading(code_position)], dtype=object)
    region_name = leading(code_position + 1) if code_position + 1 < lead else np.full(row_count, "", dtype=object)
    extras = {}
    for number, position in enumerate(extra_positions, start=1):
        values = leading(position)
        is_sector = any(_WZ_LABEL.search(value) for value in values[:500]) or \
            any("Wirtschaftszweig" in title or "Wirtschafts-" in title for title in titles)
        name = "Wirtschaftszweig" if is_sector and "Wirtschaftszweig" not in extras else f"Merkmal {number}"
        extras[name] = values

    bad_codes = [Problem("invalid-region-code",
                         f"„{code}“ ist kein Regionalschlüssel (AGS).", f"'{code}' is not a region code (AGS).",
                         line=int(line), column=str(code_position + 1), value=code)
                 for line, code in zip(lines, region_code) if not _REGION_CODE.match(code)]
    check_problems(bad_codes[:PROBLEM_CAP])

    values = np.empty((row_count, value_count))
    flags = np.empty((row_count, value_count), dtype=object)
    problems: list[Problem] = []
    texts = [pd.Series([numbers_by_line[line].get(lead + column, row[lead + column])
                        for line, row in zip(lines, cells)], dtype=object) for column in range(value_count)]
    for column, parsed in enumerate(parse_columns(texts, default_decimal)):
        problems += number_problems(parsed, texts[column], lines, str(lead + column + 1))
        values[:, column] = parsed.values
        flags[:, column] = parsed.flags
    check_problems(problems[:PROBLEM_CAP])

    measure = _title_measure(titles)
    per_column_variable = header.variable or [measure[0] if measure else ""] * value_count
    per_column_unit = header.unit or [measure[1] if measure else ""] * value_count

    def by_row(array) -> np.ndarray:
        return np.repeat(np.asarray(array, dtype=object), value_count)

    def by_column(array) -> np.ndarray:
        return np.tile(np.asarray(array, dtype=object), row_count)

    time = by_column(header.time) if header.time is not None else by_row(row_time)
    breakdowns = {name: by_row(values_) for name, values_ in extras.items()}
    breakdowns.update({name: by_column(labels) for name, labels in header.breakdowns.items()})
    return assemble(table=table, time=iso_time(pd.Series(time, dtype="str")), region_code=by_row(region_code),
                    region_name=by_row(region_name), variable=by_column(per_column_variable),
                    unit=by_column(per_column_unit), values=values.ravel(), flags=flags.ravel(),
                    breakdowns=breakdowns, lines=np.repeat(lines, value_count))
