"""Files → tidy tables: `load_bytes` (uploads) and `load_file` dispatch by content, then extension."""
from __future__ import annotations

import os
import re
from pathlib import Path

from loaders.errors import LoaderError, Problem
from loaders.result import TIDY_COLUMNS, LoadResult

__all__ = ["load_bytes", "load_file", "LoaderError", "LoadResult", "Problem", "TIDY_COLUMNS",
           "ALLOWED_EXTENSIONS", "MAX_BYTES"]

ALLOWED_EXTENSIONS = (".csv", ".txt", ".xlsx", ".parquet", ".pq")
MAX_BYTES = 500_000_000
_KIND_OF_EXTENSION = {".csv": "text", ".txt": "text", ".xlsx": "xlsx", ".parquet": "parquet", ".pq": "parquet"}
_KIND_NAMES = {"text": ("Textdatei (CSV)", "text file (CSV)"), "xlsx": ("Excel-Datei (XLSX)", "Excel file (XLSX)"),
               "parquet": ("Parquet-Datei", "Parquet file")}


def load_file(path: str | os.PathLike, *, max_bytes: int = MAX_BYTES) -> LoadResult:
    """Read a file from disk and load it like an upload."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise _too_large(size, max_bytes)
        data = path.read_bytes()
    except LoaderError:
        raise
    except OSError as error:
        raise LoaderError.single(
            "unreadable-file", f"Die Datei „{path.name}“ kann nicht gelesen werden ({error.strerror or 'Fehler'}).",
            f"The file '{path.name}' cannot be read ({error.strerror or 'error'}).", value=str(path)) from None
    return load_bytes(data, path.name, max_bytes=max_bytes)


def load_bytes(data: bytes, filename: str, *, max_bytes: int = MAX_BYTES) -> LoadResult:
    """The single entry for uploads. Raises LoaderError only, never another exception."""
    try:
        return _load(bytes(data), str(filename), max_bytes)
    except LoaderError:
        raise
    except Exception:  # noqa: BLE001 - the contract: nothing but LoaderError leaves this function
        raise LoaderError.single(
            "internal-error",
            "Die Datei konnte nicht gelesen werden (interner Fehler). Bitte die Datei prüfen oder melden.",
            "The file could not be read (internal error). Please check the file or report it.") from None


def _too_large(size: int, limit: int) -> LoaderError:
    return LoaderError.single(
        "file-too-large", f"Die Datei ist zu groß ({size:,} Bytes, erlaubt {limit:,}).".replace(",", "."),
        f"The file is too large ({size:,} bytes, allowed {limit:,}).")


def _load(data: bytes, filename: str, max_bytes: int) -> LoadResult:
    from loaders import detect

    if len(data) > max_bytes:
        raise _too_large(len(data), max_bytes)
    extension = os.path.splitext(filename)[1].lower()
    if data.startswith(detect.OLE2_MAGIC):
        return _load_xlsx(data, filename)  # the XLSX reader names old .xls and password-protected files
    if extension not in ALLOWED_EXTENSIONS:
        raise LoaderError.single(
            "unsupported-extension",
            f"Dateien mit der Endung „{extension or '(keine)'}“ werden nicht gelesen. Erlaubt: "
            + ", ".join(ALLOWED_EXTENSIONS) + ".",
            f"Files ending in '{extension or '(none)'}' are not read. Allowed: " + ", ".join(ALLOWED_EXTENSIONS) + ".",
            value=filename)
    if re.search(rb"\S", data) is None:
        raise LoaderError.single("empty-file", "Die Datei ist leer.", "The file is empty.")
    expected = _KIND_OF_EXTENSION[extension]
    kind = detect.content_kind(data, os.path.basename(filename))
    warnings = []
    if kind != expected:
        warnings.append(Problem(
            "extension-mismatch",
            f"Die Datei heißt „{extension}“, ist aber eine {_KIND_NAMES[kind][0]}; sie wurde als solche gelesen.",
            f"The file is named '{extension}' but is a {_KIND_NAMES[kind][1]}; it was read as such.",
            value=filename))
    if kind == "xlsx":
        result = _load_xlsx(data, filename)
    elif kind == "parquet":
        result = _load_parquet(data, filename)
    else:
        result = _load_text(data, filename)
    result.warnings[:0] = warnings
    return result


def _table_name(filename: str) -> str:
    from loaders.detect import table_code_from_name

    return table_code_from_name(filename) or os.path.splitext(os.path.basename(filename))[0]


def _load_text(data: bytes, filename: str) -> LoadResult:
    from loaders import detect, encoding, generic
    from loaders.genesis_classic import load_classic

    too_long = detect.long_line(data)
    if too_long is not None:
        raise LoaderError([too_long])
    fast_encoding = encoding.utf8_name(data)
    if fast_encoding is not None and detect.text_format(_head(data)) == "genesis-flat":
        return _flat_result(data, filename, fast_encoding)
    text, encoding_name = encoding.decode(data)
    if re.search(r"[^\s\ufeff]", text) is None:
        raise LoaderError.single("empty-file", "Die Datei ist leer.", "The file is empty.")
    text = text.lstrip("\ufeff")
    kind = detect.text_format(text)
    if kind == "genesis-flat":
        return _flat_result(text.encode("utf-8"), filename, encoding_name)
    if kind == "genesis-classic":
        delimiter = ";"
        frame, notes = load_classic(detect.rows_of(text, delimiter), default_decimal=",")
        return LoadResult(frame, "genesis-classic", encoding_name, delimiter, ",", notes=notes)
    delimiter = detect.delimiter_of(text)
    default_decimal = "," if delimiter == ";" else "."
    frame, warnings = generic.load_rows(detect.rows_of(text, delimiter), _table_name(filename),
                                        default_decimal=default_decimal)
    return LoadResult(frame, "csv", encoding_name, delimiter, default_decimal, warnings=warnings)


def _head(data: bytes) -> str:
    return data[:4096].decode("utf-8", errors="replace").lstrip("\ufeff")


def _flat_result(utf8: bytes, filename: str, encoding_name: str) -> LoadResult:
    from loaders import detect
    from loaders.genesis_flat import load_flat

    first = detect.first_line(_head(utf8))
    delimiter = ";" if ";" in first else "," if "," in first else "\t"
    default_decimal = "," if delimiter == ";" else "."
    frame, proven = load_flat(utf8, filename, delimiter=delimiter, default_decimal=default_decimal)
    return LoadResult(frame, "genesis-flat", encoding_name, delimiter, proven or default_decimal)


def _load_xlsx(data: bytes, filename: str) -> LoadResult:
    from loaders import generic
    from loaders.genesis_classic import load_classic
    from loaders.genesis_flat import load_flat_rows
    from loaders.xlsx import read_xlsx_rows

    rows = [(line, list(cells)) for line, cells in read_xlsx_rows(data)
            if any(cell is not None and str(cell).strip() for cell in cells)]
    if not rows:
        raise LoaderError.single("empty-file", "Das Tabellenblatt ist leer.", "The worksheet is empty.")
    first = str(rows[0][1][0] or "").strip() if rows[0][1] else ""
    if first.startswith("GENESIS-Tabelle:"):
        frame, notes = load_classic(rows, default_decimal=",")
        return LoadResult(frame, "xlsx", None, None, None, notes=notes)
    rows = [(line, _trim_trailing(cells)) for line, cells in rows]
    width = len(rows[0][1])
    rows = [(line, cells + [None] * (width - len(cells)) if len(cells) < width else cells) for line, cells in rows]
    if first == "statistics_code":
        frame, _ = load_flat_rows(rows, filename)
        return LoadResult(frame, "xlsx", None, None, None)
    frame, warnings = generic.load_rows(rows, _table_name(filename), default_decimal=",")
    return LoadResult(frame, "xlsx", None, None, None, warnings=warnings)


def _trim_trailing(cells: list) -> list:
    cells = list(cells)
    while cells and (cells[-1] is None or str(cells[-1]).strip() == ""):
        cells.pop()
    return cells


def _load_parquet(data: bytes, filename: str) -> LoadResult:
    from loaders import generic
    from loaders.parquet import read_parquet_frame

    frame = read_parquet_frame(data)
    tidy, warnings = generic.frame_to_tidy_report(frame, _table_name(filename), default_decimal=".")
    return LoadResult(tidy, "parquet", None, None, None, warnings=warnings)
