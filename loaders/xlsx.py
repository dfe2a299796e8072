"""Safe XLSX reading: zip checks before parsing, defused XML, the first worksheet as numbered rows."""
from __future__ import annotations

import contextlib
import datetime
import io
import lzma
import math
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from typing import IO

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError, iterparse
from openpyxl.formula.translate import Translator
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from loaders.errors import LoaderError

#: First bytes of an OLE2 compound file: legacy .xls and password-protected (encrypted) OOXML files.
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Excel's own limits; a cell reference beyond them is not a real sheet.
MAX_SHEET_ROWS = 1_048_576
MAX_SHEET_COLUMNS = 16_384
#: Members smaller than this are never judged by their compression ratio (tiny files compress oddly).
RATIO_MIN_MEMBER_BYTES = 1_000_000

#: Workbook, relationship and style parts are read as trees; real ones are far smaller than this.
MAX_SMALL_PART_BYTES = 20_000_000

NUMBER_PATTERN = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$", re.ASCII)
CELL_REFERENCE_PATTERN = re.compile(r"^\$?([A-Za-z]{1,3})\$?\d{1,7}$", re.ASCII)
INTEGER_PATTERN = re.compile(r"^[-+]?\d{1,18}$", re.ASCII)

RELATIONSHIP_OFFICE_DOCUMENT = "/officeDocument"
RELATIONSHIP_WORKSHEET = "/worksheet"
RELATIONSHIP_SHARED_STRINGS = "/sharedStrings"
RELATIONSHIP_STYLES = "/styles"

Cell = str | int | float | datetime.datetime | None


def read_xlsx_rows(data: bytes, *, max_uncompressed_bytes: int = 200_000_000, max_ratio: int = 100,
                   max_cells: int = 20_000_000) -> list[tuple[int, list[Cell]]]:
    """Rows of the first worksheet as (1-based sheet row number, cell values).

    Every row is padded with None to the width of the widest row; rows without any value are left
    out. Values are str, int, float, datetime or None. A formula cell gives its formula text
    ("=SUM(A1:A3)"), never a computed value. Raises LoaderError for anything that is not a safe,
    readable workbook.
    """
    if data[:8] == OLE2_MAGIC:
        raise _encrypted_or_old_excel()
    archive = _open_zip(data)
    with archive:
        _check_zip_directory(archive, max_uncompressed_bytes, max_ratio)
        budget = _ReadBudget(max_uncompressed_bytes)
        parts = _WorkbookParts(archive, budget)
        shared_strings = parts.shared_strings()
        epoch = CALENDAR_MAC_1904 if parts.date1904 else CALENDAR_WINDOWS_1900
        sheet = _SheetTarget(shared_strings, parts.date_styles(), epoch, max_cells)
        parts.feed(parts.sheet, sheet)
    return sheet.padded_rows()


def _encrypted_or_old_excel() -> LoaderError:
    return LoaderError.single(
        "encrypted-or-old-excel",
        "Die Datei ist eine alte Excel-Datei (.xls) oder mit Passwort geschützt; bitte ohne Passwort "
        "als .xlsx speichern.",
        "The file is a legacy Excel file (.xls) or password-protected; please save it as .xlsx "
        "without a password.")


def _not_a_zip() -> LoaderError:
    return LoaderError.single(
        "not-a-zip",
        "Datei ist keine gültige XLSX-Datei (kein ZIP-Archiv).",
        "File is not a valid XLSX file (not a ZIP archive).")


def _zip_bomb(detail_de: str, detail_en: str) -> LoaderError:
    return LoaderError.single(
        "zip-bomb",
        f"XLSX-Datei abgelehnt: {detail_de} (mögliche ZIP-Bombe).",
        f"XLSX file refused: {detail_en} (possible zip bomb).")


def _corrupt(detail: str) -> LoaderError:
    return LoaderError.single(
        "corrupt-xlsx",
        f"XLSX-Datei ist beschädigt und kann nicht gelesen werden ({detail}).",
        f"XLSX file is damaged and cannot be read ({detail}).")


def _missing_part(part: str) -> LoaderError:
    return LoaderError.single(
        "xlsx-missing-part",
        f"Datei ist keine gültige XLSX-Datei: der Teil {part} fehlt.",
        f"File is not a valid XLSX file: the part {part} is missing.", value=part)


def _xml_entities(part: str) -> LoaderError:
    return LoaderError.single(
        "xml-entities",
        f"XLSX-Datei abgelehnt: {part} enthält eine DTD oder XML-Entitäten (nicht erlaubt).",
        f"XLSX file refused: {part} contains a DTD or XML entities (not allowed).", value=part)


