"""Figures of the page "Fachkräftebedarf": projection vintages, the 2030 split, employment, population, sectors."""
from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from charts import style
from charts.alt_text import describe_series
from charts.base import ChartResult, uses
from charts.format import NO_VALUE, number, translate
from charts.markers import add_statement_markers, relevant_statements

THURINGIA = "16"

#: Projection measures counted in persons that belong in the vintage chart (population has its own chart).
DEMAND_MEASURES = ["total_demand", "replacement_demand", "expansion_demand", "shortfall", "retirements", "entrants",
                   "workforce_change", "care_demand"]
MEASURE_SYMBOLS = {"total_demand": "circle", "replacement_demand": "square", "expansion_demand": "diamond",
                   "shortfall": "triangle-up", "retirements": "triangle-down", "entrants": "cross",
                   "workforce_change": "x", "care_demand": "star-square"}
#: The claim of the 18 May 2016 press release, highlighted in the vintage chart.
PRESS_RELEASE_PROJECTION = "2016-staatskanzlei-total-demand-2025"
RANGE_PROJECTION = "2018-fruehere-studien-total-demand-range"

MEASURE_LABELS = {
    "total_demand": ("Fachkräftebedarf insgesamt", "Total skilled-labour demand"),
    "replacement_demand": ("Ersatzbedarf", "Replacement demand"),
    "expansion_demand": ("Erweiterungsbedarf", "Expansion demand"),
    "shortfall": ("Fehlende Fachkräfte", "Shortfall of skilled workers"),
    "retirements": ("Altersbedingt Ausscheidende", "Retirements"),
    "entrants": ("Berufseinsteiger", "Labour-market entrants"),
    "workforce_change": ("Veränderung der Erwerbstätigenzahl", "Change in persons employed"),
    "care_demand": ("Bedarf an Pflegefachkräften", "Demand for care workers"),
    "population": ("Bevölkerung (Vorausberechnung)", "Population (projection)"),
    "demand_share_vocational": ("Anteil mit dualer Ausbildung", "Share with vocational training"),
}

LABELS = {
    "persons": ("Personen", "persons"),
    "persons_1000": ("1.000 Personen", "1,000 persons"),
    "horizon": ("Zieljahr", "Target year"),
    "year": ("Jahr", "Year"),
    "date": ("Stichtag", "Reference date"),
    "study": ("Studie", "Study"),
    "publisher": ("Herausgeber", "Publisher"),
    "published": ("Veröffentlicht", "Published"),
    "base_year": ("Basisjahr", "Base year"),
    "source": ("Quelle", "Source"),
    "measure": ("Größe", "Measure"),
    "value": ("Wert", "Value"),
    "value_low": ("Untergrenze", "Lower bound"),
    "value_high": ("Obergrenze", "Upper bound"),
    "unit": ("Einheit", "Unit"),
    "note": ("Hinweis", "Note"),
    "series": ("Reihe", "Series"),
    "region": ("Region", "Region"),
    "sector": ("Wirtschaftsabschnitt", "Economic section"),
    "index": ("Index (erstes Quartal = 100)", "Index (first quarter = 100)"),
    "range": ("Spanne früherer Studien (vor 2018, ohne Zieljahr)",
              "Range of earlier studies (before 2018, no target year)"),
    "range_axis": ("vor 2018,<br>ohne Zieljahr", "before 2018,<br>no target year"),
    "claim": ("Pressemitteilung 18.05.2016: {value} bis {year}", "Press release 18 May 2016: {value} by {year}"),
    "claim_trace": ("Aussage der Staatskanzlei (18.05.2016)", "State Chancellery claim (18 May 2016)"),
    "vintages_alt": ("{count} Prognosewerte aus {studies} Studien mit Zieljahr {first} bis {last}",
                     "{count} projected figures from {studies} studies with target years {first} to {last}"),
    "vintages_note_range": (
        "Die Spanne {low}–{high} früherer Studien ({source}) hat kein Zieljahr; sie steht deshalb links neben der "
        "Zeitachse.",
        "The range {low}–{high} of earlier studies ({source}) has no target year; it is therefore drawn left of the "
        "time axis."),
    "vintages_note_mixed": (
        "Die Größen messen Verschiedenes (Gesamtbedarf, Ersatzbedarf, Lücke, Ausscheidende …) und sind nicht "
        "direkt vergleichbar.",
        "The measures count different things (total demand, replacement, shortfall, retirements …) and are not "
        "directly comparable."),
    "vintages_empty": ("Keine Größe gewählt.", "No measure selected."),
    "vintages_what": ("Prognosen des Fachkräftebedarfs", "Projections of skilled-labour demand"),
    "split_total": ("Gesamtbedarf laut Studie", "Total demand according to the study"),
    "split_sum": ("Summe der Teile", "Sum of the parts"),
    "split_x": ("{study}, Zieljahr {year}", "{study}, target year {year}"),
    "split_note": (
        "{parts} = {total_parts}; als Gesamtbedarf wird {total} genannt (Wortlaut der Berichte: {wording}). "
        "Die Differenz von {diff} liegt in der Rundung der veröffentlichten Zahlen; beide Angaben werden gezeigt.",
        "{parts} = {total_parts}; the total is given as {total} (wording of the reports: {wording}). The "
        "difference of {diff} lies in the rounding of the published figures; both are shown."),
    "split_sources": ("Ersatz- und Erweiterungsbedarf stammen aus verschiedenen Berichten: {sources}.",
                      "Replacement and expansion demand come from different reports: {sources}."),
    "split_alt": ("Fachkräftebedarf bis {year} laut {study}: {parts}; Gesamtangabe {total} Personen.",
                  "Skilled-labour demand by {year} according to {study}: {parts}; stated total {total} persons."),
    "employed": ("Erwerbstätige", "Persons in employment"),
    "employed_note": (
        "Beide Reihen sind amtlich, aber mit verschiedenem Berechnungsstand; sie werden nebeneinander gezeigt, "
        "nicht verkettet. Größte Abweichung: {diff} (in 1.000) im Jahr {year}.",
        "Both series are official but computed at different times; they are shown side by side, not chained. "
        "Largest difference: {diff} (thousands) in {year}."),
    "svb_total": ("SV-Beschäftigte insgesamt", "Employees subject to social insurance, total"),
    "svb_foreign": ("darunter Ausländerinnen und Ausländer", "of which foreign nationals"),
    "svb_foreign_alt": ("Ausländische SV-Beschäftigte in Thüringen", "Foreign employees in Thuringia"),
    "svb_note_gap": ("Zwischen {a} und {b} liegen in den amtlichen Tabellen dieses Datensatzes keine Werte nach "
                     "Nationalität vor; die Linie ist dort unterbrochen.",
                     "The official tables in this dataset have no values by nationality between {a} and {b}; the "
                     "line is broken there."),
    "svb_note_share": ("Ausländeranteil: {first} ({first_date}) → {last} ({last_date}).",
                       "Share of foreign nationals: {first} ({first_date}) → {last} ({last_date})."),
    "press": ("Angabe laut {publisher}", "Figure according to {publisher}"),
    "laender_sum": ("Deutschland (Summe der 16 Länder)", "Germany (sum of the 16 Länder)"),
    "laender_note": ("Index: Wert am {first} = 100. Quartalsstichtage {first} bis {last}.",
                     "Index: value on {first} = 100. Quarter ends {first} to {last}."),
    "population": ("Bevölkerung", "Population"),
    "population_actual": ("Bevölkerung am 31.12. (Regionalstatistik 12411)", "Population on 31 Dec (12411)"),
    "population_2024": ("Bevölkerung am 31.12.2024 (Summe der 22 Kreise, 12411)",
                        "Population on 31 Dec 2024 (sum of 22 districts, 12411)"),
    "population_census": ("Zensus 2022 (Stichtag 15.05.2022)", "Census 2022 (15 May 2022)"),
    "population_projection": ("Vorausberechnung: {study}", "Projection: {study}"),
    "population_note": (
        "Vorausberechnungen sind als offene Symbole am 31.12. ihres Zieljahres eingezeichnet (Basisjahr im "
        "Tooltip). Der Zensus 2022 zählt anders als die Fortschreibung; der Sprung 2010→2011 ist der Bruch durch "
        "den Zensus 2011.",
        "Projections are drawn as open symbols on 31 Dec of their target year (base year in the tooltip). The "
        "2022 census counts differently from the running update; the step 2010→2011 is the 2011 census break."),
    "sectors_title": ("SV-Beschäftigte nach Wirtschaftsabschnitt, {region}, 30.06.2015",
                      "Employees by economic section, {region}, 30 June 2015"),
    "sectors_note": (
        "Nur überschneidungsfreie Abschnitte (ohne die Summen B–F und G–U und ohne C, das Teil von B–E ist). "
        "Summe der Abschnitte {sum} gegenüber insgesamt {total}.",
        "Only non-overlapping sections (without the totals B–F and G–U and without C, which is part of B–E). "
        "Sum of the sections {sum} against a total of {total}."),
    "total": ("insgesamt", "total"),
    "foreign": ("ausländisch", "foreign"),
}

