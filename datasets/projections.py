"""`projections` — every published skilled-labour demand and population projection as a vintage (study × horizon × measure)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from datasets.base import RAW_DIR, DatasetMeta, DatasetSpec, Source
from datasets.indicators_transcribed import (
    STATEMENT_SOURCE, find_row, german_number, number_in_text, page_sources, parse_unit, parse_values,
    published_date, read_statement_text, read_transcription, row_note, source_id_of)

#: measure vocabulary: what a projected figure counts.
MEASURES = {
    "total_demand": "Fachkräftebedarf insgesamt bis zum Zieljahr (Ersatz- plus Erweiterungsbedarf)",
    "replacement_demand": "Ersatzbedarf: Stellen, die durch Renteneintritte frei werden",
    "expansion_demand": "Erweiterungsbedarf: zusätzliche Stellen",
    "shortfall": "fehlende Fachkräfte: Bedarf, der voraussichtlich nicht gedeckt wird",
    "retirements": "altersbedingt aus dem Erwerbsleben Ausscheidende",
    "entrants": "Berufseinsteiger, die Ausscheidende ersetzen",
    "workforce_change": "Veränderung der Zahl der Erwerbstätigen (negativ = Rückgang)",
    "population": "vorausberechnete Bevölkerung im Zieljahr",
    "care_demand": "Bedarf an Pflegefachkräften",
    "demand_share_vocational": "Anteil des Bedarfs mit dualer Berufsausbildung",
}

COLUMNS = ["projection_id", "study", "publisher", "published", "base_year", "horizon_year", "measure", "value",
           "value_low", "value_high", "unit", "scenario", "source_id", "note"]

PRESS_RELEASE_DEMAND = r"Bis (\d{4}) werden in Thüringen ([\d.]+) Fachkräfte benötigt\."


class ProjectionsSchema(pa.DataFrameModel):
    projection_id: str = pa.Field(unique=True, str_matches=r"^[a-z0-9][a-z0-9-]*$",
                                  description="stable id: year published, study, measure, horizon")
    study: str = pa.Field(str_length={"min_value": 1}, description="study or statement the figure comes from")
    publisher: str = pa.Field(str_length={"min_value": 1}, description="who made or commissioned the projection")
    published: str = pa.Field(str_matches=r"^(\d{4}(-\d{2}(-\d{2})?)?)?$",
                              description="ISO date the figure was published ('' if not stated)")
    base_year: pd.Int64Dtype = pa.Field(nullable=True, ge=1990, le=2100,
                                        description="year the projection starts from (NA if not stated)")
    horizon_year: pd.Int64Dtype = pa.Field(nullable=True, ge=1990, le=2100,
                                           description="target year of the projection (NA for a span of studies)")
    measure: str = pa.Field(isin=list(MEASURES), description="; ".join(f"{k}: {v}" for k, v in MEASURES.items()))
    value: float = pa.Field(nullable=True, description="the figure; NA when only a range is published")
    value_low: float = pa.Field(nullable=True, description="lower end of a published range (NA otherwise)")
    value_high: float = pa.Field(nullable=True, description="upper end of a published range (NA otherwise)")
    unit: str = pa.Field(str_length={"min_value": 1}, description="unit of value, e.g. 'Personen', '%'")
    scenario: str = pa.Field(description="scenario or variant as published ('' = the only or main one)")
    source_id: str = pa.Field(str_length={"min_value": 1}, description="id of the `sources` row")
    note: str = pa.Field(description="'rund'/'etwa', wording in the source, caveats")

    class Config:
        strict = True
        ordered = True


META = DatasetMeta(
    name="projections",
    title_de="Prognosen zum Fachkräftebedarf und zur Bevölkerung",
    title_en="Projections of skilled-labour demand and population",
    description_de="Jede veröffentlichte Bedarfs- und Bevölkerungsprognose für Thüringen als eigener Stand: "
                   "Studie, Veröffentlichung, Basis- und Zieljahr, Größe, Wert (oder Spanne) und Quelle.",
    description_en="Every published demand and population projection for Thuringia as its own vintage: study, "
                   "publication, base and horizon year, measure, value (or range) and source.",
    unit="Personen",
    key=("projection_id",),
    period_column="horizon_year",
)


@dataclass(frozen=True)
class ProjectionRow:
    """Which transcription row is which projection."""

    projection_id: str
    kennzahl: str
    zeitraum: str
    measure: str
    study: str
    publisher: str
    sign: int = 1            # -1 where the source reports a decline as a positive number


_STUDY_2030 = "Fachkräftebedarf in Thüringen bis 2030 (Studie 2018)"
_STUDY_2035 = "Fachkräftestudie im Auftrag des Thüringer Arbeitsministeriums (2024)"

PROJECTION_ROWS: list[ProjectionRow] = [
    ProjectionRow("fachkraeftestudie-wirtschaftsministerium-total-demand-2020",
                  "Fachkräftebedarf bis 2020 (Fachkräftestudie Wirtschaftsministerium)", "bis 2020", "total_demand",
                  "Fachkräftestudie des Thüringer Wirtschaftsministeriums", "Thüringer Wirtschaftsministerium"),
    ProjectionRow("2015-uni-jena-care-demand-2030", "Pflegefachkräftebedarf in 15 Jahren (Uni Jena)", "2015-2030",
                  "care_demand", "Pflegefachkräftebedarf (Universität Jena)", "Universität Jena"),
    ProjectionRow("2018-studie-total-demand-2030", "Fachkräftebedarf bis 2030 (ZSH/Uni Jena-Studie)", "2018-2030",
                  "total_demand", _STUDY_2030, "ZSH / Universität Jena"),
    ProjectionRow("2018-studie-replacement-demand-2030", "Ersatzbedarf durch Altersrente bis 2030", "2018-2030",
                  "replacement_demand", _STUDY_2030, "ZSH / Universität Jena"),
    ProjectionRow("2018-studie-expansion-demand-2030", "zusätzlicher (Erweiterungs-)Bedarf bis 2030", "2018-2030",
                  "expansion_demand", _STUDY_2030, "ZSH / Universität Jena (laut Landeswelle: IAB-Betriebspanel 2017)"),
    ProjectionRow("2018-studie-demand-share-vocational-2030", "Anteil Bedarf mit dualer Berufsausbildung",
                  "2018-2030", "demand_share_vocational", _STUDY_2030, "ZSH / Universität Jena"),
    ProjectionRow("2018-fruehere-studien-total-demand-range", "Spanne früherer Studien (Fachkräftebedarf)",
                  "vor 2018", "total_demand", "Frühere Studien zum Fachkräftebedarf (Spanne laut dpa 2018)",
                  "verschiedene (nicht genannt)"),
    ProjectionRow("2019-tls-2-rbv-population-2040", "Bevölkerung 2040 (2. rBv TLS)", "2040", "population",
                  "2. regionalisierte Bevölkerungsvorausberechnung (TLS)", "Thüringer Landesamt für Statistik"),
    ProjectionRow("2023-tls-3-rbv-population-2042", "Bevölkerung 2042 (3. rBv TLS)", "2042", "population",
                  "3. regionalisierte Bevölkerungsvorausberechnung (TLS)", "Thüringer Landesamt für Statistik"),
    ProjectionRow("2023-ba-iab-retirements-2040", "altersbedingt ausscheidende Erwerbstätige bis 2040 (BA/IAB)",
                  "bis 2040", "retirements", "Prognose der Bundesagentur für Arbeit / IAB (2023)",
                  "Bundesagentur für Arbeit / IAB"),
    ProjectionRow("2023-ifo-retirements-2035", "altersbedingt ausscheidende Arbeitnehmer bis 2035 (ifo Dresden)",
                  "bis 2035", "retirements", "ifo Dresden (2023)", "ifo Institut, Niederlassung Dresden"),
    ProjectionRow("2024-fachkraeftestudie-shortfall-2035",
                  "fehlende Fachkräfte 2035 (Studie im Auftrag des Arbeitsministeriums)", "2035", "shortfall",
                  _STUDY_2035, "Thüringer Arbeitsministerium (Auftraggeber)"),
    ProjectionRow("2024-fachkraeftestudie-workforce-change-2035", "Rückgang Erwerbstätige 2021->2035 (gleiche Studie)",
                  "2021-2035", "workforce_change", _STUDY_2035, "Thüringer Arbeitsministerium (Auftraggeber)", sign=-1),
    ProjectionRow("2024-fachkraeftestudie-population-2035", "Bevölkerung 2035 (Fachkräftestudie 2024)", "2035",
                  "population", _STUDY_2035, "Thüringer Arbeitsministerium (Auftraggeber)"),
]

#: Base years of the TLS population projections, read from the rows that give their base population.
BASE_ROWS = {
    "2019-tls-2-rbv-population-2040": ("Bevölkerung Ende 2018 (Basis 2. rBv)", "2018"),
    "2023-tls-3-rbv-population-2042": ("Bevölkerung Ende 2021 (Basis 3. rBv)", "2021"),
}


def _years(zeitraum: str) -> tuple[int | None, int | None]:
    """(base_year, horizon_year) from '2018-2030', 'bis 2035', '2040'; (None, None) for 'vor 2018'."""
    text = zeitraum.strip()
    if match := re.fullmatch(r"(\d{4})-(\d{4})", text):
        return int(match.group(1)), int(match.group(2))
    if match := re.fullmatch(r"(?:bis )?(\d{4})", text):
        return None, int(match.group(1))
    if re.fullmatch(r"vor \d{4}", text):
        return None, None
    raise AssertionError(f"unexpected zeitraum '{zeitraum}' for a projection – the transcription changed upstream")


def _record(projection_id: str, *, study: str, publisher: str, published: str, base_year, horizon_year,
            measure: str, value=None, value_low=None, value_high=None, unit: str, source_id: str, note: str,
            kennzahl: str) -> dict:
    return {"projection_id": projection_id, "study": study, "publisher": publisher, "published": published,
            "base_year": base_year, "horizon_year": horizon_year, "measure": measure, "value": value,
            "value_low": value_low, "value_high": value_high, "unit": unit, "scenario": "", "source_id": source_id,
            "note": note, "kennzahl": kennzahl}


def press_release_projection(raw_dir: Path) -> dict:
    """The 18 May 2016 claim 'Bis 2025 werden in Thüringen 280.000 Fachkräfte benötigt', read from its text."""
    text = read_statement_text(raw_dir)
    match = re.search(PRESS_RELEASE_DEMAND, text)
    assert match is not None, f"the press release no longer says '{PRESS_RELEASE_DEMAND}' – text changed upstream"
    return _record(
        f"2016-staatskanzlei-total-demand-{match.group(1)}", study="Angabe der Landesregierung (Studie nicht genannt)",
        publisher="Thüringer Staatskanzlei", published=press_release_date(text), base_year=None,
        horizon_year=int(match.group(1)), measure="total_demand", value=german_number(match.group(2)),
        unit="Personen", source_id=STATEMENT_SOURCE.source_id,
        note=f"Wortlaut: „{match.group(0)}“; zugrunde liegende Studie in der Pressemitteilung nicht genannt",
        kennzahl=match.group(0))


GERMAN_MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
                 "November", "Dezember"]


def press_release_date(text: str) -> str:
    """'Erfurt, 18. Mai 2016.' -> '2016-05-18'."""
    match = re.search(r"Erfurt, (\d{1,2})\. (\w+) (\d{4})\.", text)
    assert match is not None and match.group(2) in GERMAN_MONTHS, "the press release dateline changed upstream"
    return f"{match.group(3)}-{GERMAN_MONTHS.index(match.group(2)) + 1:02d}-{int(match.group(1)):02d}"


def projection_rows(raw_dir: Path) -> list[dict]:
    """Every projection as a record, plus `kennzahl` (the wording of the figure in its source)."""
    table = read_transcription(raw_dir)
    records = [press_release_projection(raw_dir)]
    for spec in PROJECTION_ROWS:
        row = find_row(table, spec.kennzahl, spec.zeitraum)
        base_year, horizon_year = _years(spec.zeitraum)
        if spec.projection_id in BASE_ROWS:
            base_row = find_row(table, *BASE_ROWS[spec.projection_id])
            base_year = int(base_row["zeitraum"])
        values = parse_values(row["wert"])
        unit, _ = parse_unit(row["einheit"])
        common = dict(study=spec.study, publisher=spec.publisher, published=published_date(row["quelle_datum"]),
                      base_year=base_year, horizon_year=horizon_year, measure=spec.measure, unit=unit,
                      source_id=source_id_of(row), kennzahl=row["kennzahl"])
        note = row_note(row, "", extra="Rückgang, als negative Veränderung geführt" if spec.sign < 0 else "")
        if len(values) == 2:
            records.append(_record(spec.projection_id, value_low=values[0], value_high=values[1], note=note,
                                   **common))
        else:
            records.append(_record(spec.projection_id, value=spec.sign * values[0], note=note, **common))
        if spec.projection_id == "2023-ifo-retirements-2035":
            entrants = number_in_text(row["anmerkung"], r"Berufseinsteiger rund ([\d.]+)", "'Berufseinsteiger rund …'")
            records.append(_record("2023-ifo-entrants-2035", value=entrants,
                                   note=f"rund; aus der Anmerkung: {row['anmerkung']}",
                                   **{**common, "measure": "entrants", "kennzahl": "Ersatz durch Berufseinsteiger"}))
    return records


def build(raw_dir: Path) -> pd.DataFrame:
    """Every projection vintage, one row per study × measure × horizon, validated."""
    return _frame(projection_rows(raw_dir))


def _frame(records: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records)[COLUMNS].copy()
    for column in ("base_year", "horizon_year"):
        frame[column] = pd.array(frame[column].tolist(), dtype="Int64")
    for column in ("value", "value_low", "value_high"):
        frame[column] = pd.to_numeric(frame[column]).astype("float64")
    for column in [c for c in COLUMNS if c not in ("base_year", "horizon_year", "value", "value_low", "value_high")]:
        frame[column] = frame[column].astype(str)
    frame = frame.sort_values(["published", "projection_id"], kind="stable").reset_index(drop=True)
    return ProjectionsSchema.validate(frame)


def used_source_ids(raw_dir: Path = RAW_DIR) -> set[str]:
    table = read_transcription(raw_dir)
    return {source_id_of(find_row(table, spec.kennzahl, spec.zeitraum)) for spec in PROJECTION_ROWS} | {
        STATEMENT_SOURCE.source_id}


@lru_cache(maxsize=None)
def _sources() -> list[Source]:
    """The page sources this dataset cites — read from the raw files on first use, not at import."""
    return page_sources(RAW_DIR, used_source_ids(RAW_DIR))


def __getattr__(name: str):
    if name == "SOURCES":
        return _sources()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

SPEC = DatasetSpec(meta=META, schema=ProjectionsSchema, build=build)
