"""Cached access to the store for pages: reads are keyed by (dataset, version id), never by a frame."""
from __future__ import annotations

from contextlib import contextmanager

import pandas as pd
import streamlit as st

import store
from store.bundled import ensure_bundled


@st.cache_resource(show_spinner="Daten werden vorbereitet …")
def get_store():
    """One store per process; the bundled data becomes version 1 on first start."""
    connection = store.connect()
    ensure_bundled(connection)
    return connection


#: Session-state keys: this rerun's live versions (set by refresh_live_versions in dashboard.py), and the
#: StoreUnavailable error while the database cannot be reached.
_LIVE_KEY = "_live_versions"
_DOWN_KEY = "_store_unavailable"


@st.cache_resource(show_spinner=False)
def _last_known() -> dict:
    """Process-wide memory of the last live versions read, and which of them are already in the cache."""
    return {}


def refresh_live_versions() -> dict:
    """Query the live versions once at the start of every rerun (dashboard.py), so a publish shows on
    every session's next rerun while the many reads of one rerun cost nothing.

    If the database cannot be reached, the app stays up read-only on the last versions this process
    loaded (their content is in the read cache) and store_unavailable() tells the page to say so.
    Raises StoreUnavailable only when nothing was ever loaded."""
    memory = _last_known()
    try:
        versions = get_store().live_versions()
    except store.StoreUnavailable as error:
        if "versions" not in memory:
            raise
        st.session_state[_DOWN_KEY] = error
        versions = memory["versions"]
    else:
        st.session_state.pop(_DOWN_KEY, None)
        memory["versions"] = versions
        _keep_in_cache(versions, memory)
    st.session_state[_LIVE_KEY] = versions
    return versions


def _keep_in_cache(versions: dict, memory: dict) -> None:
    """Read every live version once per change, so an outage later still has all content at hand."""
    key = tuple(sorted((name, v.version_id) for name, v in versions.items()))
    if memory.get("cached") != key:
        for name, version in versions.items():
            read_version(name, version.version_id)
        memory["cached"] = key


def store_unavailable():
    """The StoreUnavailable error of this rerun, or None while the database answers."""
    return st.session_state.get(_DOWN_KEY)


def live_versions() -> dict:
    """Live VersionInfo per dataset, as of the start of this rerun."""
    versions = st.session_state.get(_LIVE_KEY)
    return versions if versions is not None else refresh_live_versions()


@st.cache_resource(max_entries=1024, show_spinner=False)
def version_info(dataset: str, version_id: int):
    """VersionInfo of one version (versions are immutable, so this is cached for good)."""
    return get_store().version(dataset, version_id)


def versions_for(pinned: dict[str, int]) -> tuple[dict, list[str]]:
    """(this rerun's versions with the pinned ones in their place, datasets whose pinned version is gone).
    Datasets without a pin (e.g. new since the view was saved) stay live."""
    versions = dict(live_versions())
    missing = []
    for name, version_id in pinned.items():
        if name not in versions:
            continue
        try:
            versions[name] = version_info(name, int(version_id))
        except store.UnknownVersion:
            missing.append(name)
    return versions, missing


def show_versions(versions: dict) -> None:
    """From now on in this rerun, pages read these versions (a pinned view opened by its link)."""
    st.session_state[_LIVE_KEY] = versions


@contextmanager
def showing(versions: dict):
    """Charts drawn inside read these versions (a pinned slide); afterwards the rerun's versions again."""
    previous = st.session_state.get(_LIVE_KEY)
    st.session_state[_LIVE_KEY] = versions
    try:
        yield
    finally:
        st.session_state[_LIVE_KEY] = previous


@st.cache_data(max_entries=64, show_spinner=False)
def read_version(dataset: str, version_id: int) -> pd.DataFrame:
    return get_store().read(dataset, version_id)


def version_bytes(dataset: str, version_id: int) -> bytes:
    """The stored Parquet bytes of one version (what the store checksums)."""
    return get_store().read_bytes(dataset, version_id)


@st.cache_resource(max_entries=64, show_spinner=False)
def _sources_of(version_id: int, source_ids: tuple[str, ...]) -> pd.DataFrame:
    sources = read_version("sources", version_id)
    return sources[sources["source_id"].isin(source_ids)].reset_index(drop=True)


def sources_of(source_ids: tuple[str, ...]) -> pd.DataFrame:
    """Rows of the live `sources` dataset for these ids (shared: do not mutate)."""
    return _sources_of(live_versions()["sources"].version_id, tuple(sorted(set(source_ids))))


def dataset(name: str) -> tuple[pd.DataFrame, object]:
    """The live frame of a dataset and its VersionInfo."""
    version = live_versions()[name]
    return read_version(name, version.version_id), version


@st.cache_resource(max_entries=256, show_spinner=False)
def _derived(cache_key: str):
    """cache_key = JSON [path, version_key, params]. Kept with st.cache_resource (shared, not copied):
    st.cache_data would unpickle the result on every call of every rerun."""
    import importlib
    import json

    path, version_key, params = json.loads(cache_key)
    module_name, function_name = path.rsplit(".", 1)
    function = getattr(importlib.import_module(module_name), function_name)
    frames = {name: read_version(name, version_id) for name, version_id in version_key}
    return function(frames, **params)


def derived(path: str, **params):
    """Any pure function `f(frames, **params)` decorated with charts.base.uses(...), computed once per
    live version of its datasets and params (e.g. the options of a selectbox). The result is shared between
    sessions: read it, never mutate it."""
    import importlib
    import json

    module_name, function_name = path.rsplit(".", 1)
    names = getattr(importlib.import_module(module_name), function_name).datasets
    versions = live_versions()
    version_key = [(name, versions[name].version_id) for name in names]
    return _derived(json.dumps([path, version_key, params], sort_keys=True, default=str))
