"""Entry point: page config, shared sidebar, navigation over app_pages/ (see docs/ARCHITECTURE.md)."""
import sys
from pathlib import Path

import streamlit as st

import store
from ui import auth, auth_views, charts, data, shell, view_save, view_state
from ui.i18n import t
from ui.pages import DEFAULT_URL_PATH, VIEW_PAGES, navigation, present, tab_stops

root = Path(__file__).parent
if view_state.begin_run():                  # link aliases (?present=1, ?lang=en) rewritten before any widget binds:
    st.navigation([page for _, page in navigation(present(root), DEFAULT_URL_PATH)], position="hidden")  # resolve
    st.rerun()                                                                      # the linked page, run it again
presenting = view_state.presenting()
# NOTE: a local favicon — a Material icon name makes every browser fetch it from fonts.gstatic.com (Google).
st.set_page_config(page_title="Thüringen Fachkräfte-Dashboard", page_icon=str(root / "static" / "favicon.png"),
                   layout="wide", initial_sidebar_state="collapsed" if presenting else "auto")

try:
    data.refresh_live_versions()
except store.StoreError as error:           # nothing loaded yet (unreachable, or a schema this app cannot read):
    print(error.message("en"), file=sys.stderr, flush=True)      # details (host, reason) for the operator
    unavailable = isinstance(error, store.StoreUnavailable)       # say so instead of a traceback
    st.error(t("store_unavailable", shell.language()) if unavailable else error.message(shell.language()))
    st.stop()
view_save.open_pinned_view()                # ?view=<id> of a pinned view: this rerun reads its versions
lang = shell.sidebar(data.live_versions())
if view_state.presenting():
    view_state.presentation_style(lang)
if data.store_unavailable() is not None:
    st.warning(t("store_down_banner", lang), icon=":material/cloud_off:")
view_save.pinned_banner(lang)
auth_views.print_startup_hint(data.get_store())
with st.sidebar:
    actor = auth_views.sidebar_login(data.get_store(), lang)
link_slot = shell.link_slot()

available = [p for p in present(root) if auth.is_analyst(actor) or not p.analyst_only]
default = DEFAULT_URL_PATH if any(p.url_path == DEFAULT_URL_PATH for p in available) else available[0].url_path
pages = navigation(available, default, lang)
current = st.navigation([page for _, page in pages])
on_screen = next((p.url_path for p, page in pages if page is current), None)
charts.start_recording()
current.run()

with shell.fill_link_slot(link_slot, lang):  # after the page: the link holds the page's widgets too, and
    view_save.save_box(actor, lang, on_screen, {p.url_path for p in VIEW_PAGES})   # its charts are known
view_state.report_invalid_values(lang)
view_state.page_keyboard_navigation([p.url_path for p in available], on_screen, default, shell.SIDEBAR_KEYS,
                                    tab_stops(available, lang))
