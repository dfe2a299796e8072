"""Figures and lists of the page "Aussagen": every statement, and under each claim the chart that tests it."""
from __future__ import annotations

import html
import re

import pandas as pd
import plotly.graph_objects as go

from charts import style
from charts.alt_text import describe_series
from charts.base import ChartResult, uses
from charts.format import is_missing, number
from charts.markers import add_statement_markers
from charts.overview import TOPIC_LABELS, TOPIC_ORDER
from charts.verdicts import (
    MEASURE_LABELS, PILOT_FIGURE_LABELS, PILOT_FIGURES, STATUS_COLOURS, claim_rows, escape_markdown, label,
    period_bounds, period_class, period_label, period_midpoint, verdict_for)
from datasets.indicators import definitions

ORDERS = ["newest", "oldest"]
#: Years of data shown either side of the claimed period.
WINDOW_YEARS = 8
CLAIM_SHAPE_PREFIX = "claim:"
#: The mark of a claimed value.
STAR = {"symbol": "star", "size": 17, "color": style.HIGHLIGHT_COLOUR, "line": {"width": 1, "color": "#000000"}}

LABELS = {
    "date": ("Datum", "Date"), "institution": ("Institution", "Institution"), "speaker": ("Person", "Speaker"),
    "title": ("Titel", "Title"), "quote": ("Zitat", "Quote"), "topics": ("Themen", "Topics"),
    "claims": ("Behauptungen", "Claims"), "link": ("Quelle", "Source"),
    "period": ("Zeitraum", "Period"), "value": ("Wert", "Value"), "unit": ("Einheit", "Unit"),
    "source": ("Quelle", "Source"), "note": ("Hinweis", "Note"), "horizon": ("Zieljahr", "Target year"),
    "study": ("Studie", "Study"), "published": ("Veröffentlicht", "Published"), "figure": ("Kennzahl", "Figure"),
    "claim_source": ("Aussage", "Statement"),
    "claimed_value": ("Aussage: {value}", "Claim: {value}"),
    "claimed_period": ("Zeitraum der Aussage", "Period of the claim"),
    "claimed_direction": ("Aussage: {direction}", "Claim: {direction}"),
    "projections": ("Prognosen", "Projections"),
    "undated": ("ohne Datum", "undated"),
    "range": ("Spanne: {study}", "Range: {study}"),
    "indicator_title": ("{title}, {region}", "{title}, {region}"),
    "projection_title": ("Prognosen: {measure} nach Zieljahr", "Projections: {measure} by target year"),
    "pilot_title": ("{name}: Kennzahlen", "{name}: figures"),
    "projection_alt": ("{count} Prognosen zu {measure} mit Zieljahr {first} bis {last}; behauptet: {claimed}.",
                       "{count} projections of {measure} with target years {first} to {last}; claimed: {claimed}."),
    "pilot_alt": ("{name}: {figures}.", "{name}: {figures}."),
    "not_available": ("keine Angabe", "not available"),
    "missing_figures": ("Keine Angabe: {items}", "Not available: {items}"),
    "partial": ("Teiljahr oder Monatswert: Zeitraum steht in der Tabelle.",
                "Partial year or monthly figure: the period is given in the table."),
}
DIRECTIONS = {"sinkend": ("sinkend", "falling"), "steigend": ("steigend", "rising")}
UNITS = {
    "Personen": ("Personen", "persons"), "Anträge": ("Anträge", "applications"),
    "Entscheidungen": ("Entscheidungen", "decisions"), "%": ("%", "%"),
    "1000 Personen": ("1.000 Personen", "1,000 persons"),
    "Mio. EUR": ("Mio. EUR", "EUR million"), "je 1000 Einwohner": ("je 1.000 Einwohner", "per 1,000 inhabitants"),
    "Berufsgruppen": ("Berufsgruppen", "occupational groups"), "Gemeinden": ("Gemeinden", "municipalities"),
    "Euro je Einwohner und Monat": ("Euro je Einwohner und Monat", "euros per inhabitant and month"),
}


def tr(key: str, lang: str, **values) -> str:
    return label(LABELS[key], lang).format(**values)


def unit_label(unit: str, lang: str) -> str:
    return label(UNITS.get(unit, (unit, unit)), lang)


