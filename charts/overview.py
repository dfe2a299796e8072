"""Figures of the page "Überblick": headline numbers, the statement timeline, the press release's verdicts."""
from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from charts import style
from charts.base import ChartResult, uses
from charts.format import number
from charts.verdicts import (
    MEASURE_LABELS, PRESS_RELEASE_ID, STATUS_COLOURS, escape_markdown, label, period_class, period_label,
    period_midpoint, source_line, verdicts, with_derived_totals)
from datasets.indicators import BREAKDOWNS

THURINGIA = "16"
#: Projection measures that count demand for skilled workers (newest study first in the headline).
DEMAND_MEASURES = ["total_demand", "shortfall", "replacement_demand", "expansion_demand"]
TOPIC_ORDER = ["fachkraefte", "bevoelkerung", "asyl", "rekrutierung", "integration"]

LABELS = {
    "asylum": ("Asylerstanträge {year}", "First-time asylum applications {year}"),
    "protection": ("Schutzsuchende", "Persons seeking protection"),
    "employees": ("SV-Beschäftigte", "Employees (social insurance)"),
    "demand": ("{measure} bis {year}", "{measure} by {year}"),
    "conflict": ("abweichende Angaben: {items}", "conflicting figures: {items}"),
    "foreign": ("davon ausländisch {value} ({share})", "of whom foreign nationals {value} ({share})"),
    "foreign_missing": ("ausländischer Anteil: keine Angabe", "foreign share: not available"),
    "protection_parts": ("anerkannt {recognised} · offen {open} · ohne Schutzstatus {none} (Summe der "
                         "Oberkategorien)", "recognised {recognised} · pending {open} · without protection status "
                         "{none} (sum of the top-level statuses)"),
    "protection_note": ("Nur die sich nicht überschneidenden Oberkategorien (anerkannt, offen, ohne Schutzstatus) "
                        "summiert; aus gerundeten Kreiszahlen abgeleitet, daher etwas unter der amtlichen Summe.",
                        "Only the non-overlapping top-level statuses (recognised, pending, without protection status) "
                        "are summed; derived from rounded district figures, hence slightly below the official "
                        "total."),
    "study": ("neueste Studie: {study}, veröffentlicht {published}", "newest study: {study}, published {published}"),
    "as_of": ("Stand: {when}", "As of: {when}"),
    "no_data": ("keine Angabe", "not available"),
    "date": ("Datum", "Date"),
    "topic": ("Thema", "Topic"),
    "institution": ("Institution", "Institution"),
    "title": ("Titel", "Title"),
    "statement": ("Aussage", "Statement"),
    "press_release": ("Pressemitteilung 18.05.2016", "Press release 18 May 2016"),
    "timeline_alt": ("{count} Aussagen von {first} bis {last}; die meisten im Jahr {busiest} ({busiest_count}); "
                     "hervorgehoben: die Pressemitteilung der Staatskanzlei vom 18.05.2016.",
                     "{count} statements from {first} to {last}; most in {busiest} ({busiest_count}); highlighted: "
                     "the State Chancellery press release of 18 May 2016."),
    "timeline_note": ("Aussagen mit nur Jahr oder Monat stehen in der Mitte dieses Zeitraums.",
                      "Statements dated by year or month only are drawn in the middle of that period."),
    "timeline_empty": ("Keine Aussage zu diesem Thema.", "No statement on this topic."),
}
TOPIC_LABELS = {
    "fachkraefte": ("Fachkräfte", "Skilled labour"), "bevoelkerung": ("Bevölkerung", "Population"),
    "asyl": ("Asyl", "Asylum"), "rekrutierung": ("Rekrutierung", "Recruitment"),
    "integration": ("Integration", "Integration"),
}


def tr(key: str, lang: str, **values) -> str:
    return label(LABELS[key], lang).format(**values)


@dataclass(frozen=True)
class Headline:
    """One headline figure: label, formatted value, one line of detail, help (source + Stand)."""

    key: str
    label: str
    value: str
    detail: str
    help: str
    source_ids: list[str]
    values: dict

    @property
    def caption(self) -> str:
        """Detail line and reference date, e.g. 'davon ausländisch 78.539 (10,0 %) · Stand: 30.06.2025'."""
        as_of = next((line for line in self.help.split("  \n") if line.startswith(("Stand", "As of"))), "")
        return " · ".join(part for part in (self.detail, as_of) if part)


