"""Problems found in an input file, and the one exception every loader raises."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One problem in an input file, in words an analyst can act on.

    line   -- 1-based physical line in the file (for XLSX: the sheet row), None if it concerns the whole file
    column -- column header or 1-based column number as text, None if it concerns a whole line / the file
    value  -- the offending cell text (shortened to 80 characters), None if not about one cell
    code   -- stable machine-readable id, e.g. "empty-file", "ragged-row", "ambiguous-decimal"
    message_de / message_en -- one sentence each, naming the problem and what to do
    """

    code: str
    message_de: str
    message_en: str
    line: int | None = None
    column: str | None = None
    value: str | None = None

    def message(self, lang: str = "de") -> str:
        text = self.message_en if lang == "en" else self.message_de
        where = []
        if self.line is not None:
            where.append(("line " if lang == "en" else "Zeile ") + str(self.line))
        if self.column is not None:
            where.append(("column " if lang == "en" else "Spalte ") + str(self.column))
        return (", ".join(where) + ": " if where else "") + text


@dataclass
class LoaderError(Exception):
    """Raised by every loader for any input it cannot turn into a table. Never anything else."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.problems[0].message("en") if self.problems else "invalid input")

    @classmethod
    def single(cls, code: str, message_de: str, message_en: str, *, line: int | None = None,
               column: str | None = None, value: str | None = None) -> "LoaderError":
        return cls([Problem(code, message_de, message_en, line, column, _short(value))])

    def message(self, lang: str = "de") -> str:
        """The first problem as one line (plus a count of further problems)."""
        if not self.problems:
            return "Ungültige Eingabe." if lang != "en" else "Invalid input."
        first = self.problems[0].message(lang)
        more = len(self.problems) - 1
        if more:
            first += (f" (+{more} weitere Probleme)" if lang != "en" else f" (+{more} more problems)")
        return first


def _short(value: str | None, limit: int = 80) -> str | None:
    if value is None:
        return None
    value = str(value)
    return value if len(value) <= limit else value[: limit - 1] + "…"