#: WZ 2008 sections of table 13111-07-05-4 that do not overlap (aggregates and "C within B-E" left out).
SECTIONS_2015 = ["Land- und Forstwirtschaft, Fischerei (A)", "Produzierendes Gewerbe ohne Baugewerbe (B-E)",
                 "Baugewerbe (F)", "Handel, Gastgewerbe, Verkehr (G-I)", "Information und Kommunikation (J)",
                 "Erbringung von Finanz- und Vers.leistungen (K)", "Grundstücks- und Wohnungswesen (L)",
                 "Freiberufl,wissenschaftl. techn. Dienstl.,sonst.DL",
                 "Öff.Verw.,Verteidig.,Sozialvers.,Erz.-u.Unterricht",
                 "Kunst, Unterhaltung, Erholung, Priv. Haush.,usw."]
SECTORS_SOURCE = "regionalstatistik-13111-07-05-4"
SVB_CLASSIC_SOURCE = "regionalstatistik-13111-01-03-4"
SVB_2025_SOURCE = "destatis-13111-01-03-4-2025"
SVB_LAENDER_SOURCE = "destatis-13111-0005"
EMPLOYED_SOURCES = ["tls-erwerbstaetige-zr002007", "regionalstatistik-13312-01-04-4"]
POPULATION_SOURCE = "regionalstatistik-12411-01-01-4"
POPULATION_2024_SOURCE = "destatis-12411-01-01-4-2024"
CENSUS_SOURCE = "destatis-1000a-2022"
#: The statement the dashboard starts from; its marker is on every time axis of this page.
PRESS_RELEASE_ID = "2016-05-18-staatskanzlei-integrationskonzept"


def finish(figure: go.Figure, *, x: bool = True) -> go.Figure:
    """Group four-digit numbers too (plotly otherwise shows 1000 with the English comma); x=False for year axes."""
    if x:
        figure.update_xaxes(separatethousands=True)
    figure.update_yaxes(separatethousands=True)
    return figure


def _t(key: str, lang: str, **values) -> str:
    return translate(LABELS, key, lang, **values)


def measure_label(measure: str, lang: str) -> str:
    german, english = MEASURE_LABELS.get(measure, (measure, measure))
    return english if lang == "en" else german


def date_text(value, lang: str) -> str:
    """ISO '2016-05-18' → '18.05.2016', '2018-03' → '03/2018', '2018' stays; '' / NA → 'keine Angabe'."""
    text = "" if value is None or pd.isna(value) else str(value)
    if not text:
        return NO_VALUE["en" if lang == "en" else "de"]
    if lang == "en":
        return text
    if match := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
        return f"{match.group(3)}.{match.group(2)}.{match.group(1)}"
    if match := re.fullmatch(r"(\d{4})-(\d{2})", text):
        return f"{match.group(2)}/{match.group(1)}"
    return text


