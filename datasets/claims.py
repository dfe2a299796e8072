"""`claims` — what each policy statement asserts, linked to the indicator, projection measure or pilot that tests it."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from datasets.base import DatasetMeta, DatasetSpec, Source
from datasets.indicators import PERIOD_PATTERN, REGION_PATTERN
from datasets.indicators_transcribed import (
    find_row, indicator_rows, number_in_text, parse_unit, read_statement_text, read_transcription, source_id_of)
from datasets.policy_statements import PRESS_RELEASE_ID, transcribed_statements
from datasets.projections import MEASURES, press_release_date, press_release_projection, projection_rows
from datasets.recruitment_pilots import GREEK_PILOT, MOBIPRO, SPAIN_PORTUGAL
from datasets.recruitment_pilots import build as build_pilots

COLUMNS = ["claim_id", "statement_id", "indicator_id", "measure", "pilot_id", "region_code", "period", "value",
           "unit", "direction", "text", "note"]
DIRECTIONS = ["steigend", "sinkend", ""]


class ClaimsSchema(pa.DataFrameModel):
    claim_id: str = pa.Field(unique=True, str_matches=r"^[a-z0-9][a-z0-9-]*$", description="stable id")
    statement_id: str = pa.Field(str_length={"min_value": 1}, description="the policy_statements row it belongs to")
    indicator_id: str = pa.Field(str_matches=r"^([a-z][a-z0-9_]*)?$",
                                 description="indicator the claim is set against ('' if a projection or none)")
    measure: str = pa.Field(isin=[*MEASURES, ""],
                            description="projection measure the claim states ('' if an indicator or none)")
    pilot_id: str = pa.Field(description="recruitment_pilots row the claim is about ('' if none)")
    region_code: str = pa.Field(str_matches=REGION_PATTERN,
                                description="region of the data the claim is set against (16 Thuringia, DG Germany)")
    period: str = pa.Field(str_matches=rf"^$|{PERIOD_PATTERN}",
                           description="period or horizon year the claim is about, ISO ('' if none)")
    value: float = pa.Field(nullable=True, description="the figure claimed; NA when the claim has no number")
    unit: str = pa.Field(description="unit of value ('' when there is no value)")
    direction: str = pa.Field(isin=DIRECTIONS, description="trend claimed: 'steigend', 'sinkend' or ''")
    text: str = pa.Field(str_length={"min_value": 1}, description="the claim in a few words")
    note: str = pa.Field(description="wording in the source, caveats")

    class Config:
        strict = True
        ordered = True

    @pa.dataframe_check(error="a claim names both an indicator and a projection measure")
    def indicator_or_measure(cls, frame: pd.DataFrame) -> pd.Series:
        return (frame["indicator_id"] == "") | (frame["measure"] == "")


META = DatasetMeta(
    name="claims",
    title_de="Aussagen im Einzelnen (Behauptungen)",
    title_en="Claims",
    description_de="Was jede politische Aussage behauptet – Zahl, Zeitraum, Richtung – und mit welchem Indikator, "
                   "welcher Prognose oder welchem Projekt sie sich prüfen lässt.",
    description_en="What each policy statement asserts – figure, period, direction – and which indicator, projection "
                   "or pilot it can be checked against.",
    key=("claim_id",),
    period_column="period",
)


@dataclass(frozen=True)
class TextClaim:
    """A claim of the press release, anchored to wording that must be in its text."""

    slug: str
    phrase: str
    text: str
    indicator_id: str = ""
    pilot_id: str = ""
    region_code: str = "16"
    period: str = ""
    direction: str = ""
    note: str = ""


#: Placeholder for the year of the press release's dateline (read from its text).
RELEASE_YEAR = "{release_year}"

PRESS_RELEASE_CLAIMS = [
    TextClaim("fluechtlingszahlen-sinkend", "Auf die deutlich zurückgehenden Flüchtlingszahlen",
              "Flüchtlingszahlen gehen deutlich zurück", indicator_id="asylum_arrivals", period=RELEASE_YEAR,
              direction="sinkend"),
    TextClaim("werbung-spanien-portugal",
              "aktive Werbung von Fachkräften im europäischen Umfeld wie Spanien oder Portugal",
              "Thüringen wirbt aktiv um Fachkräfte in Spanien und Portugal", indicator_id="mobipro_eu_applicants",
              pilot_id=SPAIN_PORTUGAL, region_code="DG", period=RELEASE_YEAR,
              note="Aussage über Thüringen; Vergleichszahlen (MobiPro-EU-Antragstellende nach Herkunftsland) gibt es "
                   "nur bundesweit"),
    TextClaim("griechenland-pilot-angelaufen", "ist erfolgreich angelaufen",
              "Erstes Projekt mit griechischen Jugendlichen in der Pflegeausbildung erfolgreich angelaufen",
              pilot_id=GREEK_PILOT, period=RELEASE_YEAR, note="Teilnehmerzahlen in keiner Quelle gefunden (keine Angabe)"),
    TextClaim("eckpunkte-vor-sommerpause", "will vor der Sommerpause einen Eckpunkteplan für dieses Konzept vorlegen",
              "Eckpunkteplan für das Integrationskonzept vor der Sommerpause 2016", period=RELEASE_YEAR,
              note="Zusage ohne Zahl"),
    TextClaim("spurwechsel", "Ein Wechsel von dem Asylverfahren in die Arbeitsmigration müsse ermöglicht werden",
              "„Spurwechsel“ vom Asylverfahren in die Arbeitsmigration vom Bund gefordert", note="Forderung ohne Zahl"),
    TextClaim("einrichtungen-vorhalten", "auch weiter Einrichtungen vorzuhalten",
              "Aufnahmeeinrichtungen trotz sinkender Zahlen weiter vorhalten", indicator_id="asylum_arrivals",
              period=RELEASE_YEAR, note="begründet mit fehlenden Zahlen des Bundes zur erwarteten Zuwanderung 2016"),
    TextClaim("umf-einrichtungen-gemeinsam-nutzen", "Einrichtungen für unbegleitete minderjährige Flüchtlinge",
              "Einrichtungen für unbegleitete minderjährige Flüchtlinge auch für Erziehungshilfe nutzen (Prüfung)",
              note="Anregung der LIGA ohne Zahl"),
    TextClaim("fluechtlinge-sollen-bleiben", "dass Flüchtlinge auch in Thüringen bleiben",
              "Landesregierung wirbt dafür, dass Flüchtlinge in Thüringen bleiben", note="ohne Zahl"),
]

#: Trends that a page's headline states about one of its figures: (source_id, kennzahl, zeitraum) -> direction.
HEADLINE_DIRECTIONS = {
    ("otz-2019-asylantraege-sinkt-weiter", "Asylanträge Q1-Q3 (Ministerium)", "2019-01..2019-09"): "sinkend",
    ("tlz-2021-01-weniger-fluechtlinge", "Eingereiste Flüchtlinge (Ministerium)", "2020"): "sinkend",
    ("welt-2022-07-asylantraege-halbjahr", "Asylanträge H1 (Ministerium, rund)", "2022-01..2022-06"): "steigend",
    ("mdr-2025-01-asylantraege-gesunken",
     "Asylanträge (BAMF-Jahresbericht; vom MDR mit 8.048 Erstanträgen 2023 verglichen)", "2024"): "sinkend",
    ("volksstimme-2024-07-asylsuchende", "registrierte Asylsuchende H1", "2024-01..2024-06"): "sinkend",
    ("insuedthueringen-2025-11-asyl-rueckgang", "registrierte Asylsuchende Q1-Q3 (etwa)", "2025-01..2025-09"): "sinkend",
    ("volksstimme-2025-12-asylerstantraege", "Asylerstanträge (Ministerium, etwa)", "2025"): "sinkend",
    ("welt-2016-10-neue-fluechtlinge", "Asylsuchende Zugang Monat", "2016-09"): "sinkend",
    ("t-online-2018-08-asylbewerberleistungen", "Regelleistungsempfänger AsylbLG (31.12.)", "2017"): "sinkend",
    ("uhz-2021-11-asylbewerberleistungen", "Regelleistungsempfänger AsylbLG (31.12.)", "2020"): "steigend",
    ("destatis-2025-06-schutzsuchende", "Schutzsuchende Deutschland insgesamt (31.12.)", "2024"): "steigend",
}


def _claim(claim_id: str, statement_id: str, *, text: str, indicator_id: str = "", measure: str = "",
           pilot_id: str = "", region_code: str = "16", period: str = "", value=None, unit: str = "",
           direction: str = "", note: str = "") -> dict:
    return {"claim_id": claim_id, "statement_id": statement_id, "indicator_id": indicator_id, "measure": measure,
            "pilot_id": pilot_id, "region_code": region_code, "period": period, "value": value, "unit": unit,
            "direction": direction, "text": text, "note": note}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def press_release_claims(raw_dir: Path) -> list[dict]:
    text = read_statement_text(raw_dir)
    release_year = press_release_date(text)[:4]
    demand = press_release_projection(raw_dir)
    claims = [_claim(f"{PRESS_RELEASE_ID}-fachkraeftebedarf-{demand['horizon_year']}", PRESS_RELEASE_ID,
                     text=f"{demand['value']:,.0f}".replace(",", ".") + f" Fachkräfte bis {demand['horizon_year']} "
                                                                       "benötigt",
                     measure=demand["measure"], period=str(demand["horizon_year"]), value=demand["value"],
                     unit=demand["unit"], note=f"Wortlaut: „{demand['kennzahl']}“; projection_id "
                                               f"{demand['projection_id']}")]
    for claim in PRESS_RELEASE_CLAIMS:
        assert claim.phrase in text, f"the press release no longer says '{claim.phrase}' – text changed upstream"
        claims.append(_claim(f"{PRESS_RELEASE_ID}-{claim.slug}", PRESS_RELEASE_ID, text=claim.text,
                             indicator_id=claim.indicator_id, pilot_id=claim.pilot_id, region_code=claim.region_code,
                             period=claim.period.format(release_year=release_year), direction=claim.direction,
                             note="; ".join(filter(None, [f"Wortlaut: „{claim.phrase}“", claim.note]))))
    return claims


def transcribed_claims(raw_dir: Path) -> list[dict]:
    """A claim for every figure of every dated page statement, plus the pilots and headline trends they name."""
    table = read_transcription(raw_dir)
    statement_of = {s["source_id"]: s["statement_id"] for s in transcribed_statements(raw_dir)}
    for source_id, kennzahl, zeitraum in HEADLINE_DIRECTIONS:
        assert source_id_of(find_row(table, kennzahl, zeitraum)) == source_id, f"{kennzahl} moved to another page"
    claims = []
    indicators = indicator_rows(raw_dir)
    for row in indicators.itertuples():
        statement_id = statement_of.get(row.source_id)
        if statement_id is None:
            continue
        breakdown = "".join(f"-{_slug(part)}" for part in (row.nationality, row.status) if part)
        claims.append(_claim(
            f"{statement_id}-{row.indicator_id.replace('_', '-')}-{_slug(row.period)}{breakdown}", statement_id,
            text=row.kennzahl + (f" ({row.nationality})" if row.nationality else ""), indicator_id=row.indicator_id,
            region_code=row.region_code, period=row.period, value=row.value, unit=row.unit,
            direction=HEADLINE_DIRECTIONS.get((row.source_id, row.kennzahl, row.zeitraum), ""), note=row.note))
    for projection in projection_rows(raw_dir):
        statement_id = statement_of.get(projection["source_id"])
        if statement_id is None:
            continue
        horizon = "" if projection["horizon_year"] is None else str(projection["horizon_year"])
        range_text = ""
        if projection["value_low"] is not None:
            range_text = f" (Spanne {projection['value_low']:.0f}–{projection['value_high']:.0f})"
        claims.append(_claim(
            f"{statement_id}-{projection['measure'].replace('_', '-')}{'-' + horizon if horizon else ''}", statement_id,
            text=projection["kennzahl"] + range_text, measure=projection["measure"], period=horizon,
            value=projection["value"], unit=projection["unit"],
            note=f"projection_id {projection['projection_id']}; {projection['note']}"))
    claims.extend(_pilot_and_headline_claims(raw_dir, table, statement_of))
    return claims


def _pilot_and_headline_claims(raw_dir: Path, table: pd.DataFrame, statement_of: dict[str, str]) -> list[dict]:
    pilots = build_pilots(raw_dir).set_index("pilot_id")
    claims = []
    greek = find_row(table, "Griechenland-Pflegeazubi-Initiative angekündigt (Ramelow, DHW, Deutschkurse in GR)",
                     "2015-07")
    statement_id = statement_of[source_id_of(greek)]
    claims.append(_claim(f"{statement_id}-pilot-angekuendigt", statement_id, pilot_id=GREEK_PILOT,
                         text="Anwerbung griechischer Jugendlicher als Altenpflege-Azubis angekündigt",
                         period=pilots.loc[GREEK_PILOT, "announced"], note=greek["kennzahl"]))
    school = pilots.loc["german-professional-school-eisenach"]
    statement_id = statement_of[school["source_id"]]
    claims.append(_claim(f"{statement_id}-pilot-teilnehmende-geplant", statement_id,
                         pilot_id="german-professional-school-eisenach", period=f"{school['start']}/{school['end']}",
                         value=float(school["target"]), unit="Personen",
                         text=f"etwa {school['target']} Teilnehmende in der Pilotphase geplant", note=school["note"]))
    mobipro = pilots.loc[MOBIPRO]
    statement_id = statement_of[mobipro["status_source_id"]]
    claims.append(_claim(f"{statement_id}-pilot-keine-verlaengerung", statement_id, pilot_id=MOBIPRO,
                         region_code="DG", period=mobipro["status_date"][:4],
                         text="MobiPro-EU wird nicht verlängert", note="Status laut hib"))
    # NOTE: the 2017 dpa report ("2016 deutlich weniger Asylsuchende") is cited for the 2016 arrivals only in the
    # anmerkung of the bimf row ("welt/dpa 2017-01: rund 6600").
    arrivals = find_row(table, "Asylsuchende angekommen (Zugang)", "2016")
    statement_id = statement_of["welt-2017-01-asylsuchende-2016"]
    claims.append(_claim(f"{statement_id}-asylum-arrivals-{arrivals['zeitraum']}", statement_id,
                         indicator_id="asylum_arrivals", period=arrivals["zeitraum"], direction="sinkend",
                         value=number_in_text(arrivals["anmerkung"], r"welt/dpa 2017-01: rund (\d+)", "'rund …'"),
                         unit=parse_unit(arrivals["einheit"])[0], text="2016 deutlich weniger Asylsuchende",
                         note=f"rund; Zahl aus der Anmerkung der bimf-Zeile: {arrivals['anmerkung']}"))
    return claims


def build(raw_dir: Path) -> pd.DataFrame:
    """The press release's claims first, then the claims of the other statements, validated."""
    claims = press_release_claims(raw_dir) + sorted(transcribed_claims(raw_dir), key=lambda c: c["claim_id"])
    frame = pd.DataFrame.from_records(claims, columns=COLUMNS)
    frame["value"] = pd.to_numeric(frame["value"]).astype("float64")
    for column in [c for c in COLUMNS if c != "value"]:
        frame[column] = frame[column].astype(str)
    return ClaimsSchema.validate(frame.reset_index(drop=True))


#: claims carry no source_id of their own: each claim cites through its statement.
SOURCES: list[Source] = []

SPEC = DatasetSpec(meta=META, schema=ClaimsSchema, build=build)
