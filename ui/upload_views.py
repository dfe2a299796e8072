"""Rendering helpers of the page "Daten hochladen": the seven steps of an upload, top to bottom.

The heavy work (datasets.upload.analyse / prepare) is cached per (file sha256, target, mapping, version ids),
so reruns — typing the note, opening an expander — stay cheap. Text from the file (headers, cells, the file
name) is only ever shown in tables and select boxes, never as Markdown or HTML.

The uploader takes any file name on purpose: with `type=[...]`, Streamlit 1.67 raises an uncaught
StreamlitAPIException (before this script runs) for a file with another extension sent by a client that
skips the browser's check. The extension is checked here instead (`choose_file`), with a clear message.
`max_upload_size` is enforced only by the browser, so the size is checked again here too.
"""
from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
from dataclasses import asdict, dataclass
from functools import partial

import numpy as np
import pandas as pd
import streamlit as st

import datasets
import store
from charts.export import csv_bytes
from charts.format import escape_markdown
from datasets.base import Source
from datasets.diff import CHANGED_COLUMNS
from datasets.upload import PreparedUpload, analyse, prepare, problems_table, suggest_mapping, target_columns
from ui import data
from ui.i18n import number, t

MAX_UPLOAD_MB = 50
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
FILE_TYPES = ["csv", "txt", "xlsx", "parquet"]
#: The extra target choice: rows of a new measure (any GENESIS table) for the `indicators` dataset.
NEW_INDICATOR = "new_indicator"
PREVIEW_ROWS = 200
HIGHLIGHT = "background-color: #ffe08a; color: #111111"
CONFIDENCES = ("high", "medium", "low")
#: The columns an indicators upload cannot do without (the others are optional breakdowns).
REQUIRED_INDICATOR_COLUMNS = ("region_code", "period", "value")


@dataclass(frozen=True)
class Target:
    """What the upload is for: the dataset to publish and, for indicators, the series it brings."""

    choice: str                      # a name in datasets.NAMES or NEW_INDICATOR
    dataset: str                     # the dataset that gets the new version
    indicator_id: str | None = None  # None = read from the file's indicator_id column
    source_id: str | None = None     # None = read from the file's source_id column
    new_source: Source | None = None
    unit: str | None = None

    def cache_key(self) -> str:
        values = asdict(self)
        return json.dumps(values, sort_keys=True, default=str)


@dataclass(frozen=True)
class UploadFile:
    name: str
    content: bytes
    sha256: str


@contextlib.contextmanager
def store_errors(lang: str):
    """A store failure (database gone, corrupt version) becomes its German/English message, never a traceback."""
    try:
        yield
    except store.StoreError as error:
        st.error(error.message(lang))
        st.stop()


def dataset_title(name: str, lang: str) -> str:
    meta = datasets.spec(name).meta
    return meta.title_en if lang == "en" else meta.title_de


def _target_label(choice: str, lang: str) -> str:
    return t("upload_target_new_indicator", lang) if choice == NEW_INDICATOR else dataset_title(choice, lang)


def flash(lang: str) -> None:
    """The success message of the publish before the last rerun (the upload form was reset)."""
    done = st.session_state.pop("upload_flash", None)
    if done:
        if done.get("source_id"):
            st.success(t("upload_published_source", lang, source_id=escape_markdown(done["source_id"]),
                         number=done["source_number"]))
        st.success(t("upload_published", lang, dataset=dataset_title(done["dataset"], lang),
                     number=done["number"], rows=number(done["rows"], lang)))


# --- 1. target -----------------------------------------------------------------------------------------------


