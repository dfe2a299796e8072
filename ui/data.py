"""Cached access to the store for pages: reads are keyed by (dataset, version id), never by a frame."""
from __future__ import annotations

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


def live_versions() -> dict:
    """Live VersionInfo per dataset — one cheap query per rerun, so a publish shows on the next rerun."""
    return get_store().live_versions()


@st.cache_data(max_entries=64, show_spinner=False)
def read_version(dataset: str, version_id: int) -> pd.DataFrame:
    return get_store().read(dataset, version_id)


def dataset(name: str) -> tuple[pd.DataFrame, object]:
    """The live frame of a dataset and its VersionInfo."""
    version = live_versions()[name]
    return read_version(name, version.version_id), version
