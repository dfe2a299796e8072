"""`recruitment_pilots` — recruitment and training projects for foreign skilled workers and apprentices (unknown = NA, never 0)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from datasets.base import RAW_DIR, DatasetMeta, DatasetSpec, Source
from datasets.indicators_transcribed import (
    REGION_CODES, STATEMENT_SOURCE, find_row, iso_period, number_in_text, page_sources, parse_unit, parse_values,
    published_date, read_statement_text, read_transcription, source_id_of)
from datasets.projections import press_release_date

COUNT_COLUMNS = ["target", "recruited", "started_training", "completed", "stayed"]
COLUMNS = ["pilot_id", "name", "origin_country", "sector", "region_code", "announced", "start", "end",
           *COUNT_COLUMNS, "funding_eur", "status", "status_date", "status_source_id", "source_id", "note"]

_ISO_OR_EMPTY = r"^(\d{4}(-\d{2}(-\d{2})?)?)?$"
_COUNT = dict(nullable=True, ge=0)

GREEK_PILOT = "griechenland-pflege-azubis"
SPAIN_PORTUGAL = "thueringen-fachkraeftewerbung-spanien-portugal"
MOBIPRO = "mobipro-eu"

#: Wording of the press release the pilot rows rely on (checked at build time).
PRESS_RELEASE_GREEK = "Ein erstes Projekt, bei dem griechische Jugendliche für eine Ausbildung im Pflegebereich " \
                      "gewonnen wurden, ist erfolgreich angelaufen."
PRESS_RELEASE_SPAIN_PORTUGAL = "aktive Werbung von Fachkräften im europäischen Umfeld wie Spanien oder Portugal"


class RecruitmentPilotsSchema(pa.DataFrameModel):
    pilot_id: str = pa.Field(unique=True, str_matches=r"^[a-z0-9][a-z0-9-]*$", description="stable id")
    name: str = pa.Field(str_length={"min_value": 1}, description="name of the project or programme")
    origin_country: str = pa.Field(description="country (or countries, ';'-separated) recruited from; '' unknown")
    sector: str = pa.Field(description="occupation or sector, e.g. 'Pflege'; '' unknown")
    region_code: str = pa.Field(str_matches=r"^(DG|\d{2}|\d{5})$",
                                description="where it runs: AGS (16 Thuringia, 16063 Wartburgkreis) or DG")
    announced: str = pa.Field(str_matches=_ISO_OR_EMPTY, description="ISO date/month/year announced; '' unknown")
    start: str = pa.Field(str_matches=_ISO_OR_EMPTY, description="ISO date/month/year it started; '' unknown")
    end: str = pa.Field(str_matches=_ISO_OR_EMPTY, description="ISO date/month/year it ended or ends; '' unknown")
    target: pd.Int64Dtype = pa.Field(**_COUNT, description="planned participants; NA = keine Angabe (never 0)")
    recruited: pd.Int64Dtype = pa.Field(**_COUNT, description="persons recruited/arrived; NA = keine Angabe")
    started_training: pd.Int64Dtype = pa.Field(**_COUNT, description="persons who started training; NA = keine Angabe")
    completed: pd.Int64Dtype = pa.Field(**_COUNT, description="persons who completed; NA = keine Angabe")
    stayed: pd.Int64Dtype = pa.Field(**_COUNT, description="persons who stayed in Thuringia; NA = keine Angabe")
    funding_eur: float = pa.Field(nullable=True, ge=0,
                                  description="public funding in EUR as published (total or per year, see note); NA")
    status: str = pa.Field(description="last known status in the source's words ('' unknown)")
    status_date: str = pa.Field(str_matches=_ISO_OR_EMPTY, description="ISO date the status was stated ('' unknown)")
    status_source_id: str = pa.Field(description="source of the status if not source_id ('' = same source)")
    source_id: str = pa.Field(str_length={"min_value": 1}, description="source of the project and its figures")
    note: str = pa.Field(description="caveats, e.g. 'etwa', what is not known")

    class Config:
        strict = True
        ordered = True


META = DatasetMeta(
    name="recruitment_pilots",
    title_de="Anwerbe- und Ausbildungsprojekte",
    title_en="Recruitment and training pilots",
    description_de="Projekte zur Gewinnung ausländischer Fachkräfte und Auszubildender: Herkunft, Branche, Zeitraum, "
                   "geplante und tatsächliche Teilnehmende, Förderung und Stand. Unbekanntes bleibt leer "
                   "(„keine Angabe“).",
    description_en="Projects recruiting foreign skilled workers and apprentices: origin, sector, period, planned and "
                   "actual participants, funding and status. Unknown values stay empty ('no information').",
    unit="Personen",
    key=("pilot_id",),
    period_column="start",
)


def _pilot(pilot_id: str, name: str, *, source_id: str, origin_country: str = "", sector: str = "",
           region_code: str = "16", announced: str = "", start: str = "", end: str = "", funding_eur=None,
           status: str = "", status_date: str = "", status_source_id: str = "", note: str = "", **counts) -> dict:
    assert set(counts) <= set(COUNT_COLUMNS), f"unknown count columns {set(counts) - set(COUNT_COLUMNS)}"
    return {"pilot_id": pilot_id, "name": name, "origin_country": origin_country, "sector": sector,
            "region_code": region_code, "announced": announced, "start": start, "end": end,
            **{column: counts.get(column) for column in COUNT_COLUMNS}, "funding_eur": funding_eur,
            "status": status, "status_date": status_date, "status_source_id": status_source_id,
            "source_id": source_id, "note": note}


def _count(row: pd.Series, position: int = 0) -> int:
    value = parse_values(row["wert"])[position]
    assert value == int(value), f"line {row['line']}: '{row['wert']}' is not a count"
    return int(value)


def _qualified(row: pd.Series, text: str = "") -> str:
    """The row's 'etwa'/'rund' and anmerkung, plus `text`, as a note."""
    _, qualifier = parse_unit(row["einheit"])
    return "; ".join(part for part in (qualifier, text, row["anmerkung"]) if part)


