"""AppTest: the first page shows the data catalogue on real data, in German and English."""
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import datasets


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_STATE_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file("../dashboard.py", default_timeout=120)
    yield _Catalogue(at)
    st.cache_resource.clear()
    st.cache_data.clear()


class _Catalogue:
    """An AppTest whose run() opens the catalogue page (the app's default page is the overview)."""

    def __init__(self, at):
        self._at = at
        self._opened = False

    def run(self):
        self._at.run()
        if not self._opened:
            self._opened = True
            self._at.switch_page("app_pages/catalogue.py").run()
        return self

    def __getattr__(self, name):
        return getattr(self._at, name)


def _all_text(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [x.value for x in at.title]
    return "\n".join(str(p) for p in parts)


def test_catalogue_lists_every_dataset_with_version_1_and_rows(app):
    app.run()
    assert not app.exception, app.exception
    assert app.title[0].value == "Daten & Quellen"
    overview = app.dataframe[0].value
    assert len(overview) == len(datasets.NAMES)
    assert list(overview["Version"]) == [1] * len(datasets.NAMES)
    assert (overview["Zeilen"].str.replace(".", "", regex=False).astype(int) > 0).all()
    titles = set(overview["Datensatz"])
    assert datasets.spec("indicators").meta.title_de in titles


def test_catalogue_shows_sources_with_licence_and_url(app):
    app.run()
    sources = app.dataframe[-1].value
    assert len(sources) > 10
    assert sources["Lizenz"].str.len().min() > 0
    assert (sources["Adresse"].str.startswith("http") | (sources["Rohdatei"] != "")).all()
    assert sources["Lizenz"].str.contains("Datenlizenz Deutschland").any()


def test_english_switch_changes_labels(app):
    app.run()
    app.sidebar.radio(key="lang").set_value("English").run()
    assert not app.exception
    assert app.title[0].value == "Data & sources"
    overview = app.dataframe[0].value
    assert "Dataset" in overview.columns and "Rows" in overview.columns
    assert "Datenstand" not in _all_text(app)


def test_second_start_reuses_version_1(app):
    app.run()
    st.cache_resource.clear()
    st.cache_data.clear()
    again = AppTest.from_file("../dashboard.py", default_timeout=120)
    again.run()
    again.switch_page("app_pages/catalogue.py").run()
    assert list(again.dataframe[0].value["Version"]) == [1] * len(datasets.NAMES)


def test_every_dataset_offers_csv_xlsx_and_parquet_downloads(app):
    app.run()
    labels = [b.proto.label for b in app.get("download_button")]
    expected = len(datasets.NAMES) - 1    # the sources dataset is shown as a table of its own
    assert labels.count("CSV herunterladen") == expected
    assert labels.count("Excel herunterladen") == expected
    assert labels.count("Parquet herunterladen") == expected


def test_downloaded_parquet_is_the_stored_version(app_state_dir, bundled_frames):
    import io

    import pandas as pd

    import store

    connection = store.connect()
    version = connection.live_version("indicators")
    frame = pd.read_parquet(io.BytesIO(connection.read_bytes("indicators", version.version_id)))
    pd.testing.assert_frame_equal(frame, bundled_frames["indicators"], check_dtype=False)
