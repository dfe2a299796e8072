"""`indicators` rows from single figures transcribed from official and press pages (plus the shared transcription helpers)."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from datasets.base import RAW_DIR, Source
from datasets.indicators import BREAKDOWNS, COLUMNS, IndicatorDef, IndicatorsSchema

TRANSCRIPTION_FILE = "press-and-official-pages/thueringen_kennzahlen_aus_seiten_TRANSKRIPTION.csv"
STATEMENT_FILE = "statements/2016-05-18_staatskanzlei_pm_integrationskonzept_liga.txt"
TRANSCRIPTION_COLUMNS = ["thema", "kennzahl", "region", "zeitraum", "wert", "einheit", "quelle_url",
                         "quelle_titel", "quelle_datum", "anmerkung", "vertrauen"]

PRESS_LICENCE = "Pressetext urheberrechtlich geschützt – nur Zitat"
OFFICIAL_LICENCE = "Amtliche Veröffentlichung; Nutzungsbedingungen auf der Seite nicht angegeben – nur Zitat"
TLS_LICENCE = "TLS: Vervielfältigung und Verbreitung, auch auszugsweise, mit Quellenangabe gestattet"
OTHER_LICENCE = "Nicht angegeben – nur Zitat"

#: Region names as written in the transcription -> AGS.
REGION_CODES = {"Thüringen": "16", "Deutschland": "DG", "Wartburgkreis": "16063"}

CONFIDENCE_ORDER = ["low", "medium", "high"]
CONFIDENCE_DE = {"low": "niedrig", "medium": "mittel", "high": "hoch"}


@dataclass(frozen=True)
class PageSource:
    """How a page URL of the transcription becomes a `sources` row."""

    source_id: str
    publisher: str
    licence: str


#: Every page URL of the transcription (except the skipped undated one) -> its source row.
PAGE_SOURCES: dict[str, PageSource] = {
    "https://bimf.thueringen.de/flucht/zahlen": PageSource(
        "bimf-zahlen", "Beauftragte für Integration, Migration und Flüchtlinge Thüringen", OFFICIAL_LICENCE),
    "http://www.hebammenhilfe-fuer-fluechtlinge.de/daten-fakten/daten-fakten-fuer-thueringen/": PageSource(
        "hebammenhilfe-daten-thueringen", "Hebammenhilfe für Flüchtlinge", OTHER_LICENCE),
    "https://www.welt.de/regionales/thueringen/article161094932/2016-deutlich-weniger-Asylsuchende-in-Thueringen.html":
        PageSource("welt-2017-01-asylsuchende-2016", "WELT (dpa)", PRESS_LICENCE),
    "https://www.otz.de/politik/zahl-der-asylantraege-in-thueringen-sinkt-weiter-id230616658.html": PageSource(
        "otz-2019-asylantraege-sinkt-weiter", "Ostthüringer Zeitung", PRESS_LICENCE),
    "https://www.welt.de/regionales/thueringen/article239959589/Fast-1000-Asylantraege-mehr-im-ersten-Halbjahr.html":
        PageSource("welt-2022-07-asylantraege-halbjahr", "WELT (dpa)", PRESS_LICENCE),
    "https://www.tlz.de/politik/deutlich-weniger-fluechtlinge-kommen-nach-thueringen-id231350966.html": PageSource(
        "tlz-2021-01-weniger-fluechtlinge", "Thüringische Landeszeitung", PRESS_LICENCE),
    "https://www.mdr.de/nachrichten/thueringen/asylantrag-fluechtlinge-flucht-migration-100.html": PageSource(
        "mdr-2024-01-asylantraege-2023", "MDR", PRESS_LICENCE),
    "https://www.mdr.de/nachrichten/thueringen/fluechtlinge-asyl-antraege-zahlen-100.html": PageSource(
        "mdr-2025-01-asylantraege-gesunken", "MDR", PRESS_LICENCE),
    "https://www.volksstimme.de/panorama/in-diesem-jahr-halb-so-viel-asylerstantrage-wie-2024-4173424": PageSource(
        "volksstimme-2025-12-asylerstantraege", "Volksstimme (dpa)", PRESS_LICENCE),
    "https://www.insuedthueringen.de/inhalt.fluechtlinge-deutlicher-rueckgang-bei-asylbewerberzahlen."
    "71a00c01-cbb8-4037-8cb1-a9b3cd92ac9a.html": PageSource(
        "insuedthueringen-2025-11-asyl-rueckgang", "inSüdthüringen (dpa)", PRESS_LICENCE),
    "https://www.volksstimme.de/panorama/deutlich-weniger-asylsuchende-in-thuringen-3876785": PageSource(
        "volksstimme-2024-07-asylsuchende", "Volksstimme (dpa)", PRESS_LICENCE),
    "https://www.welt.de/regionales/thueringen/article158501474/Nur-wenige-neue-Fluechtlinge-in-Thueringen.html":
        PageSource("welt-2016-10-neue-fluechtlinge", "WELT (dpa)", PRESS_LICENCE),
    "https://www.t-online.de/nachrichten/id_84328514/weniger-regelleistungen-fuer-asylbewerber.html": PageSource(
        "t-online-2018-08-asylbewerberleistungen", "t-online (dpa)", PRESS_LICENCE),
    "https://www.uhz-online.de/news/news_lang_druck.php?ArtNr=301696": PageSource(
        "uhz-2021-11-asylbewerberleistungen", "uhz-online", PRESS_LICENCE),
    "https://www.insuedthueringen.de/inhalt.thueringen-ausgaben-fuer-asylbewerber-in-thueringen-stark-gestiegen."
    "07a0b916-f271-4e9d-997a-b827b6d29bf9.html": PageSource(
        "insuedthueringen-2015-asylbewerber-ausgaben", "inSüdthüringen (dpa)", PRESS_LICENCE),
    "http://www.juramagazin.de/175183.html": PageSource(
        "juramagazin-2008-koenigsteiner-schluessel", "juramagazin", OTHER_LICENCE),
    "https://www.fluechtlinge.niedersachsen.de/startseite/koodinierung_fluechtlingsversorgung/fluechtlinge_niedersachsen/"
    "grundsaetzliches/koenigsteiner-schluessel-138225.html": PageSource(
        "niedersachsen-koenigsteiner-schluessel", "Land Niedersachsen (Quelle: BAMF)", OFFICIAL_LICENCE),
    "https://expydoc.com/doc/8772835/null": PageSource(
        "biaj-koenigsteiner-schluessel-2014-2015", "BIAJ (Kopie auf expydoc.com)", OTHER_LICENCE),
    "http://kommunalwiki.boell.de/index.php/K%C3%B6nigsteiner_Schl%C3%BCssel": PageSource(
        "kommunalwiki-koenigsteiner-schluessel", "KommunalWiki (Heinrich-Böll-Stiftung)", OTHER_LICENCE),
    "https://expydoc.com/doc/9149313/2014-lebten-in-th%C3%BCringen-54-tausend-ausl%C3%A4ndische-mitb%C3%BCrger":
        PageSource("tls-pm-2015-268-auslaender", "Thüringer Landesamt für Statistik (Kopie auf expydoc.com)",
                   TLS_LICENCE),
    "https://www.welt.de/regionales/thueringen/article191937525/Geringerer-Zuzug-von-Auslaendern-nach-Thueringen.html":
        PageSource("welt-2019-04-zuzug-auslaender", "WELT (dpa)", PRESS_LICENCE),
    "https://www.webabc.info/docs/thueringen-seit-zehn-jahren-weniger-auslaendische-einwohner/": PageSource(
        "webabc-2021-auslaendische-einwohner", "webabc (t-online-Teaser)", PRESS_LICENCE),
    "https://www.finanznachrichten.de/nachrichten-2025-06/65783524-4-mehr-schutzsuchende-im-jahr-2024-007.htm":
        PageSource("destatis-2025-06-schutzsuchende", "Statistisches Bundesamt (via finanznachrichten.de)",
                   OFFICIAL_LICENCE),
    "http://www.thueringen.de/apps/news/display.aspx?docid=urn-newsml-dpa-com-20090101-180305-99-347882%3A1520250142000":
        PageSource("thueringen-de-2018-03-fachkraeftebedarf-2030", "thueringen.de (dpa)", PRESS_LICENCE),
    "https://landeswelle.de/aktuell/aus-der-redaktion/thuringen-braucht-bis-2030-tausende-neue-arbeitskraefte":
        PageSource("landeswelle-2018-arbeitskraefte-2030", "Landeswelle Thüringen", PRESS_LICENCE),
    "https://www.welt.de/regionales/thueringen/article174191138/Forscher-stellen-Studie-zum-Fachkraeftebedarf-vor.html":
        PageSource("welt-2018-03-fachkraeftestudie", "WELT (dpa)", PRESS_LICENCE),
    "https://www.neues-deutschland.de/artikel/1081452.wir-tragen-den-rucksack-der-vergangenen-jahre.html":
        PageSource("nd-2018-03-rucksack", "neues deutschland", PRESS_LICENCE),
    "https://www.nexusinstitut.de/evaluierung-der-thaff/": PageSource(
        "nexus-thaff-evaluierung", "nexus Institut", OTHER_LICENCE),
    "http://193.22.36.128/nachrichten/thueringen/fachkraefte-mangel-arbeitsmarkt-branchen-100.html": PageSource(
        "mdr-2024-04-fachkraefte-2035", "MDR (Spiegelserver)", PRESS_LICENCE),
    "http://www.Freies-Wort.de/inhalt.personalmangel-im-land-der-alltag-wird-schwerer."
    "15c2ffab-fa61-4d60-8598-aaedbe3b3dc9.html": PageSource(
        "freies-wort-personalmangel", "Freies Wort", PRESS_LICENCE),
    "https://www.mz.de/panorama/bis-2035-scheiden-385-000-thuringer-aus-dem-arbeitsleben-aus-3635077": PageSource(
        "mz-2023-ifo-ausscheidende-2035", "Mitteldeutsche Zeitung (dpa)", PRESS_LICENCE),
    "https://www.mz.de/deutschland-und-welt/deutschland/prognose-thuringen-vor-gewaltigem-arbeitskrafteverlust-3532547":
        PageSource("mz-2023-01-ba-iab-prognose-2040", "Mitteldeutsche Zeitung (dpa)", PRESS_LICENCE),
    "https://nd-aktuell.de/artikel/978364.ramelow-will-lehrlinge-aus-griechenland-holen.html": PageSource(
        "nd-2015-07-ramelow-griechenland", "neues deutschland", PRESS_LICENCE),
    "https://tag24.de/nachrichten/politik/deutschland/innenpolitik/fluechtlingspolitik/zahl-seit-fluechtlingskrise-"
    "ruecklaeufig-so-viele-asylantraege-werden-in-thueringen-gestellt-2508560": PageSource(
        "tag24-integrationsbericht", "TAG24", PRESS_LICENCE),
    "https://bleibdranplus.de/thueringen-im-wandel": PageSource(
        "bleibdranplus-2025-behrens", "bleibdranplus", OTHER_LICENCE),
    "https://www.insuedthueringen.de/inhalt.wirtschaft-fachkraeftemangel-reisst-immer-groessere-luecken."
    "588e7b86-0dc8-4270-b816-2fcac8ab2cbc.html": PageSource(
        "insuedthueringen-2025-07-engpassanalyse", "inSüdthüringen", PRESS_LICENCE),
    "https://www.sueddeutsche.de/news/leben/gesellschaft---erfurt-zahl-der-thueringer-geht-laut-prognose-weiter-"
    "zurueck-dpa.urn-newsml-dpa-com-20090101-190711-99-15531": PageSource(
        "sz-2019-07-bevoelkerungsprognose", "Süddeutsche Zeitung (dpa)", PRESS_LICENCE),
    "https://suedharzkurier.blogspot.com/2019/07/bevolkerung-thuringens-sinkt-bis-2040.html": PageSource(
        "suedharz-kurier-2019-07-rbv2", "Südharz-Kurier (TLS-Mitteilung)", PRESS_LICENCE),
    "https://www.eisenachonline.de/thueringen/aktuelle-bevoelkerungsvorausberechnung-fuer-die-thueringer-kreise-"
    "einwohnerzahl-sinkt-bis-2042-um-87-prozent-117795": PageSource(
        "eisenach-online-2023-01-rbv3", "Eisenach Online (TLS)", PRESS_LICENCE),
    "http://www.altenheim.net/Infopool/Nachrichten/Thueringen-will-in-Griechenland-Altenpflege-Azubis-anwerben":
        PageSource("altenheim-2015-07-griechenland-azubis", "Altenheim (Vincentz Network)", PRESS_LICENCE),
    "https://de.investing.com/news/economic-indicators/presseprogramm-mobi-pro-bringt-vor-allem-spanier-nach-"
    "deutschland-277145": PageSource("dpa-afx-2014-mobipro-zwischenbilanz", "dpa-AFX (via investing.com)",
                                     PRESS_LICENCE),
    "https://kleineanfragen.de/hessen/19/530-sonderprogramm-mobipro-eu.txt": PageSource(
        "hessen-landtag-19-530-mobipro", "Hessischer Landtag (via kleineanfragen.de)", OFFICIAL_LICENCE),
    "https://www.bundestag.de/webarchiv/presse/hib/2019_05/640880-640880": PageSource(
        "hib-2019-518-mobipro", "Deutscher Bundestag – heute im bundestag", OFFICIAL_LICENCE),
    "https://kleineanfragen.de/hamburg/21/8336-programm-mobipro-wie-geht-es-weiter.txt": PageSource(
        "hamburg-buergerschaft-21-8336-mobipro", "Hamburgische Bürgerschaft (via kleineanfragen.de)",
        OFFICIAL_LICENCE),
    "https://www.leipzig.ihk.de/artikel/aktualisierung-des-programms-mobipro-eu-49/": PageSource(
        "ihk-leipzig-2014-mobipro", "IHK zu Leipzig", OTHER_LICENCE),
    "https://www.insuedthueringen.de/inhalt.bad-salzungen-lactosefrei-bei-minusgraden."
    "1afd9c32-61c1-438e-ba0d-c35096c4a55a.html": PageSource(
        "insuedthueringen-bad-salzungen-klinikum", "inSüdthüringen", PRESS_LICENCE),
    "https://www.mdr.de/nachrichten/thueringen/mitte-thueringen/weimar/salvador-ausbildung-pflege-fachkraeftemangel-"
    "100.html": PageSource("mdr-el-salvador-pflege", "MDR", PRESS_LICENCE),
    "https://www.neues-deutschland.de/artikel/1083491.berufserlaubnis-fuer-auslaendische-pflegekraefte.html":
        PageSource("nd-2018-03-berufserlaubnis-pflege", "neues deutschland (dpa)", PRESS_LICENCE),
    "https://carevor9.de/care-inside/thueringen-zahlt-mehr-zuschuss-fuer-auslaendische-pflege-azubis": PageSource(
        "carevor9-zuschuss-pflege-azubis", "CARE konkret / carevor9", PRESS_LICENCE),
    "https://www.mz.de/panorama/neue-schule-soll-migranten-auf-ausbildung-vorbereiten-3799554": PageSource(
        "mz-2024-03-german-professional-school", "Mitteldeutsche Zeitung (dpa)", PRESS_LICENCE),
    "https://www.spa-bildung.de/catt": PageSource("spa-catt", "SPA gGmbH", OTHER_LICENCE),
}

#: The full text of the 18 May 2016 press release. NOTE: no URL of the release itself is known; SOURCES.md §7
#: gives the dpa report of its content (WELT, 19.05.2016) as where it was published.
STATEMENT_SOURCE = Source(
    source_id="staatskanzlei-2016-05-18-pm-integrationskonzept",
    title="Land und Wohlfahrtsverbände vereinbaren enge Kooperation bei Erarbeitung des Thüringer "
          "Integrationskonzeptes (Pressemitteilung)",
    publisher="Thüringer Staatskanzlei",
    url="https://www.welt.de/regionales/thueringen/article155493915/"
        "Land-will-Eckpunkte-fuer-Integrationskonzept-bis-zum-Sommer-vorlegen.html",
    licence=PRESS_LICENCE,
    published="2016-05-18",
    accessed="",
    confidence="high",
    note="Volltext der Pressemitteilung in data/raw/statements/; die URL ist der dpa-Bericht über ihren Inhalt "
         "(WELT, 19.05.2016), die Seite der Staatskanzlei selbst ist nicht gespeichert.",
    raw_path=STATEMENT_FILE,
)

#: The transcription file itself. NOTE: it has no public URL of its own (SOURCES.md §5), and the `sources`
#: schema requires an http(s) URL, so it is not part of SOURCES; every figure cites its page source instead.
TRANSCRIPTION_SOURCE = Source(
    source_id="transkription-kennzahlen-seiten",
    title="Thüringen: Kennzahlen aus öffentlichen Seiten (Transkription, 91 Einzelwerte)",
    publisher="Zusammenstellung dieses Projekts (data/raw/SOURCES.md §5)",
    url="",
    licence="Werte aus den genannten Seiten; Pressetexte urheberrechtlich geschützt – nur Zitat",
    published="",
    accessed="",
    confidence="medium",
    note="Je Zeile URL, Titel, Datum, Anmerkung und Vertrauen; abweichende Angaben sind alle aufgeführt.",
    raw_path=TRANSCRIPTION_FILE,
)


# ---------------------------------------------------------------------------------------------------------------
# Reading and parsing the transcription (shared by projections, recruitment_pilots, policy_statements, claims)
# ---------------------------------------------------------------------------------------------------------------

def read_transcription(raw_dir: Path) -> pd.DataFrame:
    """The transcription as text, one row per figure, plus `line` (physical line in the file)."""
    path = Path(raw_dir) / TRANSCRIPTION_FILE
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    assert list(table.columns) == TRANSCRIPTION_COLUMNS, \
        f"{TRANSCRIPTION_FILE}: header changed upstream, expected {TRANSCRIPTION_COLUMNS}, got {list(table.columns)}"
    table = table.apply(lambda column: column.str.strip())
    table["line"] = range(2, len(table) + 2)
    return table


def read_statement_text(raw_dir: Path) -> str:
    """The 2016-05-18 press release with non-breaking spaces turned into plain spaces."""
    text = (Path(raw_dir) / STATEMENT_FILE).read_text(encoding="utf-8")
    return re.sub(r"[ \u00a0]+", " ", text.replace("\u00a0", " "))


def find_row(table: pd.DataFrame, kennzahl: str, zeitraum: str, region: str | None = None) -> pd.Series:
    """The one transcription row with this kennzahl and zeitraum; fails loudly when it changed upstream."""
    match = table[(table["kennzahl"] == kennzahl) & (table["zeitraum"] == zeitraum)]
    if region is not None:
        match = match[match["region"] == region]
    assert len(match) == 1, (f"{TRANSCRIPTION_FILE}: expected exactly one row '{kennzahl}' / '{zeitraum}', "
                             f"found {len(match)} – the transcription changed upstream, update the mapping")
    return match.iloc[0]


def parse_number(text: str) -> float:
    """A figure as written in the `wert` column: digits with an optional decimal point."""
    text = text.strip()
    assert re.fullmatch(r"\d+(\.\d+)?", text), f"{TRANSCRIPTION_FILE}: '{text}' is not a plain number"
    return float(text)


def parse_values(text: str) -> list[float]:
    """`wert` as a list: one figure, a range 'a-b' (low, high) or two figures 'a / b'."""
    text = text.strip()
    if re.fullmatch(r"\d+-\d+", text):
        low, high = text.split("-")
        return [parse_number(low), parse_number(high)]
    if "/" in text:
        return [parse_number(part) for part in text.split("/")]
    return [parse_number(text)]


#: Units as written in the transcription -> the unit used in the datasets.
UNIT_NAMES = {"Prozent": "%"}


def parse_unit(einheit: str) -> tuple[str, str]:
    """'Personen (rund)' -> ('Personen', 'rund'); 'Prozent' -> ('%', '')."""
    match = re.fullmatch(r"(.*?)\s*\((.*)\)", einheit.strip())
    unit, qualifier = (einheit.strip(), "") if match is None else (match.group(1).strip(), match.group(2).strip())
    return UNIT_NAMES.get(unit, unit), qualifier


def german_number(text: str) -> float:
    """A number as written in German prose: '1.595' -> 1595, '11,5' -> 11.5, '16 000' -> 16000."""
    text = text.strip().replace(" ", "")
    assert re.fullmatch(r"\d{1,3}(\.\d{3})*(,\d+)?|\d+(,\d+)?", text), f"'{text}' is not a German number"
    return float(text.replace(".", "").replace(",", "."))


def number_in_text(text: str, pattern: str, what: str) -> float:
    """The German number captured by `pattern` (group 1) in a note or statement text; fails when missing."""
    match = re.search(pattern, text)
    assert match is not None, f"expected {what} in the text '{text[:120]}' – the source text changed upstream"
    return german_number(match.group(1))


_ISO = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"


def iso_period(zeitraum: str) -> str:
    """'2016-01..2016-09' -> '2016-01/2016-09', '2013-2014' -> '2013/2014'; other ISO values unchanged."""
    text = zeitraum.strip()
    if re.fullmatch(_ISO, text):
        return text
    match = re.fullmatch(rf"({_ISO})\.\.({_ISO})", text) or re.fullmatch(r"(\d{4})-(\d{4})", text)
    if match is None:
        raise ValueError(f"not an ISO period: {zeitraum!r}")
    return f"{match.group(1)}/{match.group(2)}"


def is_partial_year(period: str) -> bool:
    """True for intervals inside one year that do not cover it whole ('2016-01/2016-09')."""
    if "/" not in period:
        return False
    start, end = period.split("/")
    return start[:4] == end[:4] and not (start.endswith("-01") and end.endswith("-12"))


def published_date(quelle_datum: str) -> str:
    """The ISO date/year a page was published, '' when the transcription gives none or only 'ca.'/'undatiert'."""
    match = re.match(rf"^({_ISO})(?!\d|/)", quelle_datum.strip())
    return match.group(1) if match else ""


def page_sources(raw_dir: Path, source_ids: set[str]) -> list[Source]:
    """One Source per page URL of the transcription whose source_id is in `source_ids`."""
    table = read_transcription(raw_dir)
    unknown = sorted(set(table["quelle_url"]) - set(PAGE_SOURCES) - set(SKIPPED_URLS))
    assert not unknown, f"{TRANSCRIPTION_FILE}: new page URLs without a source id: {unknown}"
    sources = []
    for url, page in PAGE_SOURCES.items():
        if page.source_id not in source_ids:
            continue
        rows = table[table["quelle_url"] == url]
        assert len(rows), f"{TRANSCRIPTION_FILE}: no row cites {url} any more"
        titles = rows["quelle_titel"].unique()
        assert len(titles) == 1, f"{TRANSCRIPTION_FILE}: {url} has several titles: {list(titles)}"
        counts = Counter(rows["vertrauen"])
        assert set(counts) <= set(CONFIDENCE_ORDER), f"{url}: unknown confidence {set(counts)}"
        confidence = max(counts, key=lambda level: (counts[level], -CONFIDENCE_ORDER.index(level)))
        dated = rows["quelle_datum"].iloc[0]
        note_parts = [f"Zahlen transkribiert in data/raw/{TRANSCRIPTION_FILE}"]
        if dated and dated != published_date(dated):
            note_parts.append(f"Datum laut Transkription: {dated}")
        if len(counts) > 1:
            note_parts.append("Vertrauen je Zahl verschieden: " + ", ".join(
                f"{CONFIDENCE_DE[level]} {count}×" for level, count in sorted(counts.items())))
        sources.append(Source(
            source_id=page.source_id, title=titles[0], publisher=page.publisher, url=url, licence=page.licence,
            published=published_date(dated), accessed="", confidence=confidence, note="; ".join(note_parts)))
    missing = source_ids - {s.source_id for s in sources} - {STATEMENT_SOURCE.source_id}
    assert not missing, f"source ids without a page in the transcription: {sorted(missing)}"
    if STATEMENT_SOURCE.source_id in source_ids:
        sources.append(STATEMENT_SOURCE)
    return sources


def source_id_of(row: pd.Series) -> str:
    return PAGE_SOURCES[row["quelle_url"]].source_id


def row_note(row: pd.Series, period: str, *, extra: str = "") -> str:
    """Note of a figure: wording in the source, rund/etwa, partial year, low confidence, the row's anmerkung."""
    unit, qualifier = parse_unit(row["einheit"])
    parts = [f"laut Quelle: {row['kennzahl']}"]
    if qualifier:
        parts.append(qualifier)
    if is_partial_year(period):
        parts.append("Teiljahr")
    elif re.fullmatch(r"\d{4}-\d{2}", period):
        parts.append("Monatswert")
    if extra:
        parts.append(extra)
    if row["anmerkung"]:
        parts.append(row["anmerkung"])
    if row["vertrauen"] == "low":
        parts.append("Vertrauen laut Transkription: niedrig")
    return "; ".join(parts)


