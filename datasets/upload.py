"""The upload pipeline shared by the upload page and the batch import: analyse → suggest_mapping → prepare.

Nothing here writes anything: `prepare` returns the full candidate version of the target dataset, every
problem of the file at once (by line and column, German and English), and the diff against live. The
caller publishes `PreparedUpload.candidate` only when `PreparedUpload.publishable` is True.

Targets are the names in datasets.NAMES.
- "indicators": the file brings the rows of ONE (indicator_id, source_id) pair, read as a tidy table by
  loaders.load_bytes (any GENESIS table works). candidate = live rows of other pairs + the uploaded rows.
- every other target: the file holds the whole dataset, one column per schema column (after mapping).
New sources: the source_id of the rows must be in the live `sources` dataset, or be declared with
`new_source=Source(...)`; then `PreparedUpload.sources_candidate` is the new `sources` version, to be
published before the candidate.
"""
from __future__ import annotations

import copy
import datetime
import difflib
import os
import re
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
import pandera.pandas as pa

import datasets
from datasets.base import DatasetSpec, Source
from datasets.diff import DiffResult, diff, diff_replacing, row_codes
from loaders import LoaderError, Problem, load_bytes
from loaders.coded import Coded
from loaders.errors import _short
from loaders.result import TIDY_COLUMNS

#: Breakdown values that mean "not broken down" (stored as "").
TOTAL_LABELS = frozenset({"insgesamt", "total", "zusammen", "gesamt", "alle", "all"})
#: Region codes that lost their leading zero in a spreadsheet: Land (1 digit), district (4), municipality (7).
_SHORT_AGS = re.compile(r"[0-9]|[0-9]{4}|[0-9]{7}")
#: Labels normalised like the bundled build does (see indicators_statistics).
_NATIONALITY_LABELS = {"Ausländer(innen)": "ausländisch", "Ausländer": "ausländisch", "Deutsche": "deutsch"}
_SEX_VALUES = frozenset({"männlich", "weiblich", "divers", "männer", "frauen", "male", "female"})

#: Target column → header names (normalised: lower case, umlauts spelled out, `_` for blanks) that map to it.
INDICATOR_ALIASES: dict[str, tuple[str, ...]] = {
    "indicator_id": ("indicator_id", "indikator_id", "kennzahl_id"),
    "region_code": ("region_code", "ags", "regionalschluessel"),
    "region_name": ("region_name", "regionsname", "name"),
    "period": ("time", "period", "periode", "zeitraum", "stichtag", "jahr", "datum"),
    "sex": ("sex", "geschlecht", "gender"),
    "nationality": ("nationality", "nationalitaet", "staatsangehoerigkeit", "citizenship", "herkunftsland"),
    "status": ("status", "schutzstatuskategorie", "schutzstatus", "aufenthaltsstatus"),
    "sector": ("sector", "wirtschaftszweig", "wirtschaftszweige", "wirtschaftsbereich", "wirtschaftsbereiche",
               "wz_2008", "wz2008", "branche"),
    "age_group": ("age_group", "altersgruppe", "altersgruppen", "alter", "age"),
    "breakdown": ("breakdown", "aufgliederung"),
    "value": ("value", "wert"),
    "unit": ("unit", "einheit"),
    "flag": ("flag", "kennzeichen", "marker"),
    "source_id": ("source_id", "quelle_id", "quelle"),
    "note": ("note", "anmerkung", "bemerkung", "hinweis", "fussnote"),
}
#: Extra German/English header names for the columns of the other datasets.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "source_id": ("quelle_id", "quelle", "source"),
    "note": ("anmerkung", "bemerkung", "hinweis"),
    "title": ("titel",),
    "publisher": ("herausgeber",),
    "licence": ("lizenz", "license"),
    "published": ("veroeffentlicht", "veroeffentlichung"),
    "accessed": ("abgerufen", "abruf"),
    "confidence": ("verlaesslichkeit", "vertrauen"),
    "url": ("adresse", "link"),
    "date": ("datum",),
    "unit": ("einheit",),
    "value": ("wert",),
    "region_code": ("ags", "regionalschluessel"),
    "region_name": ("regionsname",),
    "period": ("zeitraum", "periode", "zeit", "jahr"),
    "name": ("bezeichnung",),
    "origin_country": ("herkunftsland",),
    "sector": ("branche", "wirtschaftszweig"),
    "start": ("beginn",),
    "end": ("ende",),
    "target": ("ziel", "zielzahl"),
    "quote": ("zitat",),
    "speaker": ("sprecher", "redner"),
    "institution": ("einrichtung", "behoerde"),
    "topics": ("themen",),
    "study": ("studie",),
    "measure": ("messgroesse", "kennzahl"),
    "scenario": ("szenario",),
    "base_year": ("basisjahr",),
    "horizon_year": ("zieljahr",),
    "text": ("aussage",),
    "direction": ("richtung",),
}
_SIMILARITY = 0.84


@dataclass
class Analysis:
    """What was detected in an uploaded file.

    frame   -- the tidy loader frame (TIDY_COLUMNS, breakdowns, source_line), None if the loader refused the file
    problems -- why the loader refused it (empty when `frame` is set)
    table   -- the file's own columns as written (cells as read) + source_line, for every target but
               "indicators"; None for GENESIS exports and unreadable files
    table_problems -- why the file could not be read as one plain table (header, ragged rows, …)
    columns -- the file's column headers (the tidy columns for GENESIS exports)
    rows    -- data rows of the file (tidy rows for GENESIS exports)
    """

    filename: str
    format: str | None
    encoding: str | None
    delimiter: str | None
    decimal: str | None
    rows: int
    columns: list[str]
    warnings: list[Problem]
    frame: pd.DataFrame | None
    problems: list[Problem] = field(default_factory=list)
    table: pd.DataFrame | None = None
    table_problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)   # tidy column -> the file's header it came from

    def header_of(self, column: str | None) -> str | None:
        """The file's header for a tidy loader column ("time" was "Jahr" in the file), else the column itself."""
        return None if column is None else self.headers.get(column, column)

    def problems_for(self, target: str) -> list[Problem]:
        """The reading problems that matter when the file is meant for `target`."""
        if target == "indicators":
            return list(self.problems)
        if self.table is None and not self.table_problems:
            if self.problems or self.frame is None:
                return list(self.problems)
            return [Problem(
                "not-a-plain-table",
                f"Die Datei ist ein GENESIS-Export ({self.format}); für „{target}“ wird eine Tabelle mit genau "
                "den Spalten des Datensatzes erwartet. GENESIS-Tabellen als Indikator hochladen.",
                f"The file is a GENESIS export ({self.format}); '{target}' expects a table with exactly the "
                "dataset's columns. Upload GENESIS tables as an indicator.")]
        return list(self.table_problems)


