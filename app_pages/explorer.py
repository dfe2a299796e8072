"""Explorer — any indicator (bundled or uploaded) by region, breakdown and period as line, bar or map."""
import streamlit as st

from ui import charts, data, shell
from ui.i18n import t

lang = shell.language()
st.title(t("page_explorer", lang))
st.markdown(t("explorer_intro", lang))

choices = data.derived("charts.explorer.indicator_choices", lang=lang)
ids = list(choices)
indicator = st.selectbox(t("explorer_indicator", lang), options=ids, format_func=choices.get,
                         index=ids.index("population") if "population" in ids else 0,
                         key="explorer_indicator", bind="query-params")
options = data.derived("charts.explorer.indicator_options", lang=lang, indicator=indicator)

left, right = st.columns(2)
regions = options["regions"]
chosen = left.multiselect(t("explorer_regions", lang), options=list(regions), default=options["default_regions"],
                          format_func=regions.get, key="explorer_regions", bind="query-params")
chart = right.radio(t("explorer_chart_type", lang), options=options["chart_types"], horizontal=True,
                    format_func=lambda c: t(f"explorer_chart_{c}", lang), key="explorer_chart", bind="query-params")
breakdowns = options["breakdowns"]
breakdown = left.selectbox(t("explorer_breakdown", lang), options=["", *breakdowns],
                           format_func=lambda c: breakdowns.get(c, t("explorer_no_breakdown", lang)),
                           key="explorer_breakdown", bind="query-params")
value = right.selectbox(t("explorer_value", lang), options=options["values"].get(breakdown, [""]),
                        format_func=lambda v: v or t("explorer_total", lang), disabled=not breakdown,
                        key="explorer_value", bind="query-params")
periods = options["periods"]
if len(periods) > 1:
    period_from, period_to = st.select_slider(t("explorer_periods", lang), options=periods,
                                              value=(periods[0], periods[-1]), key="explorer_periods",
                                              bind="query-params")
else:
    period_from = period_to = periods[0] if periods else None
    st.caption(t("explorer_single_period", lang, period=period_to))
if chart == "map":
    st.caption(t("explorer_map_regions", lang))

charts.render("charts.explorer.explore", key="explorer_chart_block", title=choices[indicator], lang=lang,
              indicator=indicator, regions=sorted(chosen or options["default_regions"]), breakdown=breakdown, value=value,
              period_from=period_from, period_to=period_to, chart=chart, markers=shell.markers_on())
