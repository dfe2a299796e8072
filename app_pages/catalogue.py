"""Daten & Quellen — every dataset with its live version, rows, period covered and sources."""
import streamlit as st

from ui import catalogue_view, data, shell
from ui.i18n import t

lang = shell.language()
st.title(t("page_catalogue", lang))
st.markdown(t("catalogue_intro", lang))

entries = catalogue_view.entries()
catalogue_view.overview_table(entries, lang)
catalogue_view.sources_per_dataset(entries, data.dataset("sources")[0], lang)
