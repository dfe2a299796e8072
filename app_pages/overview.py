"""Überblick — headline figures, the statement timeline, the 2016 press release checked against the data."""
import streamlit as st

from charts.statements import topic_label
from charts.format import escape_markdown
from charts.verdicts import PRESS_RELEASE_ID
from ui import cards, charts, data, shell
from ui.i18n import t

lang = shell.language()
st.title(t("page_overview", lang))
st.markdown(t("overview_intro", lang))

st.header(t("overview_headlines", lang))
for column, figure in zip(st.columns(4), data.derived("charts.overview.headlines", lang=lang)):
    column.metric(figure.label, figure.value, help=escape_markdown(figure.help), border=True)
    column.caption(escape_markdown(figure.caption))

topics = st.pills(t("overview_topics", lang), data.derived("charts.statements.topic_options"),
                  selection_mode="multi", format_func=lambda topic: topic_label(topic, lang),
                  key="overview_topics", bind="query-params")
charts.render("charts.overview.statement_timeline", key="overview_timeline", title=t("overview_timeline", lang),
              lang=lang, topics=sorted(topics))

st.header(t("overview_verdicts", lang))
st.caption(t("overview_verdicts_intro", lang))
cards.verdict_list(data.derived("charts.overview.verdict_lines", lang=lang))
st.page_link("app_pages/statements.py", label=t("overview_to_statements", lang), icon=":material/campaign:",
             query_params={"statements_selected": PRESS_RELEASE_ID})
