"""Indicator rows from the official statistics files in data/raw/ (GENESIS, Regionalstatistik, INKAR, TLS, BAMF, Zensus)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from datasets import regions
from datasets.base import Source
from datasets.indicators import BREAKDOWNS, COLUMNS, IndicatorDef

# ---------------------------------------------------------------------------------------------------------------
# Sources: one per raw file

_DESTATIS_LICENCE = ("© Statistisches Bundesamt (Destatis), 2026; Datenlizenz Deutschland – Namensnennung 2.0 "
                     "(dl-de/by-2-0)")
_REGIONALSTATISTIK_LICENCE = ("© Statistische Ämter des Bundes und der Länder, Deutschland, 2017; Datenlizenz "
                              "Deutschland – Namensnennung – Version 2.0")
_PYSTATIS = "https://github.com/CorrelAid/pystatis/blob/b6e0dd8/tests/cassettes/{table}.yaml"
_PYSTATIS_NOTE = ("Recorded GENESIS-Online API response (ffcsv) in the test suite of CorrelAid/pystatis, "
                  "snapshot commit b6e0dd8; only rows were filtered, header and byte format kept.")
_GENESAPI = ("https://github.com/datenguide/genesapi-data/blob/75112493298aa46cd7433262f14e07ea0b82b448/src/"
             "{table}_00.csv")
_GENESAPI_NOTE = ("Regionalstatistik.de table export downloaded by datenguide in Oct 2017 (Stand 10.10.2017), "
                  "repository datenguide/genesapi-data, copied whole.")
_BAMF = ("https://github.com/muc-fluechtlingsrat/bamf-asylgeschaeftsstatistik/blob/"
         "7fc82b298dd262b75efea599657c9a338ab2c16a/raw/{year}/{year}.csv")


def _flat_source(source_id: str, table: str, title: str, raw_name: str, note: str = "") -> Source:
    return Source(source_id=source_id, title=f"GENESIS-Online {table}: {title}", publisher="Statistisches Bundesamt (Destatis)",
                  url=_PYSTATIS.format(table=table), licence=_DESTATIS_LICENCE, published="",
                  accessed="2026-03-10", confidence="high", note=" ".join(filter(None, [_PYSTATIS_NOTE, note])),
                  raw_path=f"destatis-genesis/{raw_name}")


def _classic_source(source_id: str, table: str, title: str, note: str = "") -> Source:
    return Source(source_id=source_id, title=f"Regionalstatistik {table}: {title}",
                  publisher="Statistische Ämter des Bundes und der Länder (regionalstatistik.de)",
                  url=_GENESAPI.format(table=table), licence=_REGIONALSTATISTIK_LICENCE, published="2017-10-10",
                  accessed="2018-06-24", confidence="high", note=" ".join(filter(None, [_GENESAPI_NOTE, note])),
                  raw_path=f"regionalstatistik-genesapi-data/{table}_00.csv")


POPULATION_CLASSIC = _classic_source(
    "regionalstatistik-12411-01-01-4", "12411-01-01-4", "Bevölkerung nach Geschlecht, Kreise, 31.12.1995–31.12.2015",
    "Break in 2011: from 2011 the population is updated from the Zensus 2011.")
POPULATION_2024 = _flat_source(
    "destatis-12411-01-01-4-2024", "12411-01-01-4", "Bevölkerung nach Geschlecht, Kreise, 31.12.2024",
    "12411-01-01-4_bevoelkerung_kreise_2024-12-31_thueringen.csv",
    "Still lists 16056 Eisenach (part of the Wartburgkreis since 01.07.2021) with '-'.")
EMPLOYEES_CLASSIC = _classic_source(
    "regionalstatistik-13111-01-03-4", "13111-01-03-4",
    "Sozialversicherungspflichtig Beschäftigte am Arbeitsort nach Geschlecht und Nationalität, Kreise, 30.06.2012–2015")
EMPLOYEES_2025 = _flat_source(
    "destatis-13111-01-03-4-2025", "13111-01-03-4",
    "Sozialversicherungspflichtig Beschäftigte am Arbeitsort nach Nationalität und Geschlecht, 30.06.2025",
    "13111-01-03-4_svb_arbeitsort_nationalitaet_2025-06-30_thueringen.csv",
    "Only the Land row 16 has values; every Kreis row is '-' in this response (kept as NA with flag).")
EMPLOYEES_LAENDER = _flat_source(
    "destatis-13111-0005", "13111-0005",
    "Sozialversicherungspflichtig Beschäftigte am Arbeitsort, Bundesländer, Geschlecht, Quartale 2023–2025",
    "13111-0005_svb_arbeitsort_laender_quartale_2023-2025_alle_laender.csv", "Complete file, all 16 Länder.")
EMPLOYEES_BY_SECTOR = _classic_source(
    "regionalstatistik-13111-07-05-4", "13111-07-05-4",
    "Sozialversicherungspflichtig Beschäftigte am Arbeitsort nach Geschlecht, Nationalität und WZ 2008, Kreise, "
    "30.06.2015",
    "Sectors are hierarchical (B-F = B-E + F, C is part of B-E, G-U holds G-I, J, K, L, …): do not sum all of them.")
EMPLOYED_CLASSIC = _classic_source(
    "regionalstatistik-13312-01-04-4", "13312-01-04-4",
    "Erwerbstätige nach Wirtschaftsbereichen (WZ 2008), Jahresdurchschnitt, Kreise, 2000–2014",
    "Berechnungsstand August 2015 of the Arbeitskreis Erwerbstätigenrechnung; later revisions differ "
    "(see the TLS series).")
EMPLOYED_TLS = Source(
    source_id="tls-erwerbstaetige-zr002007",
    title="Erwerbstätige (Inlandskonzept) nach Wirtschaftsbereichen in Thüringen, 1991–2020 (Zeitreihe zr002007)",
    publisher="Thüringer Landesamt für Statistik (TLS)",
    url="https://statistik.thueringen.de/datenbank/Portrait-Zeitreihe.asp?tabelle=zr002007",
    licence="TLS: Vervielfältigung und Verbreitung, auch auszugsweise, mit Quellenangabe gestattet",
    published="2025", accessed="", confidence="medium",
    note="TRANSKRIPTION of the page text (Berechnungsstand August 2025); only the rows A–T, A, B–F, B–E, C were "
         "available. Differs from Regionalstatistik 13312-01-04-4 (Berechnungsstand August 2015), e.g. 2014 "
         "1039.9 vs 1047.1 thousand: both are kept.",
    raw_path="tls-thueringen-pages/tls_erwerbstaetige_inlandskonzept_wirtschaftsbereiche_1991-2020_TRANSKRIPTION.csv")
ASYLUM_BENEFITS = _classic_source(
    "regionalstatistik-22221-01-01-4", "22221-01-01-4",
    "Empfänger von Asylbewerberregelleistungen nach Geschlecht, Art der Leistung, Altersgruppen, Kreise, "
    "31.12.2010–2015",
    "Saarland's Land result includes the Landesaufnahmestelle, so its Kreise do not add up to the Land.")
PROTECTION_SEEKERS = _flat_source(
    "destatis-12531-0043-2024", "12531-0043",
    "Schutzsuchende nach Kreisen, Geschlecht, Schutzstatuskategorie und Staatsangehörigkeit, 31.12.2024",
    "12531-0043_schutzsuchende_kreise_2024-12-31_thueringen.csv",
    "Only non-empty cells, values rounded to multiples of 5. Status categories are hierarchical: "
    "SCHUTZST-AK-1 = AK-2 + AK-5, AK-2 = AK-3 + AK-4; AUSRPFL-G/-V/-L are sub-groups of SCHUTZST-X. "
    "Totals: sum only SCHUTZST-AK-1, SCHUTZST-OF and SCHUTZST-X.")
PROTECTION_SEEKERS_LAENDER = Source(
    source_id="derived-12531-0043-2024-laender",
    title="Schutzsuchende am 31.12.2024 nach Land und Schutzstatuskategorie (Summe der gerundeten Kreiszellen "
          "aus GENESIS 12531-0043)",
    publisher="Statistisches Bundesamt (Destatis); summed by the compiler of data/raw",
    url=_PYSTATIS.format(table="12531-0043"), licence=_DESTATIS_LICENCE, published="", accessed="2026-03-10",
    confidence="medium",
    note="DERIVED: sum of all Kreis × sex × nationality cells of the full (all-Germany) 12531-0043 response by Land "
         "and status. Source cells are rounded and small cells may be suppressed, so the sums are slightly below "
         "the official totals (e.g. Germany OF 419 495 vs published 427 000).",
    raw_path="destatis-genesis/DERIVED_12531-0043_schutzsuchende_2024-12-31_summe_nach_land_und_status.csv")
INKAR = Source(
    source_id="inkar-via-german-election-results",
    title="INKAR Kreisindikatoren (Arbeitslosenquote, Zu-/Fortzugsrate, Haushaltseinkommen, Asylbewerber), "
          "Thüringer Kreise 1995–2020",
    publisher="Bundesinstitut für Bau-, Stadt- und Raumforschung (BBSR), via shahabday/German-Election-Results",
    url="https://github.com/shahabday/German-Election-Results/blob/1c8b06154667cecb79718bc5b9e4dedfa767dad0/"
        "processed/covariates/county_inkar_additional.csv",
    licence="INKAR © BBSR, Datenlizenz Deutschland – Namensnennung 2.0 (dl-de/by-2-0); the repository states no "
            "licence of its own",
    published="", accessed="", confidence="medium",
    note="TRANSKRIPTION: the Thuringian rows were copied verbatim through a file index (no snapshot). Units per the "
         "repository's metric definitions; the household income unit (€ per inhabitant and month) is not "
         "confirmed. Empty cells are not included. Counties with initial-reception facilities show spikes "
         "(16074 asylum seekers 2015: 88.49 per 1000).",
    raw_path="inkar-via-german-election-results/county_inkar_additional_thueringen.csv")


def _bamf_source(year: int) -> Source:
    return Source(
        source_id=f"bamf-asylgeschaeftsstatistik-{year}",
        title=f"BAMF Asylgeschäftsstatistik {year}: Asylanträge und Entscheidungen nach Herkunftsland, Deutschland",
        publisher="Bundesamt für Migration und Flüchtlinge (BAMF), via muc-fluechtlingsrat/bamf-asylgeschaeftsstatistik",
        url=_BAMF.format(year=year),
        licence="BAMF publication; repository README: „Diese Daten sind öffentlich und jede/r ist willkommen, sie zu "
                "nutzen.“ (no licence file)",
        published="", accessed="2022-01", confidence="high",
        note="Extracted with Tabula from BAMF PDFs (pre-2017 via FragDenStaat IFG requests). National only. "
             "The summed first-time applications equal BAMF's published annual total (checked in the build).",
        raw_path=f"bamf-asylgeschaeftsstatistik-muc/{year}_herkunftslaender_deutschland.csv")


BAMF_SOURCES = {year: _bamf_source(year) for year in (2015, 2016, 2018)}
#: BAMF's published yearly totals of first-time applications (SOURCES.md §7).
BAMF_FIRST_APPLICATIONS_TOTAL = {2015: 441_899, 2016: 722_370, 2018: 161_931}
CENSUS = _flat_source(
    "destatis-1000a-2022", "1000A-2022",
    "Zensus 2022, Bevölkerung kompakt: Alter (10er-Jahresgruppen) × Einwanderungsgeschichte, Thüringen und Deutschland",
    "1000A-2022_zensus2022_alter_einwanderungsgeschichte_thueringen_und_de.csv",
    "Stichtag 15.05.2022. '-' with empty quality flag for suppressed cells; 'e' = endgültig. Categories are "
    "hierarchical: total = ohne + einseitige + (beidseitige) Einwanderungsgeschichte, the latter = Eingewanderte "
    "+ Nachkommen.")
MUNICIPALITIES = _flat_source(
    "destatis-11111-02-01-4-2024", "11111-02-01-4", "Zahl der Gemeinden nach Kreisen, 31.12.2024",
    "11111-02-01-4_zahl_gemeinden_kreise_2024-12-31_thueringen.csv")

SOURCES = [POPULATION_CLASSIC, POPULATION_2024, EMPLOYEES_CLASSIC, EMPLOYEES_2025, EMPLOYEES_LAENDER,
           EMPLOYEES_BY_SECTOR, EMPLOYED_CLASSIC, EMPLOYED_TLS, ASYLUM_BENEFITS, PROTECTION_SEEKERS,
           PROTECTION_SEEKERS_LAENDER, INKAR, *BAMF_SOURCES.values(), CENSUS, MUNICIPALITIES]

# ---------------------------------------------------------------------------------------------------------------
# Indicator definitions

INDICATORS = [
    IndicatorDef("population", "Bevölkerung", "Population", "Personen",
                 "Bevölkerungsstand am Stichtag (Fortschreibung), nach Geschlecht.",
                 "Population on the reference date (intercensal update), by sex."),
    IndicatorDef("employees_svb", "Sozialversicherungspflichtig Beschäftigte (Arbeitsort)",
                 "Employees subject to social insurance (place of work)", "Personen",
                 "SV-Beschäftigte am Stichtag (amtliche Tabellen: am Arbeitsort), nach Geschlecht, Nationalität "
                 "und Wirtschaftszweig.",
                 "Employees subject to social insurance at their place of work on the reference date, by sex, "
                 "nationality and sector."),
    IndicatorDef("employed_persons", "Erwerbstätige (Jahresdurchschnitt)", "Persons in employment (annual average)",
                 "1000 Personen",
                 "Erwerbstätige am Arbeitsort (Inlandskonzept) im Jahresdurchschnitt, in 1000, nach Wirtschaftsbereich; "
                 "verschiedene Berechnungsstände werden getrennt nach Quelle geführt.",
                 "Persons in employment at their place of work (domestic concept), annual average, in thousands, by "
                 "sector; different calculation vintages are kept apart by source."),
    IndicatorDef("asylum_benefit_recipients", "Empfänger von Asylbewerberregelleistungen",
                 "Recipients of standard asylum-seeker benefits", "Personen",
                 "Empfänger von Regelleistungen nach dem Asylbewerberleistungsgesetz am 31.12., nach Geschlecht, "
                 "Art der Leistung und Altersgruppe.",
                 "Recipients of standard benefits under the Asylum Seekers' Benefits Act on 31 Dec, by sex, kind of "
                 "benefit and age group."),
    IndicatorDef("protection_seekers", "Schutzsuchende", "Persons seeking protection", "Personen",
                 "Schutzsuchende (Ausländerzentralregister) am Stichtag nach Schutzstatuskategorie, Geschlecht und "
                 "Staatsangehörigkeit. Die Kategorien sind hierarchisch: für Summen nur anerkannt (AK-1), offen (OF) "
                 "und ohne Schutzstatus (X) addieren.",
                 "Persons seeking protection (Central Register of Foreigners) on the reference date by protection "
                 "status, sex and nationality. Categories are hierarchical: for totals add only recognised (AK-1), "
                 "open (OF) and without status (X)."),
    IndicatorDef("unemployment_rate", "Arbeitslosenquote", "Unemployment rate", "%",
                 "Arbeitslosenquote (INKAR).", "Unemployment rate (INKAR).", is_count=False),
    IndicatorDef("in_migration_rate", "Zuzugsrate", "In-migration rate", "je 1000 Einwohner",
                 "Zuzüge je 1000 Einwohner (INKAR).", "Persons moving in per 1000 inhabitants (INKAR).",
                 is_count=False),
    IndicatorDef("out_migration_rate", "Fortzugsrate", "Out-migration rate", "je 1000 Einwohner",
                 "Fortzüge je 1000 Einwohner (INKAR).", "Persons moving out per 1000 inhabitants (INKAR).",
                 is_count=False),
    IndicatorDef("household_income", "Haushaltseinkommen", "Household income", "Euro je Einwohner und Monat",
                 "Verfügbares Haushaltseinkommen (INKAR); Einheit laut Quelle € je Einwohner und Monat, nicht bestätigt.",
                 "Disposable household income (INKAR); unit per the source € per inhabitant and month, not confirmed.",
                 is_count=False),
    IndicatorDef("asylum_seekers_per_1000_inhabitants", "Asylbewerber je 1000 Einwohner",
                 "Asylum seekers per 1000 inhabitants", "je 1000 Einwohner",
                 "Asylbewerber je 1000 Einwohner (INKAR, 2010–2020); Kreise mit Erstaufnahmeeinrichtung zeigen Spitzen.",
                 "Asylum seekers per 1000 inhabitants (INKAR, 2010–2020); districts with initial-reception "
                 "facilities show spikes.", is_count=False),
    IndicatorDef("asylum_first_applications", "Asylerstanträge", "First-time asylum applications", "Anträge",
                 "Beim BAMF gestellte Asylerstanträge im Zeitraum (Deutschland nach Herkunftsland aus der "
                 "BAMF-Statistik; Thüringen aus amtlichen und Presseseiten).",
                 "First-time asylum applications lodged with BAMF in the period (Germany by country of origin from "
                 "the BAMF statistics; Thuringia from official and press pages)."),
    IndicatorDef("asylum_applications_total", "Asylanträge insgesamt", "Asylum applications (total)", "Anträge",
                 "Asylanträge (Erst- und Folgeanträge) beim BAMF im Zeitraum (Deutschland nach Herkunftsland aus der "
                 "BAMF-Statistik; Thüringen aus amtlichen und Presseseiten).",
                 "Asylum applications (first and follow-up) lodged with BAMF in the period (Germany by country of "
                 "origin from the BAMF statistics; Thuringia from official and press pages)."),
    IndicatorDef("population_census", "Bevölkerung (Zensus 2022)", "Population (census 2022)", "Personen",
                 "Bevölkerung am Zensusstichtag 15.05.2022 nach Altersgruppe und Einwanderungsgeschichte.",
                 "Population on the census day 15 May 2022 by age group and immigration history."),
    IndicatorDef("municipalities_count", "Zahl der Gemeinden", "Number of municipalities", "Gemeinden",
                 "Zahl der Gemeinden je Kreis am Stichtag.", "Number of municipalities per district on the reference date."),
]
_UNIT = {definition.indicator_id: definition.unit for definition in INDICATORS}

# protection_seekers rows (12531-0043 and its DERIVED Land sums): `status` holds the category label as published
# (e.g. "Anerkannter Schutzstatus", typos kept), `breakdown` holds its stable code as
# "Schutzstatuskategorie=SCHUTZST-AK-1". Filter on the code, show the label.
#: Top-level protection-status categories of 12531: together they are all protection seekers, without overlap.
_TOP_LEVEL_STATUS_CODES = ("SCHUTZST-AK-1", "SCHUTZST-OF", "SCHUTZST-X")
PROTECTION_STATUS_VARIABLE = "Schutzstatuskategorie"


def protection_seekers_total_status_codes() -> tuple[str, ...]:
    """The non-overlapping top-level status codes (AK-1 anerkannt, OF offen, X ohne): sum these, never all."""
    return _TOP_LEVEL_STATUS_CODES


def protection_status_code(frame: pd.DataFrame) -> pd.Series:
    """The 12531 status code of each protection_seekers row (from `breakdown`, '' where there is none)."""
    prefix = PROTECTION_STATUS_VARIABLE + "="
    breakdown = frame["breakdown"].astype("str")
    return breakdown.where(breakdown.str.startswith(prefix), "").str.removeprefix(prefix)


def is_top_level_protection_status(frame: pd.DataFrame) -> pd.Series:
    """True for rows whose status is one of protection_seekers_total_status_codes() (safe to sum)."""
    return protection_status_code(frame).isin(_TOP_LEVEL_STATUS_CODES)


# ---------------------------------------------------------------------------------------------------------------
# Build

_TEXT_COLUMNS = [column for column in COLUMNS if column != "value"]
_KEY = ["indicator_id", "region_code", "period", *BREAKDOWNS, "source_id"]


def build(raw_dir: Path) -> pd.DataFrame:
    """Every indicator row from the official statistics files, with exactly indicators.COLUMNS, deterministic."""
    raw_dir = Path(raw_dir)
    parts = [
        _population_classic(raw_dir), _population_2024(raw_dir),
        _employees_classic(raw_dir), _employees_2025(raw_dir), _employees_laender(raw_dir),
        _employees_by_sector(raw_dir),
        _employed_classic(raw_dir), _employed_tls(raw_dir),
        _asylum_benefits(raw_dir),
        _protection_seekers(raw_dir), _protection_seekers_laender(raw_dir),
        _inkar(raw_dir), *(_bamf(raw_dir, year) for year in BAMF_SOURCES),
        _census(raw_dir), _municipalities(raw_dir),
    ]
    frame = pd.concat(parts, ignore_index=True)
    names = {code: regions.region_name(code, raw_dir=raw_dir) for code in frame["region_code"].unique()}
    frame["region_name"] = frame["region_code"].map(names)
    frame["unit"] = frame["indicator_id"].map(_UNIT)
    missing_names = sorted(frame.loc[frame["region_name"] == "", "region_code"].unique())
    assert not missing_names, f"region codes without a name in the registry: {missing_names}"
    for column in _TEXT_COLUMNS:
        frame[column] = frame[column].fillna("").astype("str")
    frame["value"] = frame["value"].astype("float64")
    frame = frame[COLUMNS].sort_values(_KEY, kind="stable").reset_index(drop=True)
    duplicated = frame.duplicated(_KEY, keep=False)
    assert not duplicated.any(), f"duplicate indicator keys, e.g. {frame.loc[duplicated, _KEY].head(2).to_dict('records')}"
    return frame


def _rows(frame: pd.DataFrame, **columns) -> pd.DataFrame:
    """A part of the result: every COLUMNS entry given as a Series aligned with `frame` or a scalar ('' if absent)."""
    part = pd.DataFrame(index=frame.index)
    for column in COLUMNS:
        if column in ("region_name", "unit"):
            continue
        value = columns.pop(column, np.nan if column == "value" else "")
        part[column] = value
    assert not columns, f"unknown columns {sorted(columns)}"
    return part.reset_index(drop=True)


def _read_csv(path: Path, expected_columns: list[str], **options) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype="str", keep_default_na=False, **options)
    assert list(frame.columns) == expected_columns, (
        f"{path.name} layout changed: expected columns {expected_columns}, got {list(frame.columns)}")
    return frame


def _number(text: pd.Series) -> pd.Series:
    numbers = pd.to_numeric(text.str.strip(), errors="coerce")
    bad = text[numbers.isna() & (text.str.strip() != "")]
    assert bad.empty, f"non-numeric cells where numbers were expected: {bad.head(3).tolist()}"
    return numbers.astype("float64")


_INKAR_COLUMNS = {
    "Arbeitslosenquote_inkar": "unemployment_rate",
    "Zuzugsrate_inkar": "in_migration_rate",
    "Fortzugsrate_inkar": "out_migration_rate",
    "Haushaltseinkommen_inkar": "household_income",
    "Asylbewerber_inkar": "asylum_seekers_per_1000_inhabitants",
}


def _inkar(raw_dir: Path) -> pd.DataFrame:
    frame = _read_csv(raw_dir / INKAR.raw_path, ["county", "year", *_INKAR_COLUMNS])
    long = frame.melt(id_vars=["county", "year"], value_vars=list(_INKAR_COLUMNS), var_name="column",
                      value_name="text")
    # NOTE: INKAR leaves a cell empty where the indicator does not exist for that year (e.g. asylum seekers
    # before 2010); such cells are not figures and are left out rather than turned into NA rows.
    long = long[long["text"].str.strip() != ""]
    codes = long["county"].str.strip().str.zfill(5)
    assert codes.str.fullmatch(r"16\d{3}").all(), "INKAR extract changed: expected only Thuringian Kreise 16xxx"
    return _rows(long, indicator_id=long["column"].map(_INKAR_COLUMNS), region_code=codes,
                 period=long["year"].str.strip(), value=_number(long["text"]), source_id=INKAR.source_id)


def _sector_label(label: str) -> str:
    """One spelling of a WZ 2008 sector label across sources ('darunter …', '(B - E)' -> '(B-E)')."""
    label = " ".join(str(label).split()).removeprefix("darunter ")
    return label.replace(" - ", "-") if label.endswith(")") else label


def _employed_tls(raw_dir: Path) -> pd.DataFrame:
    frame = _read_csv(raw_dir / EMPLOYED_TLS.raw_path, ["jahr", "wz2008_code", "merkmal", "einheit", "wert_1000_personen"])
    assert (frame["einheit"] == "1 000").all(), "TLS transcription changed: expected the unit '1 000' (thousand persons)"
    # NOTE: TLS prints the total as 'Erwerbstätige insgesamt (A - T)'; that is the row without sector breakdown.
    sector = frame["merkmal"].map(_sector_label).where(frame["wz2008_code"] != "A-T", "")
    return _rows(frame, indicator_id="employed_persons", region_code=regions.THURINGIA, period=frame["jahr"],
                 sector=sector, value=_number(frame["wert_1000_personen"]), source_id=EMPLOYED_TLS.source_id,
                 note="Berechnungsstand August 2025")


def _bamf(raw_dir: Path, year: int) -> pd.DataFrame:
    source = BAMF_SOURCES[year]
    frame = pd.read_csv(raw_dir / source.raw_path, dtype="str", keep_default_na=False)
    first, total = "ASYLANTRAEGE davon Erstantraege", "ASYLANTRAEGE insgesamt"
    assert {"Herkunftsland", first, total} <= set(frame.columns), f"{source.raw_path} layout changed: columns missing"
    period = frame["YEAR_MONTH"].str.strip() if "YEAR_MONTH" in frame else pd.Series(str(year), index=frame.index)
    assert (period == str(year)).all(), (
        f"{source.raw_path} changed: YEAR_MONTH holds {sorted(period.unique())[:3]}, expected the year {year}")
    first_applications = _number(frame[first])
    assert first_applications.sum() == BAMF_FIRST_APPLICATIONS_TOTAL[year], (
        f"BAMF {year} changed: first-time applications sum to {first_applications.sum():,.0f}, "
        f"BAMF published {BAMF_FIRST_APPLICATIONS_TOTAL[year]:,}")
    country = frame["Herkunftsland"].str.strip()
    note = "Herkunftsland laut BAMF"
    return pd.concat([
        _rows(frame, indicator_id="asylum_first_applications", region_code=regions.GERMANY, period=period,
              nationality=country, value=first_applications, source_id=source.source_id, note=note),
        _rows(frame, indicator_id="asylum_applications_total", region_code=regions.GERMANY, period=period,
              nationality=country, value=_number(frame[total]), source_id=source.source_id, note=note),
    ], ignore_index=True)


def _protection_seekers_laender(raw_dir: Path) -> pd.DataFrame:
    source = PROTECTION_SEEKERS_LAENDER
    frame = _read_csv(raw_dir / source.raw_path, ["stichtag", "land_code", "land_name", "schutzstatus_code",
                                                  "schutzstatus_label", "summe_gerundeter_kreiszellen"], sep=";")
    return _rows(frame, indicator_id="protection_seekers", region_code=frame["land_code"].str.strip(),
                 period=frame["stichtag"].str.strip(), status=frame["schutzstatus_label"].str.strip(),
                 breakdown=PROTECTION_STATUS_VARIABLE + "=" + frame["schutzstatus_code"].str.strip(),
                 value=_number(frame["summe_gerundeter_kreiszellen"]), source_id=source.source_id,
                 note="Summe gerundeter Kreiszellen (abgeleitet), etwas unter der amtlichen Summe")


# ---------------------------------------------------------------------------------------------------------------
# GENESIS files, read with loaders.load_file

_SEX = {"Insgesamt": "", "männlich": "männlich", "weiblich": "weiblich"}
_NATIONALITY = {"Insgesamt": "", "ausländisch": "ausländisch", "Ausländer(innen)": "ausländisch"}


def _load_genesis(raw_dir: Path, source: Source) -> pd.DataFrame:
    frame = regions.load_raw(raw_dir / source.raw_path)
    assert len(frame), f"{source.raw_path} has no rows any more"
    return frame


def _column(frame: pd.DataFrame, name: str, source: Source) -> pd.Series:
    assert name in frame, f"{source.raw_path} layout changed: no column {name!r} (columns: {list(frame.columns)})"
    return frame[name].astype("str").str.strip()


def _mapped(frame: pd.DataFrame, name: str, mapping: dict[str, str], source: Source) -> pd.Series:
    column = _column(frame, name, source)
    unknown = sorted(set(column) - set(mapping))
    assert not unknown, f"{source.raw_path}: new categories in {name!r}: {unknown}"
    return column.map(mapping)


def _germany_laender_thuringia(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of Germany, the 16 Länder and Thuringia's Kreise (not other Kreise or Regierungsbezirke)."""
    code = frame["region_code"].astype("str").str.strip()
    return frame[(code == regions.GERMANY) | code.str.fullmatch(r"\d{2}") | code.str.fullmatch(r"16\d{3}")]