def topic_label(topic: str, lang: str) -> str:
    return label(TOPIC_LABELS.get(topic, (topic, topic)), lang)


# ---------------------------------------------------------------------------------------------------------------
# The list of statements

def _chosen(statements: pd.DataFrame, order: str, topics) -> pd.DataFrame:
    if topics:
        wanted = set(topics)
        statements = statements[statements["topics"].str.split(";").map(lambda ts: bool(set(ts) & wanted))]
    return statements.sort_values(["date", "statement_id"], ascending=order != "newest", kind="stable")


@uses("policy_statements")
def topic_options(frames: dict[str, pd.DataFrame]) -> list[str]:
    present = {t for ts in frames["policy_statements"]["topics"] for t in str(ts).split(";") if t}
    return [t for t in TOPIC_ORDER if t in present] + sorted(present - set(TOPIC_ORDER))


@uses("policy_statements")
def statement_ids(frames: dict[str, pd.DataFrame], *, order: str = "newest", topics: list[str] | None = None
                  ) -> list[str]:
    """Statement ids in the chosen order, filtered by topic (the options of the statement selectbox)."""
    return _chosen(frames["policy_statements"], order, topics)["statement_id"].tolist()


@uses("policy_statements", "claims")
def statement_list(frames: dict[str, pd.DataFrame], *, lang: str = "de", order: str = "newest",
                   topics: list[str] | None = None, quotes: bool = True) -> pd.DataFrame:
    """One row per statement (date, institution, speaker, title, quote, topics, number of claims, link);
    without the quote when `quotes` is false (the page's list: the selected statement shows its quote)."""
    chosen = _chosen(frames["policy_statements"], order, topics)
    counts = frames["claims"]["statement_id"].value_counts()
    frame = pd.DataFrame({
        tr("date", lang): chosen["date"].map(lambda d: period_label(d, lang)),
        tr("institution", lang): chosen["institution"],
        tr("speaker", lang): chosen["speaker"],
        tr("title", lang): chosen["title"],
        tr("quote", lang): chosen["quote"],
        tr("topics", lang): chosen["topics"].map(lambda ts: ", ".join(topic_label(t, lang) for t in ts.split(";"))),
        tr("claims", lang): chosen["statement_id"].map(counts).fillna(0).astype(int),
        tr("link", lang): chosen["source_url"],
    }).reset_index(drop=True)
    return frame if quotes else frame.drop(columns=[tr("quote", lang)])


# ---------------------------------------------------------------------------------------------------------------
# One statement with its claims

def chart_kind(claim, frames: dict[str, pd.DataFrame]) -> str:
    """'indicator', 'projection', 'pilot' or '' (no data to chart: the page says so)."""
    if claim["measure"]:
        return "projection" if (frames["projections"]["measure"] == claim["measure"]).any() else ""
    if claim["indicator_id"] and claim_rows(frames["indicators"], claim)["value"].notna().any():
        return "indicator"
    if claim["pilot_id"]:
        pilot = frames["recruitment_pilots"]
        pilot = pilot[pilot["pilot_id"] == claim["pilot_id"]]
        if len(pilot) and any(not pd.isna(pilot.iloc[0][f]) for f in PILOT_FIGURES):
            return "pilot"
    return ""


def _chart_title(claim, frames, kind: str, lang: str) -> str:
    if kind == "indicator":
        rows = claim_rows(frames["indicators"], claim)
        return tr("indicator_title", lang, title=_indicator_title(claim["indicator_id"], lang),
                  region=rows["region_name"].iloc[0] if len(rows) else claim["region_code"])
    if kind == "projection":
        return tr("projection_title", lang, measure=label(MEASURE_LABELS.get(claim["measure"], (claim["measure"],) * 2),
                                                           lang))
    if kind == "pilot":
        pilots = frames["recruitment_pilots"]
        return tr("pilot_title", lang, name=pilots.loc[pilots["pilot_id"] == claim["pilot_id"], "name"].iloc[0])
    return ""