def dated_alt(iso_dates: pd.Series, values: pd.Series, *, what: str, unit: str, lang: str) -> str:
    """describe_series over ISO dates (so they sort), with the dates then written the German way."""
    text = describe_series(pd.Series(list(iso_dates)), pd.Series(list(values)), what=what, unit=unit, lang=lang)
    return re.sub(r"\d{4}-\d{2}-\d{2}", lambda match: date_text(match.group(0), lang), text)


def bar_alt(labels: list[str], values: pd.Series, *, what: str, unit: str, lang: str) -> str:
    """One sentence for a bar chart: the largest and the smallest bar (NA bars left out)."""
    data = pd.DataFrame({"label": labels, "value": pd.to_numeric(pd.Series(list(values)), errors="coerce")}).dropna()
    if data.empty:
        return f"{what}: " + ("no figures available." if lang == "en" else "keine Angabe.")
    high, low = data.loc[data["value"].idxmax()], data.loc[data["value"].idxmin()]
    if lang == "en":
        return (f"{what}: highest {number(high['value'], lang)} {unit} ({high['label']}), "
                f"lowest {number(low['value'], lang)} {unit} ({low['label']}).")
    return (f"{what}: Höchstwert {number(high['value'], lang)} {unit} ({high['label']}), "
            f"Tiefstwert {number(low['value'], lang)} {unit} ({low['label']}).")


def empty_result(*, lang: str, what: str, columns: list[str], datasets: list[str], x_title: str | None = None,
                 y_title: str | None = None, notes: list[str] | None = None) -> ChartResult:
    """The result of a builder whose series are missing (e.g. a published version without them): an empty figure
    saying "keine Angabe", an empty table with the builder's columns, an alt text saying so. Nothing invented."""
    figure = style.no_data(go.Figure(), lang)
    style.apply(figure, lang=lang, x_title=x_title, y_title=y_title)
    table = pd.DataFrame({column: pd.Series(dtype="object") for column in columns})
    return ChartResult(figure=finish(figure), table=table, alt=style.no_data_alt(what, lang), source_ids=[],
                       datasets=datasets, notes=notes or [])


def _year_text(value, lang: str) -> str:
    return NO_VALUE["en" if lang == "en" else "de"] if value is None or pd.isna(value) else str(int(value))


def _source_titles(frames: dict, source_ids) -> dict[str, str]:
    sources = frames["sources"].set_index("source_id")
    return {sid: (f"{sources.at[sid, 'publisher']}: {sources.at[sid, 'title']}" if sid in sources.index else sid)
            for sid in source_ids}


def _thuringia(indicators: pd.DataFrame, indicator_id: str, source_id: str) -> pd.DataFrame:
    rows = indicators[(indicators["indicator_id"] == indicator_id) & (indicators["source_id"] == source_id)
                      & (indicators["region_code"] == THURINGIA)]
    return rows[(rows["sex"] == "") & (rows["sector"] == "") & (rows["age_group"] == "") & (rows["breakdown"] == "")
                & (rows["status"] == "")]


def _markers(figure: go.Figure, frames: dict, *, first: str, last: str, x_is_year: bool = False,
             indicator_ids=(), measures=(), topics=()) -> list[str]:
    """Markers for the statements that claim these indicators/measures or carry these topics, plus the press
    release of 18 May 2016, dated within [first, last] (ISO); returns their ids."""
    statements = frames["policy_statements"]
    chosen = pd.concat([relevant_statements(statements, frames["claims"], indicator_ids=indicator_ids,
                                            measures=measures, topics=topics),
                        statements[statements["statement_id"] == PRESS_RELEASE_ID]])
    chosen = chosen.drop_duplicates("statement_id").sort_values(["date", "statement_id"])
    dates = chosen["date"].astype(str).str[:10]
    chosen = chosen[(dates != "") & (dates >= first) & (dates <= last)]
    add_statement_markers(figure, chosen, x_is_year=x_is_year)
    return list(chosen["statement_id"])


# --- options for the page's widgets -------------------------------------------------------------------------------

@uses("projections")
def measure_options(frames: dict) -> list[str]:
    """Projection measures in persons that have at least one figure, in the order of DEMAND_MEASURES."""
    present = set(frames["projections"]["measure"])
    return [m for m in DEMAND_MEASURES if m in present]


@uses("indicators")
def laender_options(frames: dict) -> dict[str, str]:
    """Comparison regions for the Länder chart: AGS → name (all Länder but Thuringia, plus Germany as a sum)."""
    rows = frames["indicators"]
    rows = rows[(rows["source_id"] == SVB_LAENDER_SOURCE) & (rows["region_code"] != THURINGIA)]
    names = rows.drop_duplicates("region_code").sort_values("region_code")
    return {"DG": "Deutschland", **dict(zip(names["region_code"], names["region_name"]))}


@uses("indicators")
def district_options(frames: dict) -> dict[str, str]:
    """Regions of the sector table (Thuringia first, then its districts): AGS → name."""
    rows = frames["indicators"]
    rows = rows[(rows["source_id"] == SECTORS_SOURCE) & rows["region_code"].str.startswith(THURINGIA)]
    names = rows.drop_duplicates("region_code").sort_values("region_code")
    return dict(zip(names["region_code"], names["region_name"]))


# --- 1. projection vintages --------------------------------------------------------------------------------------

