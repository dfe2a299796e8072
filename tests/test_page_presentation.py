"""AppTest: analysts save views on their pages and build a deck on "Präsentation"; everyone plays it slide by slide
— the slides draw the saved charts, pinned views from their pinned versions."""
import io
import json

import pytest

import store
from store import accounts
from store import views as saved
from store.models import VIEWER, Actor
from tests.app_helpers import open_tab
from ui.auth import LOCAL_USER_KEY
from ui.sections import MIGRATION
from ui.view_save import SAVE_BOX_KEY

PAGE = "app_pages/presentation.py"


@pytest.fixture
def state(app_state_dir):
    """The test's store (the app under test opens the same SQLite file) with an analyst account "ana"."""
    connection = store.connect(state_dir=app_state_dir)
    accounts.add_user(connection, "ana", "ein-langes-passwort-123")
    yield connection
    connection.close()


@pytest.fixture
def open_as(state):
    """open_as(username or None, **query_params) -> AppTest that ran dashboard.py, then the page."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_resource.clear()
    st.cache_data.clear()

    def _open(username, page=PAGE, **query_params):
        at = AppTest.from_file("../dashboard.py", default_timeout=120)
        if username:
            at.session_state[LOCAL_USER_KEY] = username
        at.run()
        for key, value in query_params.items():
            at.query_params[key] = value
        at.switch_page(page).run()
        assert not at.exception, at.exception
        return at

    yield _open
    st.cache_resource.clear()
    st.cache_data.clear()


VINTAGES = "charts.demand.projection_vintages"
MEASURES = ["total_demand", "shortfall"]


@pytest.fixture
def deck(state):
    """A deck "Landtag": slide 1 a live view of the demand page, slide 2 the same chart pinned to today's versions
    plus the employment chart with its statement markers."""
    ana = accounts.analyst_actor(state, "ana")
    pinned = {name: version.version_id for name, version in state.live_versions().items()}
    vintages = saved.ChartCall(VINTAGES, "Prognosen im Vergleich", {"measures": MEASURES})
    live_view = saved.save_view(state, actor=ana, title="Bedarf bis 2030", note="Drei Studien im Vergleich",
                                url_path="fachkraeftebedarf", query={"demand_measures": MEASURES},
                                mode="live", pinned_versions=pinned, charts=[vintages])
    pinned_view = saved.save_view(
        state, actor=ana, title="Stand der Prognosen", note="", url_path="fachkraeftebedarf", query={},
        mode="pinned", pinned_versions=pinned,
        charts=[vintages, saved.ChartCall("charts.demand.employment_over_time", "Erwerbstätige", {"markers": True})])
    return saved.create_deck(state, actor=ana, title="Landtag", view_ids=[live_view.view_id, pinned_view.view_id])


def _open_save_box(at):
    """Open the sidebar's "Ansicht speichern" box (lazy: its form is sent once it is open)."""
    at.session_state[SAVE_BOX_KEY] = True
    return at.run()


def _figures(at) -> list[dict]:
    return [json.loads(element.proto.spec) for element in at.get("plotly_chart")]


def _values(figure: dict) -> set[float]:
    return {value for trace in figure["data"] for value in trace.get("y") or [] if isinstance(value, (int, float))}


def _publish_changed_projections(state) -> None:
    """A new projections version in which the 2018 study's 344.000 reads 345.678 (a synthetic test change)."""
    live = state.live_version("projections")
    frame = state.read("projections")
    frame.loc[frame["value"] == 344000.0, "value"] = 345678.0
    state.publish("projections", frame, actor=accounts.analyst_actor(state, "ana"), note="synthetische Änderung",
                  parent_version_id=live.version_id)


def _headers(at) -> list[str]:
    return [element.value for element in at.header]


def _button(at, label: str):
    return next(button for button in at.button if button.label == label)


def _page_links(at) -> list:
    return [element.proto for element in at.get("page_link")]


