"""Entry point: page config, shared sidebar, navigation over app_pages/ (see docs/ARCHITECTURE.md)."""
from pathlib import Path

import streamlit as st

from ui import auth, auth_views, data, shell
from ui.i18n import t
from ui.pages import DEFAULT_URL_PATH, PAGES

st.set_page_config(page_title="Thüringen Fachkräfte-Dashboard", page_icon=":material/insights:",
                   layout="wide")

lang = shell.sidebar(data.refresh_live_versions())
auth_views.print_startup_hint(data.get_store())
with st.sidebar:
    actor = auth_views.sidebar_login(data.get_store(), lang)

root = Path(__file__).parent
available = [p for p in PAGES if (root / p.file).exists() and (auth.is_analyst(actor) or not p.analyst_only)]
default = DEFAULT_URL_PATH if any(p.url_path == DEFAULT_URL_PATH for p in available) else available[0].url_path
st.navigation([st.Page(p.file, title=t(p.title_key, lang), icon=p.icon, url_path=p.url_path,
                       default=p.url_path == default) for p in available]).run()