@uses("projections", "sources")
def projection_vintages(frames: dict, *, lang: str, measures: list[str] | None = None) -> ChartResult:
    """Every published demand projection: x = target year, y = persons, one mark per study and measure."""
    projections = frames["projections"]
    chosen = [m for m in (measures if measures is not None else DEMAND_MEASURES) if m in DEMAND_MEASURES]
    rows = projections[projections["measure"].isin(chosen) & (projections["unit"] == "Personen")].copy()
    titles = _source_titles(frames, rows["source_id"].unique())
    rows["source_title"] = rows["source_id"].map(titles)
    points = rows[rows["horizon_year"].notna() & rows["value"].notna()].sort_values(["horizon_year", "measure"])
    ranges = rows[rows["value"].isna() & rows["value_low"].notna() & rows["value_high"].notna()]

    figure = go.Figure()
    hover = (f"<b>%{{customdata[0]}}</b><br>%{{y:,.0f}} {_t('persons', lang)} · {_t('horizon', lang)} %{{x}}<br>"
             f"{_t('publisher', lang)}: %{{customdata[1]}}<br>{_t('published', lang)}: %{{customdata[2]}}<br>"
             f"{_t('base_year', lang)}: %{{customdata[3]}}<br>{_t('source', lang)}: %{{customdata[4]}}"
             "<extra>%{fullData.name}</extra>")

    def customdata(frame: pd.DataFrame) -> list[list[str]]:
        return [[r.study, r.publisher, date_text(r.published, lang), _year_text(r.base_year, lang), r.source_title]
                for r in frame.itertuples()]

    for position, measure in enumerate(m for m in chosen if m in set(points["measure"])):
        part = points[points["measure"] == measure]
        figure.add_trace(go.Scatter(
            x=part["horizon_year"].astype(int).tolist(), y=part["value"].tolist(), mode="markers",
            name=measure_label(measure, lang), customdata=customdata(part), hovertemplate=hover,
            marker={"symbol": MEASURE_SYMBOLS[measure], "size": 12,
                    "color": style.PALETTE[position % (len(style.PALETTE) - 1)],
                    "line": {"width": 1, "color": "white"}}))
    claim = points[points["projection_id"] == PRESS_RELEASE_PROJECTION]
    if not claim.empty:
        row = claim.iloc[0]
        figure.add_trace(go.Scatter(
            x=[int(row["horizon_year"])], y=[row["value"]], mode="markers", name=_t("claim_trace", lang),
            customdata=customdata(claim), hovertemplate=hover,
            marker={"symbol": "circle-open", "size": 24, "line": {"width": 3, "color": style.HIGHLIGHT_COLOUR},
                    "color": style.HIGHLIGHT_COLOUR}))
        figure.add_annotation(x=int(row["horizon_year"]), y=row["value"], text=_t(
            "claim", lang, value=number(row["value"], lang), year=int(row["horizon_year"])),
            showarrow=True, arrowhead=2, ax=-60, ay=-40, font={"color": style.HIGHLIGHT_COLOUR},
            arrowcolor=style.HIGHLIGHT_COLOUR, name="highlight:" + PRESS_RELEASE_PROJECTION)
    notes = []
    if not ranges.empty:
        row = ranges.iloc[0]
        figure.add_trace(go.Bar(
            x=[_t("range_axis", lang)], y=[row["value_high"] - row["value_low"]], base=[row["value_low"]],
            xaxis="x2", name=_t("range", lang), width=[0.5], opacity=0.45,
            marker={"color": style.PALETTE[0], "line": {"color": style.PALETTE[0], "width": 2}},
            customdata=[[row["study"], row["publisher"], date_text(row["published"], lang), row["source_title"],
                         number(row["value_low"], lang), number(row["value_high"], lang)]],
            hovertemplate=(f"<b>%{{customdata[0]}}</b><br>%{{customdata[4]}}–%{{customdata[5]}} {_t('persons', lang)}"
                           f"<br>{_t('published', lang)}: %{{customdata[2]}}<br>{_t('source', lang)}: "
                           "%{customdata[3]}<extra></extra>")))
        figure.update_layout(xaxis={"domain": [0.2, 1]}, yaxis={"anchor": "free", "position": 0},
                             xaxis2={"domain": [0.06, 0.16], "type": "category", "anchor": "y", "showgrid": False})
        notes.append(_t("vintages_note_range", lang, low=number(row["value_low"], lang),
                        high=number(row["value_high"], lang), source=row["source_title"]))
    notes.append(_t("vintages_note_mixed", lang))
    if points.empty and ranges.empty:
        style.no_data(figure, lang)
    style.apply(figure, lang=lang, x_title=_t("horizon", lang), y_title=_t("persons", lang))
    figure.update_xaxes(selector={"anchor": "y"}, tickformat="d")
    figure.update_layout(xaxis2={"tickformat": None, "title": None})

    shown = pd.concat([points, ranges]).sort_values(["horizon_year", "measure"], na_position="first")
    table = pd.DataFrame({
        _t("horizon", lang): shown["horizon_year"].map(lambda v: _year_text(v, lang)),
        _t("measure", lang): shown["measure"].map(lambda m: measure_label(m, lang)),
        _t("value", lang): shown["value"], _t("value_low", lang): shown["value_low"],
        _t("value_high", lang): shown["value_high"], _t("unit", lang): shown["unit"],
        _t("study", lang): shown["study"], _t("publisher", lang): shown["publisher"],
        _t("published", lang): shown["published"].map(lambda v: date_text(v, lang)),
        _t("base_year", lang): shown["base_year"].map(lambda v: _year_text(v, lang)),
        _t("source", lang): shown["source_title"], _t("note", lang): shown["note"]}).reset_index(drop=True)
    alt = bar_alt([f"{measure_label(r.measure, lang)}, {r.horizon_year}, {r.study}" for r in points.itertuples()],
                  points["value"], what=_t("vintages_alt", lang, count=len(points), studies=points["study"].nunique(),
                                           first=_year_text(points["horizon_year"].min(), lang),
                                           last=_year_text(points["horizon_year"].max(), lang)),
                  unit=_t("persons", lang), lang=lang) if not points.empty else (
        _t("vintages_empty", lang) if not chosen else style.no_data_alt(_t("vintages_what", lang), lang))
    return ChartResult(figure=finish(figure, x=False), table=table, alt=alt,
                       source_ids=sorted(shown["source_id"].unique()),
                       datasets=["projections"], notes=notes if not shown.empty else [_t("vintages_empty", lang)])


# --- 2. the 2030 split -------------------------------------------------------------------------------------------