def test_analyst_saves_views_on_their_pages_builds_a_deck_and_plays_their_charts(open_as, state):
    at = open_as("ana", page="app_pages/demand.py")
    at.multiselect(key="demand_measures").set_value(["shortfall"]).run()
    on_page = _figures(at)[0]
    assert at.sidebar.text_input == [], "the save box is lazy: no form before it is opened"
    _open_save_box(at)
    at.sidebar.text_input(key="view_save_title").input("Bedarf bis 2030")
    at.sidebar.text_area(key="view_save_note").input("Drei Studien")
    choice = next(widget for widget in at.sidebar.multiselect if widget.key.startswith("view_save_charts_"))
    assert choice.value == [0]      # the first chart
    _button(at.sidebar, "Ansicht speichern").click().run()
    assert not at.exception, at.exception
    assert "Ansicht „Bedarf bis 2030“ gespeichert." in [success.value for success in at.sidebar.success]

    at = open_as("ana", page="app_pages/migration.py")
    open_tab(at, MIGRATION, 1)      # only the open tab's charts can be saved: they are the ones on screen
    _open_save_box(at)
    at.sidebar.text_input(key="view_save_title").input("Asyl")
    next(widget for widget in at.sidebar.multiselect if widget.key.startswith("view_save_charts_")).set_value([0, 2])
    at.sidebar.radio(key="view_save_mode").set_value("pinned")
    _button(at.sidebar, "Ansicht speichern").click().run()
    assert not at.exception, at.exception

    first, second = sorted(saved.list_views(state), key=lambda view: view.view_id)
    assert (first.url_path, first.mode) == ("fachkraeftebedarf", "live")
    # NOTE: AppTest does not write widget-bound values into st.query_params; the saved link is checked in
    # Chromium (tests/test_browser_views.py).
    assert [(c.builder, c.params) for c in first.charts] == [(VINTAGES, {"measures": ["shortfall"]})]
    assert (second.url_path, second.mode) == ("zuwanderung-asyl", "pinned")
    assert [c.builder for c in second.charts] == ["charts.migration.asylum_benefits_map",
                                                  "charts.migration.asylum_benefits_thuringia"]
    assert second.pinned_versions == {name: v.version_id for name, v in state.live_versions().items()}

    at = open_as("ana")
    at.text_input(key="presentation_new_deck_title").input("Sitzung")
    at.multiselect(key="presentation_new_deck_views").set_value([first.view_id, second.view_id])
    _button(at, "Präsentation anlegen").click().run()
    assert not at.exception, at.exception
    assert "Bedarf bis 2030" in _headers(at) and "Folie 1 von 2" in [caption.value for caption in at.caption]
    slide_figures = _figures(at)
    assert len(slide_figures) == 1
    assert slide_figures[0]["data"] == on_page["data"], "the slide draws exactly the chart that was on the page"
    assert first.charts[0].title in [subheader.value for subheader in at.subheader]
    assert "fachkraeftebedarf" in _page_links(at)[0].page

    _button(at, "Weiter").click().run()
    assert not at.exception, at.exception
    assert "Asyl" in _headers(at) and at.number_input(key="presentation_slide").value == 2
    assert len(_figures(at)) == 2
    assert f"view={second.view_id}" in _page_links(at)[0].query_string, "a pinned view's link opens its pinned data"


def test_a_link_opens_the_deck_at_its_slide_and_a_pinned_view_keeps_its_versions(open_as, deck, state):
    _publish_changed_projections(state)
    at = open_as(None, presentation_deck="Landtag", presentation_slide="2")
    assert "Stand der Prognosen" in _headers(at) and not at.warning
    pinned = _figures(at)[0]
    assert 344000.0 in _values(pinned) and 345678.0 not in _values(pinned), "pinned: the data as of saving"
    stand = "\n".join(markdown.value for markdown in at.markdown).replace("\\", "")    # Markdown escapes
    assert "Prognosen zum Fachkräftebedarf und zur Bevölkerung: Version 1 vom" in stand
    assert "Prognosen zum Fachkräftebedarf und zur Bevölkerung: inzwischen neuere Version 2 vom" in stand
    assert "Standorte" not in stand     # only the datasets the page reads
    captions = [caption.value for caption in at.caption]
    assert any("Version 1" in caption and "Quelle" in caption for caption in captions), captions

    at = open_as(None, presentation_deck="Landtag", presentation_slide="1")
    live = _figures(at)[0]
    assert 345678.0 in _values(live) and 344000.0 not in _values(live), "live: always the newest data"


def test_a_pinned_views_link_shows_its_pinned_data_until_the_newest_is_asked_for(open_as, deck, state):
    _publish_changed_projections(state)
    pinned_view = deck.views[1]
    at = open_as(None, page="app_pages/demand.py", view=str(pinned_view.view_id), demand_measures=MEASURES)
    assert 344000.0 in _values(_figures(at)[0]) and 345678.0 not in _values(_figures(at)[0])
    assert any("Gespeicherte Ansicht „Stand der Prognosen“" in info.value for info in at.info)
    _button(at, "Neueste Daten zeigen").click().run()
    assert not at.exception, at.exception
    assert 345678.0 in _values(_figures(at)[0]) and not at.info
    assert "view" not in at.query_params

    at = open_as(None, page="app_pages/demand.py", view="99999")
    assert any("gibt es nicht" in warning.value for warning in at.warning)
    assert 345678.0 in _values(_figures(at)[0])


def test_viewers_play_but_cannot_save_or_manage(open_as, deck, state):
    at = open_as(None)
    assert "Bedarf bis 2030" in _headers(at)
    assert "Drei Studien im Vergleich" in [text.value for text in at.text]
    _button(at, "Weiter").click().run()
    assert "Stand der Prognosen" in _headers(at)
    labels = {button.label for button in at.button}
    assert not labels & {"Ansicht speichern", "Präsentation anlegen", "Folien speichern", "Präsentation löschen"}
    assert not [widget for widget in [*at.text_input, *at.text_area, *at.multiselect]
                if widget.key and widget.key.startswith("presentation_")]
    guest = Actor("anonym", VIEWER)
    with pytest.raises(store.PermissionDenied):
        saved.save_view(state, actor=guest, title="X", url_path="ueberblick", query={})
    with pytest.raises(store.PermissionDenied):
        saved.set_deck_items(state, deck.deck_id, [], actor=guest)
    assert len(saved.get_deck(state, deck.deck_id).views) == 2


