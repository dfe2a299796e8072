"""What a file is: binary signatures, text format, delimiter, GENESIS table code; text split into rows."""
from __future__ import annotations

import csv
import io
import re
from collections import Counter

from loaders.errors import LoaderError, Problem

#: (signature at offset 0, German name, English name) of binary formats that are not tables we read.
BINARY_SIGNATURES = [
    (b"\x89PNG\r\n\x1a\n", "PNG-Bild", "PNG image"),
    (b"\xff\xd8\xff", "JPEG-Bild", "JPEG image"),
    (b"GIF87a", "GIF-Bild", "GIF image"),
    (b"GIF89a", "GIF-Bild", "GIF image"),
    (b"%PDF", "PDF-Dokument", "PDF document"),
    (b"\x1f\x8b", "gzip-Archiv", "gzip archive"),
    (b"\x7fELF", "Programmdatei (ELF)", "executable (ELF)"),
    (b"MZ", "Windows-Programmdatei", "Windows executable"),
    (b"Rar!", "RAR-Archiv", "RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip-Archiv", "7-Zip archive"),
    (b"BZh", "bzip2-Archiv", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz-Archiv", "xz archive"),
    (b"SQLite format 3\x00", "SQLite-Datenbank", "SQLite database"),
    (b"II*\x00", "TIFF-Bild", "TIFF image"),
    (b"MM\x00*", "TIFF-Bild", "TIFF image"),
    (b"PK\x05\x06", "leeres ZIP-Archiv", "empty ZIP archive"),
]
ZIP_MAGIC = b"PK\x03\x04"
PARQUET_MAGIC = b"PAR1"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

#: GENESIS table codes at the start of a file name: 12531-0043, 12411-01-01-4, 1000A-2022.
TABLE_CODE = re.compile(r"^(\d{5}-\d{4}|\d{5}-\d{2}-\d{2}-\d|\d{4}[A-Z]-\d{4})")

LINE_LIMIT = 1_000_000
DELIMITERS = (";", ",", "\t")


def content_kind(data: bytes, filename: str = "") -> str:
    """"xlsx" (zip or OLE2), "parquet" or "text"; raises LoaderError for other binaries and NUL bytes."""
    if data.startswith(ZIP_MAGIC) or data.startswith(OLE2_MAGIC):
        return "xlsx"
    if data.startswith(PARQUET_MAGIC):
        return "parquet"
    binary = _binary_name(data)
    if binary is not None:
        german, english = binary
        raise LoaderError.single(
            "binary-file", f"Die Datei „{filename}“ ist keine Tabelle (keine Textdatei), sondern: {german}.",
            f"The file '{filename}' is not a table (not a text file) but a {english}.", value=filename or None)
    sample = data[:65536]
    nul = sample.find(b"\x00")
    if nul >= 0 and not (data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff")):
        _refuse_nul(data, nul)
    return "text"


def _binary_name(data: bytes) -> tuple[str, str] | None:
    head = data[:64]
    for signature, german, english in BINARY_SIGNATURES:
        if head.startswith(signature) and not (signature == b"MZ" and b"\x00" not in data[:1024]):
            return german, english
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "WebP-Bild", "WebP image"
    return None


def _refuse_nul(data: bytes, position: int) -> None:
    sample = data[:4096]
    odd, even = sample[1::2], sample[0::2]
    if odd.count(0) > 0.4 * max(len(odd), 1) or even.count(0) > 0.4 * max(len(even), 1):
        raise LoaderError.single(
            "binary-file",
            "Die Datei ist offenbar UTF-16 ohne BOM kodiert; diese Kodierung ist nicht erkennbar. "
            "Bitte als UTF-8 speichern.",
            "The file seems to be UTF-16 encoded without BOM; that encoding cannot be recognised. "
            "Please save it as UTF-8.")
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 13) or byte == 127)
    if controls > 0.05 * len(sample):
        raise LoaderError.single(
            "binary-file", "Die Datei ist eine Binärdatei, keine Tabelle (keine Textdatei).",
            "The file is a binary file, not a table (not a text file).")
    line = data[:position].count(b"\n") + 1
    raise LoaderError.single(
        "nul-byte", "Die Zeile enthält ein NUL-Zeichen (Null-Byte); die Datei ist beschädigt oder keine Textdatei.",
        "The line contains a NUL character (null byte); the file is damaged or not a text file.", line=line)


def table_code_from_name(filename: str) -> str | None:
    """The GENESIS table code a file name starts with (after any folder), or None."""
    base = re.split(r"[\\/]", filename)[-1]
    match = TABLE_CODE.match(base)
    return match.group(1) if match else None


def first_line(text: str) -> str:
    """The first line without copying the rest of a large text."""
    end = text.find("\n", 0, LINE_LIMIT + 1)
    return text[: end if end >= 0 else LINE_LIMIT].rstrip("\r")


def text_format(text: str) -> str:
    """"genesis-classic", "genesis-flat" or "csv" from the first line."""
    first = first_line(text).lstrip("\ufeff").strip()
    if first.startswith("GENESIS-Tabelle:") or first.startswith('"GENESIS-Tabelle:'):
        return "genesis-classic"
    lowered = first.lower()
    if lowered.startswith("statistics_code") and "value" in lowered and "time" in lowered:
        return "genesis-flat"
    return "csv"


def long_line(data: bytes, limit: int = LINE_LIMIT) -> Problem | None:
    """A Problem for the first line longer than `limit` bytes, or None (one search per `limit` bytes)."""
    position = 0
    while len(data) - position > limit:
        newline = data.rfind(b"\n", position, position + limit + 1)
        if newline < 0:
            return Problem(
                "line-too-long",
                f"Die Zeile ist länger als {limit:,} Bytes; das ist keine Tabellenzeile.".replace(",", "."),
                f"The line is longer than {limit:,} bytes; this is not a table row.",
                line=data.count(b"\n", 0, position) + 1)
        position = newline + 1
    return None


def delimiter_of(text: str, candidates: tuple[str, ...] = DELIMITERS) -> str:
    """The delimiter that gives the most consistent field count (>1) over the first lines."""
    sample_lines = [line for line in text[:200_000].splitlines()[:200] if line.strip()]
    if len(text) > 200_000 and len(sample_lines) > 1:
        sample_lines = sample_lines[:-1]
    sample = "\n".join(sample_lines)
    best, best_score = ";", (-1.0, 0)
    for delimiter in candidates:
        try:
            counts = [len(row) for row in csv.reader(io.StringIO(sample), delimiter=delimiter) if row]
        except csv.Error:
            continue
        if not counts:
            continue
        mode, frequency = Counter(counts).most_common(1)[0]
        if mode < 2:
            continue
        score = (frequency / len(counts), mode)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def rows_of(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """(1-based first physical line, cells) for every row; blank lines are skipped."""
    csv.field_size_limit(max(csv.field_size_limit(), 2 * LINE_LIMIT))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    previous_end = 0
    try:
        for cells in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if not cells or all(cell.strip() == "" for cell in cells) and len(cells) <= 1:
                continue
            rows.append((start, cells))
    except csv.Error as error:
        raise LoaderError.single(
            "csv-syntax", f"Die Zeile ist kein gültiges CSV ({error}). Oft fehlt ein schließendes Anführungszeichen.",
            f"The line is not valid CSV ({error}). Often a closing quote is missing.",
            line=previous_end + 1) from None
    return rows