@uses("indicators", "projections", "recruitment_pilots", "policy_statements", "claims", "sources")
def statement_detail(frames: dict[str, pd.DataFrame], *, lang: str = "de", statement_id: str = "") -> dict | None:
    """A statement (text fields markdown-escaped) and its claims, each with verdict and chart kind."""
    statements = frames["policy_statements"]
    match = statements[statements["statement_id"] == statement_id]
    if match.empty:
        return None
    row = match.iloc[0]
    claims = frames["claims"][frames["claims"]["statement_id"] == statement_id]
    items = []
    for _, claim in claims.iterrows():
        verdict = verdict_for(claim, frames, lang)
        kind = chart_kind(claim, frames)
        items.append({"claim_id": claim["claim_id"], "text": escape_markdown(claim["text"]),
                      "verdict": escape_markdown(verdict.text), "status": verdict.status, "code": verdict.code,
                      "colour": STATUS_COLOURS[verdict.code],
                      "sources": escape_markdown(verdict.sources), "kind": kind,
                      "chart_title": _chart_title(claim, frames, kind, lang)})
    return {"statement_id": statement_id, "date": period_label(row["date"], lang),
            "institution": escape_markdown(row["institution"]), "speaker": escape_markdown(row["speaker"]),
            "title": escape_markdown(row["title"]), "quote": escape_markdown(row["quote"]),
            "note": escape_markdown(row["note"]), "url": row["source_url"], "claims": items}


# ---------------------------------------------------------------------------------------------------------------
# The chart under a claim

def _indicator_title(indicator_id: str, lang: str) -> str:
    definition = definitions().get(indicator_id)
    return indicator_id if definition is None else (definition.title_en if lang == "en" else definition.title_de)


def _publisher(sources: pd.DataFrame, source_id: str) -> str:
    match = sources.loc[sources["source_id"] == source_id, "publisher"]
    name = match.iloc[0] if len(match) else source_id
    return name if len(name) <= 60 else name[:59] + "…"


def _statement_frame(frames, claim) -> pd.DataFrame:
    statements = frames["policy_statements"]
    return statements[statements["statement_id"] == claim["statement_id"]]


def _indicator_chart(claim, frames, lang: str, markers: bool) -> ChartResult:
    rows = claim_rows(frames["indicators"], claim)
    rows = rows[rows["value"].notna()].assign(x=lambda d: d["period"].map(period_midpoint))
    if claim["period"]:
        centre = period_midpoint(claim["period"])
        window = pd.DateOffset(years=WINDOW_YEARS)
        rows = rows[(rows["x"] >= centre - window) & (rows["x"] <= centre + window)]
    rows = rows.sort_values(["x", "source_id"], kind="stable")
    sources = frames["sources"]
    unit = rows["unit"].iloc[0] if len(rows) else claim["unit"]
    figure = go.Figure()
    for source_id, part in rows.groupby("source_id", sort=False):
        hover = [f"{period_label(p, lang)}: {number(v, lang)}" for p, v in zip(part["period"], part["value"])]
        figure.add_trace(go.Scatter(
            x=part["x"].dt.strftime("%Y-%m-%d"), y=part["value"], mode="lines+markers",
            name=html.escape(_publisher(sources, source_id)), hovertext=hover,
            hovertemplate="%{hovertext}<extra>%{fullData.name}</extra>"))
    table = pd.DataFrame({tr("period", lang): rows["period"].map(lambda p: period_label(p, lang)),
                          tr("value", lang): rows["value"], tr("unit", lang): unit_label(unit, lang),
                          tr("source", lang): rows["source_id"].map(lambda s: _publisher(sources, s)),
                          tr("note", lang): rows["note"].fillna("")})
    if claim["period"]:
        start, end = period_bounds(claim["period"])
        if start == end:
            start, end = start - pd.Timedelta(days=15), end + pd.Timedelta(days=15)
        direction = label(DIRECTIONS[claim["direction"]], lang) if claim["direction"] in DIRECTIONS else ""
        figure.add_vrect(x0=start.strftime("%Y-%m-%d"), x1=(end + pd.Timedelta(days=1)).strftime("%Y-%m-%d"),
                         fillcolor=style.HIGHLIGHT_COLOUR, opacity=0.12, line_width=0,
                         name=CLAIM_SHAPE_PREFIX + claim["claim_id"])
        figure.add_annotation(x=period_midpoint(claim["period"]).strftime("%Y-%m-%d"), y=1.06, yref="paper",
                              showarrow=False, font={"color": style.HIGHLIGHT_COLOUR, "size": 11},
                              text=tr("claimed_direction", lang, direction=direction) if direction
                              else tr("claimed_period", lang))
    if not is_missing(claim["value"]) and claim["period"]:
        value = float(claim["value"])
        figure.add_trace(go.Scatter(
            x=[period_midpoint(claim["period"]).strftime("%Y-%m-%d")], y=[value], mode="markers",
            name=tr("claimed_value", lang, value=number(value, lang)),
            marker=STAR,
            hovertemplate="%{fullData.name}<extra></extra>"))
        table = pd.concat([table, pd.DataFrame({
            tr("period", lang): [period_label(claim["period"], lang)], tr("value", lang): [value],
            tr("unit", lang): [unit_label(claim["unit"] or unit, lang)], tr("source", lang): [tr("claim_source", lang)],
            tr("note", lang): [claim["text"]]})], ignore_index=True)
    if markers:
        add_statement_markers(figure, _statement_frame(frames, claim))
    style.apply(figure, lang=lang, x_title=tr("period", lang), y_title=unit_label(unit, lang))
    figure.update_xaxes(type="date")
    title = _indicator_title(claim["indicator_id"], lang)
    alt = describe_series(rows["period"], rows["value"], what=title, unit=unit_label(unit, lang), lang=lang)
    partial = "/" in claim["period"] or period_class(claim["period"]) == "month"
    notes = [tr("partial", lang)] if partial else []
    return ChartResult(figure=figure, table=table.reset_index(drop=True), alt=alt,
                       source_ids=sorted(set(rows["source_id"]) | set(_statement_frame(frames, claim)["source_id"])),
                       datasets=["indicators", "policy_statements", "claims"], notes=notes)


