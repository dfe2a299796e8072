"""AppTest: the page "Präsentation" — analysts save views and build a deck; everyone plays it slide by slide."""
import pytest

import store
from store import accounts
from store import views as saved
from store.models import VIEWER, Actor
from ui.auth import LOCAL_USER_KEY
from ui.presentation_views import parse_link

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

    def _open(username, **query_params):
        at = AppTest.from_file("../dashboard.py", default_timeout=120)
        if username:
            at.session_state[LOCAL_USER_KEY] = username
        at.run()
        for key, value in query_params.items():
            at.query_params[key] = value
        at.switch_page(PAGE).run()
        assert not at.exception, at.exception
        return at

    yield _open
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def deck(state):
    """A deck "Landtag": slide 1 a live view of the demand page, slide 2 a view pinned to today's versions."""
    ana = accounts.analyst_actor(state, "ana")
    pinned = {name: version.version_id for name, version in state.live_versions().items()}
    live_view = saved.save_view(state, actor=ana, title="Bedarf bis 2030", note="Drei Studien im Vergleich",
                                url_path="fachkraeftebedarf", query={"demand_measures": ["shortfall"]},
                                mode="live", pinned_versions=pinned)
    pinned_view = saved.save_view(state, actor=ana, title="Stand der Prognosen", note="", url_path="fachkraeftebedarf",
                                  query={}, mode="pinned", pinned_versions=pinned)
    return saved.create_deck(state, actor=ana, title="Landtag", view_ids=[live_view.view_id, pinned_view.view_id])


def _headers(at) -> list[str]:
    return [element.value for element in at.header]


def _button(at, label: str):
    return next(button for button in at.button if button.label == label)


def _page_links(at) -> list:
    return [element.proto for element in at.get("page_link")]


def test_analyst_saves_two_views_builds_a_deck_and_plays_it(open_as, state):
    at = open_as("ana")
    assert "Noch keine Präsentation gespeichert." in [info.value for info in at.info]
    for title, page, link, mode in (("Bedarf bis 2030", "fachkraeftebedarf", "?demand_measures=shortfall", "live"),
                                    ("Arbeitsmarkt", "ueberblick",
                                     "http://127.0.0.1:8501/zuwanderung-asyl?migration_districts=16051", "pinned")):
        at.text_input(key="presentation_save_title").input(title)
        at.text_area(key="presentation_save_note").input(f"Notiz zu {title}")
        at.selectbox(key="presentation_save_page").set_value(page)
        at.text_input(key="presentation_save_link").input(link)
        at.radio(key="presentation_save_mode").set_value(mode)
        _button(at, "Ansicht speichern").click().run()
        assert not at.exception, at.exception
        assert f"Ansicht „{title}“ gespeichert." in [success.value for success in at.success]
    first, second = sorted(saved.list_views(state), key=lambda view: view.view_id)
    assert (first.url_path, first.query, first.mode) == ("fachkraeftebedarf", {"demand_measures": ["shortfall"]}, "live")
    assert (second.url_path, second.query, second.mode) == ("zuwanderung-asyl", {"migration_districts": ["16051"]},
                                                            "pinned")
    assert second.pinned_versions == {name: v.version_id for name, v in state.live_versions().items()}

    at.text_input(key="presentation_new_deck_title").input("Sitzung")
    at.multiselect(key="presentation_new_deck_views").set_value([first.view_id, second.view_id])
    _button(at, "Präsentation anlegen").click().run()
    assert not at.exception, at.exception
    assert "Bedarf bis 2030" in _headers(at)
    assert "Folie 1 von 2" in [caption.value for caption in at.caption]
    link = _page_links(at)[0]
    assert "fachkraeftebedarf" in link.page and "demand_measures=shortfall" in link.query_string

    _button(at, "Weiter").click().run()
    assert not at.exception, at.exception
    assert "Arbeitsmarkt" in _headers(at) and at.number_input(key="presentation_slide").value == 2
    assert "Angehefteter Stand" in [subheader.value for subheader in at.subheader]
    assert "Version 1 vom" in "\n".join(markdown.value for markdown in at.markdown).replace("\\", "")


def test_a_link_opens_the_deck_at_its_slide_and_a_pinned_view_keeps_its_versions(open_as, deck, state):
    live = state.live_version("projections")
    state.publish("projections", state.read("projections"), actor=accounts.analyst_actor(state, "ana"),
                  note="neue Studie", parent_version_id=live.version_id)
    at = open_as(None, presentation_deck="Landtag", presentation_slide="2")
    assert "Stand der Prognosen" in _headers(at) and not at.warning
    stand = "\n".join(markdown.value for markdown in at.markdown).replace("\\", "")    # Markdown escapes
    assert "Prognosen zum Fachkräftebedarf und zur Bevölkerung: Version 1 vom" in stand
    assert "Prognosen zum Fachkräftebedarf und zur Bevölkerung: inzwischen neuere Version 2 vom" in stand
    assert "Standorte" not in stand     # only the datasets the page reads


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


def test_links_and_query_strings_become_page_and_parameters():
    assert parse_link("demand_measures=a&demand_measures=b", "fachkraeftebedarf") == (
        "fachkraeftebedarf", {"demand_measures": ["a", "b"]})
    assert parse_link("https://dash.example/aussagen?statements_selected=x&presentation_slide=2", "ueberblick") == (
        "aussagen", {"statements_selected": ["x"]})
    assert parse_link("http://127.0.0.1:8501/?lang=English", "aussagen") == ("ueberblick", {"lang": ["English"]})
    assert parse_link("", "explorer") == ("explorer", {})
    assert parse_link("zuwanderung-asyl?migration_districts=16051&present=true", "ueberblick") == (
        "zuwanderung-asyl", {"migration_districts": ["16051"]})
    assert parse_link("/daten-hochladen?x=1", "ueberblick")[0] is None


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


def test_the_deck_download_has_one_slide_per_view_with_its_stand_and_link(open_as, deck):
    import io

    from pptx import Presentation

    from charts.export_pptx import deck_pptx
    from ui.presentation_views import export_slide

    at = open_as(None)
    assert "Präsentation als PowerPoint herunterladen" in [button.label for button in at.get("download_button")]
    live, pinned = deck.views
    slides = [export_slide(live, page_title="Fachkräftebedarf", stand_lines=[], lang="de",
                           url="http://127.0.0.1:8501/fachkraeftebedarf?demand_measures=shortfall"),
              export_slide(pinned, page_title="Fachkräftebedarf", lang="de", url="http://127.0.0.1:8501/fachkraeftebedarf",
                           stand_lines=["Prognosen: Version 1 vom 25.11.2026 14:00 UTC"])]
    opened = Presentation(io.BytesIO(deck_pptx(slides, deck_title=deck.title)))
    assert len(opened.slides) == 1 + len(deck.views)        # a title slide, then one per view
    texts = ["\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
             for slide in list(opened.slides)[1:]]
    assert "Bedarf bis 2030" in texts[0] and "Fachkräftebedarf · live" in texts[0]
    assert "Angehefteter Stand: Prognosen: Version 1 vom 25.11.2026 14:00 UTC" in texts[1]
    notes = list(opened.slides)[1].notes_slide.notes_text_frame.text
    assert "Drei Studien im Vergleich" in notes and "demand_measures=shortfall" in notes
