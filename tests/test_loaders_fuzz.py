"""Fuzzing every loader: whatever the bytes, `load_bytes` returns a table or raises LoaderError, nothing else.

Each property counts the distinct upload files (name + bytes) it passed to `loaders.load_bytes` and fails when
hypothesis generated fewer than it should; together they load at least FILES_PER_RUN files per `make test`
(issue 6: "≥ 1,000 generated upload files per make test with zero unhandled exceptions").
"""
import codecs
import hashlib
import io
import os
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import loaders
from loaders.errors import LoaderError
from loaders.parquet import read_parquet_frame
from loaders.result import TIDY_COLUMNS, LoadResult
from loaders.xlsx import read_xlsx_rows
from tests.test_loaders_xlsx_parquet import synthetic_xlsx

RAW_DIR = Path(__file__).resolve().parent.parent / "data" / "raw"
#: Generated examples per property. FUZZ_EXAMPLES=N sets every property to N (e.g. 5000 for a long run; below
#: 286 the last test fails on purpose, because a run then loads fewer than FILES_PER_RUN files).
EXAMPLES = {"arbitrary_bytes": 400, "csv_like_text": 300, "real_files": 400, "xlsx": 250, "xlsx_reader": 150,
            "parquet": 250}
#: The properties that pass their files to loaders.load_bytes (the xlsx reader property calls the reader only).
COUNTED = ("arbitrary_bytes", "csv_like_text", "real_files", "xlsx", "parquet")
#: Hypothesis repeats small examples now and then; each property must still pass this share of distinct files.
MIN_DISTINCT_SHARE = 0.7
#: Distinct upload files the whole file loads in one run (issue 6).
FILES_PER_RUN = 1000
#: Distinct files loaded per property in this process (a test of the total reads it; see the last test).
LOADED: dict[str, int] = {}


def examples(name: str) -> int:
    return int(os.environ.get("FUZZ_EXAMPLES") or EXAMPLES[name])


def minimum_distinct(name: str) -> int:
    return int(MIN_DISTINCT_SHARE * examples(name))


def fuzz(name: str):
    return settings(max_examples=examples(name), deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])