@dataclass
class PreparedUpload:
    """Everything the upload page and the import command need to show, check and publish an upload.

    candidate -- the full new version of the target dataset; None while any problem remains
    draft     -- the candidate as it would be with the rows that could be read (for the diff), or None
    upload    -- the uploaded rows in the dataset's columns plus `source_line`, or None; for `indicators` in
                 the order of the dataset's key (the order the draft holds them in), else in file order
    diff      -- draft against live (None if no draft could be built)
    sources_candidate -- the new `sources` version when `new_source` was declared (publish it first)
    """

    target: str
    analysis: Analysis
    mapping: dict[str, str | None]
    candidate: pd.DataFrame | None
    problems: list[Problem]
    diff: DiffResult | None
    draft: pd.DataFrame | None = None
    upload: pd.DataFrame | None = None
    indicator_id: str | None = None
    source_id: str | None = None
    new_source: Source | None = None
    sources_candidate: pd.DataFrame | None = None

    @property
    def publishable(self) -> bool:
        """True iff there is no problem and the candidate differs from the live version."""
        return not self.problems and self.candidate is not None and self.diff is not None and not self.diff.empty


# ---------------------------------------------------------------------------------------------------------------
# Detect


def analyse(data: bytes, filename: str) -> Analysis:
    """Read an uploaded file as a tidy table (loaders.load_bytes) and as a plain table. Never raises."""
    try:
        return _analyse(bytes(data), str(filename))
    except Exception:  # noqa: BLE001 - the contract: an upload never ends in a traceback
        return Analysis(str(filename), None, None, None, None, 0, [], [], None, problems=[_internal_problem()])


def _analyse(data: bytes, filename: str) -> Analysis:
    frame = None
    result = None
    problems: list[Problem] = []
    try:
        result = load_bytes(data, filename)
        frame = result.frame
    except LoaderError as error:
        problems = list(error.problems)
    genesis = result is not None and result.format.startswith("genesis")
    table, table_problems, detected = (None, [], {}) if genesis else _read_table(data, filename)
    if table is not None:
        columns = [column for column in table.columns if column != "source_line"]
        rows = len(table)
    elif frame is not None:
        columns = [column for column in frame.columns if column != "source_line"]
        rows = len(frame)
    else:
        columns, rows = [], 0
    return Analysis(
        filename=filename,
        format=result.format if result is not None else detected.get("format"),
        encoding=result.encoding if result is not None else detected.get("encoding"),
        delimiter=result.delimiter if result is not None else detected.get("delimiter"),
        decimal=result.decimal if result is not None else detected.get("decimal"),
        rows=rows, columns=columns, warnings=list(result.warnings) if result is not None else [],
        frame=frame, problems=problems, table=table, table_problems=table_problems,
        notes=list(result.notes) if result is not None else [],
        headers=_tidy_headers(table) if frame is not None and table is not None else {})


def _tidy_headers(table: pd.DataFrame) -> dict[str, str]:
    from loaders.generic import _roles

    names = [str(column) for column in table.columns if column != "source_line"]
    return {role: name for name, role in _roles(names).items() if role != name}


def _read_table(data: bytes, filename: str) -> tuple[pd.DataFrame | None, list[Problem], dict]:
    """The file as one plain table: header + rows of cells as read, with the physical line of each row."""
    from loaders import detect, encoding, generic
    from loaders.parquet import read_parquet_frame
    from loaders.xlsx import read_xlsx_rows

    detected: dict = {}
    try:
        if re.search(rb"\S", data) is None:
            raise LoaderError.single("empty-file", "Die Datei ist leer.", "The file is empty.")
        extension = os.path.splitext(filename)[1].lower()
        if extension not in (".csv", ".txt", ".xlsx", ".parquet", ".pq") and not data.startswith(detect.OLE2_MAGIC):
            return None, [], detected  # the loader already named the extension
        kind = detect.content_kind(data, os.path.basename(filename))
        if kind == "parquet":
            detected["format"] = "parquet"
            frame = read_parquet_frame(data)
            lines = np.arange(len(frame), dtype="int64") + 2
            problems = generic.header_problems([str(name) for name in frame.columns], 1)
            if len(frame) == 0:
                problems.append(_no_rows(1))
            if problems:
                return None, problems, detected
            table = frame.reset_index(drop=True).copy()
            table.columns = [str(name) for name in table.columns]
            table["source_line"] = lines
            return table, [], detected
        if kind == "xlsx":
            detected["format"] = "xlsx"
            rows = [(line, _trim(list(cells))) for line, cells in read_xlsx_rows(data)
                    if any(cell is not None and str(cell).strip() for cell in cells)]
            first = str(rows[0][1][0] or "").strip() if rows and rows[0][1] else ""
            if first.startswith("GENESIS-Tabelle:") or first == "statistics_code":
                return None, [], detected
        else:
            text, detected["encoding"] = encoding.decode(data)
            text = text.lstrip("\ufeff")
            if detect.text_format(text) != "csv":
                return None, [], detected
            delimiter = detect.delimiter_of(text)
            detected.update(format="csv", delimiter=delimiter, decimal="," if delimiter == ";" else ".")
            rows = detect.rows_of(text, delimiter)
        if not rows:
            empty = Problem("empty-file", "Die Datei enthält keine Zeilen.", "The file contains no rows.")
            return None, [empty], detected
        header_line, header = rows[0]
        header = [generic._header_text(cell) for cell in header]
        data_rows = rows[1:]
        problems = generic.header_problems(header, header_line)
        if kind == "xlsx":
            data_rows = [(line, cells + [None] * (len(header) - len(cells)) if len(cells) < len(header) else cells)
                         for line, cells in data_rows]
            data_rows = [(line, cells[:len(header)] if not any(c not in (None, "") for c in cells[len(header):])
                          else cells) for line, cells in data_rows]
        problems += generic.ragged_problems(data_rows, len(header))
        if not data_rows:
            problems.append(_no_rows(header_line))
        if problems:
            return None, problems, detected
        table = pd.DataFrame([cells for _, cells in data_rows], columns=header, dtype=object)
        table["source_line"] = np.array([line for line, _ in data_rows], dtype="int64")
        return table, [], detected
    except LoaderError as error:
        return None, list(error.problems), detected


