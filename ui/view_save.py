"""Saving the view on screen ("Ansicht speichern", sidebar, analysts) and opening a pinned view by its link.

A saved view is the page, its query parameters, the chart calls the page made in this rerun (builder, title,
parameters — what a slide replays) and, for a pinned view, the data versions on screen. A pinned view's link
carries ``?view=<id>``: the page then reads the pinned versions instead of the live ones, says so in a banner
and offers the newest data. Titles and notes are user text: shown escaped, never as HTML.
"""
from __future__ import annotations

import hashlib

import streamlit as st

import store
from charts.format import escape_markdown
from store import views as saved
from ui import auth, charts, data, view_state
from ui.i18n import t, timestamp

#: URL parameter naming the saved view a link opens (only pinned views need it: they change the data).
VIEW_KEY = "view"
#: Parameters never stored with a view: how it is presented (deck, slide, presentation mode), not what it shows.
NOT_SAVED = {"presentation_deck", "presentation_slide", view_state.PRESENT_KEY, "embed", "embed_options", VIEW_KEY}
_PINNED_KEY = "_pinned_view"
#: Widget key of the "Ansicht speichern" box in the sidebar.
SAVE_BOX_KEY = "view_save_box"


def open_pinned_view() -> None:
    """Before the sidebar and the page: if the link names a pinned view, this rerun reads its versions."""
    st.session_state.pop(_PINNED_KEY, None)
    requested = st.query_params.get(VIEW_KEY, "")
    if not requested:
        return
    try:
        view = saved.get_view(data.get_store(), int(requested)) if requested.isdigit() else None
    except saved.UnknownView:
        view = None
    except store.StoreUnavailable:       # read-only on the last versions: the banner says the store is down
        return
    if view is None:
        st.session_state[_PINNED_KEY] = (None, [])
        return
    if view.mode != saved.PINNED:
        return
    versions, missing = data.versions_for(view.pinned_versions)
    data.show_versions(versions)
    st.session_state[_PINNED_KEY] = (view, missing)


def _show_newest() -> None:
    del st.query_params[VIEW_KEY]


def pinned_banner(lang: str) -> None:
    """Below the sidebar: which saved view's data the page shows, and a button for the newest data."""
    if _PINNED_KEY not in st.session_state:
        return
    view, missing = st.session_state[_PINNED_KEY]
    if view is None:
        st.warning(t("view_unknown", lang), icon=":material/link_off:")
        return
    shown = data.live_versions()
    newest = max((shown[name].created_at for name in view.pinned_versions if name in shown), default=None)
    text = t("view_pinned_banner", lang, title=escape_markdown(view.title),
             when=timestamp(newest, lang) if newest is not None else t("no_value", lang))
    if missing:
        text += " " + t("view_pinned_missing", lang, datasets=", ".join(sorted(missing)))
    with st.container(horizontal=True, vertical_alignment="center"):
        st.info(text, icon=":material/push_pin:")
        st.button(t("view_show_newest", lang), key="view_show_newest", on_click=_show_newest,
                  icon=":material/update:")


def _query() -> dict[str, list[str]]:
    return {key: values for key, values in view_state.current_query().items() if key not in NOT_SAVED}


def save_box(actor: store.Actor, lang: str, url_path: str | None, savable: set[str]) -> None:
    """Sidebar form (analysts, pages that can be a view): title, note, charts for the slide, live or pinned.
    Drawn after the page ran, so this rerun's chart calls are known; the role is checked again on write."""
    if not auth.is_analyst(actor) or url_path not in savable:
        return
    calls = charts.recorded()
    # NOTE: the chart choice is keyed by the charts on screen: when they change (another indicator, another
    # title), a kept selection would name the old ones, so the choice starts again at the first chart.
    on_screen = hashlib.sha256(repr([(call.builder, call.title) for call in calls]).encode()).hexdigest()[:12]
    with st.expander(t("view_save", lang), icon=":material/bookmark_add:", key=SAVE_BOX_KEY,
                     on_change="rerun") as box:
        if not box.open:        # lazy: the form is sent only while the box is open
            return
        with st.form(f"view_save_form_{url_path}", clear_on_submit=True, border=False):
            title = st.text_input(t("presentation_title", lang), key="view_save_title", max_chars=saved.MAX_TITLE)
            note = st.text_area(t("presentation_note", lang), key="view_save_note", max_chars=saved.MAX_NOTE)
            chosen = st.multiselect(
                t("view_save_charts", lang), list(range(len(calls))), default=[0] if calls else [],
                format_func=lambda index: calls[index].title, key=f"view_save_charts_{url_path}_{on_screen}",
                max_selections=saved.MAX_CHARTS, help=t("view_save_charts_help", lang))
            mode = st.radio(t("presentation_mode", lang), saved.MODES, key="view_save_mode",
                            format_func=lambda m: t(f"presentation_mode_{m}", lang))
            submitted = st.form_submit_button(t("presentation_save_button", lang), type="primary")
    if not submitted:           # NOTE: the outcome is shown below the box: a rerun may close the expander
        return
    pinned = {name: version.version_id for name, version in data.live_versions().items()}
    try:
        view = saved.save_view(data.get_store(), actor=actor, title=title, note=note, url_path=url_path,
                               query=_query(), mode=mode, pinned_versions=pinned,
                               charts=[calls[index] for index in sorted(chosen) if index < len(calls)])
    except store.StoreError as error:
        st.error(error.message(lang))
        return
    st.success(t("presentation_saved", lang, title=escape_markdown(view.title)))
