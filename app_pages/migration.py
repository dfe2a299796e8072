"""Zuwanderung & Asyl — arrivals, applications, benefit recipients, protection seekers, INKAR rates."""
import streamlit as st

from ui import charts, data, sections, shell
from ui.i18n import t

lang = shell.language()
markers = shell.markers_on()
options = data.derived("charts.migration.page_options", lang=lang)
st.title(t("page_migration", lang))
st.markdown(t("migration_intro", lang))
asylum, benefits, protection, inkar_tab = sections.tabs(sections.MIGRATION, lang)

with asylum:
    if asylum.open:
        charts.render("charts.migration.asylum_per_year", key="migration_per_year",
                      title=t("migration_per_year", lang), lang=lang, markers=markers)
        charts.render("charts.migration.asylum_partial_periods", key="migration_partial",
                      title=t("migration_partial", lang), lang=lang, markers=markers)
with benefits:
    if benefits.open:
        years, regions = options["benefit_years"], options["benefit_regions"]
        year = st.select_slider(t("migration_benefit_year", lang), options=years, value=years[-1],
                                key="migration_benefit_year", bind="query-params")
        charts.render("charts.migration.asylum_benefits_map", key="migration_benefits_map",
                      title=t("migration_benefits_map", lang, year=year), lang=lang, year=year)
        chosen = st.multiselect(t("migration_districts", lang), options=list(regions), default=["16051", "16074"],
                                format_func=regions.get, key="migration_districts", bind="query-params")
        charts.render("charts.migration.asylum_benefits_lines", key="migration_benefits_lines",
                      title=t("migration_benefits_lines", lang), lang=lang, regions=sorted(chosen))
        charts.render("charts.migration.asylum_benefits_thuringia", key="migration_benefits_thuringia",
                      title=t("migration_benefits_thuringia", lang), lang=lang, markers=markers)
with protection:
    if protection.open:
        measures = {m: t(f"migration_measure_{m}", lang) for m in ("absolute", "per_1000")}
        measure = st.radio(t("migration_measure", lang), options=list(measures), format_func=measures.get,
                           horizontal=True, key="migration_measure", bind="query-params")
        charts.render("charts.migration.protection_seekers_map", key="migration_protection_map", measure=measure,
                      title=t("migration_protection_map", lang, measure=measures[measure]), lang=lang)
        left, right = st.columns(2)
        with left:
            charts.render("charts.migration.protection_seekers_status", key="migration_protection_status",
                          title=t("migration_protection_status", lang), lang=lang)
        with right:
            charts.render("charts.migration.protection_seekers_nationalities", lang=lang,
                          key="migration_protection_nationalities", title=t("migration_protection_nationalities", lang))
with inkar_tab:
    if inkar_tab.open:
        inkar = options["inkar"]
        indicator = st.selectbox(t("migration_inkar_indicator", lang), options=list(inkar), bind="query-params",
                                 format_func=lambda i: inkar[i]["title"], key="migration_inkar_indicator")
        inkar_years = inkar[indicator]["years"]
        inkar_year = st.select_slider(t("migration_inkar_year", lang), options=inkar_years, value=inkar_years[-1],
                                      key="migration_inkar_year", bind="query-params")
        charts.render("charts.migration.inkar_map", key="migration_inkar_map", indicator=indicator, year=inkar_year,
                      title=t("migration_inkar_map", lang, indicator=inkar[indicator]["title"], year=inkar_year),
                      lang=lang)