def _trim(cells: list) -> list:
    while cells and (cells[-1] is None or str(cells[-1]).strip() == ""):
        cells.pop()
    return cells


def _no_rows(line: int) -> Problem:
    return Problem("no-data-rows", "Die Datei hat eine Kopfzeile, aber keine Datenzeilen.",
                   "The file has a header but no data rows.", line=line)


def _internal_problem() -> Problem:
    return Problem("internal-error",
                   "Die Datei konnte nicht geprüft werden (interner Fehler). Bitte die Datei prüfen oder melden.",
                   "The file could not be checked (internal error). Please check the file or report it.")


# ---------------------------------------------------------------------------------------------------------------
# Map


def target_columns(target: str) -> list[str]:
    """The columns of a target dataset, in schema order."""
    return list(_schema(datasets.spec(target)).columns)


def suggest_mapping(analysis: Analysis, target: str) -> dict[str, str | None]:
    """Target column → source column (None = not found): exact name, German/English aliases, then similarity.

    For "indicators" the source columns are the tidy loader columns; breakdown columns not mapped to a
    target are stored in `breakdown` as "label=value" by `prepare`.
    """
    targets = target_columns(target)
    if target == "indicators":
        frame = analysis.frame
        sources = [] if frame is None else [c for c in frame.columns if c not in ("table", "source_line")]
        aliases = INDICATOR_ALIASES
    else:
        table = analysis.table
        sources = [] if table is None else [c for c in table.columns if c != "source_line"]
        aliases = {column: (column, *COLUMN_ALIASES.get(column, ())) for column in targets}
    mapping = _match(targets, sources, aliases)
    if target == "indicators" and analysis.frame is not None:
        _suggest_by_content(mapping, analysis.frame)
    return mapping


def _match(targets: list[str], sources: list[str], aliases: dict[str, tuple[str, ...]]) -> dict[str, str | None]:
    from loaders.generic import normalise_name

    mapping: dict[str, str | None] = {column: None for column in targets}
    normalised = {source: normalise_name(source) for source in sources}
    taken: set[str] = set()

    def assign(rule) -> None:
        for target in targets:
            if mapping[target] is not None:
                continue
            names = aliases.get(target, (target,))
            for source in sources:
                if source not in taken and rule(normalised[source], names):
                    mapping[target] = source
                    taken.add(source)
                    break

    assign(lambda name, names: name == names[0])
    assign(lambda name, names: name in names)
    assign(lambda name, names: any(re.match(re.escape(alias) + r"[_(]", name) for alias in names))
    assign(lambda name, names: max(difflib.SequenceMatcher(None, name, alias).ratio() for alias in names)
           >= _SIMILARITY)
    return mapping


def _suggest_by_content(mapping: dict[str, str | None], frame: pd.DataFrame) -> None:
    """Unnamed GENESIS header rows ("Merkmal") holding männlich/weiblich are the sex breakdown; years in
    `variable` (a wide table with one column per year) are the period."""
    used = set(mapping.values())
    if mapping.get("sex") is None:
        for column in _breakdown_columns(frame):
            if column in used:
                continue
            values = {str(v).strip().casefold() for v in frame[column].unique()} - TOTAL_LABELS - {""}
            if values and values <= _SEX_VALUES:
                mapping["sex"] = column
                break
    time_empty = "time" in frame and (frame["time"].astype("str").str.strip() == "").all()
    if time_empty and "variable" in frame:
        from loaders.numbers import is_time_text

        if all(is_time_text(str(value)) for value in frame["variable"].unique()):
            mapping["period"] = "variable"


def _breakdown_columns(frame: pd.DataFrame) -> list[str]:
    return [column for column in frame.columns if column not in TIDY_COLUMNS and column != "source_line"]


# ---------------------------------------------------------------------------------------------------------------
# Validate and diff


def prepare(data: bytes, filename: str, *, target: str, live: pd.DataFrame | None,
            mapping: dict | None = None, indicator_id: str | None = None, source_id: str | None = None,
            today: datetime.date | None = None, sources: pd.DataFrame | None = None,
            new_source: Source | None = None, unit: str | None = None,
            analysis: Analysis | None = None) -> PreparedUpload:
    """Analyse, map, type, validate and diff an upload for `target`. Never raises; every problem is returned.

    live        -- the live version of `target` (None if it has none yet)
    mapping     -- target column → source column; None = suggest_mapping()
    indicator_id, source_id -- "indicators" only: the pair the file brings (else read from the file's
                   indicator_id / source_id column, which must then hold one value)
    sources     -- the live `sources` dataset (default: the bundled sources); source ids must be in it
    new_source  -- a source declared with this upload (see PreparedUpload.sources_candidate)
    unit        -- "indicators" only: the unit when the file has no unit column
    analysis    -- a previous analyse(data, filename), to avoid reading the file twice
    """
    try:
        return _prepare(bytes(data), str(filename), target=target, live=live, mapping=mapping,
                        indicator_id=indicator_id, source_id=source_id, today=today, sources=sources,
                        new_source=new_source, unit=unit, analysis=analysis)
    except Exception:  # noqa: BLE001 - the contract: an upload never ends in a traceback
        analysis = analysis or Analysis(str(filename), None, None, None, None, 0, [], [], None)
        return PreparedUpload(target, analysis, dict(mapping or {}), None, [_internal_problem()], None)