def _totals(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[(rows[BREAKDOWNS] == "").all(axis=1) & rows["value"].notna()]


def _by_source(rows: pd.DataFrame, lang: str) -> tuple[str, str, dict]:
    """Formatted value, conflict line and {source_id: value}: every source kept, none picked."""
    values = {r.source_id: float(r.value) for r in rows.itertuples()}
    distinct = list(dict.fromkeys(values.values()))
    shown = " / ".join(number(v, lang) for v in distinct) if distinct else tr("no_data", lang)
    conflict = "" if len(distinct) <= 1 else tr("conflict", lang, items="; ".join(
        f"{number(v, lang)} ({source})" for source, v in values.items()))
    return shown, conflict, values


def _help(frames, source_ids, when: str, lang: str, note: str = "") -> str:
    parts = [source_line(frames["sources"], source_ids, lang), tr("as_of", lang, when=when)]
    return "  \n".join(p for p in [*parts, note] if p)


def _data_note(rows: pd.DataFrame) -> str:
    """The caveats of a figure ('etwa', 'Jahr evtl. unvollständig'), without the 'laut Quelle' wording."""
    parts = []
    for note in rows["note"].fillna(""):
        parts += [p.strip() for p in str(note).split(";") if p.strip() and not p.strip().startswith("laut Quelle")]
    return "; ".join(dict.fromkeys(parts))


def asylum_headline(frames, lang: str) -> Headline:
    indicators = frames["indicators"]
    rows = _totals(indicators[(indicators["indicator_id"] == "asylum_first_applications")
                              & (indicators["region_code"] == THURINGIA)])
    rows = rows[rows["period"].map(period_class) == "Y"]
    year = rows["period"].max() if len(rows) else ""
    newest = rows[rows["period"] == year]
    shown, conflict, values = _by_source(newest, lang)
    note = _data_note(newest)
    return Headline("asylum", tr("asylum", lang, year=year), shown, conflict or note,
                    _help(frames, list(values), year, lang, note if conflict else ""), list(values),
                    {"period": year, **values})


def protection_headline(frames, lang: str) -> Headline:
    indicators = frames["indicators"]
    rows = indicators[(indicators["indicator_id"] == "protection_seekers") & (indicators["region_code"] == THURINGIA)]
    totals = _totals(with_derived_totals(rows))
    when = totals["period"].max() if len(totals) else ""
    newest = totals[totals["period"] == when]
    shown, conflict, values = _by_source(newest, lang)
    parts = {}
    for key, code in (("recognised", "SCHUTZST-AK-1"), ("open", "SCHUTZST-OF"), ("none", "SCHUTZST-X")):
        part = rows[(rows["period"] == when) & (rows["breakdown"] == f"Schutzstatuskategorie={code}")]
        parts[key] = number(part["value"].iloc[0], lang) if len(part) == 1 else tr("no_data", lang)
    detail = conflict or tr("protection_parts", lang, **parts)
    return Headline("protection", tr("protection", lang), shown, detail,
                    _help(frames, list(values), period_label(when, lang), lang, tr("protection_note", lang)),
                    list(values),
                    {"period": when, **values})


def employees_headline(frames, lang: str) -> Headline:
    indicators = frames["indicators"]
    rows = indicators[(indicators["indicator_id"] == "employees_svb") & (indicators["region_code"] == THURINGIA)
                      & (indicators["period"].map(period_class) == "day")]
    totals = _totals(rows)
    when = totals["period"].max() if len(totals) else ""
    newest = totals[totals["period"] == when]
    shown, conflict, values = _by_source(newest, lang)
    others = [c for c in BREAKDOWNS if c != "nationality"]
    foreign = rows[(rows["period"] == when) & (rows["nationality"] == "ausländisch")
                   & (rows[others] == "").all(axis=1) & rows["value"].notna()]
    share = None
    detail = tr("foreign_missing", lang)
    source_ids = list(values)
    if len(foreign):
        row = foreign.iloc[0]
        total = values.get(row["source_id"])
        if total:
            share = float(row["value"]) / total * 100
            detail = tr("foreign", lang, value=number(row["value"], lang),
                        share=number(round(share, 1), lang, decimals=1) + " %")
            source_ids = list(dict.fromkeys([*source_ids, row["source_id"]]))
    return Headline("employees", tr("employees", lang), shown,
                    conflict or detail, _help(frames, source_ids, period_label(when, lang), lang,
                                              detail if conflict else ""), source_ids,
                    {"period": when, "foreign_share": share, **values})


def demand_headline(frames, lang: str) -> Headline:
    projections = frames["projections"]
    rows = projections[projections["measure"].isin(DEMAND_MEASURES) & projections["value"].notna()
                       & (projections["published"] != "")]
    rows = rows.assign(order=rows["measure"].map(DEMAND_MEASURES.index)).sort_values(
        ["published", "order"], ascending=[False, True], kind="stable")
    if rows.empty:
        return Headline("demand", label(MEASURE_LABELS["total_demand"], lang), tr("no_data", lang), "", "", [], {})
    newest = rows.iloc[0]
    measure = label(MEASURE_LABELS[newest["measure"]], lang)
    horizon = "" if pd.isna(newest["horizon_year"]) else str(int(newest["horizon_year"]))
    published = period_label(newest["published"], lang)
    return Headline("demand", tr("demand", lang, measure=measure[:1].upper() + measure[1:], year=horizon),
                    number(newest["value"], lang), tr("study", lang, study=newest["study"], published=published),
                    _help(frames, [newest["source_id"]], published, lang), [newest["source_id"]],
                    {"projection_id": newest["projection_id"], "value": float(newest["value"])})


@uses("indicators", "projections", "sources")
def headlines(frames: dict[str, pd.DataFrame], *, lang: str = "de") -> list[Headline]:
    """The four headline figures of the overview, each with its sources and reference date."""
    return [asylum_headline(frames, lang), protection_headline(frames, lang), employees_headline(frames, lang),
            demand_headline(frames, lang)]


def _primary_topic(topics: str) -> str:
    present = [t for t in str(topics).split(";") if t]
    ranked = sorted(present, key=lambda t: TOPIC_ORDER.index(t) if t in TOPIC_ORDER else len(TOPIC_ORDER))
    return ranked[0] if ranked else ""


@uses("policy_statements")
def statement_timeline(frames: dict[str, pd.DataFrame], *, lang: str = "de", topics: list[str] | None = None
                       ) -> ChartResult:
    """One mark per statement on a date axis, one lane per main topic; the 18 May 2016 press release highlighted."""
    statements = frames["policy_statements"]
    if topics:
        wanted = set(topics)
        statements = statements[statements["topics"].str.split(";").map(lambda ts: bool(set(ts) & wanted))]
    data = statements.assign(x=statements["date"].map(period_midpoint),
                             lane=statements["topics"].map(_primary_topic)).sort_values(["x", "statement_id"])
    data["lane_label"] = data["lane"].map(lambda t: label(TOPIC_LABELS.get(t, (t, t)), lang))
    data["date_label"] = data["date"].map(lambda d: period_label(d, lang))
    hover = ("<b>" + data["title"].map(html.escape) + "</b><br>" + data["institution"].map(html.escape)
             + "<br>" + data["date_label"])
    figure = go.Figure()
    for lane in [t for t in TOPIC_ORDER if t in set(data["lane"])] + sorted(set(data["lane"]) - set(TOPIC_ORDER)):
        part = data["lane"] == lane
        figure.add_trace(go.Scatter(
            x=data.loc[part, "x"].dt.strftime("%Y-%m-%d"), y=data.loc[part, "lane_label"], mode="markers",
            name=label(TOPIC_LABELS.get(lane, (lane, lane)), lang), marker={"size": 11, "opacity": 0.85},
            hovertext=hover[part], hovertemplate="%{hovertext}<extra></extra>"))
    highlight = data["statement_id"] == PRESS_RELEASE_ID
    if highlight.any():
        figure.add_trace(go.Scatter(
            x=data.loc[highlight, "x"].dt.strftime("%Y-%m-%d"), y=data.loc[highlight, "lane_label"],
            mode="markers+text", name=tr("press_release", lang), text=[tr("press_release", lang)],
            textposition="top center", textfont={"color": style.HIGHLIGHT_COLOUR},
            marker={"size": 20, "symbol": "star", "color": style.HIGHLIGHT_COLOUR,
                    "line": {"width": 1, "color": "#000000"}},
            hovertext=hover[highlight], hovertemplate="%{hovertext}<extra></extra>"))
    style.apply(figure, lang=lang, x_title=tr("date", lang), y_title=tr("topic", lang))
    figure.update_yaxes(tickformat=None, type="category")
    figure.update_layout(height=360)
    table = pd.DataFrame({tr("date", lang): data["date_label"], tr("topic", lang): data["lane_label"],
                          tr("institution", lang): data["institution"], tr("title", lang): data["title"]})
    if data.empty:
        alt = tr("timeline_empty", lang)
    else:
        years = data["date"].str[:4]
        busiest = years.value_counts().sort_index().idxmax()
        alt = tr("timeline_alt", lang, count=len(data), first=years.min(), last=years.max(), busiest=busiest,
                 busiest_count=int((years == busiest).sum()))
    return ChartResult(figure=figure, table=table.reset_index(drop=True), alt=alt,
                       source_ids=sorted(set(statements["source_id"])), datasets=["policy_statements"],
                       notes=[tr("timeline_note", lang)])


@uses("indicators", "projections", "recruitment_pilots", "policy_statements", "claims", "sources")
def verdict_lines(frames: dict[str, pd.DataFrame], *, lang: str = "de") -> list[dict]:
    """The press release's verdicts ready to show: texts markdown-escaped, badge colour per status."""
    return [{"claim_id": v.claim_id, "claim": escape_markdown(v.claim), "status": v.status,
             "colour": STATUS_COLOURS[v.code], "text": escape_markdown(v.text), "sources": escape_markdown(v.sources)}
            for v in verdicts(frames, lang=lang)]