def _eisenach_note(frame: pd.DataFrame) -> pd.Series:
    note = "Eisenach gehört seit 01.07.2021 zum Wartburgkreis (16063); die Tabelle führt 16056 weiter mit '-'"
    late = frame["time"].map(regions.layout_for_period) == "22"
    return pd.Series(np.where((frame["region_code"] == "16056") & late, note, ""), index=frame.index)


def _population_2024(raw_dir: Path) -> pd.DataFrame:
    source = POPULATION_2024
    frame = _load_genesis(raw_dir, source)
    assert frame["region_code"].nunique() == 23, f"{source.raw_path} layout changed: expected 23 Thuringian Kreise"
    return _rows(frame, indicator_id="population", region_code=frame["region_code"], period=frame["time"],
                 sex=_mapped(frame, "Geschlecht", _SEX, source), value=frame["value"], flag=frame["flag"],
                 source_id=source.source_id, note=_eisenach_note(frame))


def _employees_2025(raw_dir: Path) -> pd.DataFrame:
    source = EMPLOYEES_2025
    frame = _load_genesis(raw_dir, source)
    # NOTE: the response repeats Thuringia as Regierungsbezirk 160; that row adds nothing to the Land row 16.
    frame = frame[frame["region_code"] != "160"]
    # NOTE: every Kreis row is '-' in this response; they stay as NA with their flag so the gap is visible.
    return _rows(frame, indicator_id="employees_svb", region_code=frame["region_code"], period=frame["time"],
                 sex=_mapped(frame, "Geschlecht", _SEX, source),
                 nationality=_mapped(frame, "Nationalität", _NATIONALITY, source),
                 value=frame["value"], flag=frame["flag"], source_id=source.source_id, note=_eisenach_note(frame))