@uses("projections", "sources")
def demand_split(frames: dict, *, lang: str, horizon_year: int = 2030) -> ChartResult:
    """Replacement + expansion demand stacked, next to the study's stated total (rounding shown, not hidden)."""
    projections = frames["projections"]
    rows = projections[(projections["horizon_year"] == horizon_year)
                       & projections["measure"].isin(["total_demand", "replacement_demand", "expansion_demand"])]
    totals = rows[rows["measure"] == "total_demand"]
    columns = [_t(key, lang) for key in ("measure", "value", "unit", "horizon", "study", "publisher", "source", "note")]
    if totals.empty:
        # NOTE: without the stated total there is nothing to compare the parts with; the parts stay in the vintages.
        return empty_result(lang=lang, what=_t("split_total", lang) + f" {horizon_year}", columns=columns,
                            datasets=["projections"], y_title=_t("persons", lang))
    total = totals.iloc[0]
    parts = rows[rows["measure"].isin(["replacement_demand", "expansion_demand"]) & (rows["study"] == total["study"])]
    parts = parts.drop_duplicates("measure").set_index("measure")
    parts = parts.loc[[m for m in ("replacement_demand", "expansion_demand") if m in parts.index]].reset_index()
    x_label = _t("split_x", lang, study=total["study"], year=horizon_year)
    titles = _source_titles(frames, sorted(set(parts["source_id"]) | {total["source_id"]}))

    figure = go.Figure()
    for position, part in enumerate(parts.itertuples()):
        figure.add_trace(go.Bar(
            x=[_t("split_sum", lang)], y=[part.value], name=measure_label(part.measure, lang),
            marker={"color": style.PALETTE[position]}, text=[number(part.value, lang)], textposition="inside",
            customdata=[[titles[part.source_id], part.publisher]],
            hovertemplate=f"%{{y:,.0f}} {_t('persons', lang)}<br>%{{customdata[1]}}<br>"
                          f"{_t('source', lang)}: %{{customdata[0]}}<extra>%{{fullData.name}}</extra>"))
    figure.add_trace(go.Bar(
        x=[_t("split_total", lang)], y=[total["value"]], name=_t("split_total", lang),
        marker={"color": style.PALETTE[7]}, text=[number(total["value"], lang)], textposition="inside",
        customdata=[[titles[total["source_id"]], total["publisher"]]],
        hovertemplate=f"%{{y:,.0f}} {_t('persons', lang)}<br>%{{customdata[1]}}<br>"
                      f"{_t('source', lang)}: %{{customdata[0]}}<extra>%{{fullData.name}}</extra>"))
    figure.update_layout(barmode="stack")
    style.apply(figure, lang=lang, x_title=x_label, y_title=_t("persons", lang))

    notes = []
    if len(parts) == 2:
        parts_sum = float(parts["value"].sum())
        wording = "; ".join(part.strip() for part in str(total["note"]).split(";")[1:]) or str(total["note"])
        notes.append(_t("split_note", lang, parts=" + ".join(number(v, lang) for v in parts["value"]),
                        total_parts=number(parts_sum, lang), total=number(total["value"], lang), wording=wording,
                        diff=number(abs(parts_sum - total["value"]), lang)))
    if parts["source_id"].nunique() > 1:
        notes.append(_t("split_sources", lang, sources="; ".join(
            f"{measure_label(p.measure, lang)}: {titles[p.source_id]}" for p in parts.itertuples())))
    shown = pd.concat([parts, total.to_frame().T])
    table = pd.DataFrame(dict(zip(columns, [
        shown["measure"].map(lambda m: measure_label(m, lang)), shown["value"].astype(float), shown["unit"],
        horizon_year, shown["study"], shown["publisher"], shown["source_id"].map(titles),
        shown["note"]]))).reset_index(drop=True)
    alt = _t("split_alt", lang, year=horizon_year, study=total["study"], total=number(total["value"], lang),
             parts=", ".join(f"{measure_label(p.measure, lang)} {number(p.value, lang)}" for p in parts.itertuples()))
    return ChartResult(figure=finish(figure), table=table, alt=alt, source_ids=sorted(titles), datasets=["projections"],
                       notes=notes)


# --- 3. employment -----------------------------------------------------------------------------------------------

def _berechnungsstand(frames: dict, source_id: str, rows: pd.DataFrame) -> str:
    """'Berechnungsstand August 2025' as stated in the rows' note or the source's note ('' if not stated)."""
    sources = frames["sources"].set_index("source_id")
    text = " ".join(rows["note"].unique()) + " " + (sources.at[source_id, "note"] if source_id in sources.index else "")
    match = re.search(r"Berechnungsstand \w+ \d{4}", text)
    return match.group(0) if match else ""


@uses("indicators", "sources", "policy_statements", "claims")
def employment_over_time(frames: dict, *, lang: str, markers: bool = True) -> ChartResult:
    """Persons in employment in Thuringia: the TLS series 1991–2020 and the older Regionalstatistik 13312 series."""
    indicators = frames["indicators"]
    titles = _source_titles(frames, EMPLOYED_SOURCES)
    figure, tables, drawn = go.Figure(), [], []
    for position, source_id in enumerate(EMPLOYED_SOURCES):
        rows = _thuringia(indicators, "employed_persons", source_id).sort_values("period")
        if rows.empty:
            continue
        drawn.append(source_id)
        stand = _berechnungsstand(frames, source_id, rows)
        publisher = titles[source_id].split(":")[0]
        name = f"{publisher}" + (f" ({stand})" if stand else "")
        figure.add_trace(go.Scatter(
            x=rows["period"].astype(int).tolist(), y=rows["value"].tolist(), mode="lines+markers", name=name,
            line={"color": style.PALETTE[position], "dash": "solid" if position == 0 else "dot"},
            hovertemplate=f"%{{x}}: %{{y:,.1f}} {_t('persons_1000', lang)}<extra>{name}</extra>"))
        tables.append(pd.DataFrame({_t("year", lang): rows["period"].astype(int), _t("value", lang): rows["value"],
                                    _t("unit", lang): _t("persons_1000", lang), _t("series", lang): name,
                                    _t("source", lang): titles[source_id]}))
    if not tables:
        return empty_result(lang=lang, what=_t("employed", lang), datasets=["indicators"], x_title=_t("year", lang),
                            y_title=_t("persons_1000", lang),
                            columns=[_t(key, lang) for key in ("year", "value", "unit", "series", "source")])
    style.apply(figure, lang=lang, x_title=_t("year", lang), y_title=_t("persons_1000", lang))
    table = pd.concat(tables, ignore_index=True)
    years = table[_t("year", lang)]
    if markers:
        _markers(figure, frames, first=str(years.min()), last=f"{years.max()}-12-31", x_is_year=True,
                 indicator_ids=["employed_persons", "employees_svb"])
    both = table.pivot_table(index=_t("year", lang), columns=_t("series", lang), values=_t("value", lang)).dropna()
    notes = []
    if both.shape[1] == 2 and not both.empty:
        diff = (both.iloc[:, 0] - both.iloc[:, 1]).abs()
        notes.append(_t("employed_note", lang, diff=number(round(diff.max(), 1), lang), year=diff.idxmax()))
    first = table[table[_t("series", lang)] == table[_t("series", lang)].iloc[0]]
    alt = describe_series(first[_t("year", lang)], first[_t("value", lang)],
                          what=f"{_t('employed', lang)} ({first[_t('series', lang)].iloc[0]})",
                          unit=_t("persons_1000", lang), lang=lang)
    return ChartResult(figure=finish(figure, x=False), table=table, alt=alt, source_ids=drawn,
                       datasets=["indicators"], notes=notes)


