"""Entry point: page config, shared sidebar, navigation over app_pages/ (see docs/ARCHITECTURE.md)."""
import sys
from pathlib import Path

import streamlit as st

import store
from ui import auth, auth_views, data, shell
from ui.i18n import t
from ui.pages import DEFAULT_URL_PATH, PAGES

st.set_page_config(page_title="Thüringen Fachkräfte-Dashboard", page_icon=":material/insights:",
                   layout="wide")

try:
    versions = data.refresh_live_versions()
except store.StoreUnavailable as error:     # nothing loaded yet: say so instead of a traceback
    print(error.message("en"), file=sys.stderr, flush=True)      # details (host, reason) for the operator
    st.error(t("store_unavailable", shell.language()))
    st.stop()
lang = shell.sidebar(versions)
if data.store_unavailable() is not None:
    st.warning(t("store_down_banner", lang), icon=":material/cloud_off:")
auth_views.print_startup_hint(data.get_store())
with st.sidebar:
    actor = auth_views.sidebar_login(data.get_store(), lang)

root = Path(__file__).parent
available = [p for p in PAGES if (root / p.file).exists() and (auth.is_analyst(actor) or not p.analyst_only)]
default = DEFAULT_URL_PATH if any(p.url_path == DEFAULT_URL_PATH for p in available) else available[0].url_path
st.navigation([st.Page(p.file, title=t(p.title_key, lang), icon=p.icon, url_path=p.url_path,
                       default=p.url_path == default) for p in available]).run()