def choose_target(lang: str) -> Target:
    st.subheader(t("upload_step_target", lang))
    choice = st.selectbox(t("upload_target", lang), [*datasets.NAMES, NEW_INDICATOR],
                          format_func=partial(_target_label, lang=lang), key="upload_target")
    if choice not in ("indicators", NEW_INDICATOR):
        st.caption(t("upload_target_whole", lang))
        return Target(choice, choice)
    st.caption(t("upload_target_indicator", lang))
    indicators, _ = data.dataset("indicators")
    known_ids = sorted(indicators["indicator_id"].unique().tolist())
    left, right = st.columns(2)
    if choice == NEW_INDICATOR:
        indicator_id = left.text_input(t("upload_indicator_new", lang), key="upload_indicator_new",
                                       help=t("upload_indicator_new_help", lang)).strip()
        if indicator_id in known_ids:
            left.warning(t("upload_indicator_exists", lang, indicator_id=escape_markdown(indicator_id)))
    else:
        indicator_id = left.selectbox(t("upload_indicator_existing", lang), ["", *known_ids],
                                      format_func=lambda v: v or t("upload_from_file", lang, column="indicator_id"),
                                      key="upload_indicator_existing")
    unit = right.text_input(t("upload_unit", lang), key="upload_unit").strip()
    source_id, new_source = _choose_source(lang)
    return Target(choice, "indicators", indicator_id or None, source_id or None, new_source, unit or None)


def _choose_source(lang: str) -> tuple[str | None, Source | None]:
    kind = st.radio(t("upload_source_kind", lang), ["existing", "new"], horizontal=True, key="upload_source_kind",
                    format_func=lambda k: t(f"upload_source_{k}", lang))
    sources, _ = data.dataset("sources")
    if kind == "existing":
        titles = dict(zip(sources["source_id"], sources["title"]))
        source_id = st.selectbox(
            t("upload_source", lang), ["", *sorted(titles)], key="upload_source_id",
            format_func=lambda v: f"{v} – {titles[v]}" if v else t("upload_from_file", lang, column="source_id"))
        return source_id or None, None
    st.caption(t("upload_source_new_intro", lang))
    left, right = st.columns(2)
    values = {}
    for number_, field in enumerate(("source_id", "title", "publisher", "url", "licence", "published", "accessed")):
        column = left if number_ % 2 == 0 else right
        default = datetime.date.today().isoformat() if field == "accessed" else ""
        label = t("upload_source_id" if field == "source_id" else f"upload_source_{field}", lang)
        values[field] = column.text_input(label, value=default,
                                          key=f"upload_new_source_{field}").strip()
    values["confidence"] = right.selectbox(t("upload_source_confidence", lang), CONFIDENCES,
                                           format_func=lambda c: t(f"confidence_{c}", lang),
                                           key="upload_new_source_confidence")
    values["note"] = st.text_input(t("upload_source_note", lang), key="upload_new_source_note").strip()
    return values["source_id"] or None, Source(**values)


# --- 2. file -----------------------------------------------------------------------------------------------------


def uploader_key() -> str:
    """The uploader's key; it changes after a publish so the form starts empty."""
    return f"upload_file_{st.session_state.get('upload_generation', 0)}"


def choose_file(lang: str) -> UploadFile | None:
    st.subheader(t("upload_step_file", lang))
    uploaded = st.file_uploader(t("upload_file", lang, mb=MAX_UPLOAD_MB), type=None, key=uploader_key(),
                                max_upload_size=MAX_UPLOAD_MB, help=t("upload_file_help", lang, mb=MAX_UPLOAD_MB))
    if uploaded is None:
        st.info(t("upload_no_file", lang))
        return None
    extension = str(uploaded.name).rsplit(".", 1)[-1].lower() if "." in str(uploaded.name) else ""
    if extension not in FILE_TYPES:
        st.error(t("upload_bad_extension", lang, extension=extension or "–", allowed=", ".join(FILE_TYPES)))
        return None
    if uploaded.size > MAX_UPLOAD_BYTES:   # the browser enforces max_upload_size, the server does not
        st.error(t("upload_too_large", lang, size=number(uploaded.size / 1024 / 1024, lang, 1), mb=MAX_UPLOAD_MB))
        return None
    content = uploaded.getvalue()
    return UploadFile(str(uploaded.name), content, hashlib.sha256(content).hexdigest())


# --- 3. detection ------------------------------------------------------------------------------------------------