def _prepare(data, filename, *, target, live, mapping, indicator_id, source_id, today, sources, new_source,
             unit, analysis) -> PreparedUpload:
    if target not in datasets.NAMES:
        problem = Problem("unknown-dataset",
                          f"Unbekannter Datensatz „{target}“; bekannt: {', '.join(datasets.NAMES)}.",
                          f"Unknown dataset '{target}'; known: {', '.join(datasets.NAMES)}.", value=str(target))
        analysis = analysis or Analysis(filename, None, None, None, None, 0, [], [], None)
        return PreparedUpload(str(target), analysis, dict(mapping or {}), None, [problem], None)
    spec = datasets.spec(target)
    analysis = analysis or analyse(data, filename)
    used_mapping = {column: source or None for column, source in
                    (suggest_mapping(analysis, target) if mapping is None else mapping).items()}
    problems = analysis.problems_for(target)
    known_sources, sources_candidate, source_problems = _known_sources(sources, new_source)
    upload = None
    coded = None
    row_problems: list[Problem] = []
    if not problems:
        if target == "indicators":
            upload, found, indicator_id, source_id, coded = _indicator_rows(
                analysis, used_mapping, indicator_id=indicator_id, source_id=source_id, unit=unit, today=today)
        else:
            upload, found = _table_rows(analysis, spec, used_mapping)
        problems += [p for p in found if p.code in _MAPPING_CODES]
        row_problems += [p for p in found if p.code not in _MAPPING_CODES]
    problems += source_problems
    draft = None
    result = None
    if upload is not None:
        lines = upload["source_line"]
        rows = upload.drop(columns="source_line")
        cells_reported = {(p.line, "period" if p.column == "time" else p.column) for p in row_problems}
        whole_columns = {p.column for p in row_problems if p.line is None}
        row_problems += [p for p in _schema_problems(spec, rows, lines, coded)
                         if (p.line, p.column) not in cells_reported and p.column not in whole_columns]
        if target != "indicators":
            row_problems += _duplicate_keys(rows, lines, spec.meta.key)
        row_problems += _unknown_sources(rows, lines, known_sources, target)
        draft = _draft(target, spec, rows, live, indicator_id, source_id)
        if target == "indicators" and live is not None and len(live):
            # NOTE: the draft is live without the replaced (indicator, source) rows plus the upload: compare only those.
            replaced = _same_pair(live, indicator_id, source_id).to_numpy(dtype=bool, na_value=False)
            result = diff_replacing(live, draft, spec.meta.key, replaced, rows[list(draft.columns)])
        else:
            result = diff(live if live is not None else draft.iloc[0:0], draft, spec.meta.key)
    problems += _in_file_columns(row_problems, used_mapping, analysis if target == "indicators" else None)
    problems = _sorted(problems)
    return PreparedUpload(
        target=target, analysis=analysis, mapping=used_mapping, candidate=None if problems else draft,
        problems=problems, diff=result, draft=draft, upload=upload, indicator_id=indicator_id,
        source_id=source_id, new_source=new_source,
        sources_candidate=None if problems else sources_candidate)


_MAPPING_CODES = frozenset({"unknown-target-column", "unknown-source-column", "duplicate-mapping", "missing-column",
                            "unexpected-column"})


def _in_file_columns(problems: list[Problem], mapping: dict, analysis: Analysis | None) -> list[Problem]:
    """Problems found in dataset columns name the file's column the analyst mapped to it."""
    import dataclasses

    renamed = []
    for problem in problems:
        target_column = "period" if problem.column == "time" else problem.column
        source = mapping.get(target_column) if target_column is not None else None
        column = source or target_column
        if analysis is not None:
            column = analysis.header_of(column)
        renamed.append(dataclasses.replace(problem, column=column))
    return renamed


def _schema(spec: DatasetSpec) -> pa.DataFrameSchema:
    schema = spec.schema
    return schema.to_schema() if isinstance(schema, type) and issubclass(schema, pa.DataFrameModel) else schema


def _kind(dtype) -> str:
    name = str(dtype).lower()
    if name.startswith("int"):
        return "int"
    if name.startswith("float"):
        return "float"
    return "text"


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (-1 if p.line is None else p.line, p.column or "", p.code))


# --- mapping problems ------------------------------------------------------------------------------------------


def _mapping_problems(mapping: dict, targets: list[str], sources: list[str], required: list[str]) -> list[Problem]:
    problems = []
    for target_column, source in mapping.items():
        if target_column not in targets:
            problems.append(Problem(
                "unknown-target-column",
                f"„{target_column}“ ist keine Spalte des Datensatzes; erlaubt: {', '.join(targets)}.",
                f"'{target_column}' is not a column of the dataset; allowed: {', '.join(targets)}.",
                column=str(target_column)))
        elif source is not None and source not in sources:
            problems.append(Problem(
                "unknown-source-column",
                f"Der Spalte „{target_column}“ ist die Spalte „{source}“ zugeordnet, "
                "die es in der Datei nicht gibt.",
                f"The column '{target_column}' is mapped to '{source}', which is not in the file.",
                line=1, column=str(source), value=_short(str(source))))
    by_source: dict[str, list[str]] = {}
    for target_column, source in mapping.items():
        if source is not None and target_column in targets:
            by_source.setdefault(source, []).append(target_column)
    for source, names in by_source.items():
        if len(names) > 1:
            problems.append(Problem(
                "duplicate-mapping",
                f"Die Spalte „{source}“ ist mehreren Zielspalten zugeordnet ({', '.join(names)}); "
                "jede Dateispalte darf nur einmal verwendet werden.",
                f"The column '{source}' is mapped to several target columns ({', '.join(names)}); "
                "each file column may be used only once.", line=1, column=str(source), value=_short(str(source))))
    for target_column in required:
        if mapping.get(target_column) is None:
            problems.append(Problem(
                "missing-column",
                f"Die Spalte „{target_column}“ fehlt: keine Spalte der Datei ist ihr zugeordnet.",
                f"The column '{target_column}' is missing: no column of the file is mapped to it.",
                line=1, column=target_column))
    return problems


# --- plain tables (every target but indicators) ---------------------------------------------------------------