@uses("indicators", "sources", "policy_statements", "claims")
def employees_total_and_foreign(frames: dict, *, lang: str, markers: bool = True) -> ChartResult:
    """SV employees in Thuringia, total (top) and foreign (bottom), each official table as its own segment;
    transcribed press figures as separate points."""
    indicators = frames["indicators"]
    rows = indicators[(indicators["indicator_id"] == "employees_svb") & (indicators["region_code"] == THURINGIA)
                      & (indicators["sex"] == "") & (indicators["sector"] == "")
                      & indicators["nationality"].isin(["", "ausländisch"])]
    official = rows[rows["source_id"].isin([SVB_CLASSIC_SOURCE, SVB_2025_SOURCE])]
    press = rows[~rows["source_id"].isin([SVB_CLASSIC_SOURCE, SVB_2025_SOURCE, SVB_LAENDER_SOURCE, SECTORS_SOURCE])]
    titles = _source_titles(frames, sorted(set(official["source_id"]) | set(press["source_id"])))
    figure = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.14,
                           subplot_titles=[_t("svb_total", lang), _t("svb_foreign", lang)])
    tables = []
    for row_number, (nationality, key) in enumerate([("", "svb_total"), ("ausländisch", "svb_foreign")], start=1):
        for position, source_id in enumerate([SVB_CLASSIC_SOURCE, SVB_2025_SOURCE]):
            part = official[(official["nationality"] == nationality) & (official["source_id"] == source_id)]
            part = part.sort_values("period")
            if part.empty:
                continue
            span = f"{date_text(part['period'].min(), lang)}–{date_text(part['period'].max(), lang)}"
            name = f"{_t(key, lang)} ({span})" \
                if len(part) > 1 else f"{_t(key, lang)} ({date_text(part['period'].iloc[0], lang)})"
            figure.add_trace(go.Scatter(
                x=part["period"].tolist(), y=part["value"].tolist(), mode="lines+markers", name=name,
                line={"color": style.PALETTE[row_number - 1]}, marker={"size": 9},
                customdata=[[titles[source_id]]] * len(part),
                hovertemplate=f"%{{x|%d.%m.%Y}}: %{{y:,.0f}} {_t('persons', lang)}<br>%{{customdata[0]}}"
                              "<extra></extra>"), row=row_number, col=1)
            tables.append(part.assign(series=_t(key, lang)))
        for source_id, part in press[press["nationality"] == nationality].groupby("source_id"):
            publisher = titles[source_id].split(":")[0]
            name = f"{_t(key, lang)} – {_t('press', lang, publisher=publisher)}"
            figure.add_trace(go.Scatter(
                x=[f"{p}-15" if len(p) == 7 else p for p in part["period"]], y=part["value"].tolist(),
                mode="markers", name=name, marker={"symbol": "diamond-open", "size": 11,
                                                   "color": style.PALETTE[row_number - 1]},
                customdata=[[titles[source_id], date_text(p, lang), n] for p, n in zip(part["period"], part["note"])],
                hovertemplate=f"%{{customdata[1]}}: %{{y:,.0f}} {_t('persons', lang)}<br>%{{customdata[0]}}<br>"
                              "%{customdata[2]}<extra></extra>"), row=row_number, col=1)
            tables.append(part.assign(series=name))
    if not tables:
        return empty_result(lang=lang, what=_t("svb_foreign_alt", lang), datasets=["indicators"],
                            x_title=_t("date", lang), y_title=_t("persons", lang),
                            columns=[_t(key, lang) for key in ("date", "series", "value", "unit", "source", "note")])
    figure.update_layout(height=620)
    style.apply(figure, lang=lang)
    figure.update_yaxes(title_text=_t("persons", lang), tickformat=",~r")
    figure.update_xaxes(title_text=_t("date", lang), row=2, col=1)
    style.date_axis(figure, lang)
    shown = pd.concat(tables, ignore_index=True)
    if markers:
        _markers(figure, frames, first=shown["period"].min(), last=shown["period"].max(),
                 indicator_ids=["employees_svb", "employed_persons"])
    table = pd.DataFrame({_t("date", lang): shown["period"].map(lambda v: date_text(v, lang)),
                          _t("series", lang): shown["series"], _t("value", lang): shown["value"],
                          _t("unit", lang): _t("persons", lang), _t("source", lang): shown["source_id"].map(titles),
                          _t("note", lang): shown["note"]})
    notes = []
    classic = official[official["source_id"] == SVB_CLASSIC_SOURCE]["period"]
    latest = official[official["source_id"] == SVB_2025_SOURCE]["period"]
    if not classic.empty and not latest.empty:
        notes.append(_t("svb_note_gap", lang, a=date_text(classic.max(), lang), b=date_text(latest.min(), lang)))
        wide = official.pivot_table(index="period", columns="nationality", values="value").dropna()
        if not wide.empty:
            share = wide["ausländisch"] / wide[""] * 100
            notes.append(_t("svb_note_share", lang, first=f"{number(round(share.iloc[0], 1), lang)} %",
                            first_date=date_text(share.index[0], lang),
                            last=f"{number(round(share.iloc[-1], 1), lang)} %",
                            last_date=date_text(share.index[-1], lang)))
    foreign = official[official["nationality"] == "ausländisch"].sort_values("period")
    alt = dated_alt(foreign["period"], foreign["value"], what=_t("svb_foreign_alt", lang),
                    unit=_t("persons", lang), lang=lang)
    return ChartResult(figure=finish(figure), table=table, alt=alt, source_ids=sorted(titles), datasets=["indicators"],
                       notes=notes)


