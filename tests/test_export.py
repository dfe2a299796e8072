"""Downloads are safe in spreadsheet programs: formula text stays text, numbers stay numbers."""
import io

import pandas as pd
from openpyxl import load_workbook

from charts.export import csv_bytes, parquet_bytes, xlsx_bytes

synthetic_hostile = pd.DataFrame({
    "label": ['=HYPERLINK("http://example.invalid","klick")', "+49 361", "-Saldo", "@SUM(A1)", "\tTab",
              "<svg><script>window.__xss=1</script></svg>", "Sömmerda"],
    "value": [1.5, -2.0, 3.0, float("nan"), 5.0, 6.0, 1234567.5],
})


def test_csv_escapes_formula_triggers_and_keeps_numbers():
    text = csv_bytes(synthetic_hostile).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "label,value"
    assert lines[1].startswith('"\'=HYPERLINK(')
    assert lines[2] == "'+49 361,-2.0"          # the negative number is not escaped
    assert lines[3].startswith("'-Saldo,")
    assert "'@SUM(A1)" in text and "Sömmerda,1234567.5" in text
    assert "<svg><script>" in text               # stored as text, not altered


def test_xlsx_cells_with_formula_text_are_strings_and_numbers_numbers():
    sheet = load_workbook(io.BytesIO(xlsx_bytes(synthetic_hostile))).active
    assert sheet["A2"].value.startswith("=HYPERLINK(")
    assert sheet["A2"].data_type == "s"
    assert all(sheet[f"A{r}"].data_type == "s" for r in range(2, 9))
    assert sheet["B3"].value == -2.0 and sheet["B3"].data_type == "n"
    assert sheet["B5"].value is None


def test_parquet_round_trip():
    pd.testing.assert_frame_equal(pd.read_parquet(io.BytesIO(parquet_bytes(synthetic_hostile))), synthetic_hostile)
