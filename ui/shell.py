"""The shared sidebar: language switch and statement markers (both bound to the URL), data "Stand"."""
from __future__ import annotations

import streamlit as st

from ui.i18n import LANGUAGES, t, timestamp


def language() -> str:
    """'de' or 'en' — read from the URL-bound language radio in the sidebar."""
    return LANGUAGES.get(st.session_state.get("lang", "Deutsch"), "de")


def markers_on() -> bool:
    """Whether time-series charts show statement markers (sidebar toggle, default on)."""
    return bool(st.session_state.get("markers", True))


def sidebar(versions: dict) -> str:
    with st.sidebar:
        st.radio(t("language"), list(LANGUAGES), key="lang", horizontal=True, bind="query-params")
        lang = language()
        st.toggle(t("statement_markers", lang), value=True, key="markers", bind="query-params")
        if versions:
            newest = max(v.created_at for v in versions.values())
            st.caption(t("data_as_of", lang, when=timestamp(newest, lang)))
    return lang
