"""Download bytes of a table (CSV, XLSX, Parquet) that are safe to open in a spreadsheet program.

Text cells starting with = + - @ tab or CR would be run as formulas by Excel/LibreOffice
(CSV/formula injection): they get a leading apostrophe in CSV and are written as plain strings
(cell type "s", never a formula) in XLSX. Numbers stay numbers.
"""
from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def escape_text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def _escaped(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]) and not pd.api.types.is_bool_dtype(out[column]):
            out[column] = out[column].map(lambda v: escape_text(v) if isinstance(v, str) else v)
    out.columns = [escape_text(str(c)) for c in out.columns]
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM (so Excel reads umlauts), comma, decimal point, formula triggers escaped."""
    return _escaped(frame).to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, sheet_title: str = "Daten") -> bytes:
    """One sheet; every text cell is written as a string cell (type "s"), numbers as numbers."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    sheet.append([str(c) for c in frame.columns])
    for cell in sheet[1]:
        cell.data_type = TYPE_STRING
    for row in frame.itertuples(index=False):
        values = [None if (not isinstance(v, str) and pd.isna(v)) else v for v in row]
        sheet.append(values)
        for cell, value in zip(sheet[sheet.max_row], values):
            if isinstance(value, str):
                cell.value = value
                cell.data_type = TYPE_STRING
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    return frame.to_parquet(index=False)
