"""What a loader returns: the tidy table plus what was detected about the file."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from loaders.errors import Problem

#: Columns every tidy table starts with, in this order (the `python -m loaders convert` contract).
TIDY_COLUMNS = ["table", "time", "region_code", "region_name", "variable", "unit", "value", "flag"]


@dataclass
class LoadResult:
    """A parsed file.

    frame -- tidy long table: TIDY_COLUMNS first, then optional breakdown columns, and last an int
             column `source_line` (1-based physical line of the cell in the input, XLSX: row number).
             `value` is float64 (NaN where the source has a marker); `flag` holds the marker
             (`-` `–` `.` `x` `...` `/`) or the source's quality flag, "" otherwise. All other
             columns are strings ("" for empty), `region_code` AGS with leading zeros, `DG` Germany.
    format   -- "genesis-flat", "genesis-classic", "csv", "xlsx", "parquet"
    encoding -- "utf-8", "utf-8-sig", "utf-16", "cp1252", or None for binary formats
    delimiter / decimal -- detected for text formats, None otherwise
    warnings -- problems that did not stop loading (shown to the analyst, never silently dropped)
    notes    -- text the source puts beside the table (GENESIS footer: footnotes, licence, "Stand: …")
    """

    frame: pd.DataFrame
    format: str
    encoding: str | None = None
    delimiter: str | None = None
    decimal: str | None = None
    warnings: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.frame)
