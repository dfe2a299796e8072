"""Build figures once per (builder, live versions of its datasets, language, view state) and render them.

Everything a chart block sends on a rerun is prepared once and kept with st.cache_resource (shared,
not copied): unpickling a plotly figure from st.cache_data re-validates every property (~80 ms per
chart and rerun), st.plotly_chart deep-copies a figure through to_dict() (~30 ms for a map), and
pandas → Arrow conversion of the table costs ~5 ms. Shared results are read-only everywhere.
"""
from __future__ import annotations

import importlib
import json
from dataclasses import dataclass, replace

import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st

from charts.base import ChartResult
from store.views import BUILDER_PATTERN, ChartCall
from ui import data
from ui.chart_block import ChartSource, caption_text, chart_block

#: Session-state key: the chart calls of this rerun, in page order (what "Ansicht speichern" stores).
_CALLS_KEY = "_chart_calls"


def _builder(path: str):
    """The chart builder at "charts.module.function" — only functions of the charts package that declare
    their datasets (charts.base.uses) are builders; saved views name builders, so nothing else is imported."""
    if not BUILDER_PATTERN.fullmatch(path):
        raise ValueError(f"not a chart builder: {path!r}")
    module_name, function_name = path.rsplit(".", 1)
    function = getattr(importlib.import_module(module_name), function_name, None)
    if not callable(function) or not hasattr(function, "datasets"):
        raise ValueError(f"not a chart builder: {path!r}")
    return function


def start_recording() -> None:
    """Forget the chart calls of the last rerun (dashboard.py, before the page runs)."""
    st.session_state[_CALLS_KEY] = []


def recorded() -> list[ChartCall]:
    """The chart calls rendered so far in this rerun, in page order."""
    return list(st.session_state.get(_CALLS_KEY, []))


class PrebuiltFigure(go.Figure):
    """A finished figure whose dict is computed once; st.plotly_chart calls to_dict() on every rerun."""

    def __init__(self, figure: go.Figure):
        super().__init__()
        self._prebuilt = figure.to_dict()

    def to_dict(self) -> dict:
        return self._prebuilt


@dataclass(frozen=True)
class _Prepared:
    result: ChartResult
    table_view: pa.Table | None     # None: Streamlit converts the DataFrame itself (mixed-type columns)


def _arrow_view(frame) -> pa.Table | None:
    table = frame.copy()
    table.columns = [str(c) for c in table.columns]
    try:
        return pa.Table.from_pandas(table, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, ValueError, TypeError):
        return None


@st.cache_resource(max_entries=512, show_spinner=False)
def _prepared(cache_key: str) -> _Prepared:
    """cache_key = JSON [builder, version_key, lang, params]: one argument keeps Streamlit's per-call
    argument hashing cheap on every rerun."""
    builder, version_key, lang, params = json.loads(cache_key)
    frames = {name: data.read_version(name, version_id) for name, version_id in version_key}
    built = _builder(builder)(frames, lang=lang, **params)
    return _Prepared(replace(built, figure=PrebuiltFigure(built.figure)), _arrow_view(built.table))


def _prepare(builder: str, lang: str, params: dict) -> _Prepared:
    versions = data.live_versions()
    version_key = tuple((name, versions[name].version_id) for name in _builder(builder).datasets)
    return _prepared(json.dumps([builder, version_key, lang, params], sort_keys=True, default=str))


def result(builder: str, *, lang: str, **params) -> ChartResult:
    """The ChartResult of `builder` ("charts.module.function") for the live data and these params.
    Shared between sessions: do not mutate it."""
    return _prepare(builder, lang, params).result


@st.cache_resource(max_entries=1024, show_spinner=False)
def _caption(cache_key: str) -> str:
    """cache_key = JSON [source ids, sources version id, version id of the "Stand", lang]."""
    source_ids, _sources_version_id, stand_version_id, lang = json.loads(cache_key)
    source_ids = tuple(source_ids)
    versions = {v.version_id: v for v in data.live_versions().values()}     # pinned ones while a pin is shown
    stand = versions.get(stand_version_id)
    return caption_text(ChartSource(data.sources_of(source_ids), stand.created_at if stand else None,
                                    stand.number if stand else None), lang)


def caption(builder: str, chart: ChartResult, lang: str) -> str:
    """"Quelle · Lizenz · Stand" of a chart: its sources, and the newest of the versions it was built from."""
    versions = data.live_versions()
    used = [versions[name] for name in (chart.datasets or _builder(builder).datasets) if name in versions]
    newest = max(used, key=lambda v: v.created_at) if used else None
    return _caption(json.dumps([sorted(set(chart.source_ids)), versions["sources"].version_id,
                                newest.version_id if newest else None, lang]))


def render(builder: str, *, key: str, title: str, lang: str, record: bool = True, **params) -> ChartResult:
    """Build (cached) and render one standard chart block; returns the result for further use.
    `record`: remember the call for "Ansicht speichern" (slides that replay saved calls pass False)."""
    prepared = _prepare(builder, lang, params)
    chart = prepared.result
    if record:
        call = ChartCall(builder, title, json.loads(json.dumps(params, sort_keys=True, default=str)))
        st.session_state.setdefault(_CALLS_KEY, []).append(call)
    chart_block(chart.figure, key=key, title=title, table=chart.table, alt=chart.alt, lang=lang,
                notes=chart.notes, source=caption(builder, chart, lang), table_view=prepared.table_view)
    return chart