def _open_zip(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except Exception:
        raise _not_a_zip() from None


def _check_zip_directory(archive: zipfile.ZipFile, max_uncompressed_bytes: int, max_ratio: int) -> None:
    """Judge sizes from the zip directory before anything is decompressed."""
    total = 0
    for info in archive.infolist():
        if info.flag_bits & 0x1:
            raise _encrypted_or_old_excel()
        total += info.file_size
        if total > max_uncompressed_bytes:
            raise _zip_bomb(f"entpackt größer als {max_uncompressed_bytes:,} Bytes".replace(",", "."),
                            f"uncompressed larger than {max_uncompressed_bytes:,} bytes")
        if info.file_size >= RATIO_MIN_MEMBER_BYTES and info.file_size > max_ratio * max(info.compress_size, 1):
            raise _zip_bomb(f"{info.filename} ist mehr als {max_ratio}-fach komprimiert",
                            f"{info.filename} is compressed more than {max_ratio} times")
        if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
            raise _corrupt(f"{info.filename}: ZIP directory does not match content")


class _ReadBudget:
    """Counts decompressed bytes across all members; a lying zip directory cannot exceed the limit."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0

    def spend(self, count: int) -> None:
        self.used += count
        if self.used > self.limit:
            raise _zip_bomb(f"entpackt größer als {self.limit:,} Bytes".replace(",", "."),
                            f"uncompressed larger than {self.limit:,} bytes")


class _BudgetedStream:
    """A read-only view of one zip member that charges every decompressed byte to the budget."""

    def __init__(self, member: IO[bytes], declared_size: int, budget: _ReadBudget) -> None:
        self.member = member
        self.remaining = declared_size
        self.budget = budget

    def read(self, size: int = -1) -> bytes:
        chunk = self.member.read(65_536 if size is None or size < 0 else min(size, 65_536))
        self.remaining -= len(chunk)
        if self.remaining < 0:
            raise _zip_bomb("Inhalt größer als im ZIP-Verzeichnis angegeben",
                            "content larger than the zip directory says")
        self.budget.spend(len(chunk))
        return chunk


def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _relationship_id(element) -> str | None:
    for key, value in element.attrib.items():
        if _local_name(key) == "id":
            return value
    return None


class _WorkbookParts:
    """Finds the workbook, its first worksheet, shared strings and styles inside the archive."""

    def __init__(self, archive: zipfile.ZipFile, budget: _ReadBudget) -> None:
        self.archive = archive
        self.budget = budget
        self.names = {name: name for name in archive.namelist()}
        self.names_folded = {name.lower(): name for name in archive.namelist()}
        self.workbook = self._office_document()
        self.workbook_relations = self._relations(self.workbook)
        self.date1904 = False
        self.sheet = self._first_worksheet()

    @contextlib.contextmanager
    def opened(self, part: str) -> Iterator[_BudgetedStream]:
        """One part as a budgeted stream; every failure while reading it becomes a LoaderError."""
        name = self._member(part)
        if name is None:
            raise _missing_part(part)
        info = self.archive.getinfo(name)
        try:
            with self.archive.open(info) as member:
                yield _BudgetedStream(member, info.file_size, self.budget)
        except DefusedXmlException:
            raise _xml_entities(part) from None
        except ParseError as error:
            raise _corrupt(f"{part}: XML {error}") from None
        except (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, ValueError, LookupError,
                NotImplementedError, RuntimeError) as error:
            raise _corrupt(f"{part}: {error}") from None

    def events(self, part: str, events: tuple[str, ...] = ("end",)) -> Iterator[tuple[str, object]]:
        """Defused XML events of one small part; DTDs, entities and external references are refused."""
        name = self._member(part)
        if name is not None and self.archive.getinfo(name).file_size > MAX_SMALL_PART_BYTES:
            raise LoaderError.single(
                "xlsx-too-large",
                f"XLSX-Datei abgelehnt: der Teil {part} ist ungewöhnlich groß.",
                f"XLSX file refused: the part {part} is unusually large.", value=part)
        with self.opened(part) as stream:
            yield from iterparse(stream, events=events, forbid_dtd=True)

    def feed(self, part: str, target: object) -> None:
        """Stream one large part into a parser target (start/end/data callbacks), defused."""
        parser = DefusedXMLParser(target=target, forbid_dtd=True)
        with self.opened(part) as stream:
            while chunk := stream.read(65_536):
                parser.feed(chunk)
            parser.close()

    def _member(self, part: str) -> str | None:
        return self.names.get(part) or self.names_folded.get(part.lower())

    def _relations(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id -> (type, target part path) of one part; empty if it has no .rels file."""
        folder, base = posixpath.split(part)
        rels_part = posixpath.join(folder, "_rels", base + ".rels")
        if self._member(rels_part) is None:
            return {}
        relations = {}
        for _, element in self.events(rels_part):
            if _local_name(element.tag) != "Relationship":
                continue
            target = element.get("Target", "")
            if element.get("TargetMode") == "External":
                continue
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            relations[element.get("Id", "")] = (element.get("Type", ""), posixpath.normpath(path))
        return relations

    def _office_document(self) -> str:
        for kind, target in self._relations("").values():
            if kind.endswith(RELATIONSHIP_OFFICE_DOCUMENT) and self._member(target):
                return target
        if self._member("xl/workbook.xml"):
            return "xl/workbook.xml"
        raise _missing_part("xl/workbook.xml")

    def _first_worksheet(self) -> str:
        sheet_ids = []
        for _, element in self.events(self.workbook):
            name = _local_name(element.tag)
            if name == "sheet":
                sheet_ids.append(_relationship_id(element))
            elif name == "workbookPr":
                self.date1904 = element.get("date1904", "").lower() in ("1", "true")
        for sheet_id in sheet_ids:
            kind, target = self.workbook_relations.get(sheet_id, ("", ""))
            if kind.endswith(RELATIONSHIP_WORKSHEET) and self._member(target):
                return target
        raise _missing_part("xl/worksheets/sheet1.xml")

    def _related(self, suffix: str) -> str | None:
        for kind, target in self.workbook_relations.values():
            if kind.endswith(suffix) and self._member(target):
                return target
        return None

    def shared_strings(self) -> list[str]:
        part = self._related(RELATIONSHIP_SHARED_STRINGS)
        if part is None:
            return []
        target = _SharedStringsTarget()
        self.feed(part, target)
        return target.strings

    def date_styles(self) -> set[int]:
        """Indexes of cell formats (the `s` attribute of a cell) that show a date."""
        part = self._related(RELATIONSHIP_STYLES)
        if part is None:
            return set()
        custom_formats: dict[int, str] = {}
        cell_format_ids: list[int] = []
        inside_cell_formats = False
        for event, element in self.events(part, ("start", "end")):
            name = _local_name(element.tag)
            if name == "cellXfs":
                inside_cell_formats = event == "start"
            elif event == "end" and name == "numFmt":
                custom_formats[_integer(element.get("numFmtId"), -1)] = element.get("formatCode", "")
            elif event == "end" and name == "xf" and inside_cell_formats:
                cell_format_ids.append(_integer(element.get("numFmtId"), 0))
        dates = set()
        for index, format_id in enumerate(cell_format_ids):
            code = custom_formats.get(format_id, BUILTIN_FORMATS.get(format_id))
            if is_date_format(code):
                dates.add(index)
        return dates


def _integer(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


class _LocalNames(dict):
    """Tag -> local name without namespace, computed once per distinct tag."""

    def __missing__(self, tag: str) -> str:
        name = self[tag] = _local_name(tag)
        return name


class _SharedStringsTarget:
    """Collects the text of every <si>: all <t> runs, without phonetic hints (<rPh>)."""

    def __init__(self) -> None:
        self.strings: list[str] = []
        self.names = _LocalNames()
        self.pieces: list[str] = []
        self.collecting = False
        self.phonetic = False

    def start(self, tag: str, attrib: dict) -> None:
        name = self.names[tag]
        if name == "si":
            self.pieces = []
        elif name == "rPh":
            self.phonetic = True
        elif name == "t" and not self.phonetic:
            self.collecting = True

    def data(self, text: str) -> None:
        if self.collecting:
            self.pieces.append(text)

    def end(self, tag: str) -> None:
        name = self.names[tag]
        if name == "t":
            self.collecting = False
        elif name == "rPh":
            self.phonetic = False
        elif name == "si":
            self.strings.append("".join(self.pieces))

    def close(self) -> None:
        return None


def _too_many_cells(max_cells: int) -> LoaderError:
    return LoaderError.single(
        "xlsx-too-large",
        f"XLSX-Tabelle hat mehr als {max_cells:,} Zellen.".replace(",", "."),
        f"XLSX sheet has more than {max_cells:,} cells.")


class _SheetTarget:
    """Streams <row>/<c> elements of a worksheet into rows of Python values."""

    def __init__(self, shared_strings: list[str], date_styles: set[int], epoch: datetime.datetime,
                 max_cells: int) -> None:
        self.shared_strings = shared_strings
        self.date_styles = date_styles
        self.epoch = epoch
        self.max_cells = max_cells
        self.names = _LocalNames()
        self.rows: list[tuple[int, list[Cell]]] = []
        self.cells_held = 0
        self.row_number = 0
        self.values: list[Cell] = []
        self.shared_formulas: dict[str, tuple[str, str]] = {}
        self.text: list[str] | None = None
        self.phonetic = False
        self._reset_cell({})

    def _reset_cell(self, attrib: dict) -> None:
        self.reference = attrib.get("r")
        self.kind = attrib.get("t", "n")
        self.style = attrib.get("s")
        self.raw: str | None = None
        self.formula: str | None = None
        self.formula_attrib: dict = {}
        self.inline: list[str] | None = None

    def start(self, tag: str, attrib: dict) -> None:
        name = self.names[tag]
        if name == "c":
            self._reset_cell(attrib)
        elif name in ("v", "f"):
            self.text = []
            if name == "f":
                self.formula_attrib = attrib
        elif name == "is":
            self.inline = []
        elif name == "rPh":
            self.phonetic = True
        elif name == "t" and self.inline is not None and not self.phonetic:
            self.text = []
        elif name == "row":
            self.row_number = _integer(attrib.get("r"), self.row_number + 1)
            if not 1 <= self.row_number <= MAX_SHEET_ROWS:
                raise _corrupt(f"row number {self.row_number} out of range")
            self.values = []

    def data(self, text: str) -> None:
        if self.text is not None:
            self.text.append(text)

    def end(self, tag: str) -> None:
        name = self.names[tag]
        if name == "v":
            self.raw = "".join(self.text or ())
            self.text = None
        elif name == "f":
            self.formula = self._formula("".join(self.text or ()))
            self.text = None
        elif name == "t" and self.text is not None:
            if self.inline is not None:
                self.inline.append("".join(self.text))
            self.text = None
        elif name == "rPh":
            self.phonetic = False
        elif name == "c":
            self._store(self._column(), self._value())
        elif name == "row":
            self._finish_row()

    def close(self) -> None:
        return None

    def _column(self) -> int:
        if not self.reference:
            return len(self.values) + 1
        match = CELL_REFERENCE_PATTERN.match(self.reference)
        if match is None:
            raise _corrupt(f"invalid cell reference {self.reference[:20]!r}")
        column = 0
        for letter in match.group(1).upper():
            column = column * 26 + ord(letter) - ord("A") + 1
        if column > MAX_SHEET_COLUMNS:
            raise _corrupt(f"cell reference {self.reference[:20]!r} out of range")
        return column

    def _store(self, column: int, value: Cell) -> None:
        if value is None or value == "":
            return
        if column > len(self.values):
            self.values.extend([None] * (column - len(self.values)))
        self.values[column - 1] = value

    def _finish_row(self) -> None:
        if not self.values:
            return
        self.cells_held += len(self.values)
        if self.cells_held > self.max_cells:
            raise _too_many_cells(self.max_cells)
        self.rows.append((self.row_number, self.values))
        self.values = []

    def padded_rows(self) -> list[tuple[int, list[Cell]]]:
        width = max((len(values) for _, values in self.rows), default=0)
        if len(self.rows) * width > self.max_cells:
            raise _too_many_cells(self.max_cells)
        for _, values in self.rows:
            values.extend([None] * (width - len(values)))
        return self.rows

    def _formula(self, text: str) -> str | None:
        if self.formula_attrib.get("t") == "shared":
            group = self.formula_attrib.get("si", "")
            if text:
                self.shared_formulas[group] = (text, self.reference or "A1")
            elif group in self.shared_formulas and self.reference:
                master_text, origin = self.shared_formulas[group]
                try:
                    return Translator("=" + master_text, origin=origin).translate_formula(self.reference)
                except Exception:
                    return "=" + master_text
        return "=" + text if text else None

    def _value(self) -> Cell:
        if self.formula is not None:
            return self.formula
        kind, raw = self.kind, self.raw
        if kind == "inlineStr":
            return "".join(self.inline) if self.inline is not None else None
        if raw is None:
            return None
        if kind == "s":
            index = _integer(raw, -1)
            if not 0 <= index < len(self.shared_strings):
                raise _corrupt(f"shared string {raw[:20]!r} does not exist")
            return self.shared_strings[index]
        if kind in ("str", "e"):
            return raw
        if kind == "b":
            return "TRUE" if raw.strip() in ("1", "true") else "FALSE"
        if kind == "d":
            try:
                return datetime.datetime.fromisoformat(raw.strip())
            except ValueError:
                return raw
        return self._number(raw)

    def _number(self, raw: str) -> Cell:
        text = raw.strip()
        if not NUMBER_PATTERN.match(text):
            return raw
        number: int | float = int(text) if INTEGER_PATTERN.match(text) else float(text)
        if not math.isfinite(number):
            return raw
        if self.date_styles and _integer(self.style, 0) in self.date_styles:
            try:
                converted = from_excel(number, self.epoch)
            except (OverflowError, ValueError, TypeError):
                return number
            if isinstance(converted, datetime.datetime):
                return converted
        return number
