"""The shared sidebar: language switch (bound to the URL) and the data "Stand"."""
from __future__ import annotations

import streamlit as st

from ui.i18n import LANGUAGES, t


def language() -> str:
    """'de' or 'en' — read from the URL-bound language radio in the sidebar."""
    return LANGUAGES.get(st.session_state.get("lang", "Deutsch"), "de")


def sidebar(versions: dict) -> str:
    with st.sidebar:
        st.radio(t("language"), list(LANGUAGES), key="lang", horizontal=True, bind="query-params")
        lang = language()
        if versions:
            from ui.i18n import timestamp
            newest = max(v.created_at for v in versions.values())
            st.caption(t("data_as_of", lang, when=timestamp(newest, lang)))
    return lang