def _employees_laender(raw_dir: Path) -> pd.DataFrame:
    source = EMPLOYEES_LAENDER
    frame = _load_genesis(raw_dir, source)
    assert frame["region_code"].nunique() == 16, f"{source.raw_path} layout changed: expected all 16 Länder"
    return _rows(frame, indicator_id="employees_svb", region_code=frame["region_code"], period=frame["time"],
                 sex=_mapped(frame, "Geschlecht", _SEX, source), value=frame["value"], flag=frame["flag"],
                 source_id=source.source_id)


def _protection_status_codes(raw_dir: Path) -> dict[str, str]:
    """Status label -> code, from the DERIVED file (the Kreis file as loaded carries the labels only)."""
    derived = pd.read_csv(raw_dir / PROTECTION_SEEKERS_LAENDER.raw_path, sep=";", dtype="str", keep_default_na=False)
    pairs = derived[["schutzstatus_label", "schutzstatus_code"]].drop_duplicates()
    assert not pairs["schutzstatus_label"].duplicated().any(), "12531 status labels are no longer unique per code"
    return dict(zip(pairs["schutzstatus_label"].str.strip(), pairs["schutzstatus_code"].str.strip()))


def _protection_seekers(raw_dir: Path) -> pd.DataFrame:
    source = PROTECTION_SEEKERS
    frame = _load_genesis(raw_dir, source)
    status = _column(frame, "Schutzstatuskategorie", source)
    code_of = _protection_status_codes(raw_dir)
    unknown = sorted(set(status) - set(code_of))
    assert not unknown, f"{source.raw_path}: new protection status categories {unknown}"
    assert set(_TOP_LEVEL_STATUS_CODES) <= set(code_of.values()), "12531 top-level status codes changed"
    return _rows(frame, indicator_id="protection_seekers", region_code=frame["region_code"], period=frame["time"],
                 sex=_mapped(frame, "Geschlecht", _SEX, source),
                 nationality=_column(frame, "Staatsangehörigkeit", source), status=status,
                 breakdown=PROTECTION_STATUS_VARIABLE + "=" + status.map(code_of),
                 value=frame["value"], flag=frame["flag"], source_id=source.source_id,
                 note="Einzelzellen Geschlecht × Staatsangehörigkeit ohne Summenzeilen; auf Vielfache von 5 gerundet")


