"""Rendering of the data catalogue (tables of datasets and their sources)."""
from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from charts.export import csv_bytes, xlsx_bytes
from ui.chart_block import XLSX_MIME

import datasets
from datasets.catalogue import CatalogueEntry, claim_source_ids, entry, sources_of
from ui import data
from ui.i18n import number, t, timestamp


def entries() -> list[CatalogueEntry]:
    versions = data.live_versions()
    return _entries(tuple((name, versions[name].version_id) for name in datasets.NAMES))


@st.cache_resource(max_entries=16, show_spinner=False)
def _entries(version_key: tuple[tuple[str, int], ...]) -> list[CatalogueEntry]:
    versions = data.live_versions()
    frames = {name: data.read_version(name, version_id) for name, version_id in version_key}
    result = []
    for name, frame in frames.items():
        spec = datasets.spec(name)
        source_ids = (claim_source_ids(frame, frames["policy_statements"]) if name == "claims"
                      else spec.source_ids(frame))
        result.append(entry(name, spec.meta, frame, versions[name], source_ids))
    return result


def _period(e: CatalogueEntry, lang: str) -> str:
    if not e.period_from:
        return "–"
    return e.period_from if e.period_from == e.period_to else f"{e.period_from} – {e.period_to}"


def overview_table(entries_: list[CatalogueEntry], lang: str) -> None:
    versions = data.live_versions()
    table = pd.DataFrame({
        t("col_dataset", lang): [e.title(lang) for e in entries_],
        t("col_version", lang): [e.version_number for e in entries_],
        t("col_published", lang): [timestamp(versions[e.name].created_at, lang) for e in entries_],
        t("col_author", lang): [e.author for e in entries_],
        t("col_rows", lang): [number(e.rows, lang) for e in entries_],
        t("col_period", lang): [_period(e, lang) for e in entries_],
        t("col_sources", lang): [len(e.source_ids) for e in entries_],
    })
    st.dataframe(table, hide_index=True, width="stretch", key="catalogue_overview")


def _sources_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        t("col_title", lang): frame["title"],
        t("col_publisher", lang): frame["publisher"],
        t("col_licence", lang): frame["licence"],
        t("col_confidence", lang): [t(f"confidence_{c}", lang) for c in frame["confidence"]],
        t("col_url", lang): frame["url"],
        t("col_raw_path", lang): frame["raw_path"],
        t("col_note", lang): frame["note"],
    })


def sources_per_dataset(entries_: list[CatalogueEntry], sources: pd.DataFrame, lang: str) -> None:
    link = {t("col_url", lang): st.column_config.LinkColumn(t("col_url", lang))}
    for e in entries_:
        if e.name == "sources":
            continue
        with st.expander(t("sources_of", lang, title=e.title(lang)), key=f"sources_{e.name}"):
            st.write(e.description(lang))
            st.caption(t("dataset_rows_period", lang, rows=number(e.rows, lang), period=_period(e, lang),
                         version=e.version_number))
            st.dataframe(_sources_table(sources_of(e, sources), lang), hide_index=True, width="stretch",
                         column_config=link, key=f"sources_table_{e.name}")
            downloads(e, lang)
    with st.expander(t("all_sources", lang), key="sources_all"):
        st.dataframe(_sources_table(sources, lang), hide_index=True, width="stretch", column_config=link,
                     key="sources_table_all")


def _version_frame(name: str, version_id: int) -> pd.DataFrame:
    return data.read_version(name, version_id)


def downloads(e: CatalogueEntry, lang: str) -> None:
    """CSV, XLSX and Parquet of the live version; built only when clicked (deferred callables)."""
    stem = f"{e.name}-v{e.version_number}"
    columns = st.columns(3)
    columns[0].download_button(t("download_csv", lang), lambda: csv_bytes(_version_frame(e.name, e.version_id)),
                               file_name=f"{stem}.csv", mime="text/csv", key=f"download_csv_{e.name}",
                               on_click="ignore")
    columns[1].download_button(t("download_xlsx", lang),
                               lambda: xlsx_bytes(_version_frame(e.name, e.version_id), sheet_title=e.name),
                               file_name=f"{stem}.xlsx", mime=XLSX_MIME, key=f"download_xlsx_{e.name}",
                               on_click="ignore")
    columns[2].download_button(t("download_parquet", lang), partial(data.version_bytes, e.name, e.version_id),
                               file_name=f"{stem}.parquet", mime="application/vnd.apache.parquet",
                               key=f"download_parquet_{e.name}", on_click="ignore")