@st.cache_data(max_entries=4, ttl="1h", show_spinner=False)    # uploads are large: few, not forever
def analysed(sha256: str, filename: str, _content: bytes):
    """datasets.upload.analyse, once per file content (the sha256 is the key, the bytes are not hashed)."""
    return analyse(_content, filename)


def detection_rows(file: UploadFile, analysis, lang: str) -> pd.DataFrame:
    """What was detected, as a two-column text table."""
    unknown = t("upload_detected_unknown", lang)
    binary = analysis.format in ("xlsx", "parquet")

    def labelled(prefix: str, value: str | None) -> str:
        if value is None:
            return t("upload_detected_none", lang) if binary else unknown
        key = f"upload_{prefix}_{'tab' if value == chr(9) else value}"
        return t(key, lang) if key in _strings() else str(value)

    rows = [
        (t("upload_detected_file", lang), file.name),
        (t("upload_detected_format", lang), labelled("format", analysis.format) if analysis.format else unknown),
        (t("upload_detected_encoding", lang), analysis.encoding or (t("upload_detected_none", lang) if binary
                                                                      else unknown)),
        (t("upload_detected_delimiter", lang), labelled("delimiter", analysis.delimiter)),
        (t("upload_detected_decimal", lang), labelled("decimal", analysis.decimal)),
        (t("upload_detected_rows", lang), number(analysis.rows, lang)),
        (t("upload_detected_columns", lang), number(len(analysis.columns), lang)),
    ]
    return pd.DataFrame(rows, columns=[t("upload_property", lang), t("upload_value", lang)], dtype="str")


def _strings() -> dict:
    from ui.i18n import STRINGS

    return STRINGS


def show_detection(file: UploadFile, lang: str):
    st.subheader(t("upload_step_detected", lang))
    analysis = analysed(file.sha256, file.name, file.content)
    left, right = st.columns([2, 1])
    left.dataframe(detection_rows(file, analysis, lang), hide_index=True, width="stretch")
    if analysis.columns:
        right.dataframe(pd.DataFrame({t("upload_column_names", lang): [str(c) for c in analysis.columns]},
                                     dtype="str"), hide_index=True, width="stretch", height=250)
    if analysis.warnings:
        st.warning(t("upload_warnings", lang))
        st.dataframe(problems_table(analysis.warnings, lang), hide_index=True, width="stretch")
    if analysis.notes:
        with st.expander(t("upload_notes", lang)):
            st.text("\n".join(str(note) for note in analysis.notes))
    return analysis


# --- 4. mapping --------------------------------------------------------------------------------------------------


def source_columns(analysis, dataset: str) -> list[str]:
    """The columns of the file a dataset column can be mapped to (the tidy loader columns for indicators)."""
    if dataset == "indicators":
        frame = analysis.frame
        return [] if frame is None else [str(c) for c in frame.columns if c not in ("table", "source_line")]
    table = analysis.table
    return [] if table is None else [str(c) for c in table.columns if c != "source_line"]


def _mapping_key(file: UploadFile) -> str:
    return f"upload_mapping_{file.sha256}"


def _widget_key(file: UploadFile, dataset: str, column: str) -> str:
    return f"upload_map_{file.sha256[:16]}_{dataset}_{column}"


def _reset_mapping(file: UploadFile, dataset: str) -> None:
    st.session_state.get(_mapping_key(file), {}).pop(dataset, None)
    for column in target_columns(dataset):
        st.session_state.pop(_widget_key(file, dataset, column), None)