def _census(raw_dir: Path) -> pd.DataFrame:
    source = CENSUS
    frame = _load_genesis(raw_dir, source)
    age = _column(frame, "Alter (10er-Jahresgruppen)", source)
    history = _column(frame, "Einwanderungsgeschichte (ausführlich)", source)
    frame = frame.assign(age_group=age.where(age != "Insgesamt", ""),
                         breakdown=np.where(history == "Insgesamt", "", "Einwanderungsgeschichte=" + history))
    # NOTE: 1000A repeats 'ohne' and 'einseitige' Einwanderungsgeschichte in both of its classifications
    # (WDGAT1 and WDGAT2) with the same figures; one copy of each is kept.
    frame = frame.drop_duplicates(["region_code", "time", "age_group", "breakdown", "value", "flag"])
    return _rows(frame, indicator_id="population_census", region_code=frame["region_code"], period=frame["time"],
                 age_group=frame["age_group"], breakdown=frame["breakdown"], value=frame["value"],
                 flag=frame["flag"], source_id=source.source_id)


def _municipalities(raw_dir: Path) -> pd.DataFrame:
    source = MUNICIPALITIES
    frame = _load_genesis(raw_dir, source)
    return _rows(frame, indicator_id="municipalities_count", region_code=frame["region_code"], period=frame["time"],
                 value=frame["value"], flag=frame["flag"], source_id=source.source_id, note=_eisenach_note(frame))