def build(raw_dir: Path) -> pd.DataFrame:
    """Every pilot, one row each, validated."""
    table = read_transcription(raw_dir)
    text = read_statement_text(raw_dir)
    for phrase in (PRESS_RELEASE_GREEK, PRESS_RELEASE_SPAIN_PORTUGAL):
        assert phrase in text, f"the press release no longer says '{phrase}' – text changed upstream"
    release_date = press_release_date(text)
    pilots = []

    greek = find_row(table, "Griechenland-Pflegeazubi-Initiative angekündigt (Ramelow, DHW, Deutschkurse in GR)",
                     "2015-07")
    assert greek["wert"] == "", "the Greek pilot row now has a figure – map it to a count column"
    # NOTE: no participant numbers of the Greek pilot exist in any stored source: every count stays NA.
    pilots.append(_pilot(
        GREEK_PILOT, "Griechische Jugendliche in der Pflegeausbildung (Initiative der Landesregierung)",
        source_id=source_id_of(greek), origin_country="Griechenland", sector="Altenpflege (Ausbildung)",
        announced=iso_period(greek["zeitraum"]), status="erfolgreich angelaufen", status_date=release_date,
        status_source_id=STATEMENT_SOURCE.source_id,
        note=f"Ankündigung: {greek['kennzahl']}; {greek['anmerkung']}"))

    pilots.append(_pilot(
        SPAIN_PORTUGAL, "Aktive Werbung von Fachkräften in Spanien und Portugal",
        source_id=STATEMENT_SOURCE.source_id, origin_country="Spanien; Portugal", sector="Fachkräfte (allgemein)",
        announced=release_date, status="laufende Werbung", status_date=release_date,
        note=f"Wortlaut: „{PRESS_RELEASE_SPAIN_PORTUGAL}“; erstmals belegt in der Pressemitteilung, Beginn und "
             "Teilnehmerzahlen nicht angegeben; bundesweite MobiPro-EU-Zahlen siehe Indikator mobipro_eu_applicants"))

    funds = find_row(table, "MobiPro-EU Bundesmittel bis 2016", "2013-2016")
    assert parse_unit(funds["einheit"])[0] == "Mio. EUR", "MobiPro-EU funds are no longer in Mio. EUR"
    stop = find_row(table, "MobiPro-EU Jugendliche gekommen 2015 und 2016", "2015-2016")
    assert "Keine Verlängerung" in stop["quelle_titel"], "hib 518/2019 title changed: status needs a new look"
    pilots.append(_pilot(
        MOBIPRO, "MobiPro-EU – Sonderprogramm des Bundes zur Förderung der beruflichen Mobilität junger Menschen "
                 "aus Europa", source_id=source_id_of(funds), origin_country="EU-Staaten",
        sector="Ausbildung (alle Branchen)", region_code=REGION_CODES[funds["region"]],
        start=iso_period(funds["zeitraum"]).split("/")[0], funding_eur=parse_values(funds["wert"])[0] * 1_000_000,
        status="keine Verlängerung", status_date=published_date(stop["quelle_datum"]),
        status_source_id=source_id_of(stop),
        note=f"funding_eur: {funds['kennzahl']} ({funds['zeitraum']}); bundesweites Programm, keine Zahlen "
             "für Thüringen; Antragstellende und eingereiste Jugendliche siehe Indikatoren mobipro_eu_*"))

    salvador = find_row(table, "Pflege-Azubis aus El Salvador in 5 Altenpflegeheimen", "undatiert")
    pilots.append(_pilot(
        "el-salvador-pflege-azubis", "Pflege-Azubis aus El Salvador", source_id=source_id_of(salvador),
        origin_country="El Salvador", sector="Altenpflege (Ausbildung)", region_code=REGION_CODES[salvador["region"]],
        started_training=_count(salvador), note=_qualified(salvador, "undatiert")))

    salzungen = find_row(
        table, "Auszubildende aus Italien / Polen im Klinikum Bad Salzungen (Pflege, 1. Ausbildungsjahr)", "undatiert")
    for position, (pilot_id, country) in enumerate((("bad-salzungen-pflege-italien", "Italien"),
                                                     ("bad-salzungen-pflege-polen", "Polen"))):
        pilots.append(_pilot(
            pilot_id, f"Pflege-Auszubildende aus {country} im Klinikum Bad Salzungen", source_id=source_id_of(salzungen),
            origin_country=country, sector="Pflege (Ausbildung)", region_code=REGION_CODES[salzungen["region"]],
            started_training=_count(salzungen, position), note=_qualified(salzungen, "1. Ausbildungsjahr; undatiert")))

    school = find_row(table, "German Professional School Eisenach: geplante Teilnehmende Pilotphase bis 2026",
                      "2024-2026")
    school_start, school_end = iso_period(school["zeitraum"]).split("/")
    pilots.append(_pilot(
        "german-professional-school-eisenach", "German Professional School Eisenach (Pilotphase)",
        source_id=source_id_of(school), sector="Ausbildungsvorbereitung für Migranten",
        region_code=REGION_CODES[school["region"]], start=school_start, end=school_end, target=_count(school),
        funding_eur=number_in_text(school["anmerkung"], r"Landesmittel ([\d.,]+) Mio\. EUR",
                                   "'Landesmittel … Mio. EUR'") * 1_000_000,
        note=_qualified(school, "geplante Teilnehmende")))

    catt = find_row(table, "CATT: usbekische Azubis in Südthüringen begleiten", "2026-2028")
    catt_start, catt_end = iso_period(catt["zeitraum"]).split("/")
    pilots.append(_pilot(
        "catt-usbekistan-azubis", "CATT – Central Asian Talents for Thuringia", source_id=source_id_of(catt),
        origin_country="Usbekistan", sector="Ausbildung", region_code=REGION_CODES[catt["region"]],
        start=catt_start, end=catt_end, target=_count(catt), note=_qualified(catt, "Azubis in Südthüringen begleiten")))

    grant = find_row(table, "Landeszuschuss je Pflege-Azubi aus Nicht-EU (vorher 4.000)", "undatiert")
    per_apprentice = parse_values(grant["wert"])[0]
    pilots.append(_pilot(
        "landeszuschuss-pflege-azubis-nicht-eu", "Landeszuschuss für Pflege-Auszubildende aus Nicht-EU-Staaten",
        source_id=source_id_of(grant), origin_country="Nicht-EU-Staaten", sector="Pflege (Ausbildung)",
        region_code=REGION_CODES[grant["region"]],
        funding_eur=number_in_text(grant["anmerkung"], r"Gesamtmittel im Jahr: ([\d.]+) EUR", "'Gesamtmittel im Jahr'"),
        note=f"Gesamtmittel je Jahr; Zuschuss je Azubi {per_apprentice:.0f} {grant['einheit']} "
             f"({grant['kennzahl'].split('(')[-1].rstrip(')')}); undatiert"))
    return _frame(pilots)


def _frame(pilots: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(pilots, columns=COLUMNS)
    for column in COUNT_COLUMNS:
        frame[column] = pd.array(frame[column].tolist(), dtype="Int64")
    frame["funding_eur"] = pd.to_numeric(frame["funding_eur"]).astype("float64")
    for column in [c for c in COLUMNS if c not in (*COUNT_COLUMNS, "funding_eur")]:
        frame[column] = frame[column].astype(str)
    frame = frame.sort_values("pilot_id", kind="stable").reset_index(drop=True)
    return RecruitmentPilotsSchema.validate(frame)


def source_ids_of(frame: pd.DataFrame) -> list[str]:
    """Every source a pilot row cites: its own and the one for its status."""
    return sorted((set(frame["source_id"]) | set(frame["status_source_id"])) - {""})


@lru_cache(maxsize=None)
def _sources() -> list[Source]:
    """The page sources this dataset cites — read from the raw files on first use, not at import."""
    return page_sources(RAW_DIR, set(source_ids_of(build(RAW_DIR))))


def __getattr__(name: str):
    if name == "SOURCES":
        return _sources()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

SPEC = DatasetSpec(meta=META, schema=RecruitmentPilotsSchema, build=build, source_ids=source_ids_of)
