"""Domain checks on an uploaded tidy table: negative counts, unknown regions, bad or future periods, duplicate keys."""
from __future__ import annotations

import datetime
import re

import numpy as np
import pandas as pd

from datasets import regions
from datasets.diff import row_codes
from datasets.indicators import PERIOD_PATTERN
from loaders.coded import Coded
from loaders.errors import Problem
from loaders.result import TIDY_COLUMNS

#: Units whose values count something and therefore cannot be negative (compared case-insensitively).
COUNT_UNITS = ("Anzahl", "Personen", "Person", "Anträge", "Antrag", "Fälle", "Einwohner", "Beschäftigte",
               "Gemeinden", "1000", "1 000", "1000 Personen", "Tsd.", "Tausend", "Persons", "Number", "Count")
#: Variables whose counts may legitimately be negative (net flows and changes).
SIGNED_VARIABLE_WORDS = ("saldo", "veränderung", "differenz", "zuwachs", "balance", "change", "net ")

_PERIOD = re.compile(PERIOD_PATTERN)


def check_tidy(frame: pd.DataFrame, *, today: datetime.date | None = None,
               count_units: tuple[str, ...] = COUNT_UNITS, coded: dict[str, Coded] | None = None) -> list[Problem]:
    """Every domain problem of a tidy loader frame (TIDY_COLUMNS, breakdown columns, source_line), by line.

    coded -- the stripped texts of some of the frame's columns as codes (loaders.coded), when the caller
             has them: a column given here is not read from the frame again.
    """
    today = today or datetime.date.today()
    lines = _lines(frame)
    texts = _Texts(frame, coded or {})
    problems: list[Problem] = []
    problems += _negative_counts(frame, texts, lines, count_units)
    problems += _unknown_regions(texts, lines)
    problems += _bad_and_future_periods(texts, lines, today)
    problems += _duplicate_keys(frame, texts, lines)
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


class _Texts:
    """The stripped text of each column as codes (loaders.coded), built once per column; "" where missing."""

    def __init__(self, frame: pd.DataFrame, coded: dict[str, Coded]) -> None:
        self._frame = frame
        self._coded = dict(coded)

    def __getitem__(self, column: str) -> Coded:
        if column not in self._coded:
            self._coded[column] = Coded.of(self._frame[column]).map(str.strip) if column in self._frame \
                else Coded.constant("", len(self._frame))
        return self._coded[column]


def _negative_counts(frame: pd.DataFrame, texts: _Texts, lines: _Lines, count_units: tuple[str, ...]
                     ) -> list[Problem]:
    if "value" not in frame:
        return []
    units = {unit.strip().casefold() for unit in count_units}
    values = pd.to_numeric(frame["value"], errors="coerce")
    negative = (values < 0).to_numpy(dtype=bool, copy=True)
    if not negative.any():
        return []
    negative &= texts["unit"].test(lambda unit: unit.casefold() in units)
    negative &= ~texts["variable"].test(
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


def _unknown_regions(texts: _Texts, lines: _Lines) -> list[Problem]:
    codes = texts["region_code"]
    known = regions.known_region_codes()
    problems = []
    suspect = codes.test(lambda code: regions.AGS_PATTERN.match(code) is None or code not in known)
    for position in np.flatnonzero(suspect):
        code = codes.at(position)
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


def _bad_and_future_periods(texts: _Texts, lines: _Lines, today: datetime.date) -> list[Problem]:
    problems = []
    periods = texts["time"]
    start_of = {period: _period_start(period) for period in periods.values}
    suspect = periods.test(lambda period: (start := start_of[period]) is None or start > today)
    for position in np.flatnonzero(suspect):
        period = periods.at(position)
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


def _duplicate_keys(frame: pd.DataFrame, texts: _Texts, lines: _Lines) -> list[Problem]:
    key_columns = ["table", "time", "region_code", "variable", *breakdown_columns(frame)]
    keys = [texts[column] for column in key_columns]
    codes = row_codes([key.dense() for key in keys])
    duplicated = pd.Series(codes).duplicated(keep=False).to_numpy()   # one integer per key: few string compares
    if not duplicated.any():
        return []
    values = pd.to_numeric(frame["value"], errors="coerce") if "value" in frame else pd.Series(np.nan, index=frame.index)
    flags = texts["flag"]
    first_of_key: dict[tuple, int] = {}
    problems = []
    for position in np.flatnonzero(duplicated):
        key = tuple(column.at(position) for column in keys)
        if key not in first_of_key:
            first_of_key[key] = position
            continue
        described = ", ".join(f"{column}={value}" for column, value in zip(key_columns, key) if value)
        first = first_of_key[key]
        where_de = f"Zeile {lines[first]}" if lines[first] is not None else "einer früheren Zeile"
        where_en = f"line {lines[first]}" if lines[first] is not None else "an earlier line"
        same = (flags.at(first) == flags.at(position)) and (
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