class Uploads:
    """The upload files one property passed to loaders.load_bytes, told apart by sha256 of name and bytes."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.digests: set[str] = set()

    def load(self, data: bytes, filename: str) -> None:
        self.digests.add(hashlib.sha256(filename.encode() + b"\0" + data).hexdigest())
        never_raises_anything_but_loader_error(data, filename)

    def assert_enough(self) -> None:
        LOADED[self.name] = len(self.digests)
        assert len(self.digests) >= minimum_distinct(self.name), (
            f"{self.name}: hypothesis generated only {len(self.digests)} distinct upload files, "
            f"expected at least {minimum_distinct(self.name)} of {examples(self.name)} examples")


FILENAMES = st.sampled_from(["upload.csv", "upload.CSV", "upload.txt", "upload.tsv", "upload.xlsx",
                             "upload.parquet", "12411-01-01-4.csv", "upload", "upload.json"])
HEADER_WORDS = ["region_code", "time", "value", "flag", "unit", "region_name", "statistics_code", "value_unit",
                "1_variable_code", "1_variable_attribute_code", "Insgesamt", "männlich", "weiblich", ""]
MARKERS = ["-", "–", ".", "x", "...", "/", "…", "e", "()"]
#: Starts that send arbitrary bytes down each format's path (zip, parquet, BOMs, OLE2, GENESIS text).
SIGNATURES = [b"", b"PK\x03\x04", b"PAR1", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE,
              b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "GENESIS-Tabelle: 12411-01-01-4\n".encode()]
LINE_TEXT = ["GENESIS-Tabelle: 12411-01-01-4", "__________", "Stand: 10.10.2017 / 11:57:53",
             "Bevölkerungsstand (Anzahl)", '"© Statistische Ämter des Bundes und der Länder"']


def never_raises_anything_but_loader_error(data: bytes, filename: str) -> None:
    try:
        result = loaders.load_bytes(data, filename)
    except LoaderError as error:
        assert error.problems, "a LoaderError must carry at least one problem"
        for problem in error.problems:
            assert problem.code and problem.message_de and problem.message_en
            assert problem.code != "internal-error", "an unexpected exception was hidden as internal-error"
        return
    assert isinstance(result, LoadResult)
    assert list(result.frame.columns[: len(TIDY_COLUMNS)]) == TIDY_COLUMNS
    assert result.frame.columns[-1] == "source_line"
    assert result.frame["value"].dtype == "float64"


def german_or_english_number() -> st.SearchStrategy[str]:
    number = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)
    return st.one_of(
        st.integers(-10**7, 10**7).map(str),
        number.map(lambda value: f"{value:.2f}"),
        number.map(lambda value: f"{value:.1f}".replace(".", ",")),
        number.map(lambda value: f"{value:,.2f}"),
        number.map(lambda value: f"{value:,.2f}".replace(",", "\0").replace(".", ",").replace("\0", ".")),
        number.map(lambda value: f"{value:.3e}"),
        st.integers(0, 999_999).map(lambda value: f"{value:,}".replace(",", "\u202f")),
    )


def cell() -> st.SearchStrategy[str]:
    return st.one_of(
        german_or_english_number(),
        st.sampled_from(MARKERS + HEADER_WORDS + ["16", "16051", "16056", "DG", "31.12.2015", "2024-12-31"]),
        st.text(alphabet="abcäöüß ;,\t\"'=<>-.", max_size=12),
        st.text(max_size=8),
    )


@st.composite
def csv_like_bytes(draw) -> bytes:
    delimiter = draw(st.sampled_from([";", ",", "\t", "|", " "]))
    quote = draw(st.sampled_from(['"', "'", ""]))
    width = draw(st.integers(1, 8))
    row_count = draw(st.integers(0, 12))
    lines = [draw(st.sampled_from(LINE_TEXT)) for _ in range(draw(st.integers(0, 2)))]
    header = [draw(st.sampled_from(HEADER_WORDS)) for _ in range(width)]
    lines.append(delimiter.join(header))
    for _ in range(row_count):
        cells = [draw(cell()) for _ in range(draw(st.integers(max(width - 1, 1), width + 1)))]
        if quote and draw(st.booleans()):
            cells = [quote + value.replace(quote, quote * 2) + quote for value in cells]
        lines.append(delimiter.join(cells))
    if draw(st.booleans()):
        lines.append("__________")
    text = draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines) + draw(st.sampled_from(["", "\n"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "latin-1"]))
    data = text.encode(encoding, errors="replace")
    if draw(st.booleans()) and encoding == "utf-8":
        data = draw(st.sampled_from([codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE])) + data
    return data


@st.composite
def plausible_table_bytes(draw) -> bytes:
    """A mostly well-formed tidy-ish table (synthetic) in one delimiter/decimal convention, then encoded."""
    delimiter, decimal = draw(st.sampled_from([(";", ","), (",", "."), ("\t", ","), ("\t", ".")]))
    optional = draw(st.lists(st.sampled_from(["region_name", "time", "unit", "flag"]), unique=True))
    header = ["region_code", *optional, "value"]
    number = st.floats(min_value=-1e7, max_value=1e7, allow_nan=False, allow_infinity=False)
    value = st.one_of(
        st.integers(-10**6, 10**6).map(str),
        number.map(lambda amount: f"{amount:.2f}".replace(".", decimal)),
        st.sampled_from(MARKERS + ["", "1.234", "1,234", "1.234,5", "1,234.5", "abc"]),
    )
    cells = {"region_code": st.sampled_from(["16", "16051", "16056", "DG", "16099", "1", ""]),
             "region_name": st.text(alphabet="Erfut, ÄÖÜäöüß\"'=<>;", max_size=15),
             "time": st.sampled_from(["2024", "2024-12-31", "31.12.2015", "2099-12-31", "x", ""]),
             "unit": st.sampled_from(["Anzahl", "Personen", "%", ""]),
             "flag": st.sampled_from(MARKERS + ["", "e", "()"]), "value": value}
    lines = [delimiter.join(header)]
    for _ in range(draw(st.integers(1, 15))):
        row = []
        for column in header:
            text = draw(cells[column])
            if delimiter in text or '"' in text or "\n" in text:
                text = '"' + text.replace('"', '""') + '"'
            row.append(text)
        lines.append(delimiter.join(row))
    text = draw(st.sampled_from(["\n", "\r\n"])).join(lines) + "\n"
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    return text.encode(encoding, errors="replace")


def inline_cell(column: int, row: int, value: str) -> str:
    reference = "ABCDEFGH"[column] + str(row)
    escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = "".join(character for character in escaped if character in "\t\n\r" or ord(character) >= 32)
    if value and all(character in "0123456789.-" for character in value) and value.count(".") <= 1 \
            and value.strip("-.") and value.lstrip("-").replace(".", "").isdigit():
        return f'<c r="{reference}"><v>{value}</v></c>'
    return f'<c r="{reference}" t="inlineStr"><is><t>{escaped}</t></is></c>'


@st.composite
def xlsx_bytes(draw) -> bytes:
    width = draw(st.integers(1, 6))
    rows = []
    for row in range(1, draw(st.integers(1, 10)) + 1):
        cells = "".join(inline_cell(column, row, draw(cell())) for column in range(width))
        rows.append(f'<row r="{row}">{cells}</row>')
    return synthetic_xlsx("".join(rows))


@st.composite
def mutated(draw, valid: st.SearchStrategy[bytes]) -> bytes:
    data = bytearray(draw(valid))
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["flip", "truncate", "insert", "delete"]))
        position = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "flip" and data:
            data[position] ^= draw(st.integers(1, 255))
        elif kind == "truncate":
            del data[position:]
        elif kind == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=16))
        elif data:
            del data[position:position + draw(st.integers(1, 64))]
    return bytes(data)


@st.composite
def mutated_xlsx_member(draw) -> bytes:
    """A synthetic XLSX where one XML part is damaged but the zip itself is intact."""
    source = zipfile.ZipFile(io.BytesIO(draw(xlsx_bytes())))
    victim = draw(st.sampled_from(source.namelist()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            content = source.read(name)
            if name == victim:
                content = draw(mutated(st.just(content)))
            target.writestr(name, content)
    return buffer.getvalue()


@st.composite
def parquet_bytes(draw) -> bytes:
    row_count = draw(st.integers(0, 20))
    columns = {
        "region_code": st.lists(st.sampled_from(["16", "16051", "DG", ""]), min_size=row_count, max_size=row_count),
        "value": st.lists(st.one_of(st.none(), st.floats(allow_nan=True)), min_size=row_count, max_size=row_count),
        "flag": st.lists(st.sampled_from(MARKERS + [""]), min_size=row_count, max_size=row_count),
        "count": st.lists(st.integers(-2**63, 2**63 - 1), min_size=row_count, max_size=row_count),
    }
    chosen = draw(st.lists(st.sampled_from(sorted(columns)), min_size=1, unique=True))
    table = pa.table({name: draw(columns[name]) for name in chosen})
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression=draw(st.sampled_from(["snappy", "zstd", "none"])))
    return buffer.getvalue()


#: The real files in data/raw/ (GENESIS flat and classic exports, generic CSV), split into lines once.
REAL_FILES = {path.relative_to(RAW_DIR).as_posix(): path.read_bytes().splitlines(keepends=True)
              for path in sorted(RAW_DIR.rglob("*.csv"))}


@st.composite
def real_file_variants(draw) -> tuple[bytes, str]:
    """The start (and maybe the footer) of a real file, with cells replaced by generated ones in the file's
    delimiter and a mixed-up encoding, then possibly damaged byte by byte."""
    name = draw(st.sampled_from(sorted(REAL_FILES)))
    lines = REAL_FILES[name]
    head = draw(st.integers(1, 40))
    tail = draw(st.integers(0, 6))
    chosen = lines[:head] + (lines[-tail:] if tail and len(lines) > head + tail else [])
    delimiter = b";" if lines[0].count(b";") >= lines[0].count(b",") else b","
    for _ in range(draw(st.integers(0, 4))):
        index = draw(st.integers(0, len(chosen) - 1))
        cells = chosen[index].rstrip(b"\r\n").split(delimiter)
        position = draw(st.integers(0, len(cells) - 1))
        encoding = draw(st.sampled_from(["utf-8", "cp1252"]))
        cells[position] = draw(cell()).encode(encoding, errors="replace")
        chosen[index] = delimiter.join(cells) + chosen[index][len(chosen[index].rstrip(b"\r\n")):]
    data = b"".join(chosen)
    if draw(st.booleans()):
        data = draw(mutated(st.just(data)))
    filename = draw(st.sampled_from([name.rsplit("/", 1)[-1], "upload.csv", "upload.txt"]))
    return data, filename


def test_arbitrary_bytes_never_crash_the_loader():
    uploads = Uploads("arbitrary_bytes")

    @fuzz("arbitrary_bytes")
    @given(data=st.tuples(st.sampled_from(SIGNATURES), st.binary(max_size=4096)).map(b"".join), filename=FILENAMES)
    def upload(data, filename):
        uploads.load(data, filename)

    upload()
    uploads.assert_enough()


def test_csv_like_text_never_crashes_the_loader():
    uploads = Uploads("csv_like_text")

    @fuzz("csv_like_text")
    @given(data=st.one_of(csv_like_bytes(), plausible_table_bytes(), mutated(plausible_table_bytes())),
           filename=st.sampled_from(["upload.csv", "upload.txt", "12411-01-01-4.csv"]))
    def upload(data, filename):
        uploads.load(data, filename)

    upload()
    uploads.assert_enough()


def test_cut_edited_and_mutated_real_files_never_crash_the_loader():
    uploads = Uploads("real_files")

    @fuzz("real_files")
    @given(variant=real_file_variants())
    def upload(variant):
        uploads.load(*variant)

    upload()
    uploads.assert_enough()


def test_valid_and_mutated_xlsx_never_crash_the_loader():
    uploads = Uploads("xlsx")

    @fuzz("xlsx")
    @given(data=st.one_of(xlsx_bytes(), mutated(xlsx_bytes()), mutated_xlsx_member()))
    def upload(data):
        uploads.load(data, "upload.xlsx")

    upload()
    uploads.assert_enough()


@fuzz("xlsx_reader")
@given(data=st.one_of(xlsx_bytes(), mutated(xlsx_bytes()), mutated_xlsx_member()))
def test_xlsx_reader_returns_numbered_rows_or_raises_loader_error(data):
    try:
        rows = read_xlsx_rows(data)
    except LoaderError as error:
        assert error.problems[0].message_de and error.problems[0].message_en
        return
    assert all(1 <= number <= 1_048_576 for number, _ in rows)
    assert all(any(value is not None for value in values) for _, values in rows)
    assert len({len(values) for _, values in rows}) <= 1


def test_valid_and_mutated_parquet_never_crash_the_reader():
    uploads = Uploads("parquet")

    @fuzz("parquet")
    @given(data=st.one_of(parquet_bytes(), mutated(parquet_bytes())))
    def upload(data):
        try:
            read_parquet_frame(data)
        except LoaderError as error:
            assert error.problems[0].message_de and error.problems[0].message_en
        uploads.load(data, "upload.parquet")

    upload()
    uploads.assert_enough()


def test_one_run_loads_at_least_1000_distinct_upload_files():
    """Runs last. The minima alone add up to FILES_PER_RUN, so the per-property checks above prove the total
    even when pytest-xdist spreads the properties over several processes; when they all ran here, the
    counted total is checked as well."""
    planned = sum(minimum_distinct(name) for name in COUNTED)
    assert planned >= FILES_PER_RUN, (
        f"FUZZ_EXAMPLES={os.environ.get('FUZZ_EXAMPLES')} plans only {planned} distinct upload files; "
        f"make test must load at least {FILES_PER_RUN} (issue 6)")
    if set(LOADED) == set(COUNTED):
        assert sum(LOADED.values()) >= FILES_PER_RUN, LOADED