# ---------------------------------------------------------------------------------------------------------------
# Indicators
# ---------------------------------------------------------------------------------------------------------------

#: Indicator ids defined by `indicators_statistics` (official series) that figures here also measure.
SHARED_INDICATOR_IDS = ["asylum_first_applications", "asylum_applications_total", "asylum_benefit_recipients",
                        "protection_seekers", "population", "employees_svb"]

INDICATORS: list[IndicatorDef] = [
    IndicatorDef("asylum_arrivals", "Asylsuchende angekommen (Zugang)", "Asylum seekers arrived (intake)",
                 "Personen", "Zugang von Asylsuchenden nach Thüringen (Erstaufnahme), laut Landesangaben.",
                 "Asylum seekers arriving in Thuringia (initial reception), as reported by the Land."),
    IndicatorDef("asylum_seekers_registered", "Registrierte Asylsuchende", "Registered asylum seekers", "Personen",
                 "Im Land registrierte Asylsuchende laut Landesangaben (Presse).",
                 "Asylum seekers registered in the Land, as reported by the Land (press)."),
    IndicatorDef("asylum_applications_unspecified", "Asylanträge (Abgrenzung nicht angegeben)",
                 "Asylum applications (definition not stated)", "Anträge",
                 "Asylanträge ohne Angabe, ob Erst- oder Folgeanträge (meist Angaben des Landesministeriums); "
                 "nicht mit BAMF-Erstanträgen gleichsetzen.",
                 "Asylum applications without a first/subsequent split (mostly figures of the Land ministry); "
                 "not the same as BAMF first applications."),
    IndicatorDef("asylum_follow_up_applications", "Asylfolgeanträge", "Subsequent asylum applications", "Anträge"),
    IndicatorDef("asylum_decisions", "Entscheidungen über Asylanträge", "Decisions on asylum applications",
                 "Entscheidungen", "Einschließlich Altfälle.", "Including older cases."),
    IndicatorDef("ukraine_refugees_arrived", "Eingereiste Geflüchtete aus der Ukraine",
                 "Refugees from Ukraine arrived", "Personen"),
    IndicatorDef("persons_obliged_to_leave", "Ausreisepflichtige Personen", "Persons obliged to leave", "Personen",
                 "Stichtagswert, einschließlich Geduldeter.", "Stock on the reference date, including tolerated persons."),
    IndicatorDef("koenigsteiner_schluessel", "Königsteiner Schlüssel (Aufnahmequote)",
                 "Königstein key (reception quota)", "%",
                 "Anteil Thüringens an der bundesweiten Verteilung von Asylsuchenden.",
                 "Thuringia's share in the nationwide distribution of asylum seekers.", is_count=False),
    IndicatorDef("population_share_of_germany", "Anteil an der Bevölkerung Deutschlands",
                 "Share of Germany's population", "%", is_count=False),
    IndicatorDef("foreign_population", "Ausländische Bevölkerung", "Foreign population", "Personen",
                 "Personen ohne deutsche Staatsangehörigkeit (Ausländerzentralregister, soweit angegeben).",
                 "Persons without German citizenship (Central Register of Foreigners where stated)."),
    IndicatorDef("refugees_employed", "Beschäftigte Geflüchtete", "Refugees in employment", "Personen"),
    IndicatorDef("bottleneck_occupation_groups", "Berufsgruppen mit Engpass (BA-Engpassanalyse)",
                 "Occupational groups with shortages (BA bottleneck analysis)", "Berufsgruppen"),
    IndicatorDef("mobipro_eu_applicants", "MobiPro-EU: Antragstellende", "MobiPro-EU: applicants", "Personen",
                 "Bundesweit, nach Herkunftsland (Spalte nationality).",
                 "Germany-wide, by country of origin (column nationality)."),
    IndicatorDef("mobipro_eu_applications", "MobiPro-EU: Anträge", "MobiPro-EU: applications", "Anträge"),
    IndicatorDef("mobipro_eu_participants_arrived", "MobiPro-EU: eingereiste Jugendliche",
                 "MobiPro-EU: young people arrived", "Personen"),
    IndicatorDef("mobipro_eu_federal_funds", "MobiPro-EU: Bundesmittel", "MobiPro-EU: federal funds", "Mio. EUR"),
    IndicatorDef("foreign_nurse_work_permits", "Berufserlaubnisse für ausländische Pflegekräfte",
                 "Work permits for foreign nurses", "Personen",
                 "Erteilt vom Thüringer Landesverwaltungsamt.", "Issued by the Thuringian Land administration office."),
]