def edit_mapping(file: UploadFile, analysis, target: Target, lang: str) -> dict[str, str | None]:
    """One select box per dataset column, prefilled with suggest_mapping; kept in session state per file sha256."""
    st.subheader(t("upload_step_mapping", lang))
    suggested = suggest_mapping(analysis, target.dataset)
    sources = source_columns(analysis, target.dataset)
    if not sources:
        st.caption(t("upload_mapping_unavailable", lang))
        return suggested
    st.caption(t("upload_mapping_intro", lang))
    if target.dataset == "indicators":
        st.caption(t("upload_mapping_breakdown", lang))
    saved = st.session_state.setdefault(_mapping_key(file), {}).get(target.dataset) or suggested
    options = ["", *sources]
    shown = {source: source if analysis.header_of(source) == source else f"{source} ({analysis.header_of(source)})"
             for source in sources} if target.dataset == "indicators" else {source: source for source in sources}
    targets = target_columns(target.dataset)
    current = {column: st.session_state.get(_widget_key(file, target.dataset, column), saved.get(column) or "")
               for column in targets}
    required = REQUIRED_INDICATOR_COLUMNS if target.dataset == "indicators" else targets
    mapped = sum(1 for value in current.values() if value)
    with st.expander(t("upload_mapping_summary", lang, mapped=mapped, total=len(targets)),
                     expanded=any(not current[column] for column in required)):
        columns = st.columns(3)
        mapping = {}
        for position, column in enumerate(targets):
            chosen = columns[position % 3].selectbox(
                column, options, index=options.index(current[column]) if current[column] in options else 0,
                format_func=lambda v: shown.get(v, v) if v else t("upload_mapping_none", lang),
                key=_widget_key(file, target.dataset, column))
            mapping[column] = chosen or None
        st.button(t("upload_mapping_reset", lang), key="upload_mapping_reset", on_click=_reset_mapping,
                  args=(file, target.dataset))
    st.session_state[_mapping_key(file)][target.dataset] = mapping
    return mapping


# --- 5. validation -----------------------------------------------------------------------------------------------


def captured_base(file: UploadFile, dataset: str) -> dict:
    """The live version ids of the target and of `sources` when this file was first checked for the target.

    The diff is computed against them and they are the publish's parent: someone else's publish in between
    gives a PublishConflict instead of a silent overwrite.
    """
    key = f"upload_base_{file.sha256}_{dataset}"
    if key not in st.session_state:
        st.session_state[key] = _current_base(dataset)
    return st.session_state[key]


def _current_base(dataset: str) -> dict:
    versions = data.live_versions()
    return {name: versions[name].version_id if name in versions else None for name in (dataset, "sources")}


def recheck(file: UploadFile, dataset: str) -> None:
    """Take the current live versions as the base of this upload (button callback)."""
    st.session_state[f"upload_base_{file.sha256}_{dataset}"] = _current_base(dataset)


@st.cache_data(max_entries=4, ttl="1h", show_spinner=False)
def prepared_upload(sha256: str, filename: str, target_key: str, mapping_key: str, live_id: int | None,
                    sources_id: int | None, _content: bytes, _analysis, _target: Target) -> dict:
    """datasets.upload.prepare + the totals, cached per (file, target, mapping, live version ids)."""
    live = data.read_version(_target.dataset, live_id) if live_id is not None else None
    sources = data.read_version("sources", sources_id) if sources_id is not None else None
    result = prepare(_content, filename, target=_target.dataset, live=live, mapping=json.loads(mapping_key),
                     indicator_id=_target.indicator_id, source_id=_target.source_id, sources=sources,
                     new_source=_target.new_source, unit=_target.unit, analysis=_analysis)
    return {"prepared": result, "totals": totals(result, live)}


def check(file: UploadFile, analysis, target: Target, mapping: dict, base: dict) -> dict:
    return prepared_upload(file.sha256, file.name, target.cache_key(), json.dumps(mapping, sort_keys=True),
                           base.get(target.dataset), base.get("sources"), file.content, analysis, target)


def show_problems(prepared: PreparedUpload, lang: str) -> None:
    st.subheader(t("upload_step_problems", lang))
    if not prepared.problems:
        st.success(t("upload_no_problems", lang))
        return
    table = problems_table(prepared.problems, lang)
    st.error(t("upload_problem_count", lang, count=len(table)))
    st.dataframe(table, hide_index=True, width="stretch")
    st.download_button(t("upload_problems_download", lang), partial(csv_bytes, table), key="upload_problems_csv",
                       file_name="probleme.csv" if lang != "en" else "problems.csv", mime="text/csv",
                       on_click="ignore")


