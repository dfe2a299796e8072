"""Aussagen — every statement with its source; the selected statement's claims beside the charts that test them.

The list of statements is a Markdown table in a box that scrolls (ui/tables.py), not st.dataframe: no data-grid
code for the browser to load before the claims' charts; the selected statement below shows its quote."""
import streamlit as st

from charts.statements import ORDERS, topic_label
from charts.verdicts import PRESS_RELEASE_ID
from ui import cards, charts, data, shell, tables
from ui.i18n import t

lang = shell.language()
st.title(t("page_statements", lang))
tables.style()
st.markdown(t("statements_intro", lang))

left, right = st.columns([1, 2])
order = left.segmented_control(t("statements_order", lang), ORDERS, default="newest", required=True,
                               format_func=lambda o: t(f"statements_order_{o}", lang), key="statements_order",
                               bind="query-params")
topics = right.multiselect(t("statements_topics", lang), data.derived("charts.statements.topic_options"),
                           format_func=lambda topic: topic_label(topic, lang), key="statements_topics",
                           placeholder=t("statements_all_topics", lang), bind="query-params")
listing = data.derived("charts.statements.statement_list", lang=lang, order=order, topics=sorted(topics),
                       quotes=False)
tables.table(listing, links=(listing.columns[-1],), right=(listing.columns[-2],), link_label=t("statements_open", lang),
             height=320)

ids = data.derived("charts.statements.statement_ids", order=order, topics=sorted(topics))
if not ids:
    st.info(t("statements_none", lang))
    st.stop()
selected = st.selectbox(t("statements_select", lang), ids, key="statements_selected", bind="query-params",
                        index=ids.index(PRESS_RELEASE_ID) if PRESS_RELEASE_ID in ids else 0)
detail = data.derived("charts.statements.statement_detail", lang=lang, statement_id=selected)
st.subheader(detail["title"])
st.caption(" · ".join(part for part in (detail["date"], detail["institution"], detail["speaker"]) if part))
st.caption(f"„{detail['quote']}“  \n{detail['note']}")
st.link_button(t("statements_source_link", lang), detail["url"], icon=":material/open_in_new:")

st.header(t("statements_claims", lang))
for claim in detail["claims"]:
    with cards.verdict_card(claim["status"], claim["colour"], claim["text"], claim["verdict"], claim["sources"]):
        if claim["kind"]:
            charts.render("charts.statements.claim_chart", key=f"statements_{claim['claim_id']}",
                          title=claim["chart_title"], lang=lang, claim_id=claim["claim_id"],
                          markers=shell.markers_on())
        else:
            st.caption(t("statements_no_chart", lang))
