"""Rendering helpers of the page "Versionen & Protokoll": versions of a dataset, view/download, rollback, audit log.

Notes and author names are user text: they are shown in tables only, never as Markdown or HTML.
"""
from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

import datasets
import store
from store.models import KINDS
from charts.export import csv_bytes, xlsx_bytes
from ui import data
from ui.chart_block import XLSX_MIME
from ui.i18n import number, t, timestamp
from ui.upload_views import dataset_title

PREVIEW_ROWS = 200
_REQUEST = "history_rollback_request"
_NOTE = "history_rollback_note"


def choose_dataset(lang: str) -> str:
    return st.selectbox(t("history_dataset", lang), datasets.NAMES, format_func=partial(dataset_title, lang=lang),
                        key="history_dataset")


def versions_table(versions: list[store.VersionInfo], lang: str) -> pd.DataFrame:
    """One row per version, newest first: number, live, author, time, kind, rows, note, sha256 start."""
    numbers = {version.version_id: version.number for version in versions}
    return pd.DataFrame({
        t("history_col_number", lang): pd.array([v.number for v in versions], dtype="Int64"),
        t("history_col_live", lang): pd.Series(["✓" if v.is_live else "" for v in versions], dtype="str"),
        t("history_col_author", lang): pd.Series([v.author for v in versions], dtype="str"),
        t("history_col_time", lang): pd.Series([timestamp(v.created_at, lang) for v in versions], dtype="str"),
        t("history_col_kind", lang): pd.Series([t(f"history_kind_{v.kind}", lang) for v in versions], dtype="str"),
        t("history_col_from", lang): pd.Series([str(numbers[v.rolled_back_from]) if v.rolled_back_from in numbers
                                                else "" for v in versions], dtype="str"),
        t("history_col_rows", lang): pd.array([v.rows for v in versions], dtype="Int64"),
        t("history_col_note", lang): pd.Series([v.note for v in versions], dtype="str"),
        t("history_col_sha", lang): pd.Series([v.sha256[:12] for v in versions], dtype="str"),
    })


def show_versions(dataset: str, lang: str) -> list[store.VersionInfo]:
    versions = data.get_store().history(dataset)
    st.subheader(t("history_versions", lang))
    st.dataframe(versions_table(versions, lang), hide_index=True, width="stretch")
    return versions


def choose_version(versions: list[store.VersionInfo], dataset: str, lang: str) -> store.VersionInfo:
    by_id = {version.version_id: version for version in versions}

    def label(version_id: int) -> str:
        version = by_id[version_id]
        text = t("history_version_label", lang, number=version.number, when=timestamp(version.created_at, lang),
                 author=version.author)
        return text + (t("history_version_live", lang) if version.is_live else "")

    chosen = st.selectbox(t("history_version", lang), list(by_id), format_func=label, key=f"history_version_{dataset}")
    return by_id[chosen]


def show_version(dataset: str, version: store.VersionInfo, lang: str) -> None:
    """The first PREVIEW_ROWS rows and downloads of the whole version (CSV/XLSX escaped, Parquet as stored)."""
    frame = data.read_version(dataset, version.version_id)
    st.caption(t("history_preview", lang, number=version.number, max=PREVIEW_ROWS, rows=number(len(frame), lang)))
    st.dataframe(frame.head(PREVIEW_ROWS), hide_index=True, width="stretch")
    name = f"{dataset}-v{version.number}"
    columns = st.columns(3)
    # NOTE: callables run only when clicked, so a rerun never pays for the export.
    columns[0].download_button(t("download_csv", lang), partial(csv_bytes, frame), file_name=f"{name}.csv",
                               mime="text/csv", key="history_csv", on_click="ignore")
    columns[1].download_button(t("download_xlsx", lang), partial(xlsx_bytes, frame, dataset),
                               file_name=f"{name}.xlsx", mime=XLSX_MIME, key="history_xlsx", on_click="ignore")
    columns[2].download_button(t("download_parquet", lang), partial(data.version_bytes, dataset, version.version_id),
                               file_name=f"{name}.parquet", mime="application/vnd.apache.parquet",
                               key="history_parquet", on_click="ignore")


# --- rollback ----------------------------------------------------------------------------------------------------


