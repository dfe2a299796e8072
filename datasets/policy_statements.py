"""`policy_statements` — dated statements about skilled labour, asylum and recruitment, the 18 May 2016 press release first."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from datasets.base import RAW_DIR, DatasetMeta, DatasetSpec, Source
from datasets.indicators_transcribed import (
    PAGE_SOURCES, STATEMENT_SOURCE, page_sources, published_date, read_statement_text, read_transcription)
from datasets.projections import press_release_date

COLUMNS = ["statement_id", "date", "institution", "speaker", "title", "quote", "source_url", "topics", "source_id",
           "note"]

#: Topic vocabulary (from the transcription's `thema`).
TOPICS = {"1_fachkraefte": "fachkraefte", "1_bevoelkerung": "bevoelkerung", "2_asyl": "asyl",
          "3_rekrutierung": "rekrutierung"}
QUOTE_LIMIT = 300
PARAPHRASE_NOTE = "Paraphrase der Transkription (Kennzahl und Wert), kein Wortlaut der Quelle"

PRESS_RELEASE_ID = "2016-05-18-staatskanzlei-integrationskonzept"
#: The press release's quote runs from this sentence to the end of the next one (verbatim, ≤ 300 characters).
PRESS_RELEASE_QUOTE = r"Bis 2025 werden in Thüringen 280\.000 Fachkräfte benötigt\. Bei dem Werben um Zuwanderer[^.]*\."


class PolicyStatementsSchema(pa.DataFrameModel):
    statement_id: str = pa.Field(unique=True, str_matches=r"^\d{4}(-\d{2}(-\d{2})?)?-[a-z0-9-]+$",
                                 description="stable id: ISO date of the statement + short slug")
    date: str = pa.Field(str_matches=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="ISO date (or month/year) it was made")
    institution: str = pa.Field(str_length={"min_value": 1},
                                description="who made it; 'nicht genannt (…)' where the source names nobody")
    speaker: str = pa.Field(description="person speaking ('' where not named)")
    title: str = pa.Field(str_length={"min_value": 1}, description="title of the release or article")
    quote: str = pa.Field(str_length={"min_value": 1, "max_value": QUOTE_LIMIT},
                          description="short verbatim quote, or a paraphrase of the transcription (see note)")
    source_url: str = pa.Field(str_matches=r"^https?://", description="where it was published or reported")
    topics: str = pa.Field(str_matches=r"^[a-z]+(;[a-z]+)*$",
                           description="';'-separated: fachkraefte, bevoelkerung, asyl, rekrutierung, integration")
    source_id: str = pa.Field(str_length={"min_value": 1}, description="id of the `sources` row")
    note: str = pa.Field(description="whether the quote is verbatim or a paraphrase, caveats")

    class Config:
        strict = True
        ordered = True


META = DatasetMeta(
    name="policy_statements",
    title_de="Politische Aussagen",
    title_en="Policy statements",
    description_de="Datierte Aussagen von Landesregierung, Behörden und Studien zu Fachkräften, Asyl und Anwerbung, "
                   "mit Zitat und Quelle; die Pressemitteilung der Staatskanzlei vom 18. Mai 2016 zuerst.",
    description_en="Dated statements by the Land government, agencies and studies on skilled labour, asylum and "
                   "recruitment, with quote and source; the State Chancellery press release of 18 May 2016 first.",
    key=("statement_id",),
    period_column="date",
)


@dataclass(frozen=True)
class Speaker:
    """Who speaks in a dated page of the transcription."""

    slug: str
    institution: str
    speaker: str = ""


_DPA = "nicht genannt (dpa-Meldung)"
_TLS = "Thüringer Landesamt für Statistik"
_MINISTRY = "Thüringer Landesministerium (in der Quelle nicht näher bezeichnet)"

#: Every dated page source of the transcription that is a statement -> who made it.
STATEMENT_PAGES: dict[str, Speaker] = {
    "juramagazin-2008-koenigsteiner-schluessel": Speaker("innenministerium-aufnahmequote",
                                                         "Thüringer Innenministerium"),
    "dpa-afx-2014-mobipro-zwischenbilanz": Speaker("zav-mobipro-zwischenbilanz",
                                                   "Zentrale Auslands- und Fachvermittlung (ZAV)"),
    "hessen-landtag-19-530-mobipro": Speaker("hessen-landtag-mobipro", "Hessischer Landtag, Drs. 19/530 (Daten der ZAV)"),
    "ihk-leipzig-2014-mobipro": Speaker("ihk-leipzig-mobipro", "IHK zu Leipzig"),
    "altenheim-2015-07-griechenland-azubis": Speaker("ramelow-griechenland-pflegeazubis", "Thüringer Landesregierung",
                                                     "Bodo Ramelow"),
    "nd-2015-07-ramelow-griechenland": Speaker("ramelow-lehrlinge-griechenland", "Thüringer Landesregierung",
                                               "Bodo Ramelow"),
    "tls-pm-2015-268-auslaender": Speaker("tls-auslaendische-bevoelkerung", _TLS),
    "welt-2016-10-neue-fluechtlinge": Speaker("wenige-neue-fluechtlinge", _DPA),
    "welt-2017-01-asylsuchende-2016": Speaker("weniger-asylsuchende-2016", _DPA),
    "hamburg-buergerschaft-21-8336-mobipro": Speaker("hamburg-mobipro", "Hamburgische Bürgerschaft, Drs. 21/8336"),
    "thueringen-de-2018-03-fachkraeftebedarf-2030": Speaker("studie-fachkraeftebedarf-2030",
                                                            "ZSH / Universität Jena (Studie)"),
    "welt-2018-03-fachkraeftestudie": Speaker("forscher-fachkraeftestudie", "Forscher der Fachkräftestudie (laut dpa)"),
    "nd-2018-03-rucksack": Speaker("fachkraeftebedarf-duale-ausbildung", "nicht genannt (Bericht neues deutschland)"),
    "nd-2018-03-berufserlaubnis-pflege": Speaker("landesverwaltungsamt-berufserlaubnisse-pflege",
                                                 "Thüringer Landesverwaltungsamt"),
    "landeswelle-2018-arbeitskraefte-2030": Speaker("iab-betriebspanel-2017", "IAB-Betriebspanel 2017 (laut Landeswelle)"),
    "t-online-2018-08-asylbewerberleistungen": Speaker("tls-asylbewerberleistungen-2017", _TLS),
    "otz-2019-asylantraege-sinkt-weiter": Speaker("migrationsministerium-asylantraege", "Thüringer Migrationsministerium"),
    "welt-2019-04-zuzug-auslaender": Speaker("tls-zuzug-auslaender", _TLS),
    "hib-2019-518-mobipro": Speaker("bundesregierung-mobipro-keine-verlaengerung", "Bundesregierung (BT-Drs. 19/9804)"),
    "sz-2019-07-bevoelkerungsprognose": Speaker("tls-bevoelkerungsprognose-dpa", _TLS),
    "suedharz-kurier-2019-07-rbv2": Speaker("tls-bevoelkerungsvorausberechnung-2040", _TLS),
    "tlz-2021-01-weniger-fluechtlinge": Speaker("ministerium-weniger-fluechtlinge-2020", _MINISTRY),
    "webabc-2021-auslaendische-einwohner": Speaker("tls-auslaendische-einwohner-2020", _TLS),
    "uhz-2021-11-asylbewerberleistungen": Speaker("tls-asylbewerberleistungen-2020", _TLS),
    "welt-2022-07-asylantraege-halbjahr": Speaker("ministerium-asylantraege-h1-2022", _MINISTRY),
    "eisenach-online-2023-01-rbv3": Speaker("tls-bevoelkerungsvorausberechnung-2042", _TLS),
    "mz-2023-01-ba-iab-prognose-2040": Speaker("ba-iab-prognose-2040", "Bundesagentur für Arbeit / IAB"),
    "mz-2023-ifo-ausscheidende-2035": Speaker("ifo-ausscheidende-2035", "ifo Institut, Niederlassung Dresden"),
    "mdr-2024-01-asylantraege-2023": Speaker("bamf-asylantraege-2023", "Bundesamt für Migration und Flüchtlinge (laut MDR)"),
    "mz-2024-03-german-professional-school": Speaker("german-professional-school-eisenach",
                                                     "German Professional School Eisenach"),
    "mdr-2024-04-fachkraefte-2035": Speaker("fachkraeftestudie-2035", "Thüringer Arbeitsministerium (Auftraggeber der Studie)"),
    "volksstimme-2024-07-asylsuchende": Speaker("weniger-asylsuchende-h1-2024", _DPA),
    "mdr-2025-01-asylantraege-gesunken": Speaker("asylantraege-gesunken-2024",
                                                 "Bundesamt für Migration und Flüchtlinge (Jahresbericht, laut MDR)"),
    "bleibdranplus-2025-behrens": Speaker("ba-regionaldirektion-thueringen-im-wandel",
                                          "Bundesagentur für Arbeit, Regionaldirektion", "Markus Behrens"),
    "destatis-2025-06-schutzsuchende": Speaker("destatis-schutzsuchende-2024", "Statistisches Bundesamt"),
    "insuedthueringen-2025-07-engpassanalyse": Speaker("ba-engpassanalyse", "Bundesagentur für Arbeit (Engpassanalyse)"),
    "insuedthueringen-2025-11-asyl-rueckgang": Speaker("rueckgang-asylbewerberzahlen", _DPA),
    "volksstimme-2025-12-asylerstantraege": Speaker("asylerstantraege-halbiert-2025", _MINISTRY),
}
#: Page sources that are not statements: undated pages, and one whose only figure is skipped.
NOT_STATEMENTS = ["tag24-integrationsbericht"]


def statement_id_of(source_id: str, date: str) -> str:
    return f"{date}-{STATEMENT_PAGES[source_id].slug}"


def press_release_statement(raw_dir: Path) -> dict:
    text = read_statement_text(raw_dir)
    title = re.search(r"^PM:\s*(.+)$", text, flags=re.MULTILINE)
    quote = re.search(PRESS_RELEASE_QUOTE, text)
    assert title is not None and quote is not None, "the press release changed upstream: title or quote not found"
    date = press_release_date(text)
    assert PRESS_RELEASE_ID.startswith(date), f"press release dated {date}, id says {PRESS_RELEASE_ID}"
    return {"statement_id": PRESS_RELEASE_ID, "date": date, "institution": STATEMENT_SOURCE.publisher, "speaker": "",
            "title": title.group(1).strip(), "quote": quote.group(0), "source_url": STATEMENT_SOURCE.url,
            "topics": "fachkraefte;asyl;rekrutierung;integration", "source_id": STATEMENT_SOURCE.source_id,
            "note": f"Wortlaut aus data/raw/{STATEMENT_SOURCE.raw_path} (geschützte Leerzeichen als Leerzeichen)"}


def transcribed_statements(raw_dir: Path) -> list[dict]:
    """One statement per dated page of the transcription; the quote paraphrases its figures."""
    table = read_transcription(raw_dir)
    statements = []
    for url, page in PAGE_SOURCES.items():
        rows = table[table["quelle_url"] == url]
        date = published_date(rows["quelle_datum"].iloc[0]) if len(rows) else ""
        if not date or page.source_id in NOT_STATEMENTS:
            assert page.source_id not in STATEMENT_PAGES, f"{page.source_id} has no date but is listed as a statement"
            continue
        assert page.source_id in STATEMENT_PAGES, f"dated page {page.source_id} has no speaker entry – add one"
        speaker = STATEMENT_PAGES[page.source_id]
        topics = sorted({TOPICS[topic] for topic in rows["thema"]})
        statements.append({
            "statement_id": statement_id_of(page.source_id, date), "date": date, "institution": speaker.institution,
            "speaker": speaker.speaker, "title": rows["quelle_titel"].iloc[0], "quote": _paraphrase(rows),
            "source_url": url, "topics": ";".join(topics), "source_id": page.source_id, "note": PARAPHRASE_NOTE})
    return statements


def _paraphrase(rows: pd.DataFrame) -> str:
    """'kennzahl zeitraum: wert einheit' for each figure, as many as fit in QUOTE_LIMIT characters."""
    parts: list[str] = []
    for row in rows.itertuples():
        figure = f"{row.kennzahl} ({row.zeitraum})" + (f": {row.wert} {row.einheit}" if row.wert else "")
        if len(" · ".join([*parts, figure])) > QUOTE_LIMIT:
            break
        parts.append(figure)
    assert parts, f"the figure '{rows.iloc[0]['kennzahl']}' is longer than {QUOTE_LIMIT} characters"
    return " · ".join(parts)


def build(raw_dir: Path) -> pd.DataFrame:
    """The press release first, then every other statement by date."""
    others = sorted(transcribed_statements(raw_dir), key=lambda s: (s["date"], s["statement_id"]))
    frame = pd.DataFrame.from_records([press_release_statement(raw_dir), *others], columns=COLUMNS)
    frame = frame.astype(str).reset_index(drop=True)
    return PolicyStatementsSchema.validate(frame)


@lru_cache(maxsize=None)
def _sources() -> list[Source]:
    """The page sources this dataset cites — read from the raw files on first use, not at import."""
    return page_sources(RAW_DIR, set(build(RAW_DIR)["source_id"]))


def __getattr__(name: str):
    if name == "SOURCES":
        return _sources()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

SPEC = DatasetSpec(meta=META, schema=PolicyStatementsSchema, build=build)
