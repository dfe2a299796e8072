"""The `python -m loaders convert INPUT OUTPUT` contract, run as analysts run it (a subprocess)."""
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from loaders.result import TIDY_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
CLASSIC_22221 = ROOT / "data" / "raw" / "regionalstatistik-genesapi-data" / "22221-01-01-4_00.csv"
FLAT_12531 = ROOT / "data" / "raw" / "destatis-genesis" / "12531-0043_schutzsuchende_kreise_2024-12-31_thueringen.csv"


def run(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "loaders", *arguments], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)


def test_classic_export_to_csv_keeps_the_contract(tmp_path):
    output = tmp_path / "tidy.csv"
    finished = run("convert", str(CLASSIC_22221), str(output))
    assert finished.returncode == 0 and finished.stderr == ""
    raw = output.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(output, dtype=str, keep_default_na=False)
    assert list(frame.columns) == TIDY_COLUMNS + ["Merkmal"]
    soemmerda = frame[(frame["region_code"] == "16068") & (frame["time"] == "2015-12-31")]
    assert soemmerda["value"].tolist()[:3] == ["678", "223", "619"]
    assert soemmerda["value"].tolist()[-1] == "" and soemmerda["flag"].tolist()[-1] == "-"
    assert soemmerda["region_name"].tolist()[0] == "Sömmerda, Kreis"


def test_decimal_values_are_written_with_a_decimal_point(tmp_path):
    source = tmp_path / "synthetic-decimal-comma.csv"
    source.write_text("jahr;ags;wert\n2014;16;1047,1\n2015;16;-0,25\n", encoding="utf-8")
    output = tmp_path / "tidy.csv"
    assert run("convert", str(source), str(output)).returncode == 0
    assert pd.read_csv(output, dtype=str)["value"].tolist() == ["1047.1", "-0.25"]


def test_flat_export_to_parquet_keeps_types_and_breakdowns(tmp_path):
    output = tmp_path / "tidy.parquet"
    finished = run("convert", str(FLAT_12531), str(output))
    assert finished.returncode == 0, finished.stderr
    frame = pd.read_parquet(output)
    assert list(frame.columns) == TIDY_COLUMNS + ["Schutzstatuskategorie", "Geschlecht", "Staatsangehörigkeit"]
    assert frame["value"].dtype == "float64" and len(frame) == 3959
    erfurt = frame[(frame["region_code"] == "16051") & (frame["Schutzstatuskategorie"] == "Geduldet ausreisepflichtig")
                   & (frame["Geschlecht"] == "männlich") & (frame["Staatsangehörigkeit"] == "Türkei")]
    assert erfurt["value"].tolist() == [25.0]


def assert_failed_cleanly(finished: subprocess.CompletedProcess, output: Path, *words: str) -> None:
    assert finished.returncode != 0
    lines = finished.stderr.splitlines()
    assert len(lines) == 1, finished.stderr
    assert "Traceback" not in finished.stderr and finished.stdout == ""
    assert all(word in lines[0] for word in words), lines[0]
    assert not output.exists()
    assert not any(path.name.startswith("." + output.name) for path in output.parent.iterdir())


def test_broken_input_names_line_and_column_and_leaves_no_output(tmp_path):
    source = tmp_path / "synthetic-ambiguous.csv"
    source.write_text("ags;jahr;wert\n16;2020;7\n16051;2020;1.234\n", encoding="utf-8")
    output = tmp_path / "tidy.csv"
    assert_failed_cleanly(run("convert", str(source), str(output)), output, "Zeile 3", "Spalte wert", "1.234")


@pytest.mark.parametrize("content, name, words", [
    (b"\x89PNG\r\n\x1a\n" + bytes(40), "synthetic-image.csv", ("PNG",)),
    (b"", "synthetic-empty.csv", ("leer",)),
    (b"ags;wert\n16;1\n", "synthetic.json", (".json",)),
])
def test_unreadable_inputs_fail_with_one_line(tmp_path, content, name, words):
    source = tmp_path / name
    source.write_bytes(content)
    output = tmp_path / "tidy.parquet"
    assert_failed_cleanly(run("convert", str(source), str(output)), output, *words)


def test_missing_input_and_unknown_output_extension_fail_with_one_line(tmp_path):
    output = tmp_path / "tidy.csv"
    assert_failed_cleanly(run("convert", str(tmp_path / "missing.csv"), str(output)), output, "missing.csv")
    unknown = tmp_path / "tidy.xlsx"
    assert_failed_cleanly(run("convert", str(CLASSIC_22221), str(unknown)), unknown, ".csv", ".parquet")


def test_usage_errors_are_one_line_and_help_works(tmp_path):
    assert_failed_cleanly(run("convert", str(CLASSIC_22221)), tmp_path / "none.csv", "Aufruf")
    finished = run("--help")
    assert finished.returncode == 0 and "convert" in finished.stdout
    assert run("convert", "--help").returncode == 0


def test_existing_output_is_replaced_only_on_success(tmp_path):
    output = tmp_path / "tidy.csv"
    output.write_text("previous content\n", encoding="utf-8")
    source = tmp_path / "synthetic-ragged.csv"
    source.write_text("ags;wert\n16;1;2\n", encoding="utf-8")
    finished = run("convert", str(source), str(output))
    assert finished.returncode != 0 and len(finished.stderr.splitlines()) == 1
    assert output.read_text(encoding="utf-8") == "previous content\n"


def test_warnings_are_printed_one_per_line_and_the_output_is_still_written(tmp_path):
    source = tmp_path / "synthetic-text-in-value.csv"
    source.write_text("ags,jahr,wert\n16,2020,5\n16051,2020,75000-280000\n", encoding="utf-8")
    output = tmp_path / "tidy.csv"
    finished = run("convert", str(source), str(output))
    assert finished.returncode == 0
    lines = finished.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Warnung: Zeile 3, Spalte wert") and "75000-280000" in lines[0]
    assert pd.read_csv(output, dtype=str, keep_default_na=False)["value"].tolist() == ["5", ""]