@pytest.mark.parametrize("query", [{"presentation_deck": "Gibt es nicht"},
                                   {"presentation_deck": "Landtag", "presentation_slide": "7"},
                                   {"presentation_slide": "<script>"}])
def test_an_unknown_deck_or_slide_in_the_link_gives_a_notice_and_the_defaults(open_as, deck, query):
    at = open_as(None, **query)
    assert len(at.warning) == 1 and "gezeigt wird" in at.warning[0].value
    assert "Bedarf bis 2030" in _headers(at) and at.number_input(key="presentation_slide").value == 1


def test_analyst_reorders_slides_and_deletes_a_view(open_as, deck):
    at = open_as("ana")
    first, second = (view.view_id for view in deck.views)
    items = next(widget for widget in at.multiselect if widget.key.startswith("presentation_items_"))
    items.set_value([second, first])
    _button(at, "Folien speichern").click().run()
    assert "Stand der Prognosen" in _headers(at)
    at.selectbox(key="presentation_delete_view_id").set_value(second)
    _button(at, "Gewählte Ansicht löschen").click().run()
    assert not at.exception, at.exception
    assert "Bedarf bis 2030" in _headers(at) and "Folie 1 von 1" in [caption.value for caption in at.caption]


def test_a_new_deck_is_shown_at_once_and_deleting_it_returns_to_the_others_in_english(open_as, deck):
    at = open_as("ana")
    at.sidebar.radio(key="lang").set_value("English").run()
    at.text_input(key="presentation_new_deck_title").input("Landtag")     # same title: told apart by its number
    at.multiselect(key="presentation_new_deck_views").set_value([deck.views[1].view_id])
    _button(at, "Create deck").click().run()
    assert not at.exception, at.exception
    assert at.selectbox(key="presentation_deck").value != deck.deck_id
    assert "Stand der Prognosen" in _headers(at) and "Slide 1 of 1" in [caption.value for caption in at.caption]
    _button(at, "Delete deck").click().run()
    assert not at.exception, at.exception
    assert at.selectbox(key="presentation_deck").value == deck.deck_id
    assert "Bedarf bis 2030" in _headers(at) and "Deck deleted." in [success.value for success in at.success]


def _export_deck(deck_id: int, out: str) -> None:
    """Run by AppTest.from_function: the deck download's own code path, bytes written to `out`."""
    from store import views as saved_views
    from ui import data
    from ui import presentation_views as views

    data.refresh_live_versions()
    chosen = saved_views.get_deck(data.get_store(), deck_id)
    with open(out, "wb") as handle:
        handle.write(views.deck_bytes(views.export_slides(chosen, "de"), chosen.title, "de"))


def test_the_deck_download_has_one_slide_per_view_with_its_chart_images_sources_and_statements(
        open_as, deck, state, tmp_path):
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE
    from streamlit.testing.v1 import AppTest

    from charts.export_pptx import png_size

    at = open_as(None)
    assert "Präsentation als PowerPoint herunterladen" in [button.label for button in at.get("download_button")]
    _publish_changed_projections(state)
    out = tmp_path / "deck.pptx"
    run = AppTest.from_function(_export_deck, args=(deck.deck_id, str(out)), default_timeout=180).run()
    assert not run.exception, run.exception
    opened = Presentation(io.BytesIO(out.read_bytes()))
    assert len(opened.slides) == 1 + len(deck.views)        # a title slide, then one per view
    live_slide, pinned_slide = list(opened.slides)[1:]
    for slide, view in zip((live_slide, pinned_slide), deck.views):
        pictures = [shape for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == len(view.charts)
        assert all(png_size(picture.image.blob) == (1600, 900) for picture in pictures)
        texts = "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
        assert slide.shapes.title.text == view.title and "Quelle:" in texts
    texts = "\n".join(shape.text_frame.text for shape in pinned_slide.shapes if shape.has_text_frame)
    assert "(Version 1)" in texts and "(Version 2)" not in texts, "the pinned slide's Stand is its pinned version"
    texts = "\n".join(shape.text_frame.text for shape in live_slide.shapes if shape.has_text_frame)
    assert "(Version 2)" in texts, "the live slide's Stand is the newest version"
    notes = live_slide.notes_slide.notes_text_frame.text
    assert "Drei Studien im Vergleich" in notes and "demand_measures=shortfall" in notes
    notes = pinned_slide.notes_slide.notes_text_frame.text
    assert "Staatskanzlei" in notes and "280.000 Fachkräfte bis 2025 benötigt" in notes, notes
    assert f"view={deck.views[1].view_id}" in notes