@dataclass(frozen=True)
class IndicatorRow:
    """Which transcription row is which indicator cell."""

    kennzahl: str
    zeitraum: str
    indicator_id: str
    period: str = ""          # overrides the zeitraum ('' = zeitraum as ISO)
    nationality: str = ""
    status: str = ""
    breakdown: str = ""
    note: str = ""


_ARRIVED = "Asylsuchende angekommen (Zugang)"
_FIRST = "Asylerstanträge"
_TOTAL = "Asylanträge insgesamt (Erst+Folge)"
_MINISTRY = "Asylanträge (Angabe Migrationsministerium)"
_MINISTRY_ROUND = "Asylanträge (Ministerium, rund)"
_MINISTRY_Q3 = "Asylanträge Q1-Q3 (Ministerium)"
_BENEFITS = "Regelleistungsempfänger AsylbLG (31.12.)"
_MOBIPRO = "MobiPro-EU Antragsteller "

INDICATOR_ROWS: list[IndicatorRow] = [
    IndicatorRow(_ARRIVED, "2015", "asylum_arrivals"),
    IndicatorRow(_ARRIVED, "2016", "asylum_arrivals"),
    IndicatorRow("Asylsuchende Zugang Monat", "2015-09", "asylum_arrivals"),
    IndicatorRow("Asylsuchende Zugang Monat", "2016-09", "asylum_arrivals"),
    IndicatorRow("Asylsuchende Zugang Jan-Sep (Erstaufnahme)", "2016-01..2016-09", "asylum_arrivals"),
    IndicatorRow("Eingereiste Flüchtlinge (Ministerium)", "2020", "asylum_arrivals",
                 note="Angabe des Ministeriums: eingereiste Flüchtlinge"),
    IndicatorRow("registrierte Asylsuchende H1", "2023-01..2023-06", "asylum_seekers_registered"),
    IndicatorRow("registrierte Asylsuchende H1", "2024-01..2024-06", "asylum_seekers_registered"),
    IndicatorRow("registrierte Asylsuchende Q1-Q3 (etwa)", "2025-01..2025-09", "asylum_seekers_registered"),
    IndicatorRow(_FIRST, "2015", "asylum_first_applications"),
    IndicatorRow(_FIRST, "2016", "asylum_first_applications"),
    IndicatorRow(_FIRST, "2017", "asylum_first_applications"),
    IndicatorRow("Asylerstanträge (BAMF)", "2023", "asylum_first_applications"),
    IndicatorRow("Asylerstanträge (Ministerium, etwa)", "2025", "asylum_first_applications"),
    IndicatorRow("Asylfolgeanträge", "2015", "asylum_follow_up_applications"),
    IndicatorRow(_TOTAL, "2015", "asylum_applications_total"),
    IndicatorRow(_TOTAL, "2016", "asylum_applications_total"),
    IndicatorRow(_TOTAL, "2017", "asylum_applications_total"),
    IndicatorRow("Asylanträge Jan-Apr (Erst+Folge)", "2018-01..2018-04", "asylum_applications_total"),
    IndicatorRow("Asylanträge Januar (Erst+Folge)", "2016-01", "asylum_applications_total"),
    IndicatorRow("Asylanträge Februar (Erst+Folge)", "2016-02", "asylum_applications_total"),
    IndicatorRow("Asylanträge insgesamt (BAMF)", "2022", "asylum_applications_total"),
    IndicatorRow("Asylanträge insgesamt (BAMF)", "2023", "asylum_applications_total"),
    IndicatorRow(_MINISTRY, "2017", "asylum_applications_unspecified"),
    IndicatorRow(_MINISTRY, "2018", "asylum_applications_unspecified"),
    IndicatorRow(_MINISTRY_Q3, "2016-01..2016-09", "asylum_applications_unspecified"),
    IndicatorRow(_MINISTRY_Q3, "2018-01..2018-09", "asylum_applications_unspecified"),
    IndicatorRow(_MINISTRY_Q3, "2019-01..2019-09", "asylum_applications_unspecified"),
    IndicatorRow(_MINISTRY_ROUND, "2019", "asylum_applications_unspecified"),
    IndicatorRow(_MINISTRY_ROUND, "2020", "asylum_applications_unspecified"),
    IndicatorRow(_MINISTRY_ROUND, "2021", "asylum_applications_unspecified"),
    IndicatorRow("Asylanträge H1 (Ministerium, rund)", "2022-01..2022-06", "asylum_applications_unspecified"),
    IndicatorRow("Asylanträge bis Ende August", "2016-01..2016-08", "asylum_applications_unspecified"),
    IndicatorRow("Asylanträge Q1", "2014-01..2014-03", "asylum_applications_unspecified"),
    IndicatorRow("Asylanträge Q1", "2015-01..2015-03", "asylum_applications_unspecified"),
    IndicatorRow("Asylanträge (BAMF-Jahresbericht; vom MDR mit 8.048 Erstanträgen 2023 verglichen)", "2024",
                 "asylum_applications_unspecified"),
    IndicatorRow("Asylanträge entschieden (inkl. Altfälle)", "2016", "asylum_decisions"),
    IndicatorRow("Ukrainische Geflüchtete eingereist", "2024", "ukraine_refugees_arrived"),
    IndicatorRow("Ausreisepflichtige (Stichtag 31.05.)", "2024-05-31", "persons_obliged_to_leave"),
    IndicatorRow(_BENEFITS, "2014", "asylum_benefit_recipients", period="2014-12-31"),
    IndicatorRow(_BENEFITS, "2015", "asylum_benefit_recipients", period="2015-12-31"),
    IndicatorRow(_BENEFITS, "2016", "asylum_benefit_recipients", period="2016-12-31"),
    IndicatorRow(_BENEFITS, "2017", "asylum_benefit_recipients", period="2017-12-31"),
    IndicatorRow(_BENEFITS, "2020", "asylum_benefit_recipients", period="2020-12-31"),
    IndicatorRow("Königsteiner Schlüssel / Aufnahmequote Thüringen", "2008", "koenigsteiner_schluessel"),
    IndicatorRow("Königsteiner Schlüssel (BAMF-Verteilungsquote 2015 = GWK-Schlüssel 2014)", "2015",
                 "koenigsteiner_schluessel"),
    IndicatorRow("Königsteiner Schlüssel (GWK-Schlüssel 2015, gilt 2016)", "2016", "koenigsteiner_schluessel"),
    IndicatorRow('Königsteiner Schlüssel (KommunalWiki-Spalte "2016", wahrscheinlich gültig 2017)', "2017",
                 "koenigsteiner_schluessel"),
    IndicatorRow("Bevölkerungsanteil Thüringen an Deutschland (31.12.2014)", "2014-12-31",
                 "population_share_of_germany"),
    IndicatorRow("Ausländische Bevölkerung (31.12.)", "2014", "foreign_population", period="2014-12-31"),
    IndicatorRow("Ausländische Bevölkerung (AZR, 31.12.)", "2018", "foreign_population", period="2018-12-31"),
    IndicatorRow("Ausländische Bevölkerung (AZR, 31.12.)", "2020", "foreign_population", period="2020-12-31"),
    IndicatorRow("Schutzsuchende Deutschland insgesamt (31.12.)", "2024", "protection_seekers", period="2024-12-31"),
    IndicatorRow("Ausländer sozialversicherungspflichtig beschäftigt (Dezember)", "2017-12", "employees_svb",
                 nationality="ausländisch"),
    IndicatorRow("SV-Beschäftigte (März)", "2025-03", "employees_svb"),
    IndicatorRow("Geflüchtete in Thüringer Firmen beschäftigt", "2018-03", "refugees_employed"),
    IndicatorRow("Berufsgruppen mit Engpass (BA-Engpassanalyse)", "2024", "bottleneck_occupation_groups"),
    IndicatorRow("Bevölkerung Ende 2018 (Basis 2. rBv)", "2018", "population", period="2018-12-31"),
    IndicatorRow("Bevölkerung Ende 2021 (Basis 3. rBv)", "2021", "population", period="2021-12-31"),
    IndicatorRow("MobiPro-EU Antragsteller gesamt Jan 2013 - Jul 2014", "2013-01..2014-07", "mobipro_eu_applicants"),
    IndicatorRow(_MOBIPRO + "Spanien", "2013-01..2014-07", "mobipro_eu_applicants", nationality="Spanien"),
    IndicatorRow(_MOBIPRO + "Ungarn", "2013-01..2014-07", "mobipro_eu_applicants", nationality="Ungarn"),
    IndicatorRow(_MOBIPRO + "Italien", "2013-01..2014-07", "mobipro_eu_applicants", nationality="Italien"),
    IndicatorRow(_MOBIPRO + "Portugal", "2013-01..2014-07", "mobipro_eu_applicants", nationality="Portugal"),
    IndicatorRow("MobiPro-EU Anträge bis Antragsstopp (01.04.2014)", "2013-2014", "mobipro_eu_applications"),
    IndicatorRow("MobiPro-EU Jugendliche gekommen 2015 und 2016", "2015-2016", "mobipro_eu_participants_arrived"),
    IndicatorRow("MobiPro-EU Bundesmittel bis 2016", "2013-2016", "mobipro_eu_federal_funds"),
    IndicatorRow("MobiPro-EU Mittel 2014 (aufgestockt von 33 Mio.)", "2014", "mobipro_eu_federal_funds"),
    IndicatorRow("Berufserlaubnisse für ausländische Pflegekräfte (Landesverwaltungsamt)", "2017",
                 "foreign_nurse_work_permits"),
]

