"""AppTest: the versions & audit-log page — versions, view/download, rollback (note, conflict, role), audit log."""
import pandas as pd
import pytest

import store
from store import accounts
from store.models import VIEWER, Actor
from ui.auth import LOCAL_USER_KEY

PAGE = "app_pages/history.py"
SCRIPT = "<svg><script>window.__xss=1</script></svg>"


@pytest.fixture
def state(app_state_dir):
    """The test's store with an analyst "ana" who published version 2 of `projections` (a script in a note)."""
    connection = store.connect(state_dir=app_state_dir)
    accounts.add_user(connection, "ana", "ein-langes-passwort-123")
    frame = connection.read("projections")
    frame.loc[0, "note"] = SCRIPT
    live = connection.live_version("projections")
    connection.publish("projections", frame, actor=accounts.analyst_actor(connection, "ana"),
                       note='=HYPERLINK("http://evil.example") Korrektur', parent_version_id=live.version_id)
    yield connection
    connection.close()


@pytest.fixture
def open_as(state):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_resource.clear()
    st.cache_data.clear()

    def _open(username, dataset="projections"):
        at = AppTest.from_file("../dashboard.py", default_timeout=120)
        if username:
            at.session_state[LOCAL_USER_KEY] = username
        at.run()
        at.switch_page(PAGE).run()
        at.selectbox(key="history_dataset").set_value(dataset).run()
        assert not at.exception, at.exception
        return at

    yield _open
    st.cache_resource.clear()
    st.cache_data.clear()


def _versions(at) -> pd.DataFrame:
    return next(frame.value for frame in at.dataframe if "Nr." in frame.value.columns)


def _choose(at, number: int):
    box = at.selectbox(key="history_version_projections")
    box.select_index(next(i for i, label in enumerate(box.options) if label.startswith(f"Version {number} "))).run()
    return at


def test_versions_are_listed_with_author_time_note_rows_and_kind(open_as):
    at = open_as("ana")
    table = _versions(at)
    assert table["Nr."].tolist() == [2, 1]
    assert table["aktuell"].tolist() == ["✓", ""]
    assert table["Autor/in"].tolist() == ["ana", "system"]
    assert table["Art"].tolist() == ["Veröffentlichung", "Erstbestand"]
    assert table["Zeilen"].tolist() == [16, 16]
    assert table["Notiz"][0] == '=HYPERLINK("http://evil.example") Korrektur'
    assert table["SHA-256 (Anfang)"].str.len().eq(12).all() and table["Zeit"][0].endswith(" UTC")
    preview = at.dataframe[1].value
    assert len(preview) == 16 and preview.loc[0, "note"] == SCRIPT, "a version's content is shown as text"
    assert [b.label for b in at.get("download_button")][:3] == ["CSV herunterladen", "Excel herunterladen",
                                                                "Parquet herunterladen"]
    assert not any(SCRIPT in str(e.value) for kind in ("markdown", "caption", "success", "error")
                   for e in at.get(kind))
    assert "aktuelle Version; nichts zurückzusetzen" in "\n".join(c.value for c in at.caption)


def test_rollback_needs_a_note_and_publishes_the_old_content_as_a_new_version(open_as, state):
    at = _choose(open_as("ana"), 1)
    at.button(key="history_rollback").click().run()
    assert "Bitte eine Notiz angeben" in at.error[0].value
    assert state.live_version("projections").number == 2

    at.text_input(key="history_rollback_note").input("Korrektur war falsch").run()
    at.button(key="history_rollback").click().run()
    assert not at.exception, at.exception
    assert "zurückgesetzt: neue Version 3" in at.success[0].value
    live = state.live_version("projections")
    first = state.history("projections")[-1]
    assert (live.number, live.kind, live.author, live.note) == (3, "rollback", "ana", "Korrektur war falsch")
    assert live.rolled_back_from == first.version_id and live.sha256 == first.sha256
    pd.testing.assert_frame_equal(state.read("projections"), state.read("projections", first.version_id))
    assert _versions(at)["Art"].tolist()[0] == "Zurücksetzung"
    assert at.text_input(key="history_rollback_note").value == "", "the note field is cleared"


def test_rollback_against_a_version_that_is_no_longer_live_is_a_conflict(open_as, state):
    at = _choose(open_as("ana"), 1)
    at.text_input(key="history_rollback_note").input("zurück auf den Erstbestand").run()
    live = state.live_version("projections")
    frame = state.read("projections")
    frame.loc[1, "note"] = "von jemand anderem"
    state.publish("projections", frame, actor=accounts.analyst_actor(state, "ana"), note="dazwischen",
                  parent_version_id=live.version_id)
    at.button(key="history_rollback").click().run()
    assert not at.exception, at.exception
    assert "als Version 3 veröffentlicht" in at.error[0].value
    assert state.live_version("projections").note == "dazwischen"
    assert [v.number for v in state.history("projections")] == [3, 2, 1]


def test_audit_log_lists_every_change_filterable_by_dataset(open_as):
    at = open_as("ana")
    audit = at.dataframe[-1].value
    assert set(audit["Datensatz"]) >= {"projections", "indicators", "sources"}
    at.selectbox(key="history_audit_dataset").set_value("projections").run()
    audit = at.dataframe[-1].value
    assert audit["Datensatz"].tolist() == ["projections", "projections"]
    assert audit["Aktion"].tolist() == ["Veröffentlichung", "Erstbestand"]
    assert audit["wer"].tolist() == ["ana", "system"]
    assert at.get("download_button")[-1].label == "Protokoll als CSV herunterladen"


def test_audit_table_download_is_escaped(state):
    from charts.export import csv_bytes
    from ui.history_views import audit_table

    table = audit_table(state.audit(), "en", "projections")
    assert list(table.columns)[:3] == ["when", "who", "Action"]
    assert "'=HYPERLINK" in csv_bytes(table).decode("utf-8-sig"), "formula text is escaped in the CSV"


def test_viewer_sees_only_the_notice(state):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file("../app_pages/history.py", default_timeout=60).run()
    assert not at.exception, at.exception
    assert [i.value for i in at.info] == ["Nur für Analystinnen und Analysten – bitte anmelden."]
    assert not at.dataframe and not at.get("button") and not at.get("download_button")


def test_rollback_helper_refuses_a_viewer(state):
    from ui.history_views import rollback_version

    live = state.live_version("projections")
    first = state.history("projections")[-1]
    with pytest.raises(store.PermissionDenied):
        rollback_version(state, "projections", first.version_id, actor=Actor("anonym", VIEWER), note="nein",
                         parent_version_id=live.version_id)
    assert state.live_version("projections") == live


def test_database_failure_shows_its_message_not_a_traceback(open_as, monkeypatch):
    at = open_as("ana")

    def unavailable(self, dataset=None):
        raise store.StoreUnavailable("Die Datenbank ist nicht erreichbar.", "The database cannot be reached.")

    monkeypatch.setattr(store.Store, "audit", unavailable)
    at.run()
    assert not at.exception, at.exception
    assert at.error[-1].value == "Die Datenbank ist nicht erreichbar."
