"""Command line: `python -m loaders convert INPUT OUTPUT` (tidy CSV or Parquet, one error line on failure)."""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from loaders import load_file
from loaders.errors import LoaderError
from loaders.result import TIDY_COLUMNS

OUTPUT_EXTENSIONS = (".csv", ".parquet")


class _OneLineParser(argparse.ArgumentParser):
    """Usage errors as one line on stderr (the contract: one line, no usage block)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        _fail(f"Aufruf ungültig: {message} (Hilfe: python -m loaders --help)", code=2)


def _fail(message: str, code: int = 1) -> None:
    sys.stderr.write("Fehler: " + " ".join(message.split()) + "\n")
    sys.exit(code)


def output_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The contract columns: TIDY_COLUMNS, then breakdowns; never `source_line`."""
    breakdowns = [name for name in frame.columns if name not in TIDY_COLUMNS and name != "source_line"]
    return frame[TIDY_COLUMNS + breakdowns]


def _value_text(values: pd.Series) -> pd.Series:
    """Decimal point, shortest exact form, whole numbers without ".0", empty for NaN."""
    array = values.to_numpy(dtype="float64")
    text = np.full(len(array), "", dtype=object)
    finite = np.isfinite(array)
    whole = finite & (np.abs(array) < 1e15) & (np.floor(array) == array)
    text[whole] = array[whole].astype("int64").astype(str)
    other = finite & ~whole
    text[other] = [repr(float(value)) for value in array[other]]
    return pd.Series(text, index=values.index, dtype="str")


def write_output(frame: pd.DataFrame, output: Path) -> None:
    """Write atomically: a temporary file in the same folder, renamed when complete."""
    frame = output_frame(frame)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
    os.close(descriptor)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temporary, 0o666 & ~umask)
    try:
        if output.suffix.lower() == ".csv":
            text_frame = frame.copy()
            text_frame["value"] = _value_text(frame["value"])
            text_frame.to_csv(temporary, index=False, encoding="utf-8", lineterminator="\n")
        else:
            frame.reset_index(drop=True).to_parquet(temporary, index=False, engine="pyarrow")
        os.replace(temporary, output)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def convert(input_path: Path, output_path: Path) -> None:
    if output_path.suffix.lower() not in OUTPUT_EXTENSIONS:
        _fail(f"Die Ausgabedatei muss auf {' oder '.join(OUTPUT_EXTENSIONS)} enden: {output_path.name}")
    if not output_path.parent.is_dir():
        _fail(f"Der Ordner der Ausgabedatei existiert nicht: {output_path.parent}")
    try:
        result = load_file(input_path)
    except LoaderError as error:
        _fail(error.message("de"))
    for warning in result.warnings:
        sys.stderr.write("Warnung: " + " ".join(warning.message("de").split()) + "\n")
    try:
        write_output(result.frame, output_path)
    except OSError as error:
        _fail(f"Die Ausgabedatei kann nicht geschrieben werden ({error.strerror or error}).")
    except Exception:  # noqa: BLE001 - the contract: one line, no traceback
        _fail("Die Ausgabedatei kann nicht geschrieben werden (interner Fehler).")


def main(argv: list[str] | None = None) -> int:
    parser = _OneLineParser(
        prog="python -m loaders",
        description="Liest eine Datei (GENESIS-Export, CSV, XLSX, Parquet) und schreibt die ordentliche Tabelle "
                    "(table, time, region_code, region_name, variable, unit, value, flag, Aufgliederungen).")
    commands = parser.add_subparsers(dest="command", required=True)
    converter = commands.add_parser("convert", help="INPUT in eine ordentliche CSV- oder Parquet-Datei umwandeln")
    converter.add_argument("input", type=Path, help="Eingabedatei (.csv .txt .xlsx .parquet .pq)")
    converter.add_argument("output", type=Path, help="Ausgabedatei (.csv: UTF-8, Komma, Dezimalpunkt; .parquet)")
    arguments = parser.parse_args(argv)
    convert(arguments.input, arguments.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
