"""Rekrutierung — pilots on a time axis, target vs achieved, MobiPro-EU, the statements about recruitment.

Its small tables are Markdown (HTML) tables (ui/tables.py), not st.dataframe: readable in full without scrolling,
screen readers and print see a table, and the browser loads no data-grid code before the charts; the statements
with their long quotes are paragraphs, one per statement."""
import streamlit as st

from ui import charts, data, shell, tables
from ui.i18n import t

lang = shell.language()
st.title(t("page_recruitment", lang))
tables.style()
st.markdown(t("recruitment_intro", lang))

pilots = data.derived("charts.recruitment.pilot_options")
default = data.derived("charts.recruitment.default_pilot")
pilot = st.selectbox(t("recruitment_pilot", lang), list(pilots), key="recruitment_pilot", bind="query-params",
                     index=list(pilots).index(default) if default in pilots else 0,
                     format_func=lambda pilot_id: pilots[pilot_id])
charts.render("charts.recruitment.pilot_timeline", key="recruitment_timeline",
              title=t("recruitment_timeline_title", lang), lang=lang, highlight=pilot, markers=shell.markers_on())

details = data.derived("charts.recruitment.pilot_details", lang=lang, pilot_id=pilot)
st.subheader(t("recruitment_details_title", lang, name=pilots[pilot]))
tables.table(details["fields"])
st.caption(t("recruitment_details_sources", lang))
tables.table(details["sources"], links=(details["sources"].columns[-1],))

outcomes = charts.render("charts.recruitment.pilot_outcomes", key="recruitment_outcomes",
                         title=t("recruitment_outcomes_title", lang), lang=lang, highlight=pilot)
st.caption(t("recruitment_outcomes_table", lang))
tables.table(outcomes.table, right=tuple(outcomes.table.columns[1:]))

charts.render("charts.recruitment.mobipro_applicants", key="recruitment_mobipro",
              title=t("recruitment_mobipro_title", lang), lang=lang)

st.subheader(t("recruitment_statements_title", lang))
statements = data.derived("charts.recruitment.recruitment_statements", lang=lang)
if statements.empty:
    st.caption(t("recruitment_statements_none", lang))
else:
    tables.records(statements, heading=3, links=(statements.columns[-1],))