def _header_column(frame: pd.DataFrame, names: tuple[str, ...], source: Source) -> pd.Series:
    """The first of `names` the loader produced for a classic header row (unnamed rows become 'Merkmal')."""
    for name in names:
        if name in frame:
            return frame[name].astype("str").str.strip()
    raise AssertionError(f"{source.raw_path} layout changed: none of the columns {names} (got {list(frame.columns)})")


def _population_classic(raw_dir: Path) -> pd.DataFrame:
    source = POPULATION_CLASSIC
    frame = _germany_laender_thuringia(_load_genesis(raw_dir, source))
    assert frame["region_code"].str.startswith("16").sum() >= 24 * 63, (
        f"{source.raw_path} layout changed: expected Thuringia and its 23 Kreise for 21 years × 3 sexes")
    sex = _header_column(frame, ("Geschlecht", "Merkmal"), source)
    unknown = sorted(set(sex) - set(_SEX))
    assert not unknown, f"{source.raw_path}: new sex categories {unknown}"
    note = np.where(frame["time"] >= "2011", "ab 2011 Fortschreibung auf Basis des Zensus 2011",
                    "bis 2010 Fortschreibung auf Basis früherer Zählungen (Bruch 2011)")
    return _rows(frame, indicator_id="population", region_code=frame["region_code"], period=frame["time"],
                 sex=sex.map(_SEX), value=frame["value"], flag=frame["flag"], source_id=source.source_id,
                 note=note)


