"""Database unreachable mid-session: the app stays up read-only on the last loaded data, with a banner."""
import psycopg
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest


def _set_database_reachable(admin_url: str, name: str, reachable: bool) -> None:
    """A real outage: kick every connection out and rename the database away (and back)."""
    hidden = name + "_away"
    old, new = (hidden, name) if reachable else (name, hidden)
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (old,))
        connection.execute(f'ALTER DATABASE "{old}" RENAME TO "{new}"')


@pytest.fixture
def app_on_postgresql(postgresql_url, postgresql_database_url, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", postgresql_database_url)
    monkeypatch.setenv("DASHBOARD_STATE_DIR", str(tmp_path))
    st.cache_resource.clear()
    st.cache_data.clear()
    name = postgresql_database_url.rsplit("/", 1)[1]
    yield AppTest.from_file("../dashboard.py", default_timeout=120), name
    st.cache_resource.clear()
    st.cache_data.clear()


def _warnings(at) -> str:
    return " ".join(w.value for w in at.warning)


def test_outage_keeps_every_page_readable_with_a_banner_and_recovers(app_on_postgresql, postgresql_url):
    at, name = app_on_postgresql
    at.run()
    assert not at.exception and "nicht erreichbar" not in _warnings(at)
    live_charts = len(at.get("plotly_chart"))

    _set_database_reachable(postgresql_url, name, reachable=False)
    try:
        at.run()
        assert not at.exception, at.exception
        assert "Datenbank ist gerade nicht erreichbar" in _warnings(at)
        assert len(at.get("plotly_chart")) == live_charts          # same data, still drawn
        at.switch_page("app_pages/migration.py").run()              # a page not yet seen: content was cached
        assert not at.exception, at.exception
        assert at.get("plotly_chart"), "the asylum page must still draw its charts during the outage"
        at.sidebar.radio(key="lang").set_value("English").run()
        assert "database cannot be reached" in _warnings(at)
    finally:
        _set_database_reachable(postgresql_url, name, reachable=True)

    at.run()
    assert not at.exception and "reached" not in _warnings(at)       # back without restarting the app


def test_no_database_at_first_start_gives_a_message_not_a_traceback(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:9/none")   # port 9: nothing listens
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file("../dashboard.py", default_timeout=120)
    at.run()
    assert not at.exception
    assert at.error[0].value == "Die Datenbank ist nicht erreichbar. Bitte später erneut versuchen."
    assert not at.get("plotly_chart")
    assert "127.0.0.1:9" in capsys.readouterr().err        # the operator sees where and why, the viewer not
    st.cache_resource.clear()


def test_a_database_written_by_a_newer_app_gives_a_message_not_a_traceback(monkeypatch, tmp_path):
    import sqlalchemy

    import store
    from store.schema import meta

    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("DASHBOARD_STATE_DIR", str(tmp_path))
    store.connect(state_dir=tmp_path).close()
    engine = sqlalchemy.create_engine(f"sqlite:///{tmp_path / 'dashboard.sqlite3'}")
    with engine.begin() as connection:
        connection.execute(meta.update().where(meta.c.key == "schema_version").values(value="99"))
    engine.dispose()
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file("../dashboard.py", default_timeout=120)
    at.run()
    assert not at.exception
    assert "Bitte die App aktualisieren" in at.error[0].value
    assert not at.get("plotly_chart")
    st.cache_resource.clear()