@uses("indicators", "sources", "policy_statements", "claims")
def laender_indexed(frames: dict, *, lang: str, laender: list[str] | None = None, markers: bool = True) -> ChartResult:
    """SV employees by Land, quarterly, indexed to the first quarter = 100: Thuringia and the chosen regions
    ('DG' = Germany as the sum of the 16 Länder)."""
    indicators = frames["indicators"]
    rows = indicators[(indicators["indicator_id"] == "employees_svb") & (indicators["source_id"] == SVB_LAENDER_SOURCE)
                      & (indicators["sex"] == "") & (indicators["nationality"] == "")]
    wide = rows.pivot_table(index="period", columns="region_code", values="value", aggfunc="first").sort_index()
    if THURINGIA not in wide.columns or wide[THURINGIA].dropna().empty:
        # NOTE: the index needs Thuringia's first quarter; without it nothing can be indexed.
        return empty_result(lang=lang, what=_t("index", lang), datasets=["indicators"], x_title=_t("date", lang),
                            y_title=_t("index", lang),
                            columns=[_t(key, lang) for key in ("date", "region", "index", "value", "unit")])
    wide = wide.loc[wide[THURINGIA].first_valid_index():]
    names = dict(zip(rows["region_code"], rows["region_name"]))
    if "DG" in (laender or []):
        # NOTE: the table has the 16 Länder only; Germany is their sum, left empty where a Land is missing.
        wide["DG"] = wide.sum(axis=1, min_count=len(wide.columns))
        names["DG"] = _t("laender_sum", lang)
    codes = [THURINGIA] + [c for c in (laender or []) if c != THURINGIA and c in wide.columns]
    index = wide[codes].div(wide[codes].iloc[0]).mul(100)
    figure = go.Figure()
    for position, code in enumerate(codes):
        highlight = code == THURINGIA
        figure.add_trace(go.Scatter(
            x=index.index.tolist(), y=index[code].round(2).tolist(), mode="lines+markers", name=names[code],
            line={"width": 4 if highlight else 2, "color": style.PALETTE[position % (len(style.PALETTE) - 1)]},
            customdata=wide[code].tolist(),
            hovertemplate=f"%{{x|%d.%m.%Y}}: %{{y:,.1f}} · %{{customdata:,.0f}} {_t('persons', lang)}"
                          f"<extra>{names[code]}</extra>"))
    style.apply(figure, lang=lang, x_title=_t("date", lang), y_title=_t("index", lang))
    style.date_axis(figure, lang)
    figure.update_yaxes(tickformat=",.1f")
    first, last = index.index[0], index.index[-1]
    if markers:
        _markers(figure, frames, first=first, last=last, indicator_ids=["employees_svb", "employed_persons"])
    long = index.reset_index().melt(id_vars="period", var_name="code", value_name="index")
    absolute = wide[codes].reset_index().melt(id_vars="period", var_name="code", value_name="value")
    long = long.merge(absolute, on=["period", "code"])
    table = pd.DataFrame({_t("date", lang): long["period"].map(lambda v: date_text(v, lang)),
                          _t("region", lang): long["code"].map(names), _t("index", lang): long["index"].round(2),
                          _t("value", lang): long["value"], _t("unit", lang): _t("persons", lang)})
    alt = dated_alt(pd.Series(index.index), index[THURINGIA].round(1), what=f"{names[THURINGIA]}: {_t('index', lang)}",
                    unit="", lang=lang)
    notes = [_t("laender_note", lang, first=date_text(first, lang), last=date_text(last, lang))]
    return ChartResult(figure=finish(figure), table=table, alt=alt, source_ids=[SVB_LAENDER_SOURCE],
                       datasets=["indicators"],
                       notes=notes)


# --- 4. population -----------------------------------------------------------------------------------------------