def _own_projection_id(claim) -> str:
    match = re.search(r"projection_id ([a-z0-9-]+)", claim["note"] or "")
    return match.group(1) if match else ""


def _projection_chart(claim, frames, lang: str) -> ChartResult:
    projections = frames["projections"]
    rows = projections[projections["measure"] == claim["measure"]].sort_values(["horizon_year", "published"])
    own = _own_projection_id(claim)
    points = rows[rows["value"].notna() & rows["horizon_year"].notna()]
    others, mine = points[points["projection_id"] != own], points[points["projection_id"] == own]
    unit = rows["unit"].iloc[0] if len(rows) else claim["unit"]
    figure = go.Figure()

    def hover(part: pd.DataFrame) -> list[str]:
        return [f"{html.escape(s)}<br>{period_label(p, lang) if p else tr('undated', lang)}: {number(v, lang)}"
                for s, p, v in zip(part["study"], part["published"], part["value"])]
    figure.add_trace(go.Scatter(x=others["horizon_year"].astype(int), y=others["value"], mode="markers",
                                name=tr("projections", lang), marker={"size": 11, "color": style.PALETTE[0]},
                                hovertext=hover(others), hovertemplate="%{hovertext}<extra></extra>"))
    claimed = float(claim["value"]) if not is_missing(claim["value"]) else None
    if len(mine) or (claimed is not None and claim["period"]):
        x = [int(mine["horizon_year"].iloc[0])] if len(mine) else [int(claim["period"][:4])]
        y = [float(mine["value"].iloc[0])] if len(mine) else [claimed]
        figure.add_trace(go.Scatter(x=x, y=y, mode="markers", name=tr("claimed_value", lang, value=number(y[0], lang)),
                                    marker=STAR,
                                    hovertemplate="%{fullData.name}<extra></extra>"))
    for row in rows[rows["value"].isna() & rows["value_low"].notna()].itertuples():
        colour = style.HIGHLIGHT_COLOUR if row.projection_id == own else style.STATEMENT_COLOUR
        name = (CLAIM_SHAPE_PREFIX + claim["claim_id"]) if row.projection_id == own else row.projection_id
        text = f"{html.escape(tr('range', lang, study=row.study))}: {number(row.value_low, lang)}–" \
               f"{number(row.value_high, lang)}"
        figure.add_hrect(y0=row.value_low, y1=row.value_high, fillcolor=colour, opacity=0.15, line_width=0, name=name,
                         annotation_text=text, annotation_position="top left",
                         annotation_font={"size": 10, "color": colour})
    style.apply(figure, lang=lang, x_title=tr("horizon", lang), y_title=unit_label(unit, lang))
    figure.update_xaxes(tickformat="d", dtick=5)
    table = pd.DataFrame({
        tr("study", lang): rows["study"], tr("published", lang): rows["published"].map(
            lambda p: period_label(p, lang) if p else tr("undated", lang)),
        tr("horizon", lang): rows["horizon_year"], tr("value", lang): rows["value"],
        tr("unit", lang): rows["unit"].map(lambda u: unit_label(u, lang)),
        tr("note", lang): rows["projection_id"].map(lambda p: tr("claim_source", lang) if p == own else "")})
    measure = label(MEASURE_LABELS.get(claim["measure"], (claim["measure"],) * 2), lang)
    years = points["horizon_year"].dropna().astype(int)
    alt = tr("projection_alt", lang, count=len(rows), measure=measure,
             first=years.min() if len(years) else "–", last=years.max() if len(years) else "–",
             claimed=f"{number(claimed, lang)} {unit_label(unit, lang)}" if claimed is not None else claim["text"])
    return ChartResult(figure=figure, table=table.reset_index(drop=True), alt=alt,
                       source_ids=sorted(set(rows["source_id"])), datasets=["projections", "claims"])


