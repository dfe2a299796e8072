"""Fachkräftebedarf — projection vintages, the 2030 split, employment, population, sectors by district."""
import streamlit as st

from charts.demand import measure_label
from ui import charts, data, sections, shell
from ui.i18n import t

lang = shell.language()
markers = shell.markers_on()
st.title(t("page_demand", lang))
st.markdown(t("demand_intro", lang))

projections, employment, population, sectors = sections.tabs(sections.DEMAND, lang)

with projections:
    if projections.open:
        measures = data.derived("charts.demand.measure_options")
        chosen = st.multiselect(t("demand_measures", lang), measures, default=measures, key="demand_measures",
                                format_func=lambda measure: measure_label(measure, lang), bind="query-params")
        charts.render("charts.demand.projection_vintages", key="demand_vintages",
                      title=t("demand_vintages_title", lang), lang=lang, measures=chosen)
        charts.render("charts.demand.demand_split", key="demand_split", title=t("demand_split_title", lang),
                      lang=lang)

with employment:
    if employment.open:
        charts.render("charts.demand.employment_over_time", key="demand_employment",
                      title=t("demand_employment_title", lang), lang=lang, markers=markers)
        charts.render("charts.demand.employees_total_and_foreign", key="demand_svb",
                      title=t("demand_svb_title", lang), lang=lang, markers=markers)
        laender = data.derived("charts.demand.laender_options")
        compared = st.multiselect(
            t("demand_laender", lang), list(laender), key="demand_laender", bind="query-params",
            default=[code for code in ("14", "15", "DG") if code in laender],
            format_func=lambda code: t("demand_germany_sum", lang) if code == "DG" else laender[code])
        charts.render("charts.demand.laender_indexed", key="demand_laender_chart",
                      title=t("demand_laender_title", lang), lang=lang, laender=compared, markers=markers)

with population:
    if population.open:
        charts.render("charts.demand.population_and_projections", key="demand_population",
                      title=t("demand_population_title", lang), lang=lang, markers=markers)

with sectors:
    if sectors.open:
        districts = data.derived("charts.demand.district_options")
        district = st.selectbox(t("demand_district", lang), list(districts), key="demand_district",
                                format_func=lambda code: districts[code], bind="query-params")
        charts.render("charts.demand.sectors_by_district", key="demand_sectors", lang=lang, district=district,
                      title=t("demand_sectors_title", lang, region=districts[district]))