def rollback_version(store_connection, dataset: str, version_id: int, *, actor: store.Actor, note: str,
                     parent_version_id: int | None) -> store.VersionInfo:
    """Publish an old version's content again as `actor`. The store checks the role (PermissionDenied) and that
    `parent_version_id` — the live version the analyst saw — is still live (PublishConflict)."""
    note = " ".join(str(note or "").split())
    if not note:
        raise ValueError("a note is required")
    return store_connection.rollback(dataset, version_id, actor=actor, note=note, parent_version_id=parent_version_id)


def _request_rollback(dataset: str, version_id: int, parent_version_id: int | None) -> None:
    """Button callback: remember what was clicked, with the live version shown when it was clicked."""
    st.session_state[_REQUEST] = {"dataset": dataset, "version_id": version_id, "parent": parent_version_id,
                                  "note": st.session_state.get(_NOTE, "")}


def handle_rollback(actor: store.Actor, lang: str) -> None:
    """Run a requested rollback (before any widget is drawn, so the note field can be cleared) and show the result."""
    request = st.session_state.pop(_REQUEST, None)
    if request is None:
        return
    if not " ".join(str(request["note"]).split()):
        st.error(t("history_note_required", lang))
        return
    dataset = request["dataset"]
    try:
        old = data.get_store().version(dataset, request["version_id"])
        version = rollback_version(data.get_store(), dataset, request["version_id"], actor=actor,
                                   note=request["note"], parent_version_id=request["parent"])
    except store.StoreError as error:
        st.error(error.message(lang))
        return
    st.session_state[_NOTE] = ""
    st.success(t("history_rollback_done", lang, dataset=dataset_title(dataset, lang), old=old.number,
                 number=version.number, rows=number(version.rows, lang)))


def rollback_form(dataset: str, chosen: store.VersionInfo, versions: list[store.VersionInfo], lang: str) -> None:
    st.subheader(t("history_rollback", lang))
    live = next((version for version in versions if version.is_live), None)
    if chosen.is_live:
        st.caption(t("history_rollback_is_live", lang, number=chosen.number))
        return
    st.caption(t("history_rollback_intro", lang, number=chosen.number))
    st.text_input(t("history_rollback_note", lang), key=_NOTE, max_chars=2000)
    st.button(t("history_rollback_button", lang, number=chosen.number), type="primary", key="history_rollback",
              on_click=_request_rollback,
              args=(dataset, chosen.version_id, live.version_id if live is not None else None))


# --- audit log ---------------------------------------------------------------------------------------------------


def audit_table(audit: pd.DataFrame, lang: str, dataset: str | None = None) -> pd.DataFrame:
    """store.audit() with localised headers, times as text and kinds in words; optionally one dataset only."""
    if dataset:
        audit = audit[audit["dataset"] == dataset]
    audit = audit.reset_index(drop=True)
    return pd.DataFrame({
        t("history_col_when", lang): pd.Series([timestamp(when, lang) for when in audit["when"]], dtype="str"),
        t("history_col_who", lang): audit["who"].astype("str"),
        t("history_col_action", lang): pd.Series([t(f"history_kind_{a}", lang) if a in KINDS else str(a)
                                                  for a in audit["action"]], dtype="str"),
        t("history_col_dataset", lang): audit["dataset"].astype("str"),
        t("history_col_version_id", lang): audit["version_id"].astype("Int64"),
        t("history_col_rows", lang): audit["rows"].astype("Int64"),
        t("history_col_note", lang): audit["note"].astype("str"),
        t("history_col_sha", lang): audit["sha256"].astype("str").str.slice(0, 12),
    })


def show_audit(lang: str) -> None:
    st.subheader(t("history_audit", lang))
    audit = data.get_store().audit()
    names = sorted(audit["dataset"].unique().tolist())
    chosen = st.selectbox(t("history_audit_filter", lang), ["", *names], key="history_audit_dataset",
                          format_func=lambda n: dataset_title(n, lang) if n in datasets.NAMES
                          else (n or t("history_audit_all", lang)))
    table = audit_table(audit, lang, chosen or None)
    if table.empty:
        st.caption(t("history_audit_empty", lang))
        return
    st.dataframe(table, hide_index=True, width="stretch")
    st.download_button(t("history_audit_download", lang), partial(csv_bytes, table), key="history_audit_csv",
                       file_name=f"protokoll-{chosen or 'alle'}.csv" if lang != "en" else f"audit-{chosen or 'all'}.csv",
                       mime="text/csv", on_click="ignore")

