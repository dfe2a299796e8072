"""The shared sidebar: language, statement markers and presentation mode (all bound to the URL), data "Stand",
and the slot for the "Link kopieren" control (filled after the page ran, so it holds the page's widgets too)."""
from __future__ import annotations

import streamlit as st

from ui import sections, view_state
from ui.i18n import LANGUAGES, t, timestamp

#: Sidebar parameters: bound in the entrypoint, so they survive page changes (keyboard navigation keeps them).
SIDEBAR_KEYS = ("lang", "markers", view_state.PRESENT_KEY)


def language() -> str:
    """'de' or 'en' — read from the URL-bound language radio in the sidebar."""
    return LANGUAGES.get(st.session_state.get("lang", "Deutsch"), "de")


def markers_on() -> bool:
    """Whether time-series charts show statement markers (sidebar toggle, default on)."""
    return bool(st.session_state.get("markers", True))


def sidebar(versions: dict) -> str:
    with st.sidebar:
        st.radio(t("language"), list(LANGUAGES), key="lang", horizontal=True, bind="query-params",
                 on_change=lambda: sections.follow_language(language()))
        lang = language()
        st.toggle(t("statement_markers", lang), value=True, key="markers", bind="query-params")
        view_state.present_toggle(lang)
        if versions:
            newest = max(v.created_at for v in versions.values())
            st.caption(t("data_as_of", lang, when=timestamp(newest, lang)))
    return lang


def link_slot():
    """A sidebar placeholder for the share link; fill it with `fill_link_slot` once the page has run."""
    return st.sidebar.empty()


def fill_link_slot(slot, lang: str):
    """Draw "Link kopieren" into the slot; returns the slot's container (for "Ansicht speichern" below it)."""
    container = slot.container()
    with container:
        view_state.link_button(lang)
    return container