# --- 6. diff -----------------------------------------------------------------------------------------------------


def totals(prepared: PreparedUpload, live: pd.DataFrame | None) -> pd.DataFrame:
    """Sums before and after: of the uploaded series for indicators (units never mix), else the diff's totals."""
    if prepared.diff is None:
        return pd.DataFrame(columns=["column", "before", "after", "difference"])
    if prepared.target != "indicators" or prepared.draft is None:
        return prepared.diff.totals

    def pair(frame: pd.DataFrame | None) -> pd.DataFrame:
        if frame is None or frame.empty:
            return pd.DataFrame({"value": pd.Series([], dtype="float64"), "unit": pd.Series([], dtype="str")})
        return frame[(frame["indicator_id"] == (prepared.indicator_id or ""))
                     & (frame["source_id"] == (prepared.source_id or ""))]

    before, after = pair(live), pair(prepared.draft)
    records = []
    for unit in dict.fromkeys([*before["unit"].tolist(), *after["unit"].tolist()]):
        old = float(before.loc[before["unit"] == unit, "value"].sum())
        new = float(after.loc[after["unit"] == unit, "value"].sum())
        records.append({"column": f"value ({unit})" if unit else "value", "before": old, "after": new,
                        "difference": new - old})
    return pd.DataFrame.from_records(records, columns=["column", "before", "after", "difference"])


def highlighted_changes(prepared: PreparedUpload):
    """The changed rows (first PREVIEW_ROWS) as a Styler with the changed cells highlighted."""
    changed = prepared.diff.changed.drop(columns=[CHANGED_COLUMNS]).head(PREVIEW_ROWS)
    mask = prepared.diff.changed_mask().head(PREVIEW_ROWS)
    styles = pd.DataFrame(np.where(mask.to_numpy(dtype=bool), HIGHLIGHT, ""), index=changed.index,
                          columns=changed.columns)
    return changed.style.apply(lambda _: styles, axis=None)


