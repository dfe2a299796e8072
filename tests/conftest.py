"""Shared fixtures: a throwaway PostgreSQL (tests.postgres_server), bundled datasets, AppTest of a page."""
import pytest

pytest_plugins = ["tests.postgres_server"]


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium through Playwright, one per test module (Playwright's own download does not
    work here). Module scope: one sync_playwright at a time, as modules that start their own need."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM_FLAGS, chromium_path

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> str:
    """Every store test runs twice: on an SQLite file and on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'dashboard.sqlite3'}"
    return request.getfixturevalue("postgresql_database_url")


@pytest.fixture
def opened(store_url):
    """A connected Store on `store_url`, closed after the test."""
    import store

    connection = store.connect(store_url)
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def bundled_frames():
    """Every dataset built from data/raw/ once per test session (deterministic)."""
    import datasets

    return datasets.build_all()


@pytest.fixture(scope="session")
def bundled_state_dir(tmp_path_factory):
    """An SQLite state folder with the bundled data as version 1, made once; tests copy it."""
    import store
    from store.bundled import ensure_bundled

    folder = tmp_path_factory.mktemp("bundled-state")
    connection = store.connect(state_dir=folder)
    ensure_bundled(connection)
    connection.close()
    return folder


@pytest.fixture
def app_state_dir(tmp_path, bundled_state_dir, monkeypatch):
    """A private copy of the bundled state for one test; the app under test uses it."""
    import shutil

    target = tmp_path / "state"
    shutil.copytree(bundled_state_dir, target)
    monkeypatch.setenv("DASHBOARD_STATE_DIR", str(target))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return target


@pytest.fixture
def open_page(app_state_dir):
    """open_page("app_pages/x.py", lang="Deutsch", **query_params) -> an AppTest that has run that page.

    Runs the real entrypoint (dashboard.py) first, so sidebar, language and navigation are present.
    """
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_resource.clear()
    st.cache_data.clear()

    def _open(page: str, lang: str = "Deutsch", **query_params):
        at = AppTest.from_file("../dashboard.py", default_timeout=120)
        for key, value in query_params.items():
            at.query_params[key] = value
        at.run()
        if lang != "Deutsch":
            at.sidebar.radio(key="lang").set_value(lang).run()
        at.switch_page(page).run()
        return at

    yield _open
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def open_link(app_state_dir):
    """open_link(**query_params) -> AppTest of dashboard.py after its first run with that link."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_resource.clear()
    st.cache_data.clear()

    def _open(**query_params):
        at = AppTest.from_file("../dashboard.py", default_timeout=120)
        for key, value in query_params.items():
            at.query_params[key] = value
        return at.run()

    yield _open
    st.cache_resource.clear()
    st.cache_data.clear()