#: Indicator ids whose figures for the same region and period disagree although they look alike; each such row
#: names the other figure in its note. NOTE: 2017 has 5 040 first applications (hebammenhilfe, Brockhaus) and
#: 4 594 "Asylanträge" of the Land ministry (OTZ), whose definition differs: both are kept, under different ids.
CONFLICTING_IDS = ("asylum_first_applications", "asylum_applications_unspecified")

#: Transcription rows deliberately not turned into indicator rows, with the reason (tested).
SKIPPED_ROWS: dict[tuple[str, str], str] = {
    ("Königsteiner Schlüssel (Verteilungsschlüssel, Jahr nicht angegeben)", "unbekannt"):
        "Zeitraum unbekannt (Quelle undatiert, Vertrauen niedrig): kein ISO-Zeitraum möglich",
    ("Geflüchtete in regulärer Arbeit (Zuwanderungs- und Integrationsbericht)", "ca. 2022"):
        "Zeitraum nur ungefähr ('ca. 2022'): ein Jahr wäre erfunden",
}
#: Page URLs cited only by skipped rows (no Source row, since no figure uses them).
SKIPPED_URLS = [
    "https://asylgroebenzell.de/index.php/informieren/zahlenfakten/3-verteilung-der-asylbewerber/",
]


def indicator_rows(raw_dir: Path) -> pd.DataFrame:
    """The indicator rows before validation, plus the transcription's `kennzahl` and `zeitraum` of each figure."""
    table = read_transcription(raw_dir)
    records = []
    for spec in INDICATOR_ROWS:
        row = find_row(table, spec.kennzahl, spec.zeitraum)
        period = spec.period or iso_period(spec.zeitraum)
        unit, _ = parse_unit(row["einheit"])
        (value,) = parse_values(row["wert"])
        records.append(_record(row, spec.indicator_id, period, value, unit, nationality=spec.nationality,
                               status=spec.status, breakdown=spec.breakdown, note=row_note(row, period,
                                                                                           extra=spec.note)))
    records.extend(_records_from_notes(table))
    return _note_conflicts(pd.DataFrame.from_records(records, columns=[*COLUMNS, "kennzahl", "zeitraum"]))