def _cell_text(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def show_diff(prepared: PreparedUpload, totals_frame: pd.DataFrame, base: dict, lang: str) -> None:
    st.subheader(t("upload_step_diff", lang))
    title = dataset_title(prepared.target, lang)
    base_id = base.get(prepared.target)
    if base_id is None:
        st.caption(t("upload_base_none", lang, dataset=title))
    else:
        number_ = data.get_store().version(prepared.target, base_id).number
        st.caption(t("upload_base", lang, number=number_, dataset=title))
    diff = prepared.diff
    if diff is None:
        st.info(t("upload_diff_none", lang))
        return
    if prepared.problems:
        st.warning(t("upload_diff_draft", lang))
    counts = diff.counts
    columns = st.columns(4)
    columns[0].metric(t("upload_diff_added", lang), number(counts["added"], lang))
    columns[1].metric(t("upload_diff_removed", lang), number(counts["removed"], lang))
    columns[2].metric(t("upload_diff_changed", lang), number(counts["changed"], lang))
    columns[3].metric(t("upload_diff_rows", lang),
                      f"{number(counts['rows_before'], lang)} → {number(counts['rows_after'], lang)}")
    if counts["changed"]:
        st.markdown(f"**{t('upload_diff_changed_rows', lang, max=PREVIEW_ROWS)}**")
        st.dataframe(highlighted_changes(prepared), hide_index=True, width="stretch")
        cells = diff.cells.head(PREVIEW_ROWS * 5).copy()
        for side in ("before", "after"):
            cells[side] = pd.Series([_cell_text(v) for v in cells[side].tolist()], index=cells.index, dtype="str")
        st.markdown(f"**{t('upload_diff_cells', lang)}**")
        st.dataframe(cells.rename(columns={"column": t("upload_col_column", lang), "before": t("upload_col_before", lang),
                                           "after": t("upload_col_after", lang)}), hide_index=True, width="stretch")
    for kind, frame in (("added", diff.added), ("removed", diff.removed)):
        if len(frame):
            with st.expander(t(f"upload_diff_{kind}_rows", lang, count=number(len(frame), lang), max=PREVIEW_ROWS)):
                st.dataframe(frame.head(PREVIEW_ROWS), hide_index=True, width="stretch")
    if len(totals_frame):
        label = (t("upload_diff_totals_pair", lang, indicator_id=escape_markdown(prepared.indicator_id or ""),
                   source_id=escape_markdown(prepared.source_id or ""))
                 if prepared.target == "indicators" else t("upload_diff_totals", lang))
        st.markdown(f"**{label}**")
        st.dataframe(totals_frame.rename(columns={
            "column": t("upload_col_column", lang), "before": t("upload_col_before", lang),
            "after": t("upload_col_after", lang), "difference": t("upload_col_difference", lang)}),
            hide_index=True, width="stretch")



# --- 7. publish --------------------------------------------------------------------------------------------------


def publish_upload(store_connection, prepared: PreparedUpload, *, actor: store.Actor, note: str,
                   parent_version_id: int | None, sources_parent_version_id: int | None
                   ) -> tuple[store.VersionInfo, store.VersionInfo | None]:
    """Publish a checked upload as `actor`: the new `sources` version first (if a source was declared), then the
    target. The store checks the role (PermissionDenied) and the parent (PublishConflict, nothing stored).
    Returns (target version, sources version or None)."""
    note = " ".join(str(note or "").split())
    if not note:
        raise ValueError("a note is required")
    if not prepared.publishable:
        raise ValueError("the upload has problems or changes nothing")
    sources_version = None
    if prepared.sources_candidate is not None:
        live = store_connection.live_version(prepared.target)
        if (live.version_id if live is not None else None) == parent_version_id:   # else the target conflicts
            sources_version = store_connection.publish("sources", prepared.sources_candidate, actor=actor, note=note,
                                                       parent_version_id=sources_parent_version_id)
    version = store_connection.publish(prepared.target, prepared.candidate, actor=actor, note=note,
                                       parent_version_id=parent_version_id)
    return version, sources_version


def show_publish(file: UploadFile, prepared: PreparedUpload, base: dict, actor: store.Actor, lang: str) -> None:
    st.subheader(t("upload_step_publish", lang))
    dataset = prepared.target
    live = data.live_versions().get(dataset)
    if (live.version_id if live is not None else None) != base.get(dataset):
        st.warning(t("upload_live_moved", lang, number=live.number, dataset=dataset_title(dataset, lang),
                     author=escape_markdown(live.author)))
        st.button(t("upload_recheck", lang), key="upload_recheck_moved", on_click=recheck, args=(file, dataset))
    if not prepared.problems and prepared.diff is not None and prepared.diff.empty:
        st.info(t("upload_unchanged", lang))
    elif prepared.problems:
        st.caption(t("upload_blocked", lang))
    note = st.text_area(t("upload_note", lang), key=f"upload_note_{file.sha256[:16]}", max_chars=2000)
    if not st.button(t("upload_publish", lang), type="primary", disabled=not prepared.publishable,
                     key="upload_publish"):
        return
    if not " ".join(note.split()):
        st.error(t("upload_note_required", lang))
        return
    try:
        version, sources_version = publish_upload(
            data.get_store(), prepared, actor=actor, note=note, parent_version_id=base.get(dataset),
            sources_parent_version_id=base.get("sources"))
    except store.PublishConflict as error:
        st.error(error.message(lang))
        st.button(t("upload_recheck", lang), key="upload_recheck_conflict", on_click=recheck, args=(file, dataset))
        return
    except store.StoreError as error:
        st.error(error.message(lang))
        return
    st.session_state["upload_flash"] = {
        "dataset": dataset, "number": version.number, "rows": version.rows,
        "source_id": prepared.new_source.source_id if sources_version is not None else None,
        "source_number": sources_version.number if sources_version is not None else None}
    st.session_state["upload_generation"] = st.session_state.get("upload_generation", 0) + 1
    st.rerun()
