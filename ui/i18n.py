"""UI strings in German (default) and English, and locale-aware number/date formatting."""
from __future__ import annotations

import datetime as dt

import pandas as pd
from babel.dates import format_datetime

from charts.format import NO_VALUE, locale_of
from charts.format import number as _number

LANGUAGES = {"Deutsch": "de", "English": "en"}

#: key -> (German, English). Every UI string lives here; a test checks both are non-empty.
STRINGS: dict[str, tuple[str, str]] = {
    "app_title": ("Thüringen Fachkräfte-Dashboard", "Thuringia Skilled-Labour Dashboard"),
    "language": ("Sprache / Language", "Sprache / Language"),
    "data_as_of": ("Datenstand: {when}", "Data as of: {when}"),
    "page_overview": ("Überblick", "Overview"),
    "page_demand": ("Fachkräftebedarf", "Skilled-labour demand"),
    "page_migration": ("Zuwanderung & Asyl", "Immigration & asylum"),
    "page_recruitment": ("Rekrutierung", "Recruitment"),
    "page_statements": ("Aussagen", "Statements"),
    "page_catalogue": ("Daten & Quellen", "Data & sources"),
    "page_explorer": ("Explorer", "Explorer"),
    "page_upload": ("Daten hochladen", "Upload data"),
    "page_history": ("Versionen & Protokoll", "Versions & audit log"),
    "statement_markers": ("Aussagen im Diagramm markieren", "Mark statements in charts"),
    "catalogue_intro": (
        "Jede Zahl im Dashboard stammt aus einer der hier aufgeführten Dateien oder Seiten. "
        "Jeder Datensatz ist versioniert; die Tabelle zeigt die aktuell veröffentlichte Version.",
        "Every figure in the dashboard comes from one of the files or pages listed here. "
        "Every dataset is versioned; the table shows the version currently published."),
    "col_dataset": ("Datensatz", "Dataset"),
    "col_version": ("Version", "Version"),
    "col_published": ("Veröffentlicht", "Published"),
    "col_author": ("von", "by"),
    "col_rows": ("Zeilen", "Rows"),
    "col_period": ("Zeitraum", "Period"),
    "col_sources": ("Quellen", "Sources"),
    "col_title": ("Titel", "Title"),
    "col_publisher": ("Herausgeber", "Publisher"),
    "col_licence": ("Lizenz", "Licence"),
    "col_url": ("Adresse", "Address"),
    "col_confidence": ("Verlässlichkeit", "Confidence"),
    "col_note": ("Hinweis", "Note"),
    "col_raw_path": ("Rohdatei", "Raw file"),
    "confidence_high": ("hoch", "high"),
    "confidence_medium": ("mittel", "medium"),
    "confidence_low": ("niedrig", "low"),
    "no_value": (NO_VALUE["de"], NO_VALUE["en"]),
    "sources_of": ("Quellen für „{title}“", "Sources of “{title}”"),
    "all_sources": ("Alle Quellen", "All sources"),
    "dataset_rows_period": ("{rows} Zeilen · Zeitraum {period} · Version {version}",
                            "{rows} rows · period {period} · version {version}"),
    "caption_source": ("Quelle: {titles}", "Source: {titles}"),
    "caption_more_sources": ("und {count} weitere (siehe „Daten & Quellen“)", "and {count} more (see “Data & sources”)"),
    "caption_licence": ("Lizenz: {licences}", "Licence: {licences}"),
    "caption_as_of": ("Stand: {when} (Version {version})", "As of: {when} (version {version})"),
    "show_table": ("Tabelle und Downloads", "Table and downloads"),
    "download_csv": ("CSV herunterladen", "Download CSV"),
    "download_xlsx": ("Excel herunterladen", "Download Excel"),
    "download_parquet": ("Parquet herunterladen", "Download Parquet"),
    "store_down_banner": (
        "Die Datenbank ist gerade nicht erreichbar. Sie sehen den zuletzt geladenen Stand; Hochladen und "
        "Veröffentlichen sind bis dahin nicht möglich.",
        "The database cannot be reached right now. You see the data as last loaded; uploading and "
        "publishing are not possible until it is back."),
    "store_unavailable": (
        "Die Datenbank ist nicht erreichbar. Bitte später erneut versuchen.",
        "The database cannot be reached. Please try again later."),
}


def _merge_page_strings() -> None:
    """Add the STRINGS of every module in ui/text/ (one per page); a key may be defined only once."""
    import importlib
    import pkgutil

    import ui.text

    for module_info in pkgutil.iter_modules(ui.text.__path__):
        module = importlib.import_module(f"ui.text.{module_info.name}")
        for key, pair in getattr(module, "STRINGS", {}).items():
            if key in STRINGS and STRINGS[key] != pair:
                raise AssertionError(f"UI string {key!r} is defined twice (ui/text/{module_info.name}.py)")
            STRINGS[key] = pair


_merge_page_strings()


def t(key: str, lang: str = "de", **values: object) -> str:
    german, english = STRINGS[key]
    text = english if lang == "en" else german
    return text.format(**values) if values else text


def number(value, lang: str = "de", decimals: int | None = None) -> str:
    """1.234,5 in German, 1,234.5 in English; "keine Angabe" for NA."""
    return _number(value, lang, decimals)


def timestamp(value: dt.datetime | None, lang: str = "de") -> str:
    if value is None:
        return t("no_value", lang)
    return format_datetime(value, "dd.MM.yyyy HH:mm" if lang != "en" else "yyyy-MM-dd HH:mm",
                           tzinfo=dt.timezone.utc, locale=locale_of(lang)) + " UTC"


def day(value, lang: str = "de") -> str:
    """A calendar day ("18.05.2016" / "2016-05-18") from a date, datetime or ISO text; "keine Angabe" for NA."""
    try:
        parsed = pd.Timestamp(value)
    except (TypeError, ValueError):
        return t("no_value", lang)
    if pd.isna(parsed):
        return t("no_value", lang)
    return parsed.strftime("%d.%m.%Y" if lang != "en" else "%Y-%m-%d")