@uses("indicators", "projections", "sources", "policy_statements", "claims")
def population_and_projections(frames: dict, *, lang: str, markers: bool = True) -> ChartResult:
    """Observed population of Thuringia (12411, 31.12.), the 2022 census, figures from press pages, and every
    population projection as a separate open mark at its target year."""
    indicators, projections = frames["indicators"], frames["projections"]
    figure, tables = go.Figure(), []
    source_ids: set[str] = set()

    def add(x, y, *, name, source_id, kind, symbol="circle", mode="lines+markers", colour=style.PALETTE[0],
            extra=None):
        titles = _source_titles(frames, [source_id])
        figure.add_trace(go.Scatter(
            x=list(x), y=list(y), mode=mode, name=name, marker={"symbol": symbol, "size": 10, "color": colour},
            line={"color": colour},
            customdata=[[titles[source_id], e or ""] for e in (extra or [""] * len(list(y)))],
            hovertemplate=f"%{{x|%d.%m.%Y}}: %{{y:,.0f}} {_t('persons', lang)}<br>%{{customdata[1]}}"
                          "<br>%{customdata[0]}<extra>" + name + "</extra>"))
        tables.append(pd.DataFrame({"date": list(x), "value": list(y), "series": name, "kind": kind,
                                    "source": titles[source_id]}))
        source_ids.add(source_id)

    actual = _thuringia(indicators, "population", POPULATION_SOURCE).sort_values("period")
    add(actual["period"], actual["value"], name=_t("population_actual", lang), source_id=POPULATION_SOURCE,
        kind="actual")
    latest = indicators[(indicators["indicator_id"] == "population")
                        & (indicators["source_id"] == POPULATION_2024_SOURCE)
                        & (indicators["sex"] == "") & indicators["region_code"].str.startswith(THURINGIA)]
    if not latest.empty:
        total = latest.groupby("period")["value"].sum(min_count=1)
        add(total.index, total.values, name=_t("population_2024", lang), source_id=POPULATION_2024_SOURCE,
            kind="actual", mode="markers")
    census = _thuringia(indicators, "population_census", CENSUS_SOURCE)
    if not census.empty:
        add(census["period"], census["value"], name=_t("population_census", lang), source_id=CENSUS_SOURCE,
            kind="census", symbol="square", mode="markers", colour=style.PALETTE[2])
    press = indicators[(indicators["indicator_id"] == "population") & (indicators["region_code"] == THURINGIA)
                       & (indicators["sex"] == "") & ~indicators["source_id"].isin([POPULATION_SOURCE])]
    for source_id, part in press.groupby("source_id"):
        publisher = _source_titles(frames, [source_id])[source_id].split(":")[0]
        add(part["period"], part["value"], name=_t("press", lang, publisher=publisher), source_id=source_id,
            kind="press", symbol="diamond-open", mode="markers", colour=style.PALETTE[5], extra=list(part["note"]))
    vintages = projections[projections["measure"] == "population"].sort_values("horizon_year")
    for position, row in enumerate(vintages.itertuples()):
        extra = f"{_t('horizon', lang)} {row.horizon_year} · " \
                f"{_t('base_year', lang)} {_year_text(row.base_year, lang)}" \
                f" · {_t('published', lang)} {date_text(row.published, lang)}"
        add([f"{row.horizon_year}-12-31"], [row.value], name=_t("population_projection", lang, study=row.study),
            source_id=row.source_id, kind="projection", symbol=["circle-open", "square-open", "triangle-up-open",
                                                                  "diamond-open"][position % 4],
            mode="markers", colour=style.PALETTE[1 + (position % 3) * 2], extra=[extra])
    style.apply(figure, lang=lang, x_title=_t("date", lang), y_title=_t("persons", lang))
    style.date_axis(figure, lang)
    shown = pd.concat(tables, ignore_index=True)
    if shown["value"].dropna().empty:
        style.no_data(figure, lang)
    elif markers:
        _markers(figure, frames, first=shown["date"].min(), last=shown["date"].max(), indicator_ids=["population"],
                 measures=["population"], topics=("bevoelkerung",))
    table = pd.DataFrame({_t("date", lang): shown["date"].map(lambda v: date_text(v, lang)),
                          _t("series", lang): shown["series"], _t("value", lang): shown["value"],
                          _t("unit", lang): _t("persons", lang), _t("source", lang): shown["source"]})
    alt = describe_series(actual["period"].str[:4], actual["value"], what=_t("population_actual", lang),
                          unit=_t("persons", lang), lang=lang)
    return ChartResult(figure=finish(figure), table=table, alt=alt, source_ids=sorted(source_ids),
                       datasets=["indicators", "projections"], notes=[_t("population_note", lang)])


# --- 5. sectors by district --------------------------------------------------------------------------------------

@uses("indicators", "sources")
def sectors_by_district(frames: dict, *, lang: str, district: str = THURINGIA) -> ChartResult:
    """SV employees on 30.06.2015 by WZ 2008 section (non-overlapping), total and foreign, for one region."""
    indicators = frames["indicators"]
    rows = indicators[(indicators["source_id"] == SECTORS_SOURCE) & (indicators["region_code"] == district)
                      & (indicators["sex"] == "")]
    region = rows["region_name"].iloc[0] if not rows.empty else district
    sections = rows[rows["sector"].isin(SECTIONS_2015)]
    if sections["value"].dropna().empty:
        return empty_result(lang=lang, what=_t("sectors_title", lang, region=region), datasets=["indicators"],
                            x_title=_t("persons", lang), y_title=_t("sector", lang),
                            columns=[_t(key, lang) for key in ("region", "sector", "total", "foreign", "unit", "date")])
    wide = sections.pivot_table(index="sector", columns="nationality", values="value", aggfunc="first")
    wide = wide.reindex(SECTIONS_2015)
    figure = go.Figure()
    for position, (nationality, key) in enumerate([("", "total"), ("ausländisch", "foreign")]):
        values = wide[nationality] if nationality in wide.columns else pd.Series(index=wide.index, dtype=float)
        figure.add_trace(go.Bar(
            y=wide.index.tolist(), x=values.tolist(), orientation="h", name=_t(key, lang),
            marker={"color": style.PALETTE[position]},
            hovertemplate=f"%{{y}}: %{{x:,.0f}} {_t('persons', lang)}<extra>{_t(key, lang)}</extra>"))
    figure.update_layout(barmode="group", height=560)
    style.apply(figure, lang=lang, x_title=_t("persons", lang), y_title=_t("sector", lang))
    figure.update_xaxes(tickformat=",~r")
    figure.update_yaxes(tickformat=None, autorange="reversed")
    total = rows[(rows["sector"] == "") & (rows["nationality"] == "")]["value"]
    notes = [_t("sectors_note", lang, sum=number(wide[""].sum() if "" in wide.columns else None, lang),
                total=number(total.iloc[0] if not total.empty else None, lang))]
    table = pd.DataFrame({_t("region", lang): region, _t("sector", lang): wide.index,
                          _t("total", lang): wide.get("", pd.Series(index=wide.index, dtype=float)).to_numpy(),
                          _t("foreign", lang): wide.get("ausländisch",
                                                        pd.Series(index=wide.index, dtype=float)).to_numpy(),
                          _t("unit", lang): _t("persons", lang), _t("date", lang): date_text("2015-06-30", lang)})
    empty = pd.Series(index=wide.index, dtype=float)
    described, key = (wide[""], "total") if wide.get("", empty).notna().any() else (wide.get("ausländisch", empty),
                                                                                     "foreign")
    alt = bar_alt(list(wide.index), described, what=f"{_t('sectors_title', lang, region=region)} ({_t(key, lang)})",
                  unit=_t("persons", lang), lang=lang)
    return ChartResult(figure=finish(figure), table=table, alt=alt, source_ids=[SECTORS_SOURCE],
                       datasets=["indicators"],
                       notes=notes)
