"""Domain checks on an uploaded tidy table: negative counts, unknown regions, bad or future periods, duplicate keys."""
from __future__ import annotations

import datetime
import re

import numpy as np
import pandas as pd

from datasets import regions
from datasets.diff import row_codes
from datasets.indicators import PERIOD_PATTERN
from loaders.errors import Problem
from loaders.result import TIDY_COLUMNS

#: Units whose values count something and therefore cannot be negative (compared case-insensitively).
COUNT_UNITS = ("Anzahl", "Personen", "Person", "Anträge", "Antrag", "Fälle", "Einwohner", "Beschäftigte",
               "Gemeinden", "1000", "1 000", "1000 Personen", "Tsd.", "Tausend", "Persons", "Number", "Count")
#: Variables whose counts may legitimately be negative (net flows and changes).
SIGNED_VARIABLE_WORDS = ("saldo", "veränderung", "differenz", "zuwachs", "balance", "change", "net ")

_PERIOD = re.compile(PERIOD_PATTERN)


def check_tidy(frame: pd.DataFrame, *, today: datetime.date | None = None,
               count_units: tuple[str, ...] = COUNT_UNITS) -> list[Problem]:
    """Every domain problem of a tidy loader frame (TIDY_COLUMNS, breakdown columns, source_line), by line."""
    today = today or datetime.date.today()
    lines = _lines(frame)
    problems: list[Problem] = []
    problems += _negative_counts(frame, lines, count_units)
    problems += _unknown_regions(frame, lines)
    problems += _bad_and_future_periods(frame, lines, today)
    problems += _duplicate_keys(frame, lines)
    return sorted(problems, key=lambda p: (p.line if p.line is not None else -1, p.code, p.column or ""))


def breakdown_columns(frame: pd.DataFrame) -> list[str]:
    """The columns after TIDY_COLUMNS that break a value down (sex, nationality, …), without source_line."""
    return [column for column in frame.columns if column not in TIDY_COLUMNS and column != "source_line"]


class _Lines:
    """The file line of each row (None where unknown), read per position: no Python list of a million ints."""

    def __init__(self, frame: pd.DataFrame) -> None:
        if "source_line" in frame:
            numbers = pd.to_numeric(frame["source_line"], errors="coerce")
            self._missing = numbers.isna().to_numpy()
            self._values = numbers.fillna(-1).to_numpy(dtype="int64")
        else:
            self._missing = np.ones(len(frame), dtype=bool)
            self._values = np.full(len(frame), -1, dtype="int64")

    def __getitem__(self, position: int) -> int | None:
        return None if self._missing[position] else int(self._values[position])


def _lines(frame: pd.DataFrame) -> _Lines:
    return _Lines(frame)


def _stripped_codes(values: pd.Series) -> np.ndarray:
    """Integer codes equal iff the stripped texts are equal (strips each distinct text once)."""
    codes, uniques = pd.factorize(values)
    stripped_codes = pd.factorize(pd.Series(uniques, dtype="str").str.strip())[0]
    return stripped_codes[codes]


def _per_value(values: pd.Series, function) -> np.ndarray:
    """function(value) for every row, computed once per distinct value (uploads repeat few values many times)."""
    codes, uniques = pd.factorize(values)
    results = np.array([function(value) for value in uniques] + [function("")])
    return results[codes]   # code -1 (missing) takes the last entry, the result for ""


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series([""] * len(frame), index=frame.index, dtype="str")
    return frame[column].astype("str").where(frame[column].notna(), "")


def _negative_counts(frame: pd.DataFrame, lines: list[int | None], count_units: tuple[str, ...]) -> list[Problem]:
    if "value" not in frame:
        return []
    units = {unit.strip().casefold() for unit in count_units}
    values = pd.to_numeric(frame["value"], errors="coerce")
    negative = (values < 0).to_numpy(dtype=bool, copy=True)
    if not negative.any():
        return []
    negative &= _per_value(_text(frame, "unit"), lambda unit: unit.strip().casefold() in units)
    negative &= ~_per_value(_text(frame, "variable"),
                            lambda name: any(word in name.casefold() + " " for word in SIGNED_VARIABLE_WORDS))
    problems = []
    for position in negative.nonzero()[0]:
        value = values.iloc[position]
        unit_text = str(frame["unit"].iloc[position])
        problems.append(Problem(
            code="negative-count",
            message_de=f"Negativer Wert {value:g} bei der Zähleinheit „{unit_text}“: Anzahlen können nicht negativ sein.",
            message_en=f"Negative value {value:g} with the count unit '{unit_text}': counts cannot be negative.",
            line=lines[position], column="value", value=str(frame["value"].iloc[position])))
    return problems


