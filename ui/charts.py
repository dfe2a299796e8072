"""Build figures once per (builder, live versions of its datasets, language, view state) and render them."""
from __future__ import annotations

import importlib
import json

import streamlit as st

from charts.base import ChartResult
from ui import data
from ui.chart_block import ChartSource, chart_block


def _builder(path: str):
    module_name, function_name = path.rsplit(".", 1)
    return getattr(importlib.import_module(module_name), function_name)


@st.cache_data(max_entries=512, show_spinner=False)
def _cached_result(builder: str, version_key: tuple[tuple[str, int], ...], lang: str,
                   params_json: str) -> ChartResult:
    frames = {name: data.read_version(name, version_id) for name, version_id in version_key}
    return _builder(builder)(frames, lang=lang, **json.loads(params_json))


def result(builder: str, *, lang: str, **params) -> ChartResult:
    """The ChartResult of `builder` ("charts.module.function") for the live data and these params."""
    versions = data.live_versions()
    names = _builder(builder).datasets
    version_key = tuple((name, versions[name].version_id) for name in names)
    return _cached_result(builder, version_key, lang, json.dumps(params, sort_keys=True, default=str))


def render(builder: str, *, key: str, title: str, lang: str, **params) -> ChartResult:
    """Build (cached) and render one standard chart block; returns the result for further use."""
    chart = result(builder, lang=lang, **params)
    versions = data.live_versions()
    used = [versions[name] for name in (chart.datasets or _builder(builder).datasets) if name in versions]
    newest = max(used, key=lambda v: v.created_at) if used else None
    sources = data.dataset("sources")[0]
    chart_block(chart.figure, key=key, title=title, table=chart.table, alt=chart.alt, lang=lang,
                notes=chart.notes,
                source=ChartSource(sources[sources["source_id"].isin(chart.source_ids)],
                                   newest.created_at if newest else None, newest.number if newest else None))
    return chart
