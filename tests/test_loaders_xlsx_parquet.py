"""The safe XLSX and Parquet readers: synthetic round trips, a GENESIS-style sheet, and the safety cases."""
import datetime
import io
import struct
import time
import zipfile

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from loaders.errors import LoaderError
from loaders.parquet import read_parquet_frame
from loaders.xlsx import read_xlsx_rows

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
BILLION_LAUGHS_DTD = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">'
    '<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">'
    '<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">'
    '<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">'
    '<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">'
    '<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>')
XXE_DTD = '<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def synthetic_xlsx(sheet_data: str = '<row r="1"><c r="A1" t="inlineStr"><is><t>ok</t></is></c></row>',
                   shared_strings: str | None = None, sheet_prolog: str = "",
                   shared_strings_prolog: str = "",
                   sheet_declaration: str = '<?xml version="1.0" encoding="UTF-8"?>') -> bytes:
    """A minimal hand-written XLSX (synthetic): one sheet, optional sharedStrings, raw XML pieces."""
    relationships = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        + ('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
           'relationships/sharedStrings" Target="sharedStrings.xml"/>' if shared_strings is not None else "")
        + "</Relationships>")
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types '
                               'xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?>'
                       '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                       '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                       'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN_NS}" '
                           f'xmlns:r="{REL_NS}"><sheets><sheet name="Tabelle1" sheetId="1" r:id="rId1"/>'
                           "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": relationships,
        "xl/worksheets/sheet1.xml": f'{sheet_declaration}{sheet_prolog}'
                                    f'<worksheet xmlns="{MAIN_NS}"><sheetData>{sheet_data}</sheetData></worksheet>',
    }
    if shared_strings is not None:
        parts["xl/sharedStrings.xml"] = (f'<?xml version="1.0" encoding="UTF-8"?>{shared_strings_prolog}'
                                         f'<sst xmlns="{MAIN_NS}">{shared_strings}</sst>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def zip_bomb_xlsx(uncompressed_megabytes: int) -> bytes:
    """A synthetic XLSX whose sheet is mostly zeros: tiny compressed, huge when unpacked."""
    valid = synthetic_xlsx()
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(valid)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            if name != "xl/worksheets/sheet1.xml":
                target.writestr(name, source.read(name))
        with target.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1"><c r="A1"><v>'.encode())
            zeros = b"0" * 1_000_000
            for _ in range(uncompressed_megabytes):
                sheet.write(zeros)
            sheet.write(b"</v></c></row></sheetData></worksheet>")
    return buffer.getvalue()


def with_lying_sizes(data: bytes, member: str, claimed_size: int) -> bytes:
    """Rewrite the uncompressed size of one member in both zip headers (synthetic tampering)."""
    patched = bytearray(data)
    name = member.encode()
    local = patched.find(b"PK\x03\x04" + b"", 0)
    while local != -1:
        name_length = struct.unpack_from("<H", patched, local + 26)[0]
        if bytes(patched[local + 30: local + 30 + name_length]) == name:
            struct.pack_into("<I", patched, local + 22, claimed_size)
        local = patched.find(b"PK\x03\x04", local + 4)
    central = patched.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack_from("<H", patched, central + 28)[0]
        if bytes(patched[central + 46: central + 46 + name_length]) == name:
            struct.pack_into("<I", patched, central + 24, claimed_size)
        central = patched.find(b"PK\x01\x02", central + 4)
    return bytes(patched)


def openpyxl_bytes(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def error_code(call) -> str:
    with pytest.raises(LoaderError) as caught:
        call()
    problem = caught.value.problems[0]
    assert problem.message_de and problem.message_en
    return problem.code


def test_synthetic_workbook_round_trips_text_numbers_dates_and_gaps():
    data = openpyxl_bytes([
        ["Region", "AGS", "Wert", "Stichtag"],
        ["Thüringen", "16", 2170714, datetime.datetime(2015, 12, 31)],
        ["Erfurt, krsfr. Stadt", "16051", 210118.5, None],
        [],
        ["Weimar", "16055", None, datetime.datetime(2024, 6, 30)],
    ])
    assert read_xlsx_rows(data) == [
        (1, ["Region", "AGS", "Wert", "Stichtag"]),
        (2, ["Thüringen", "16", 2170714, datetime.datetime(2015, 12, 31)]),
        (3, ["Erfurt, krsfr. Stadt", "16051", 210118.5, None]),
        (5, ["Weimar", "16055", None, datetime.datetime(2024, 6, 30)]),
    ]


def test_rows_are_padded_to_the_widest_row_and_keep_sheet_row_numbers():
    workbook = openpyxl.Workbook()
    workbook.active["A2"] = "links"
    workbook.active["D7"] = "rechts"
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read_xlsx_rows(buffer.getvalue()) == [(2, ["links", None, None, None]),
                                                 (7, [None, None, None, "rechts"])]


def test_formulas_are_returned_as_their_text_never_evaluated():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = 2
    sheet["B1"] = "=A1*21"
    sheet["C1"] = '=HYPERLINK("http://x","y")'
    sheet["C1"].data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read_xlsx_rows(buffer.getvalue()) == [(1, [2, "=A1*21", '=HYPERLINK("http://x","y")'])]


def test_shared_strings_rich_text_and_markup_like_labels_are_kept_verbatim():
    shared = ('<si><t>&lt;svg onload=alert(1)&gt;</t></si>'
              '<si><r><t>Sömmerda, </t></r><r><t>Kreis</t></r></si>')
    data = synthetic_xlsx('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>',
                          shared_strings=shared)
    assert read_xlsx_rows(data) == [(1, ["<svg onload=alert(1)>", "Sömmerda, Kreis"])]


CLASSIC_GENESIS_ROWS = [
    ["GENESIS-Tabelle: 12411-01-01-4"],
    ["Bevölkerungsstand: Bevölkerung nach Geschlecht"],
    ["- Stichtag 31.12. -"],
    ["regionale Tiefe: Kreise und krfr. Städte"],
    ["Fortschreibung des Bevölkerungsstandes"],
    ["Bevölkerungsstand (Anzahl)"],
    [None, None, "31.12.2015", "31.12.2015", "31.12.2015"],
    [None, None, "Insgesamt", "männlich", "weiblich"],
    ["16", "  Thüringen", 2170714, 1075139, 1095575],
    ["16051", "      Erfurt, krsfr. Stadt", 210118, 102259, 107859],
    ["16056", "      Eisenach, krsfr. Stadt", "-", "-", "-"],
    ["__________"],
    ["Stand: 10.10.2017 / 11:57:53"],
]


def test_classic_genesis_table_saved_as_xlsx_keeps_its_layout_row_by_row():
    result = read_xlsx_rows(openpyxl_bytes(CLASSIC_GENESIS_ROWS))
    assert [number for number, _ in result] == list(range(1, 14))
    assert result[0][1] == ["GENESIS-Tabelle: 12411-01-01-4", None, None, None, None]
    assert result[9][1] == ["16051", "      Erfurt, krsfr. Stadt", 210118, 102259, 107859]
    assert result[10][1][2:] == ["-", "-", "-"]
    assert result[11][1][0] == "__________"


def test_classic_genesis_xlsx_loads_into_tidy_rows_that_point_at_sheet_rows():
    import loaders

    result = loaders.load_bytes(openpyxl_bytes(CLASSIC_GENESIS_ROWS), "12411-01-01-4.xlsx")
    assert result.format == "xlsx"
    erfurt = result.frame[result.frame["region_code"] == "16051"]
    assert sorted(erfurt["value"].tolist()) == [102259.0, 107859.0, 210118.0]
    assert set(erfurt["source_line"]) == {10}
    eisenach = result.frame[result.frame["region_code"] == "16056"]
    assert eisenach["value"].isna().all() and set(eisenach["flag"]) == {"-"}


def test_numeric_cells_become_int_or_float_and_date_styles_become_datetimes():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([1047.1, -0.3, 12, 1e20])
    sheet["E1"] = datetime.date(2021, 7, 1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read_xlsx_rows(buffer.getvalue()) == [(1, [1047.1, -0.3, 12, 1e20, datetime.datetime(2021, 7, 1)])]


def test_file_that_is_not_a_zip_is_refused():
    assert error_code(lambda: read_xlsx_rows(b"Region;Wert\n16;1\n")) == "not-a-zip"


def test_legacy_xls_or_password_protected_file_is_refused_by_its_ole2_signature():
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    assert error_code(lambda: read_xlsx_rows(ole2)) == "encrypted-or-old-excel"


def test_zip_without_workbook_names_the_missing_part():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    with pytest.raises(LoaderError) as caught:
        read_xlsx_rows(buffer.getvalue())
    assert caught.value.problems[0].code == "xlsx-missing-part"
    assert "xl/workbook.xml" in caught.value.problems[0].message_de


def test_highly_compressed_sheet_is_refused_from_the_zip_directory_before_parsing():
    data = zip_bomb_xlsx(uncompressed_megabytes=20)
    assert len(data) < 100_000
    started = time.monotonic()
    assert error_code(lambda: read_xlsx_rows(data)) == "zip-bomb"
    assert time.monotonic() - started < 1.0


def test_total_uncompressed_size_above_the_limit_is_refused():
    data = openpyxl_bytes([["x" * 1000] * 50])
    assert error_code(lambda: read_xlsx_rows(data, max_uncompressed_bytes=5_000)) == "zip-bomb"


def test_zip_directory_that_understates_the_size_does_not_help_a_bomb():
    data = with_lying_sizes(zip_bomb_xlsx(uncompressed_megabytes=30), "xl/worksheets/sheet1.xml", 2_000)
    started = time.monotonic()
    assert error_code(lambda: read_xlsx_rows(data, max_uncompressed_bytes=1_000_000)) in {"zip-bomb", "corrupt-xlsx"}
    assert time.monotonic() - started < 2.0


def test_billion_laughs_in_shared_strings_is_refused_without_expansion():
    data = synthetic_xlsx('<row r="1"><c r="A1" t="s"><v>0</v></c></row>',
                          shared_strings="<si><t>&lol9;</t></si>", shared_strings_prolog=BILLION_LAUGHS_DTD)
    assert error_code(lambda: read_xlsx_rows(data)) == "xml-entities"


def test_external_entity_in_the_sheet_is_refused():
    data = synthetic_xlsx('<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>',
                          sheet_prolog=XXE_DTD)
    assert error_code(lambda: read_xlsx_rows(data)) == "xml-entities"


def test_malformed_sheet_xml_is_a_corrupt_file():
    data = synthetic_xlsx('<row r="1"><c r="A1"><v>1</v></row>')
    assert error_code(lambda: read_xlsx_rows(data)) == "corrupt-xlsx"


def test_sheet_declaring_an_unknown_encoding_is_a_corrupt_file():
    data = synthetic_xlsx(sheet_declaration='<?xml version="1.0" encoding="TTF-8"?>')
    assert error_code(lambda: read_xlsx_rows(data)) == "corrupt-xlsx"


def test_cell_reference_beyond_excel_limits_is_refused_instead_of_padding_memory():
    data = synthetic_xlsx('<row r="1"><c r="ZZZZZZ1"><v>1</v></c></row>')
    assert error_code(lambda: read_xlsx_rows(data)) == "corrupt-xlsx"


def test_sheet_with_more_cells_than_allowed_is_refused():
    sheet_data = "".join(f'<row r="{row}"><c r="XFD{row}"><v>1</v></c></row>' for row in range(1, 200))
    data = synthetic_xlsx(sheet_data)
    assert error_code(lambda: read_xlsx_rows(data, max_cells=1_000_000)) == "xlsx-too-large"


def parquet_bytes(table: pa.Table) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def test_parquet_round_trip_keeps_text_numbers_missing_values_and_dates():
    table = pa.table({
        "region_code": ["16", "16051", "16056"],
        "value": [2170714.0, 210118.0, None],
        "flag": ["", "", "-"],
        "count": pa.array([1, 2, 3], pa.int64()),
        "time": pa.array([datetime.date(2015, 12, 31)] * 3, pa.date32()),
    })
    frame = read_parquet_frame(parquet_bytes(table))
    assert frame["region_code"].tolist() == ["16", "16051", "16056"]
    assert pd.isna(frame["value"].iloc[2]) and frame["value"].iloc[0] == 2170714.0
    assert frame["flag"].tolist() == ["", "", "-"]
    assert frame["time"].iloc[0] == pd.Timestamp("2015-12-31")


def test_parquet_upload_loads_through_the_common_entry_point():
    import loaders

    table = pa.table({"region_code": ["16", "16051"], "time": ["2024-12-31"] * 2, "value": [2114870.0, 216356.0]})
    result = loaders.load_bytes(parquet_bytes(table), "upload.parquet")
    assert result.format == "parquet"
    assert result.frame["region_code"].tolist() == ["16", "16051"]
    assert result.frame["value"].tolist() == [2114870.0, 216356.0]


def test_parquet_nested_column_is_refused_naming_the_column():
    table = pa.table({"region_code": ["16"], "breakdowns": [[1, 2]]})
    with pytest.raises(LoaderError) as caught:
        read_parquet_frame(parquet_bytes(table))
    problem = caught.value.problems[0]
    assert problem.code == "parquet-unsupported-column"
    assert problem.column == "breakdowns"
    assert "breakdowns" in problem.message_de and "breakdowns" in problem.message_en


def test_parquet_repeated_column_name_is_refused_naming_the_column():
    table = pa.Table.from_arrays([pa.array([1.0]), pa.array([2.0])], names=["value", "value"])
    with pytest.raises(LoaderError) as caught:
        read_parquet_frame(parquet_bytes(table))
    assert caught.value.problems[0].code == "duplicate-header"
    assert caught.value.problems[0].column == "value"


@pytest.mark.parametrize("data", [b"", b"PAR1", b"PAR1garbagePAR1", b"Region;Wert\n16;1\n"],
                         ids=["empty", "magic-only", "garbage-between-magic", "csv-text"])
def test_corrupt_parquet_is_refused(data):
    assert error_code(lambda: read_parquet_frame(data)) == "corrupt-parquet"


def test_truncated_parquet_is_refused():
    data = parquet_bytes(pa.table({"value": list(range(1000))}))
    assert error_code(lambda: read_parquet_frame(data[: len(data) // 2])) == "corrupt-parquet"


def test_parquet_with_more_rows_than_allowed_is_refused():
    data = parquet_bytes(pa.table({"value": list(range(1000))}))
    assert error_code(lambda: read_parquet_frame(data, max_rows=999)) == "too-many-rows"