def _note_conflicts(frame: pd.DataFrame) -> pd.DataFrame:
    """Add 'abweichende Angabe …' to every row of CONFLICTING_IDS that another source contradicts."""
    frame = frame.copy()
    candidates = frame[frame["indicator_id"].isin(CONFLICTING_IDS) & (frame["nationality"] == "")]
    for _, group in candidates.groupby(["region_code", "period"]):
        if group["source_id"].nunique() < 2:
            continue
        for index, row in group.iterrows():
            others = group[group["source_id"] != row["source_id"]]
            frame.loc[index, "note"] += "".join(
                f"; abweichende Angabe: {other.kennzahl} = {other.value:.0f} ({other.source_id}, "
                f"Indikator {other.indicator_id})" for other in others.itertuples())
    return frame


def _record(row: pd.Series, indicator_id: str, period: str, value: float, unit: str, *, note: str,
            nationality: str = "", status: str = "", breakdown: str = "", kennzahl: str = "") -> dict:
    region = row["region"]
    assert region in REGION_CODES, f"{TRANSCRIPTION_FILE} line {row['line']}: unknown region '{region}'"
    return {"indicator_id": indicator_id, "region_code": REGION_CODES[region], "region_name": region,
            "period": period, "sex": "", "nationality": nationality, "status": status, "sector": "",
            "age_group": "", "breakdown": breakdown, "value": value, "unit": unit, "flag": "",
            "source_id": source_id_of(row), "note": note, "kennzahl": kennzahl or row["kennzahl"],
            "zeitraum": "" if kennzahl else row["zeitraum"]}