def _table_rows(analysis: Analysis, spec: DatasetSpec, mapping: dict) -> tuple[pd.DataFrame | None, list[Problem]]:
    from loaders.generic import cell_text
    from loaders.numbers import number_problems, parse_column

    table = analysis.table
    schema = _schema(spec)
    targets = list(schema.columns)
    sources = [column for column in table.columns if column != "source_line"]
    problems = _mapping_problems(mapping, targets, sources, required=targets)
    mapped = {source for source in mapping.values() if source is not None}
    for source in sources:
        if source not in mapped:
            problems.append(Problem(
                "unexpected-column",
                f"Die Spalte „{source}“ gehört nicht zum Datensatz; bitte einer Spalte zuordnen oder entfernen "
                f"(erwartet: {', '.join(targets)}).",
                f"The column '{source}' is not part of the dataset; map it to a column or remove it "
                f"(expected: {', '.join(targets)}).", line=1, column=source, value=_short(source)))
    if problems:
        return None, problems
    lines = table["source_line"].to_numpy(dtype="int64")
    decimal = analysis.decimal or "."
    rows = pd.DataFrame(index=pd.RangeIndex(len(table)))
    for target_column, column in schema.columns.items():
        cells = table[mapping[target_column]].reset_index(drop=True)
        kind = _kind(column.dtype)
        if kind == "text":
            rows[target_column] = pd.Series([cell_text(cell) for cell in cells.to_numpy(dtype=object)],
                                            dtype="str")
            continue
        parsed = parse_column(cells, decimal)
        problems += number_problems(parsed, cells, lines, target_column)
        values = pd.Series(parsed.values, dtype="float64")
        if kind == "int":
            fractional = values.notna() & (values != values.round())
            for position in np.flatnonzero(fractional.to_numpy()):
                problems.append(Problem(
                    "not-an-integer",
                    f"„{cells.iloc[position]}“ ist keine ganze Zahl; die Spalte „{target_column}“ "
                    "erwartet ganze Zahlen.",
                    f"'{cells.iloc[position]}' is not a whole number; the column '{target_column}' expects "
                    "whole numbers.", line=int(lines[position]), column=target_column,
                    value=_short(str(cells.iloc[position]))))
            values = values.where(~fractional).round().astype("Int64")
        rows[target_column] = values
    rows["source_line"] = lines
    return rows, problems


# --- indicators ------------------------------------------------------------------------------------------------


def _indicator_rows(analysis: Analysis, mapping: dict, *, indicator_id, source_id, unit, today
                    ) -> tuple[pd.DataFrame | None, list[Problem], str | None, str | None, dict[str, Coded] | None]:
    """(rows in key order, problems, indicator_id, source_id, the rows' text columns as codes)."""
    from datasets import indicators, regions
    from datasets.upload_checks import check_tidy
    from loaders.numbers import iso_time

    frame = analysis.frame.reset_index(drop=True)
    targets = indicators.COLUMNS
    sources = [column for column in frame.columns if column != "source_line"]
    problems = _mapping_problems(mapping, targets, sources, required=["region_code", "period", "value"])
    if problems:
        return None, problems, indicator_id, source_id, None
    count = len(frame)
    lines = frame["source_line"].to_numpy(dtype="int64")

    # NOTE: every text column is worked on as codes into its distinct values (loaders.coded): a million rows
    # of an upload hold a few hundred distinct texts, and each operation on the whole column costs more than
    # all of them together.
    def text(target_column: str) -> Coded:
        source = mapping.get(target_column)
        if source is None:
            return Coded.constant("", count)
        return Coded.of(frame[source]).map(str.strip)

    indicator_id, found = _single_value("indicator_id", indicator_id, text("indicator_id"), lines,
                                        mapping.get("indicator_id"))
    problems += found
    source_id, found = _single_value("source_id", source_id, text("source_id"), lines, mapping.get("source_id"))
    problems += found
    if indicator_id and re.fullmatch(r"[a-z][a-z0-9_]*", indicator_id) is None:
        problems.append(Problem(
            "bad-indicator-id",
            f"„{indicator_id}“ ist keine gültige Kennung: Kleinbuchstaben, Ziffern und _ , beginnend mit einem "
            "Buchstaben (z. B. schutzsuchende_kreise).",
            f"'{indicator_id}' is not a valid id: lower-case letters, digits and _, starting with a letter "
            "(e.g. protection_seekers).", column="indicator_id", value=_short(indicator_id)))

    coded: dict[str, Coded] = {"indicator_id": Coded.constant(indicator_id or "", count)}
    codes = text("region_code").map(lambda code: "0" + code if _SHORT_AGS.fullmatch(code) else code)
    coded["region_code"] = codes
    # NOTE: known regions carry the registry's canonical name, as in the bundled build.
    coded["region_name"] = Coded.combine(
        [codes, text("region_name")],
        lambda code, name: regions.region_name(code) or regions.normalise_region_name(name))
    coded["period"] = text("period").transform(iso_time)
    for column in ("sex", "nationality", "status", "sector", "age_group"):
        values = _without_totals(text(column))
        if column == "nationality":
            values = values.map(lambda value: _NATIONALITY_LABELS.get(value, value))
        coded[column] = values
    coded["breakdown"] = _combined_breakdown(frame, mapping, text("breakdown"))
    value_source = mapping["value"]
    values = frame[value_source]
    if value_source == "value" or pd.api.types.is_float_dtype(values.dtype):
        value_column = pd.to_numeric(values, errors="coerce").astype("float64").reset_index(drop=True)
    else:
        value_column, found = _numbers(values.reset_index(drop=True), lines, value_source, analysis.decimal)
        problems += found
    coded["unit"], found = _units(text("unit"), indicator_id, unit)
    problems += found
    coded["flag"] = text("flag")
    coded["source_id"] = Coded.constant(source_id or "", count)
    coded["note"] = text("note")
    # The rows in key order, as the draft holds them: sorted here on the codes, each column is built once.
    order = np.argsort(row_codes([coded[column].dense() for column in indicators.SPEC.meta.key]), kind="stable")
    coded = {column: Coded(values.codes[order], values.values) for column, values in coded.items()}
    value_column = value_column.take(order).reset_index(drop=True)
    lines = lines[order]
    rows = pd.DataFrame({column: value_column if column == "value" else coded[column].series()
                         for column in targets})
    rows["source_line"] = lines

    tidy = pd.DataFrame({
        "table": "", "time": rows["period"], "region_code": rows["region_code"], "region_name": rows["region_name"],
        "variable": rows["indicator_id"], "unit": rows["unit"], "value": rows["value"], "flag": rows["flag"],
        **{column: rows[column] for column in indicators.BREAKDOWNS}, "source_line": lines})
    problems += check_tidy(tidy, today=today, coded={
        "time": coded["period"], "region_code": coded["region_code"], "variable": coded["indicator_id"],
        "unit": coded["unit"], "flag": coded["flag"], "table": Coded.constant("", count),
        **{column: coded[column] for column in indicators.BREAKDOWNS}})
    return rows, problems, indicator_id, source_id, coded