def _pilot_chart(claim, frames, lang: str) -> ChartResult:
    pilots = frames["recruitment_pilots"]
    pilot = pilots[pilots["pilot_id"] == claim["pilot_id"]].iloc[0]
    known = [(f, float(pilot[f])) for f in PILOT_FIGURES if not pd.isna(pilot[f])]
    missing = [label(PILOT_FIGURE_LABELS[f], lang) for f in PILOT_FIGURES if pd.isna(pilot[f])]
    claimed = None if is_missing(claim["value"]) else float(claim["value"])
    colours = [style.HIGHLIGHT_COLOUR if claimed is not None and v == claimed else style.PALETTE[0] for _, v in known]
    names = [label(PILOT_FIGURE_LABELS[f], lang) for f, _ in known]
    figure = go.Figure(go.Bar(x=names, y=[v for _, v in known], marker_color=colours, name=pilot["name"],
                              hovertemplate="%{x}: %{y}<extra></extra>"))
    style.apply(figure, lang=lang, x_title=tr("figure", lang), y_title=unit_label("Personen", lang))
    table = pd.DataFrame({tr("figure", lang): [label(PILOT_FIGURE_LABELS[f], lang) for f in PILOT_FIGURES],
                          tr("value", lang): pd.array([pilot[f] for f in PILOT_FIGURES], dtype="Float64"),
                          tr("note", lang): ["" if not pd.isna(pilot[f]) else tr("not_available", lang)
                                             for f in PILOT_FIGURES]})
    figures = ", ".join(f"{n} {number(v, lang)}" for n, (_, v) in zip(names, known))
    return ChartResult(figure=figure, table=table, alt=tr("pilot_alt", lang, name=pilot["name"], figures=figures),
                       source_ids=[pilot["source_id"]], datasets=["recruitment_pilots", "claims"],
                       notes=[tr("missing_figures", lang, items=", ".join(missing))] if missing else [])


@uses("indicators", "projections", "recruitment_pilots", "policy_statements", "claims", "sources")
def claim_chart(frames: dict[str, pd.DataFrame], *, lang: str = "de", claim_id: str = "",
                markers: bool = True) -> ChartResult:
    """The chart that tests one claim: indicator series around the claimed period, projections by target year,
    or a pilot's figures; the claimed value or direction highlighted, the statement marked on time axes."""
    claims = frames["claims"]
    claim = claims[claims["claim_id"] == claim_id].iloc[0]
    kind = chart_kind(claim, frames)
    if kind == "indicator":
        return _indicator_chart(claim, frames, lang, markers)
    if kind == "projection":
        return _projection_chart(claim, frames, lang)
    if kind == "pilot":
        return _pilot_chart(claim, frames, lang)
    raise ValueError(f"claim {claim_id} has no data to chart (chart_kind is empty) – show 'keine Angabe' instead")
