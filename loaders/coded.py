"""A text column as integer codes into its distinct values: work once per distinct value, rows by one take.

Uploads repeat few texts over many rows (a million rows of 22 region codes, 45 periods, 2 sexes). Every
text operation on the whole column (strip, regex, dictionary lookup, `where`) costs 5–100 ms per million
rows; on the distinct values it costs microseconds, and the rows are rebuilt at the end with one Arrow
`take` per column (~6 ms per million rows). Codes also make row keys cheap (`datasets.diff.row_codes`
accepts them without hashing any text again).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa


class Coded:
    """`codes` (int64, one per row) index `values` (distinct or not); row i is values[codes[i]]."""

    __slots__ = ("codes", "values")

    def __init__(self, codes: np.ndarray, values: Sequence[str]) -> None:
        self.codes = codes
        self.values = list(values)

    @classmethod
    def of(cls, column: pd.Series) -> Coded:
        """A column's texts; missing values (NA, None) become "" as in `astype("str").fillna("")`."""
        codes, uniques = pd.factorize(column)
        values = ["" if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))
                  else str(value) for value in uniques]
        if (codes < 0).any():
            codes = np.where(codes < 0, len(values), codes)
            values.append("")
        return cls(codes.astype("int64", copy=False), values)

    @classmethod
    def from_dictionary(cls, column: pa.ChunkedArray) -> Coded:
        """A dictionary-encoded pyarrow column (its chunks' dictionaries unified) as codes into its texts."""
        if column.num_chunks == 0:
            return cls(np.zeros(0, dtype="int64"), [])
        combined = column.combine_chunks()
        return cls(combined.indices.to_numpy(zero_copy_only=False).astype("int64"), combined.dictionary.to_pylist())

    @classmethod
    def constant(cls, value: str, count: int) -> Coded:
        return cls(np.zeros(count, dtype="int64"), [value])

    def __len__(self) -> int:
        return len(self.codes)

    def map(self, function: Callable[[str], str]) -> Coded:
        """function(text) for every row, called once per distinct value."""
        return Coded(self.codes, [function(value) for value in self.values])

    def transform(self, function: Callable[[pd.Series], pd.Series]) -> Coded:
        """A vectorised, element-wise Series → Series function, run on the distinct values only."""
        result = function(pd.Series(self.values, dtype="str"))
        return Coded(self.codes, ["" if pd.isna(value) else str(value) for value in result.tolist()])

    def test(self, predicate: Callable[[str], bool]) -> np.ndarray:
        """predicate(text) for every row, as a boolean array (called once per distinct value)."""
        return np.array([bool(predicate(value)) for value in self.values], dtype=bool)[self.codes] \
            if self.values else np.zeros(len(self.codes), dtype=bool)

    def at(self, position: int) -> str:
        return self.values[int(self.codes[position])]

    def present(self) -> list[str]:
        """The distinct texts that occur in some row, in first-seen order."""
        first = pd.unique(self.codes)
        return list(dict.fromkeys(self.values[int(code)] for code in first))

    def first_rows(self) -> np.ndarray:
        """The first row of each value that occurs (positions, in value order)."""
        return _first_positions(self.codes, len(self.values))

    def dense(self) -> tuple[np.ndarray, int]:
        """(codes, size): equal codes iff equal texts, ordered like the texts, 0 <= code < size."""
        ranks, distinct = pd.factorize(pd.Series(self.values, dtype="str"), sort=True)
        return ranks.astype("int64")[self.codes] if len(self.values) else self.codes, max(len(distinct), 1)

    def series(self) -> pd.Series:
        """The rows as a `str` Series (one Arrow take)."""
        if len(self.values) <= 1:        # one text for every row: repeated is 3–4× faster than a take
            taken = pa.repeat(pa.scalar(self.values[0] if self.values else "", pa.large_string()), len(self.codes))
        else:
            taken = pa.array(self.values, type=pa.large_string()).take(pa.array(self.codes, type=pa.int64()))
        return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([taken])), dtype="str")

    @staticmethod
    def combine(columns: Sequence[Coded], function: Callable[..., str]) -> Coded:
        """function(text_1, text_2, …) for every row, called once per distinct combination of the columns."""
        if not columns:
            raise ValueError("combine needs at least one column")
        combined = np.zeros(len(columns[0]), dtype="int64")
        for column in columns:
            combined = pd.factorize(combined * (len(column.values) + 1) + column.codes)[0].astype("int64")
        first = _first_positions(combined, int(combined.max()) + 1 if len(combined) else 0)
        values = [function(*(column.at(position) for column in columns)) for position in first]
        return Coded(combined, values)


def _first_positions(codes: np.ndarray, size: int) -> np.ndarray:
    """The first position of each code 0 <= code < size that occurs, in code order (no sort: one pass)."""
    first = np.full(size, -1, dtype="int64")
    first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1, dtype="int64")
    return first[first >= 0]