def _single_value(column: str, given: str | None, values: Coded, lines: np.ndarray, source: str | None
                  ) -> tuple[str | None, list[Problem]]:
    """The one indicator_id / source_id of an indicators upload: the argument, else the file's single value."""
    problems = []
    if given:
        for position in np.flatnonzero(values.test(lambda value: value != "" and value != given)):
            problems.append(Problem(
                f"{column.replace('_', '-')}-mismatch",
                f"In der Datei steht „{values.at(position)}“, hochgeladen wird aber für {column} „{given}“.",
                f"The file says '{values.at(position)}', but the upload is for {column} '{given}'.",
                line=int(lines[position]), column=source, value=_short(values.at(position))))
        return given, problems
    occurring = values.present()
    distinct = [value for value in occurring if value != ""]
    if len(distinct) == 1 and len(occurring) == 1:
        return distinct[0], []
    if not distinct:
        return None, [Problem(
            f"missing-{column.replace('_', '-')}",
            f"Es fehlt die Angabe {column}: bitte angeben, zu welchem {column} die Zeilen gehören.",
            f"{column} is missing: please state which {column} the rows belong to.", column=column)]
    return None, [Problem(
        f"several-{column.replace('_', '-')}",
        f"Die Datei enthält mehrere Werte für {column} ({', '.join(map(str, distinct[:5]))}); ein Upload bringt "
        f"die Zeilen genau eines {column}.",
        f"The file holds several values of {column} ({', '.join(map(str, distinct[:5]))}); one upload brings "
        f"the rows of exactly one {column}.", column=source or column, value=_short(", ".join(distinct[:5])))]


def _without_totals(values: Coded) -> Coded:
    """Totals ("Insgesamt", "Total" …) as "": a total is the absence of a breakdown."""
    return values.map(lambda value: "" if value.casefold() in TOTAL_LABELS else value)


def _combined_breakdown(frame: pd.DataFrame, mapping: dict, mapped: Coded) -> Coded:
    """The `breakdown` column plus every unmapped breakdown column of the file as 'label=value' ('; '-joined)."""
    used = {source for source in mapping.values() if source is not None}
    extra = [column for column in _breakdown_columns(frame) if column not in used]
    if "variable" in frame and "variable" not in used and frame["variable"].nunique() > 1:
        extra.insert(0, "variable")
    labels = ["Merkmal" if column == "variable" else str(column) for column in extra]
    columns = [_without_totals(mapped)] + [_without_totals(Coded.of(frame[column]).map(str.strip))
                                           for column in extra]

    def joined(first: str, *parts: str) -> str:
        return "; ".join([first] * (first != "") + [f"{label}={part}" for label, part in zip(labels, parts) if part])

    return Coded.combine(columns, joined) if extra else columns[0]


def _numbers(cells: pd.Series, lines: np.ndarray, column: str, decimal: str | None) -> tuple[pd.Series, list[Problem]]:
    from loaders.numbers import number_problems, parse_column

    parsed = parse_column(cells, decimal or ".")
    return pd.Series(parsed.values, dtype="float64"), number_problems(parsed, cells, lines, column)


_THOUSANDS = {"1000", "1 000", "tsd.", "tsd", "tausend"}
_GENERIC_COUNTS = {"anzahl", "number", "count", "personen", "persons"}


def _units(units: Coded, indicator_id: str | None, given: str | None) -> tuple[Coded, list[Problem]]:
    """The unit of every row: a known indicator's unit where the file's unit means the same, else the file's."""
    from datasets.indicators import definitions

    if given:
        units = units.map(lambda value: value or given)
    definition = definitions().get(indicator_id or "")
    occurring = units.present()
    if definition is None:
        if occurring == [""]:
            return units, [Problem(
                "missing-unit",
                "Die Einheit fehlt: die Datei hat keine Spalte „unit“/„Einheit“; bitte die Einheit angeben.",
                "The unit is missing: the file has no column 'unit'/'Einheit'; please state the unit.",
                column="unit")]
        return units, []
    wanted = definition.unit

    def same(unit_text: str) -> bool:
        folded = unit_text.strip().casefold()
        return (folded in (wanted.casefold(), "")
                or (definition.is_count and "1000" not in wanted and folded in _GENERIC_COUNTS)
                or (wanted.casefold().startswith("1000") and folded in _THOUSANDS))

    problems = []
    for unit_text in occurring:
        if not same(unit_text):
            problems.append(Problem(
                "unit-mismatch",
                f"Die Einheit „{unit_text}“ passt nicht zum Indikator {indicator_id} (Einheit „{wanted}“); "
                "bitte Werte umrechnen oder einen neuen Indikator anlegen.",
                f"The unit '{unit_text}' does not fit the indicator {indicator_id} (unit '{wanted}'); "
                "convert the values or create a new indicator.", column="unit", value=_short(unit_text)))
    return units.map(lambda value: wanted if same(value) else value), problems


# --- checks shared by every target -----------------------------------------------------------------------------


def _schema_problems(spec: DatasetSpec, rows: pd.DataFrame, lines: pd.Series,
                     coded: dict[str, Coded] | None = None) -> list[Problem]:
    """Every pandera failure (lazy) as a Problem at the file's line; uniqueness is left to _duplicate_keys.

    coded -- the rows' text columns as codes (loaders.coded). When every column but numeric ones is given,
             pandera checks one row per distinct value of each column (its checks look at one cell at a time)
             and a failing value is reported at every row that holds it.
    """
    schema = _schema(spec)
    validated = _without_key_uniqueness(schema, spec.meta.key)
    records = None
    if coded is not None and len(rows) and _cell_checks_only(validated) and all(
            column in coded or pd.api.types.is_numeric_dtype(rows[column].dtype) for column in rows.columns):
        sample = rows.take(np.unique(np.concatenate([values.first_rows() for values in coded.values()])))
        records = _failures(validated, sample)
        records = _at_every_row(records, coded) if records else records
    if records is None:        # whole rows (no codes, or a failure the sample cannot place)
        records = _failures(validated, rows)
    if not records:
        return []
    line_values = lines.to_numpy(dtype="int64")
    problems = []
    seen = set()
    key = set(spec.meta.key)
    for record in records:
        check = str(record.get("check"))
        column = record.get("column")
        column = None if column is None or (isinstance(column, float) and np.isnan(column)) else str(column)
        index = record.get("index")
        line = None
        if index is not None and not (isinstance(index, float) and np.isnan(index)) and \
                0 <= int(index) < len(line_values):
            line = int(line_values[int(index)])
        if check in ("field_uniqueness", "multiple_fields_uniqueness") and (column in key or column is None):
            continue
        frame_check = column is not None and column in schema.columns and _is_frame_check(schema, check)
        if frame_check:
            column = None
        marker = (line, column, check)
        if marker in seen:
            continue
        seen.add(marker)
        value = record.get("failure_case")
        value_text = None if frame_check or value is None else _short(str(value))
        message_de, message_en = _check_message(schema, check, column, value_text)
        problems.append(Problem("schema", message_de, message_en, line=line, column=column, value=value_text))
    return problems