def _records_from_notes(table: pd.DataFrame) -> list[dict]:
    """Figures that the transcription holds only in a row's anmerkung (read, never typed)."""
    records = []
    permits = find_row(table, "Berufserlaubnisse für ausländische Pflegekräfte (Landesverwaltungsamt)", "2017")
    value = number_in_text(permits["anmerkung"], r"2016:\s*([\d.]+)", "the 2016 figure ('2016: …')")
    records.append(_record(permits, "foreign_nurse_work_permits", "2016", value, parse_unit(permits["einheit"])[0],
                           note=f"aus der Anmerkung: {permits['anmerkung']}",
                           kennzahl=f"{permits['kennzahl']}, 2016 (aus der Anmerkung)"))
    obliged = find_row(table, "Ausreisepflichtige (Stichtag 31.05.)", "2024-05-31")
    unit = parse_unit(obliged["einheit"])[0]
    tolerated = number_in_text(obliged["anmerkung"], r"davon ([\d.]+) mit Duldung", "'davon … mit Duldung'")
    records.append(_record(obliged, "persons_obliged_to_leave", obliged["zeitraum"], tolerated, unit, status="geduldet",
                           note=f"aus der Anmerkung: {obliged['anmerkung']}", kennzahl="davon mit Duldung"))
    earlier = re.search(r"(\d{2})\.(\d{2})\.(\d{4}): ([\d.]+) \(([\d.]+) Duldung\)", obliged["anmerkung"])
    assert earlier is not None, "the Ausreisepflichtige note no longer gives the previous year – changed upstream"
    earlier_day = f"{earlier.group(3)}-{earlier.group(2)}-{earlier.group(1)}"
    for status, figure in (("", earlier.group(4)), ("geduldet", earlier.group(5))):
        records.append(_record(obliged, "persons_obliged_to_leave", earlier_day, german_number(figure), unit,
                               status=status, note=f"aus der Anmerkung: {obliged['anmerkung']}",
                               kennzahl=f"Ausreisepflichtige {earlier_day}" + (" mit Duldung" if status else "")))
    for month, zeitraum in (("Januar", "2016-01"), ("Februar", "2016-02")):
        row = find_row(table, f"Asylanträge {month} (Erst+Folge)", zeitraum)
        first = number_in_text(row["anmerkung"], r"([\d.]+) Erst-", "first applications ('… Erst-')")
        follow_up = number_in_text(row["anmerkung"], r"([\d.]+) Folgeanträge", "follow-ups ('… Folgeanträge')")
        unit = parse_unit(row["einheit"])[0]
        note = f"aus der Anmerkung: {row['anmerkung']}; Monatswert"
        records.append(_record(row, "asylum_first_applications", row["zeitraum"], first, unit, note=note,
                               kennzahl=f"Asylerstanträge {month} (aus der Anmerkung)"))
        records.append(_record(row, "asylum_follow_up_applications", row["zeitraum"], follow_up, unit, note=note,
                               kennzahl=f"Asylfolgeanträge {month} (aus der Anmerkung)"))
    return records


def used_source_ids(raw_dir: Path = RAW_DIR) -> set[str]:
    table = read_transcription(raw_dir)
    return {source_id_of(find_row(table, spec.kennzahl, spec.zeitraum)) for spec in INDICATOR_ROWS}


def build(raw_dir: Path) -> pd.DataFrame:
    """Indicator rows (indicators.COLUMNS) from the transcription, sorted and validated."""
    frame = indicator_rows(raw_dir)[COLUMNS].copy()
    frame["value"] = frame["value"].astype("float64")
    for column in [c for c in COLUMNS if c != "value"]:
        frame[column] = frame[column].astype(str)
    frame = frame.sort_values(["indicator_id", "region_code", "period", *BREAKDOWNS, "source_id"],
                              kind="stable").reset_index(drop=True)
    return IndicatorsSchema.validate(frame)


@lru_cache(maxsize=None)
def _sources() -> list[Source]:
    """The page sources this dataset cites — read from the raw files on first use, not at import."""
    return [TRANSCRIPTION_SOURCE, *page_sources(RAW_DIR, used_source_ids(RAW_DIR))]


def __getattr__(name: str):
    if name == "SOURCES":
        return _sources()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
