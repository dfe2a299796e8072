"""Versionen & Protokoll — every version of a dataset (view, download, roll back) and the audit log."""
import streamlit as st

from ui import auth, data, shell
from ui import history_views as views
from ui.i18n import t
from ui.upload_views import store_errors

actor = auth.current_actor(data.get_store())
lang = shell.language()
st.title(t("page_history", lang))
if not auth.is_analyst(actor):
    st.info(t("history_analysts_only", lang))
    st.stop()

st.markdown(t("history_intro", lang))
with store_errors(lang):
    views.handle_rollback(actor, lang)
    dataset = views.choose_dataset(lang)
    versions = views.show_versions(dataset, lang)
    chosen = views.choose_version(versions, dataset, lang)
    views.show_version(dataset, chosen, lang)
    views.rollback_form(dataset, chosen, versions, lang)
    views.show_audit(lang)
