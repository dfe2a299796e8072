"""Number cells → floats: German/English decimal conventions, thousands separators, special markers."""
from __future__ import annotations

import datetime as dt
import numbers
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from loaders.errors import Problem, _short

#: Source markers that stand for "no number" (value NaN, marker kept in `flag`).
MARKERS = ("-", "–", ".", "x", "...", "…", "/")

_SIGN = r"[+\-]?"
_SPACE_GROUPED = _SIGN + r"\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+(?:[.,]\d+)?"
_INTEGER = _SIGN + r"\d+"
_AMBIGUOUS_POINT = _SIGN + r"[1-9]\d{0,2}\.\d{3}"
_AMBIGUOUS_COMMA = _SIGN + r"[1-9]\d{0,2},\d{3}"
# Forms that can only be read one way; each proves the decimal convention of its column.
_COMMA_DECIMAL = (_SIGN + r"(?:\d+,\d+|\d{1,3}(?:\.\d{3})+,\d+|\d{1,3}(?:\.\d{3}){2,}|,\d+)")
_POINT_DECIMAL = (_SIGN + r"(?:\d+\.\d+|\d{1,3}(?:,\d{3})+\.\d+|\d{1,3}(?:,\d{3}){2,}|\.\d+"
                  r"|(?:\d+\.?\d*|\.\d+)[eE][+\-]?\d+)")


@dataclass
class ParsedColumn:
    """One column of cells read as numbers.

    values    -- float64, NaN for markers, empty cells and cells that are not numbers
    flags     -- the marker for marker cells, "" otherwise
    decimal   -- "," or "." when the column's own cells prove the convention, else None
    ambiguous -- positions of cells that could be read two ways ("1.234" with no evidence)
    invalid   -- positions of cells that are text, not numbers
    """

    values: np.ndarray
    flags: np.ndarray
    decimal: str | None
    ambiguous: np.ndarray
    invalid: np.ndarray
    conflict: bool = False
    examples: tuple[str, str] | None = None