def _employees_classic(raw_dir: Path) -> pd.DataFrame:
    source = EMPLOYEES_CLASSIC
    frame = _germany_laender_thuringia(_load_genesis(raw_dir, source))
    return _rows(frame, indicator_id="employees_svb", region_code=frame["region_code"], period=frame["time"],
                 sex=_mapped(frame, "Geschlecht", _SEX, source),
                 nationality=_mapped(frame, "Nationalität", _NATIONALITY, source),
                 value=frame["value"], flag=frame["flag"], source_id=source.source_id)


def _employees_by_sector(raw_dir: Path) -> pd.DataFrame:
    source = EMPLOYEES_BY_SECTOR
    frame = _germany_laender_thuringia(_load_genesis(raw_dir, source))
    sector = _header_column(frame, ("Wirtschaftszweig",), source)
    assert frame["time"].eq("2015-06-30").all(), f"{source.raw_path} changed: expected only the Stichtag 30.06.2015"
    return _rows(frame, indicator_id="employees_svb", region_code=frame["region_code"], period=frame["time"],
                 sex=_mapped(frame, "Geschlecht", _SEX, source),
                 nationality=_mapped(frame, "Nationalität", _NATIONALITY, source),
                 sector=sector.map(_sector_label).where(sector != "Insgesamt", ""),
                 value=frame["value"], flag=frame["flag"], source_id=source.source_id,
                 note="Wirtschaftszweige hierarchisch (B-F = B-E + F; C Teil von B-E)")


