"""AppTest: the upload page as analyst (detect → map → every problem → diff → publish) and as viewer."""
import io
from pathlib import Path

import pandas as pd
import pytest

import store
from datasets.base import RAW_DIR, Source
from datasets.upload import prepare
from store import accounts
from store.models import VIEWER, Actor
from ui.auth import LOCAL_USER_KEY

PAGE = "app_pages/upload.py"
PASSWORD = "ein-langes-passwort-123"
POPULATION_2024 = RAW_DIR / "destatis-genesis" / "12411-01-01-4_bevoelkerung_kreise_2024-12-31_thueringen.csv"
POPULATION_SOURCE = "destatis-12411-01-01-4-2024"
FIXTURES = Path(__file__).parent / "fixtures" / "upload"


@pytest.fixture
def state(app_state_dir):
    """The test's store with two analyst accounts (the app under test opens the same SQLite file)."""
    connection = store.connect(state_dir=app_state_dir)
    for name in ("ana", "ben"):
        accounts.add_user(connection, name, PASSWORD)
    yield connection
    connection.close()


@pytest.fixture
def open_as(state):
    """open_as(username or None, page=PAGE) -> AppTest that ran dashboard.py logged in, then switched page."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_resource.clear()
    st.cache_data.clear()

    def _open(username, page=PAGE):
        at = AppTest.from_file("../dashboard.py", default_timeout=120)
        if username:
            at.session_state[LOCAL_USER_KEY] = username
        at.run()
        at.switch_page(page).run()
        assert not at.exception, at.exception
        return at

    yield _open
    st.cache_resource.clear()
    st.cache_data.clear()


def _upload(at, name: str, content: bytes):
    uploader = next(widget for widget in at.get("file_uploader") if widget.key.startswith("upload_file_"))
    uploader.upload(name, content, "text/csv").run()
    assert not at.exception, at.exception
    return at


def _new_indicator(at, indicator_id: str, source_id: str = POPULATION_SOURCE):
    at.selectbox(key="upload_target").set_value("new_indicator").run()
    at.text_input(key="upload_indicator_new").input(indicator_id).run()
    at.selectbox(key="upload_source_id").set_value(source_id).run()
    return at


def _note(at):
    return next(area for area in at.text_area if area.key.startswith("upload_note_"))


def _texts(at) -> list[str]:
    """Every text rendered as Markdown (titles, captions, alerts, markdown) — never where file text may go."""
    kinds = ("title", "subheader", "markdown", "caption", "success", "info", "warning", "error")
    return [str(element.value) for kind in kinds for element in at.get(kind)]


def _cells(at) -> str:
    return "\n".join(frame.value.astype("str").to_string() for frame in at.dataframe)


def _pilots_csv(state, row: int, recruited: int) -> bytes:
    frame = state.read("recruitment_pilots")
    frame.loc[row, "recruited"] = recruited
    return frame.to_csv(index=False).encode("utf-8")


def test_real_genesis_file_as_new_indicator_is_detected_checked_diffed_and_published(open_as, state):
    at = _new_indicator(open_as("ana"), "population_upload")
    _upload(at, POPULATION_2024.name, POPULATION_2024.read_bytes())
    detected = at.dataframe[0].value.set_index("Merkmal")["Erkannt"]
    assert detected["Format"] == "GENESIS-Online, flache CSV (ffcsv)"
    assert (detected["Zeichenkodierung"], detected["Trennzeichen"], detected["Dezimalzeichen"]) == (
        "utf-8-sig", "Semikolon ( ; )", "Komma (1.234,5)")
    assert detected["Datenzeilen"] == "69"
    assert at.selectbox(key=next(k for k in at.session_state if str(k).endswith("_indicators_sex"))).value \
        == "Geschlecht", "the mapping is suggested"
    assert [s.value for s in at.success] == ["Keine Probleme gefunden."]
    metrics = {metric.label: metric.value for metric in at.metric}
    assert (metrics["neu"], metrics["entfernt"], metrics["geändert"]) == ("69", "0", "0")
    assert metrics["Zeilen vorher → nachher"] == "22.534 → 22.603"

    at.button(key="upload_publish").click().run()           # without a note: refused, nothing written
    assert "Bitte eine Notiz angeben" in at.error[0].value
    assert state.live_version("indicators").number == 1

    _note(at).input("Bevölkerung 31.12.2024 als eigene Kennzahl").run()
    at.button(key="upload_publish").click().run()
    assert not at.exception, at.exception
    assert any("Version 2 ist veröffentlicht" in s.value for s in at.success)
    live = state.live_version("indicators")
    assert (live.number, live.author, live.note) == (2, "ana", "Bevölkerung 31.12.2024 als eigene Kennzahl")
    uploaded = state.read("indicators").query("indicator_id == 'population_upload'")
    assert len(uploaded) == 69 and set(uploaded["source_id"]) == {POPULATION_SOURCE}
    assert not at.get("file_uploader")[0].value, "the form starts empty after a publish"

    at.switch_page("app_pages/explorer.py").run()            # every viewer sees it on the next rerun
    assert not at.exception, at.exception
    assert "population_upload" in at.selectbox(key="explorer_indicator").options


def test_bad_file_lists_every_problem_by_line_and_column_and_nothing_can_be_published(open_as, state):
    at = _new_indicator(open_as("ana"), "x_bad")
    before = state.live_versions()
    ragged_and_ambiguous = ("region_code;period;value;unit\n16051;2023;1.234;Anzahl\n"
                            "16052;2023;5;Anzahl;extra\n99999;2023;7;Anzahl\n").encode()
    _upload(at, "bad.csv", ragged_and_ambiguous)
    problems = at.dataframe[-1].value
    assert list(problems.columns) == ["Zeile", "Spalte", "Wert", "Problem"]
    found = {(row.Zeile, row.Spalte, row.Wert) for row in problems.itertuples()}
    assert {(2, "value", "1.234"), (3, "", "")} <= found
    assert "mehrdeutig" in problems.loc[problems["Zeile"] == 2, "Problem"].item()
    assert "5 Felder" in problems.loc[problems["Zeile"] == 3, "Problem"].item()
    assert at.button(key="upload_publish").disabled
    assert at.get("download_button")[0].label == "Probleme als CSV herunterladen"

    three = FIXTURES / "synthetic-indicators-three-problems.csv"     # unknown AGS, negative count, bad flag
    at.text_input(key="upload_indicator_new").input("x_synthetic").run()
    _upload(at, three.name, three.read_bytes())
    table = next(frame.value for frame in at.dataframe if "Problem" in frame.value.columns)
    assert {(row.Zeile, row.Spalte) for row in table.itertuples()} == {(3, "value"), (4, "region_code"),
                                                                        (5, "flag")}
    assert "3 Problem(e) gefunden" in at.error[0].value
    assert at.button(key="upload_publish").disabled
    assert {name: v.version_id for name, v in state.live_versions().items()} == \
        {name: v.version_id for name, v in before.items()}
    assert len(state.audit()) == len(before)


def test_formula_and_script_labels_are_shown_and_stored_as_text(open_as, state):
    at = _new_indicator(open_as("ana"), "x_labels")
    path = FIXTURES / "synthetic-indicators-markers-formula-html.csv"
    _upload(at, path.name, path.read_bytes())
    assert not at.error, [e.value for e in at.error]
    assert "Merkmal=<svg><script>window.__xss=1</script></svg>" in _cells(at)
    assert not any("<svg" in text or "HYPERLINK" in text for text in _texts(at))
    assert not at.get("html"), "no raw HTML element on the page"
    _note(at).input("Testreihe mit Sonderzeichen").run()
    at.button(key="upload_publish").click().run()
    stored = state.read("indicators").query("indicator_id == 'x_labels'")
    assert "Merkmal=<svg><script>window.__xss=1</script></svg>" in set(stored["breakdown"])


def test_new_source_declared_in_the_form_is_published_before_the_data(open_as, state):
    at = open_as("ana")
    at.selectbox(key="upload_target").set_value("new_indicator").run()
    at.text_input(key="upload_indicator_new").input("x_new_source").run()
    at.radio(key="upload_source_kind").set_value("new").run()
    path = FIXTURES / "synthetic-indicators-german-headers.csv"
    _upload(at, path.name, path.read_bytes())
    table = next(frame.value for frame in at.dataframe if "Problem" in frame.value.columns)
    incomplete = {row.Spalte for row in table.itertuples() if row.Problem.startswith("Neue Quelle:")}
    assert incomplete >= {"source_id", "title", "publisher", "licence"}, "an incomplete source blocks publishing"
    assert at.button(key="upload_publish").disabled
    for field, value in {"source_id": "x-upload", "title": "Testdatei", "publisher": "TLS",
                         "url": "https://statistik.thueringen.de/", "licence": "dl-de/by-2-0",
                         "published": "2025"}.items():
        at.text_input(key=f"upload_new_source_{field}").input(value).run()
    assert [s.value for s in at.success] == ["Keine Probleme gefunden."]
    _note(at).input("neue Quelle und Reihe").run()
    at.button(key="upload_publish").click().run()
    assert any("als Version 2 von „Quellen“" in s.value for s in at.success)
    assert (state.live_version("sources").number, state.live_version("indicators").number) == (2, 2)
    assert state.read("sources").set_index("source_id").loc["x-upload", "publisher"] == "TLS"


def test_mapping_is_suggested_editable_and_restorable(open_as, state):
    at = open_as("ana")
    at.selectbox(key="upload_target").set_value("recruitment_pilots").run()
    _upload(at, "pilots.csv", _pilots_csv(state, 0, 99))
    recruited = next(box for box in at.selectbox if box.key.endswith("_recruitment_pilots_recruited"))
    assert recruited.value == "recruited" and "Zuordnung ansehen oder ändern (19 von 19" in at.expander[0].label
    recruited.set_value("").run()
    table = next(frame.value for frame in at.dataframe if "Problem" in frame.value.columns)
    assert {(row.Zeile, row.Spalte) for row in table.itertuples()} == {(1, "recruited")}
    assert "fehlt" in table["Problem"][0] and at.button(key="upload_publish").disabled
    at.selectbox(key="upload_target").set_value("projections").run()       # away and back: the edit is kept
    at.selectbox(key="upload_target").set_value("recruitment_pilots").run()
    assert next(b for b in at.selectbox if b.key.endswith("_recruited")).value == ""
    at.button(key="upload_mapping_reset").click().run()
    assert next(b for b in at.selectbox if b.key.endswith("_recruited")).value == "recruited"
    assert not at.button(key="upload_publish").disabled


def test_second_analyst_gets_a_conflict_and_loses_nothing(open_as, state):
    first, second = open_as("ana"), open_as("ben")
    for at, row, recruited in ((first, 0, 99), (second, 1, 77)):
        at.selectbox(key="upload_target").set_value("recruitment_pilots").run()
        _upload(at, "pilots.csv", _pilots_csv(state, row, recruited))
        assert {m.label: m.value for m in at.metric}["geändert"] == "1"
        _note(at).input(f"Pilot {row}: {recruited} angeworben").run()
    first.button(key="upload_publish").click().run()
    assert any("Version 2 ist veröffentlicht" in s.value for s in first.success)

    second.button(key="upload_publish").click().run()
    assert not second.exception, second.exception
    message = second.error[0].value
    assert "von ana als Version 2 veröffentlicht" in message and "nicht übernommen" in message
    assert [v.number for v in state.history("recruitment_pilots")] == [2, 1]
    stored = state.read("recruitment_pilots")["recruited"]
    assert stored[0] == 99 and 77 not in stored.dropna().tolist(), "the second upload was not stored"
    assert _note(second).value == "Pilot 1: 77 angeworben", "file, mapping and note stay on screen"

    second.button(key="upload_recheck_conflict").click().run()     # check again against version 2
    assert {m.label: m.value for m in second.metric}["geändert"] == "2", "ben now sees that he would undo ana's edit"
    assert not any("Seit der Prüfung" in w.value for w in second.warning)


def test_viewer_sees_only_the_notice(state):
    from streamlit.testing.v1 import AppTest

    for lang, notice in (("Deutsch", "Nur für Analystinnen und Analysten – bitte anmelden."),
                         ("English", "For analysts only – please log in.")):
        at = AppTest.from_file("../app_pages/upload.py", default_timeout=60)
        at.session_state["lang"] = lang
        at.run()
        assert not at.exception, at.exception
        assert [i.value for i in at.info] == [notice]
        assert not at.get("file_uploader") and not at.get("selectbox") and not at.get("button")


def test_publish_path_refuses_a_viewer_and_writes_nothing(state):
    from ui.upload_views import publish_upload

    live = state.live_version("indicators")
    source = Source(source_id="my-upload", title="Upload", publisher="Destatis", url="https://www.destatis.de/",
                    licence="dl-de/by-2-0", published="2025", accessed="2026-11-25", confidence="high")
    prepared = prepare(POPULATION_2024.read_bytes(), POPULATION_2024.name, target="indicators",
                       live=state.read("indicators"), indicator_id="population_upload", source_id="my-upload",
                       sources=state.read("sources"), new_source=source)
    assert prepared.publishable and prepared.sources_candidate is not None
    viewer = Actor("anonym", VIEWER)
    with pytest.raises(store.PermissionDenied):
        publish_upload(state, prepared, actor=viewer, note="soll nicht gehen", parent_version_id=live.version_id,
                       sources_parent_version_id=state.live_version("sources").version_id)
    with pytest.raises(store.PermissionDenied):
        state.publish("indicators", prepared.candidate, actor=viewer, note="x", parent_version_id=live.version_id)
    assert state.live_version("indicators") == live and state.live_version("sources").number == 1
    analyst = accounts.analyst_actor(state, "ana")
    version, sources_version = publish_upload(
        state, prepared, actor=analyst, note="mit neuer Quelle", parent_version_id=live.version_id,
        sources_parent_version_id=state.live_version("sources").version_id)
    assert (version.number, sources_version.number) == (2, 2)
    assert "my-upload" in set(state.read("sources")["source_id"])


def test_oversize_file_is_refused_before_reading(open_as, state, monkeypatch):
    import ui.upload_views

    monkeypatch.setattr(ui.upload_views, "MAX_UPLOAD_BYTES", 1000)
    at = open_as("ana")
    _upload(at, POPULATION_2024.name, POPULATION_2024.read_bytes())
    assert "zu groß" in at.error[0].value and not at.dataframe


def test_wrong_extension_gets_a_clear_message_not_an_exception(open_as, state):
    """A client that skips the browser's type check (AppTest does) still gets our message, never Streamlit's
    uncaught 'Invalid file extension' exception; nothing is written."""
    at = open_as("ana")
    uploader = at.get("file_uploader")[0]
    uploader.upload("chart.png", b"\x89PNG\r\n\x1a\n", "image/png").run()
    assert not at.exception
    assert "„png“ werden nicht gelesen" in at.error[0].value and "csv, txt, xlsx, parquet" in at.error[0].value
    assert state.live_version("indicators").number == 1
    frame = io.BytesIO()
    pd.DataFrame({"a": [1]}).to_parquet(frame)
    at = open_as("ana")
    _upload(at, "table.parquet", frame.getvalue())          # an allowed type with the wrong content: problems
    assert at.button(key="upload_publish").disabled