def _as_text(cells: pd.Series) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Cells as stripped text; numbers that are already numbers come back separately."""
    count = len(cells)
    direct = np.full(count, np.nan)
    is_direct = np.zeros(count, dtype=bool)
    if pd.api.types.is_bool_dtype(cells.dtype):
        text = cells.astype("str")
    elif pd.api.types.is_numeric_dtype(cells.dtype):
        direct = cells.to_numpy(dtype="float64", na_value=np.nan)
        return pd.Series([""] * count, dtype="str"), direct, np.ones(count, dtype=bool)
    elif cells.dtype == object and pd.api.types.infer_dtype(cells, skipna=True) in ("string", "empty"):
        text = pd.Series(cells.to_numpy(), dtype="str")
    elif cells.dtype == object:
        objects = cells.to_numpy()
        for position, cell in enumerate(objects):
            if isinstance(cell, numbers.Real) and not isinstance(cell, bool):
                direct[position] = float(cell)
                is_direct[position] = True
        text_cells = ["" if is_direct[p] or objects[p] is None else _cell_text(objects[p])
                      for p in range(count)]
        text = pd.Series(text_cells, dtype="str")
    else:
        text = cells.astype("str")
    text = text.fillna("").str.strip()
    if text.str.contains("\u2212", regex=False).any():
        text = text.str.replace("\u2212", "-", regex=False)
    return text.reset_index(drop=True), direct, is_direct


def _cell_text(cell: object) -> str:
    if isinstance(cell, float) and np.isnan(cell):
        return ""
    if isinstance(cell, (dt.datetime, dt.date)):
        return cell.isoformat()[:10] if isinstance(cell, dt.datetime) and cell.time() == dt.time() \
            else cell.isoformat()
    return str(cell)


def parse_column(cells: pd.Series, default_decimal: str = ",") -> ParsedColumn:
    """Read one source column. Ambiguous cells are resolved only by evidence in the same column."""
    return parse_columns([cells], default_decimal)[0]


def parse_columns(columns: list[pd.Series], default_decimal: str = ",") -> list[ParsedColumn]:
    """Read several source columns in one vectorised pass; evidence stays within each column."""
    if not columns:
        return []
    lengths = [len(column) for column in columns]
    groups = np.repeat(np.arange(len(columns)), lengths)
    if len(columns) > 1 and not any(pd.api.types.is_numeric_dtype(column.dtype) for column in columns):
        # NOTE: one pass over all cells; a table can have thousands of columns.
        joined = pd.Series(np.concatenate([column.to_numpy(dtype=object) for column in columns]), dtype=object)
        text, direct, is_direct = _as_text(joined)
    else:
        parts = [_as_text(column) for column in columns]
        text = pd.concat([part[0] for part in parts], ignore_index=True) if len(parts) > 1 else parts[0][0]
        direct = np.concatenate([part[1] for part in parts])
        is_direct = np.concatenate([part[2] for part in parts])
    cells = _parse(text, direct, is_direct, groups, len(columns), default_decimal)
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    parsed = []
    for number in range(len(columns)):
        start, stop = offsets[number], offsets[number + 1]
        ambiguous = cells["ambiguous"][start:stop]
        invalid = cells["invalid"][start:stop]
        parsed.append(ParsedColumn(
            cells["values"][start:stop], cells["flags"][start:stop], cells["decimal"][number],
            np.flatnonzero(ambiguous), np.flatnonzero(invalid), bool(cells["conflict"][number]),
            cells["examples"][number]))
    return parsed


def _parse(text: pd.Series, direct: np.ndarray, is_direct: np.ndarray, groups: np.ndarray, group_count: int,
           default_decimal: str) -> dict:
    count = len(text)
    values = direct.copy()
    flags = np.full(count, "", dtype=object)
    ambiguous = np.zeros(count, dtype=bool)
    invalid = np.zeros(count, dtype=bool)
    decimals: list[str | None] = [None] * group_count
    conflicts = np.zeros(group_count, dtype=bool)
    examples: list[tuple[str, str] | None] = [None] * group_count
    result = {"values": values, "flags": flags, "ambiguous": ambiguous, "invalid": invalid,
              "decimal": decimals, "conflict": conflicts, "examples": examples}
    pending = (~is_direct) & (text != "").to_numpy()
    if not pending.any():
        return result

    is_marker = text.isin(MARKERS).to_numpy() & pending
    if is_marker.any():
        flags[is_marker] = text[is_marker].to_numpy(dtype=object)
    pending &= ~is_marker

    is_integer = text.str.fullmatch(_INTEGER).to_numpy() & pending
    if is_integer.any():
        values[is_integer] = _to_float(text[is_integer])
    pending &= ~is_integer

    if pending.any():
        positions = np.flatnonzero(pending)
        rest_groups = groups[positions]
        rest = text[pending].reset_index(drop=True)
        spaced = rest.str.fullmatch(_SPACE_GROUPED)
        rest = rest.where(~spaced, rest.str.replace(r"[ \u00a0\u2009\u202f]", "", regex=True))
        plain = rest.str.fullmatch(_INTEGER).to_numpy()
        ambiguous_point = rest.str.fullmatch(_AMBIGUOUS_POINT).to_numpy()
        ambiguous_comma = rest.str.fullmatch(_AMBIGUOUS_COMMA).to_numpy()
        comma = rest.str.fullmatch(_COMMA_DECIMAL).to_numpy() & ~ambiguous_comma
        point = rest.str.fullmatch(_POINT_DECIMAL).to_numpy() & ~ambiguous_point
        proves_comma = np.bincount(rest_groups[comma], minlength=group_count) > 0
        proves_point = np.bincount(rest_groups[point], minlength=group_count) > 0
        conflicts |= proves_comma & proves_point
        rest_text = rest.to_numpy(dtype=object)
        for group in np.flatnonzero(conflicts):
            in_group = rest_groups == group
            examples[group] = (rest_text[in_group & comma][0], rest_text[in_group & point][0])
        for group in range(group_count):
            if not conflicts[group]:
                decimals[group] = "," if proves_comma[group] else "." if proves_point[group] else None
        cell_comma = proves_comma[rest_groups] & ~conflicts[rest_groups]
        cell_point = proves_point[rest_groups] & ~conflicts[rest_groups]
        no_evidence = ~proves_comma[rest_groups] & ~proves_point[rest_groups]
        # NOTE: with no evidence in the column, the file's decimal mark reads as a decimal; the other
        # separator could be a thousands separator or a foreign decimal mark: ask the analyst.
        if default_decimal == ",":
            free_comma, unresolved_default = ambiguous_comma & no_evidence, ambiguous_point & no_evidence
            free_point = np.zeros_like(plain)
        else:
            free_point, unresolved_default = ambiguous_point & no_evidence, ambiguous_comma & no_evidence
            free_comma = np.zeros_like(plain)
        comma_style = comma | free_comma | ((ambiguous_comma | ambiguous_point) & cell_comma)
        point_style = point | free_point | ((ambiguous_comma | ambiguous_point) & cell_point)
        unresolved = unresolved_default | ((ambiguous_comma | ambiguous_point) & conflicts[rest_groups])
        converted = np.full(len(rest), None, dtype=object)
        converted[comma_style] = rest[comma_style].str.replace(".", "", regex=False) \
            .str.replace(",", ".", regex=False).to_numpy(dtype=object)
        converted[point_style] = rest[point_style].str.replace(",", "", regex=False).to_numpy(dtype=object)
        converted[plain] = rest_text[plain]
        ambiguous[positions[unresolved]] = True
        invalid[positions[~(comma_style | point_style | plain | unresolved)]] = True
        number_mask = pd.notna(converted)
        if number_mask.any():
            values[positions[number_mask]] = _to_float(pd.Series(converted[number_mask], dtype="str"))
    return result


def _to_float(texts: pd.Series) -> np.ndarray:
    """Validated number text → float64, cast by pyarrow (pandas goes through Python objects)."""
    try:
        arrow = pa.chunked_array(texts.array.__arrow_array__())
        return pc.cast(arrow, pa.float64()).to_numpy()
    except (pa.ArrowException, AttributeError, TypeError):
        return texts.astype("float64").to_numpy()


def number_problems(parsed: ParsedColumn, cells: pd.Series, lines: np.ndarray, column: str,
                    *, invalid_is_problem: bool = True) -> list[Problem]:
    """Problems for ambiguous (and, if asked, non-numeric) cells of a parsed column."""
    problems = []
    if parsed.conflict and parsed.examples:
        comma, point = parsed.examples
        problems.append(Problem(
            "mixed-decimal",
            f"Die Spalte mischt Dezimalkomma („{comma}“) und Dezimalpunkt („{point}“). "
            "Bitte ein Dezimalzeichen einheitlich verwenden.",
            f"The column mixes decimal comma ('{comma}') and decimal point ('{point}'). "
            "Please use one decimal mark throughout.", None, column, _short(point)))
    texts = cells.to_numpy(dtype=object) if len(parsed.ambiguous) else None
    for position in parsed.ambiguous:
        value = str(texts[position]).strip()
        problems.append(Problem(
            "ambiguous-decimal",
            f"Die Zahl „{value}“ ist mehrdeutig (Dezimal- oder Tausendertrennzeichen?). "
            "Bitte ohne Tausenderpunkt bzw. mit eindeutigem Dezimalzeichen angeben.",
            f"The number '{value}' can be read two ways (decimal or thousands separator?). "
            "Write it without thousands separator or with an unambiguous decimal mark.",
            int(lines[position]), column, _short(value)))
    if invalid_is_problem:
        problems.extend(invalid_number_problems(parsed, cells, lines, column))
    return problems


def invalid_number_problems(parsed: ParsedColumn, cells: pd.Series, lines: np.ndarray,
                            column: str) -> list[Problem]:
    if not len(parsed.invalid):
        return []
    texts = cells.to_numpy(dtype=object)
    problems = []
    for position in parsed.invalid:
        value = str(texts[position]).strip()
        problems.append(Problem(
            "invalid-number",
            f"„{_short(value, 40)}“ ist keine Zahl und kein bekanntes Sonderzeichen (- . x ... /).",
            f"'{_short(value, 40)}' is neither a number nor a known marker (- . x ... /).",
            int(lines[position]), column, _short(value)))
    return problems


_GERMAN_DATE = r"^(\d{2})\.(\d{2})\.(\d{4})$"


def iso_time(texts: pd.Series) -> pd.Series:
    """Dates as ISO text: `31.12.2015` → `2015-12-31`; years and ISO dates stay; other text is kept."""
    text = texts.astype("str").fillna("").str.strip()
    if not text.str.contains(".", regex=False).any():
        return text
    return text.str.replace(_GERMAN_DATE, r"\3-\2-\1", regex=True)


def is_time_text(text: str) -> bool:
    """True for `31.12.2015`, `2015`, `2015-12-31` and `2015-12`."""
    return bool(re.fullmatch(r"\d{2}\.\d{2}\.(18|19|20|21)\d{2}|(18|19|20|21)\d{2}(-\d{2}(-\d{2})?)?", text.strip()))