def _failures(schema: pa.DataFrameSchema, rows: pd.DataFrame) -> list[dict]:
    """pandera's failure cases (lazy validation) as records; [] when the rows pass."""
    try:
        schema.validate(rows, lazy=True)
        return []
    except pa.errors.SchemaErrors as error:
        return error.failure_cases.to_dict("records")


def _cell_checks_only(schema: pa.DataFrameSchema) -> bool:
    """True when no check of the schema looks at more than one cell: no frame checks, no `unique`."""
    return not schema.checks and not schema.unique and not any(column.unique for column in schema.columns.values())


def _at_every_row(records: list[dict], coded: dict[str, Coded]) -> list[dict] | None:
    """Failure cases found on one row per distinct value, repeated for every row that holds the value; None
    when a case is in a column without codes (the sample may have missed rows of it)."""
    expanded = []
    for record in records:
        column, index = record.get("column"), record.get("index")
        if index is None or (isinstance(index, float) and np.isnan(index)):
            expanded.append(record)
            continue
        if column not in coded:
            return None
        values = coded[column]
        for position in np.flatnonzero(values.codes == values.codes[int(index)]):
            expanded.append({**record, "index": int(position)})
    return expanded


def _without_key_uniqueness(schema: pa.DataFrameSchema, key: tuple[str, ...]) -> pa.DataFrameSchema:
    """The schema without its multi-column `unique` when that only repeats the key: its failures are skipped
    below (duplicate keys are reported with both lines by _duplicate_keys), and on a million rows the check
    is a costly duplicated() over every key column."""
    if not schema.unique or not set(schema.unique) <= set(key):
        return schema
    schema = copy.deepcopy(schema)
    schema.unique = None
    return schema


def _is_frame_check(schema: pa.DataFrameSchema, check: str) -> bool:
    return any(getattr(c, "name", None) == check for c in schema.checks)


def _check_message(schema: pa.DataFrameSchema, check: str, column: str | None, value: str | None) -> tuple[str, str]:
    shown = f"„{value}“" if value is not None else "Der Wert"
    shown_en = f"'{value}'" if value is not None else "The value"
    if check.startswith("isin("):
        allowed = check[len("isin("):-1]
        return (f"{shown} ist kein erlaubter Wert; erlaubt: {allowed}.",
                f"{shown_en} is not an allowed value; allowed: {allowed}.")
    if check.startswith("str_matches("):
        described = _described(schema, column)
        return (f"{shown} hat nicht die erwartete Form {check[len('str_matches('):-1]}{described}.",
                f"{shown_en} does not have the expected form {check[len('str_matches('):-1]}{described}.")
    if check.startswith("str_length("):
        if value in (None, "", "nan"):
            return ("Das Feld darf nicht leer sein.", "The field must not be empty.")
        return (f"{shown} hat nicht die erlaubte Länge {check[len('str_length'):]}.",
                f"{shown_en} does not have the allowed length {check[len('str_length'):]}.")
    if check.startswith(("greater_than_or_equal_to(", "less_than_or_equal_to(", "in_range(")):
        return (f"{shown} liegt außerhalb des erlaubten Bereichs ({check}).",
                f"{shown_en} is outside the allowed range ({check}).")
    if check == "not_nullable":
        return ("Der Wert fehlt; die Spalte muss gefüllt sein.", "The value is missing; the column must be filled.")
    if check.startswith("str_startswith("):
        return (f"{shown} beginnt nicht wie erwartet ({check}).", f"{shown_en} does not start as expected ({check}).")
    for frame_check in schema.checks:
        if getattr(frame_check, "name", None) == check:
            text = frame_check.error or frame_check.description or check
            return (f"Die Zeile verletzt die Regel: {text}.", f"The row breaks the rule: {text}.")
    if check in ("field_uniqueness", "multiple_fields_uniqueness"):
        return (f"{shown} kommt mehrfach vor; der Wert muss eindeutig sein.",
                f"{shown_en} occurs more than once; the value must be unique.")
    return (f"{shown} verletzt die Regel {check}.", f"{shown_en} breaks the rule {check}.")


def _described(schema: pa.DataFrameSchema, column: str | None) -> str:
    if column is None or column not in schema.columns or not schema.columns[column].description:
        return ""
    return f" ({schema.columns[column].description})"


def _duplicate_keys(rows: pd.DataFrame, lines: pd.Series, key: tuple[str, ...]) -> list[Problem]:
    """One problem per repeated key (DatasetMeta.key), naming the line where the key first occurs."""
    if not key or any(column not in rows for column in key):
        return []
    keys = rows[list(key)].astype("str").fillna("")
    duplicated = keys.duplicated(keep="first").to_numpy()
    if not duplicated.any():
        return []
    first_line = {}
    problems = []
    line_values = lines.to_numpy(dtype="int64")
    for position, values in enumerate(keys.itertuples(index=False, name=None)):
        if values not in first_line:
            first_line[values] = int(line_values[position])
            continue
        described = ", ".join(f"{column}={value}" for column, value in zip(key, values) if value)
        problems.append(Problem(
            "duplicate-key",
            f"Doppelter Eintrag: ({described}) steht schon in Zeile {first_line[values]}; jeder Schlüssel "
            "darf nur einmal vorkommen.",
            f"Duplicate entry: ({described}) is already in line {first_line[values]}; each key may occur "
            "only once.", line=int(line_values[position]), column=key[0], value=_short(values[0])))
    return problems