def _unknown_regions(frame: pd.DataFrame, lines: list[int | None]) -> list[Problem]:
    codes = _text(frame, "region_code").str.strip()
    known = regions.known_region_codes()
    problems = []
    suspect = _per_value(codes, lambda code: regions.AGS_PATTERN.match(code) is None or code not in known)
    for position in np.flatnonzero(suspect):
        code = codes.iloc[position]
        if regions.AGS_PATTERN.match(code) is None:
            problems.append(Problem(
                code="unknown-region",
                message_de=f"„{code}“ ist kein Regionalschlüssel (AGS): erwartet DG, 2, 3, 5 oder 8 Ziffern "
                           "mit führenden Nullen.",
                message_en=f"'{code}' is not a region key (AGS): expected DG or 2, 3, 5 or 8 digits "
                           "with leading zeros.",
                line=lines[position], column="region_code", value=code))
        elif code not in known:
            problems.append(Problem(
                code="unknown-region",
                message_de=f"Regionalschlüssel {code} ist unbekannt (weder Deutschland, ein Land noch ein Kreis "
                           "aus den amtlichen Tabellen); bitte den Schlüssel prüfen.",
                message_en=f"Region key {code} is unknown (not Germany, a Land or a district of the official "
                           "tables); please check the key.",
                line=lines[position], column="region_code", value=code))
    return problems


def _period_start(period: str) -> datetime.date | None:
    """The first day of an ISO period, or None if the text is not a valid ISO period."""
    if _PERIOD.match(period) is None:
        return None
    parts = period.split("/")
    try:
        for part in parts:
            datetime.date.fromisoformat(_first_day(part))
            datetime.date.fromisoformat(regions.period_end(part))
    except ValueError:
        return None
    start = datetime.date.fromisoformat(_first_day(parts[0]))
    if len(parts) == 2 and datetime.date.fromisoformat(regions.period_end(parts[1])) < start:
        return None
    return start


def _first_day(part: str) -> str:
    return {4: part + "-01-01", 7: part + "-01"}.get(len(part), part)


def _bad_and_future_periods(frame: pd.DataFrame, lines: list[int | None], today: datetime.date) -> list[Problem]:
    problems = []
    periods = _text(frame, "time").str.strip()
    start_of = {period: _period_start(period) for period in periods.unique()}
    suspect = _per_value(periods, lambda period: (start := _period_start(period)) is None or start > today)
    for position in np.flatnonzero(suspect):
        period = periods.iloc[position]
        start = start_of[period]
        if start is None:
            problems.append(Problem(
                code="bad-period",
                message_de=f"„{period}“ ist keine gültige Zeitangabe: erwartet Jahr (2024), Monat (2024-06), "
                           "Tag (2024-12-31) oder Zeitraum (2016-01/2016-09).",
                message_en=f"'{period}' is not a valid period: expected a year (2024), month (2024-06), "
                           "day (2024-12-31) or interval (2016-01/2016-09).",
                line=lines[position], column="time", value=period))
        elif start > today:
            problems.append(Problem(
                code="future-period",
                message_de=f"Der Zeitraum {period} liegt in der Zukunft (heute ist {today.isoformat()}).",
                message_en=f"The period {period} lies in the future (today is {today.isoformat()}).",
                line=lines[position], column="time", value=period))
    return problems


def _duplicate_keys(frame: pd.DataFrame, lines: list[int | None]) -> list[Problem]:
    key_columns = ["table", "time", "region_code", "variable", *breakdown_columns(frame)]
    codes = row_codes([pd.Series(_stripped_codes(_text(frame, column))) for column in key_columns])
    duplicated = pd.Series(codes).duplicated(keep=False).to_numpy()   # one integer per key: few string compares
    if not duplicated.any():
        return []
    keys = pd.DataFrame({column: _text(frame, column).str.strip() for column in key_columns})
    values = pd.to_numeric(frame["value"], errors="coerce") if "value" in frame else pd.Series(np.nan, index=frame.index)
    flags = _text(frame, "flag")
    first_of_key: dict[tuple, int] = {}
    problems = []
    for position, key in enumerate(keys.itertuples(index=False, name=None)):
        if not duplicated[position]:
            continue
        if key not in first_of_key:
            first_of_key[key] = position
            continue
        described = ", ".join(f"{column}={value}" for column, value in zip(key_columns, key) if value)
        first = first_of_key[key]
        where_de = f"Zeile {lines[first]}" if lines[first] is not None else "einer früheren Zeile"
        where_en = f"line {lines[first]}" if lines[first] is not None else "an earlier line"
        same = (flags.iloc[first] == flags.iloc[position]) and (
            values.iloc[first] == values.iloc[position] or (pd.isna(values.iloc[first]) and pd.isna(values.iloc[position])))
        what_de = "mit demselben Wert" if same else "mit einem anderen Wert"
        what_en = "with the same value" if same else "with a different value"
        problems.append(Problem(
            code="duplicate-key",
            message_de=f"Doppelter Eintrag: dieselbe Kombination ({described}) steht schon in {where_de} "
                       f"({what_de}); jede Kombination darf nur einmal vorkommen.",
            message_en=f"Duplicate entry: the same combination ({described}) is already in {where_en} "
                       f"({what_en}); each combination may occur only once.",
            line=lines[position], column="region_code", value=key[key_columns.index("region_code")]))
    return problems
