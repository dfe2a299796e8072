"""Entry point: page config, shared sidebar, navigation over app_pages/ (see docs/ARCHITECTURE.md)."""
import streamlit as st

from ui import data, shell
from ui.i18n import t

st.set_page_config(page_title="Thüringen Fachkräfte-Dashboard", page_icon=":material/insights:",
                   layout="wide")

lang = shell.sidebar(data.live_versions())

navigation = st.navigation([
    st.Page("app_pages/catalogue.py", title=t("page_catalogue", lang), icon=":material/dataset:",
            url_path="daten", default=True),
])
navigation.run()