def _known_sources(sources: pd.DataFrame | None, new_source: Source | None
                   ) -> tuple[set[str], pd.DataFrame | None, list[Problem]]:
    from datasets import sources as sources_module

    if sources is None:
        sources = pd.DataFrame([asdict(s) for s in sources_module.all_sources()], columns=sources_module.COLUMNS)
    known = set(sources["source_id"].astype("str"))
    if new_source is None:
        return known, None, []
    row = pd.DataFrame([asdict(new_source)], columns=sources_module.COLUMNS).astype("str")
    problems = []
    if new_source.source_id in known:
        existing = sources[sources["source_id"] == new_source.source_id].iloc[0]
        if any(str(existing[column]) != str(row.iloc[0][column]) for column in sources_module.COLUMNS):
            problems.append(Problem(
                "source-exists",
                f"Die Quelle „{new_source.source_id}“ gibt es schon mit anderen Angaben; "
                "bitte eine neue Kennung wählen.",
                f"The source '{new_source.source_id}' already exists with other details; please choose a new id.",
                column="source_id", value=new_source.source_id))
        return known, None, problems
    for problem in _schema_problems(datasets.spec("sources"), row, pd.Series([0])):
        problems.append(Problem("new-source:" + problem.code, "Neue Quelle: " + problem.message_de,
                                "New source: " + problem.message_en, column=problem.column, value=problem.value))
    candidate = pd.concat([sources[sources_module.COLUMNS], row], ignore_index=True)
    candidate = candidate.sort_values("source_id", kind="stable").reset_index(drop=True)
    return known | {new_source.source_id}, candidate, problems


def _unknown_sources(rows: pd.DataFrame, lines: pd.Series, known: set[str], target: str) -> list[Problem]:
    if target == "sources":
        return []
    problems = []
    line_values = lines.to_numpy(dtype="int64")
    for column in ("source_id", "status_source_id"):
        if column not in rows:
            continue
        values = rows[column].astype("str").fillna("")
        unknown = (values != "") & ~values.isin(known)
        if target == "indicators":
            for value in values[unknown].unique():
                problems.append(_unknown_source(value, None, column))
            continue
        for position in np.flatnonzero(unknown.to_numpy()):
            problems.append(_unknown_source(values.iloc[position], int(line_values[position]), column))
    return problems


def _unknown_source(value: str, line: int | None, column: str) -> Problem:
    return Problem(
        "unknown-source",
        f"Die Quelle „{value}“ ist nicht im Datensatz „sources“; bitte zuerst die Quelle anlegen "
        "(Titel, Herausgeber, Adresse, Lizenz) oder eine vorhandene Kennung verwenden.",
        f"The source '{value}' is not in the 'sources' dataset; declare the source first (title, publisher, "
        "URL, licence) or use an existing id.", line=line, column=column, value=_short(value))


def _draft(target: str, spec: DatasetSpec, rows: pd.DataFrame, live: pd.DataFrame | None,
           indicator_id: str | None, source_id: str | None) -> pd.DataFrame:
    """The new version of the whole dataset: the upload, plus for indicators the live rows of other pairs.

    For indicators, `rows` come from _indicator_rows, in key order already.
    """
    columns = list(_schema(spec).columns)
    rows = rows[columns].reset_index(drop=True)
    if target != "indicators":
        return rows
    if live is None or live.empty:
        return rows
    kept = live.loc[~_same_pair(live, indicator_id, source_id), columns].reset_index(drop=True)
    if not len(kept):
        return rows
    key = list(spec.meta.key)
    around = _around(kept, rows, key)
    if around is not None:      # the usual case, a new or replaced indicator: no need to sort the upload again
        return pd.concat([around[0], rows, around[1]], ignore_index=True)
    frame = pd.concat([kept, rows], ignore_index=True)
    try:        # the order of sort_values(key, kind="stable"), from one integer per row (diff.row_codes): 2x faster
        order = np.argsort(row_codes([frame[column] for column in key]), kind="stable")
    except TypeError:                        # values that do not sort (mixed types): let pandas decide
        return frame.sort_values(key, kind="stable").reset_index(drop=True)
    return frame.take(order).reset_index(drop=True)


def _same_pair(live: pd.DataFrame, indicator_id: str | None, source_id: str | None) -> pd.Series:
    """The live rows an indicators upload replaces: those of its indicator from its source."""
    return (live["indicator_id"] == (indicator_id or "")) & (live["source_id"] == (source_id or ""))


def _around(kept: pd.DataFrame, rows: pd.DataFrame, key: list[str]) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """(kept rows whose key sorts before every row of `rows`, those after), both in key order; None when some
    sort in between or a key does not compare (then the whole draft is sorted). `rows` are in key order."""
    if not len(rows):
        return None
    try:
        kept = kept.take(np.argsort(row_codes([kept[column] for column in key]), kind="stable"))
        keys = list(zip(*(kept[column].tolist() for column in key)))
        first = tuple(rows[column].iat[0] for column in key)
        last = tuple(rows[column].iat[-1] for column in key)
        if not all(isinstance(value, str) for value in (*first, *last)) or \
                any(not isinstance(value, str) for row in keys for value in row):
            return None
        before = sum(1 for row in keys if row < first)
    except TypeError:
        return None
    if not all(row > last for row in keys[before:]):
        return None
    return kept.iloc[:before].reset_index(drop=True), kept.iloc[before:].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------------------------
# Report

PROBLEM_COLUMNS = {"de": ["Zeile", "Spalte", "Wert", "Problem"], "en": ["Line", "Column", "Value", "Problem"]}


def problems_table(problems: list[Problem], lang: str = "de") -> pd.DataFrame:
    """Problems as a table (line, column, value, message) sorted by line, whole-file problems first."""
    names = PROBLEM_COLUMNS["en" if lang == "en" else "de"]
    ordered = _sorted(list(problems))
    frame = pd.DataFrame({
        names[0]: pd.array([p.line for p in ordered], dtype="Int64"),
        names[1]: pd.Series(["" if p.column is None else str(p.column) for p in ordered], dtype="str"),
        names[2]: pd.Series(["" if p.value is None else str(p.value) for p in ordered], dtype="str"),
        names[3]: pd.Series([p.message_en if lang == "en" else p.message_de for p in ordered], dtype="str"),
    })
    return frame