def _employed_classic(raw_dir: Path) -> pd.DataFrame:
    source = EMPLOYED_CLASSIC
    frame = _germany_laender_thuringia(_load_genesis(raw_dir, source))
    assert frame["unit"].eq("1000").all(), f"{source.raw_path} changed: expected the unit 1000 (thousand persons)"
    sector = _header_column(frame, ("Wirtschaftsbereich", "Wirtschaftszweig", "Merkmal"), source)
    return _rows(frame, indicator_id="employed_persons", region_code=frame["region_code"], period=frame["time"],
                 sector=sector.map(_sector_label).where(sector != "Insgesamt", ""),
                 value=frame["value"], flag=frame["flag"], source_id=source.source_id,
                 note="Berechnungsstand August 2015")


_BENEFIT_KINDS = ("Grundleistungen", "laufende Hilfe zum Lebensunterhalt")


def _asylum_benefits(raw_dir: Path) -> pd.DataFrame:
    source = ASYLUM_BENEFITS
    frame = _germany_laender_thuringia(_load_genesis(raw_dir, source))
    # NOTE: 22221-01-01-4 puts sex, kind of benefit and age group side by side in one unnamed header row.
    category = _header_column(frame, ("Merkmal",), source)
    is_age = category.str.contains("Jahre", regex=False)
    is_kind = category.isin(_BENEFIT_KINDS)
    known = category.isin(["Insgesamt", "weiblich"]) | is_age | is_kind
    assert known.all(), f"{source.raw_path}: new categories {sorted(set(category[~known]))}"
    return _rows(frame, indicator_id="asylum_benefit_recipients", region_code=frame["region_code"],
                 period=frame["time"], sex=category.where(category == "weiblich", ""),
                 age_group=category.where(is_age, ""),
                 breakdown=("Art der Leistung=" + category).where(is_kind, ""),
                 value=frame["value"], flag=frame["flag"], source_id=source.source_id)
