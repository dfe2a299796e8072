"""The Explorer: any indicator of the `indicators` dataset (bundled or uploaded) as line, bar or map.

Works on the columns of the indicators schema only, so every future dataset of that shape is chartable.
Never sums categories: one value per breakdown column is shown at a time (totals, i.e. empty, by default).
Never ships an unbounded figure: a line or bar chart draws at most MAX_POINTS values (and at most
MAX_SERIES lines or bar groups); beyond that it draws evenly spaced periods only — every series at the
same periods, the first and the last always included — and says so in a note. Values are never averaged
or added up to get there, and the table holds exactly the drawn values.
"""
from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from charts import maps, style
from charts.alt_text import describe_series
from charts.base import MAX_FIGURE_JSON_BYTES, ChartResult, figure_json_bytes, uses
from charts.format import number, translate
from charts.markers import add_statement_markers, relevant_statements
from datasets.indicators import BREAKDOWNS
from datasets.regions import layout_for_period, period_end

DISTRICT_PATTERN = r"16\d{3}"
CHART_TYPES = ("line", "bar", "map")
#: Most values a line or bar chart draws (each with its hover text: about 250 bytes of figure JSON).
MAX_POINTS = 1_500
#: Most lines (bar groups) a chart draws: region × source × period kind, in region order.
MAX_SERIES = 30

LABELS = {
    "sex": ("Geschlecht", "Sex"),
    "nationality": ("Staatsangehörigkeit", "Nationality"),
    "status": ("Status", "Status"),
    "sector": ("Wirtschaftszweig", "Sector"),
    "age_group": ("Altersgruppe", "Age group"),
    "breakdown": ("Weiteres Merkmal", "Other breakdown"),
    "no_breakdown": ("keine (Gesamtwerte)", "none (totals)"),
    "total": ("Insgesamt", "Total"),
    "line": ("Linie", "Line"),
    "bar": ("Balken", "Bar"),
    "map": ("Karte", "Map"),
    "region": ("Region", "Region"),
    "code": ("AGS", "AGS"),
    "period": ("Zeitraum", "Period"),
    "value": ("Wert", "Value"),
    "unit": ("Einheit", "Unit"),
    "flag": ("Kennzeichen", "Flag"),
    "source": ("Quelle", "Source"),
    "note": ("Hinweis", "Note"),
    "filter": ("Gezeigt: {filters}.", "Shown: {filters}."),
    "totals_only": ("Gesamtwerte ohne Aufschlüsselung", "totals without breakdown"),
    "fixed": ("{column} = {value} (keine Gesamtzeile vorhanden; Kategorien werden nie addiert)",
              "{column} = {value} (no total row available; categories are never added up)"),
    "missing": ("{n} Werte ohne Angabe (Kennzeichen der Quelle: {flags}).",
                "{n} values not available (source markers: {flags})."),
    "partial": ("Teiljahr/Zeitraum-Werte: {periods} (Summe über den Zeitraum, nicht mit Jahreswerten vergleichbar).",
                "Part-year/period figures: {periods} (total over the period, not comparable with annual figures)."),
    "conflicts": ("Abweichende Angaben verschiedener Quellen (alle gezeigt): {items}.",
                  "Conflicting figures from different sources (all shown): {items}."),
    "map_period": ("Karte für {period} (letzter Zeitraum der Auswahl mit Kreiswerten); Gebietsstand mit {n} Kreisen.",
                   "Map for {period} (last period of the selection with district figures); layout with {n} districts."),
    "no_district_data": ("Keine Kreiswerte im gewählten Zeitraum.", "No district figures in the chosen period."),
    "no_data": ("keine Angabe", "not available"),
    "thinned": ("{shown} von {total} Zeitpunkten gezeigt (gleichmäßig verteilt, erster und letzter immer dabei; "
                "nichts gemittelt oder addiert). Für alle Werte den Zeitraum eingrenzen.",
                "{shown} of {total} periods shown (evenly spaced, first and last always included; nothing averaged "
                "or added up). Narrow the period range to see every value."),
    "series_limited": ("Nur die ersten {shown} von {total} Reihen gezeigt; bitte weniger Regionen wählen.",
                       "Only the first {shown} of {total} series shown; please choose fewer regions."),
    "kind_month": ("Monatswert", "month"),
    "kind_part": ("Teiljahr/Zeitraum", "part of year/period"),
}


def label(key: str, lang: str, **values) -> str:
    return translate(LABELS, key, lang, **values)


def indicator_title(indicator_id: str, lang: str) -> str:
    """The title of an IndicatorDef; an id without definition (e.g. from an upload) is shown as is."""
    from datasets.indicators import definitions

    definition = definitions().get(indicator_id)
    if definition is None:
        return indicator_id
    return definition.title_en if lang == "en" else definition.title_de


def period_sort_key(period: str) -> tuple[str, str]:
    """Order periods by their end, then their start: '2016-01/2016-09' comes before '2016-09'."""
    try:
        return period_end(period), str(period).split("/")[0]
    except ValueError:
        return str(period), str(period)


def period_position(period: str) -> str:
    """Where a period sits on a date axis: its midpoint (a day is itself)."""
    text = str(period)
    first = text.split("/")[0]
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    try:
        start = pd.Timestamp(first if len(first) > 4 else f"{first}-01-01")
        end = pd.Timestamp(period_end(text))
    except ValueError:
        return text
    return (start + (end - start) / 2).strftime("%Y-%m-%d")


def is_partial(period: str) -> bool:
    return period_kind(period) in ("month", "part")


def period_kind(period: str) -> str:
    """'day', 'month', 'year' or 'part' (an interval)."""
    text = str(period)
    if "/" in text:
        return "part"
    return {10: "day", 7: "month"}.get(len(text), "year")


# ---------------------------------------------------------------------------------------------------------------
# Options of the widgets (computed once per data version via ui.data.derived)

@uses("indicators")
def indicator_choices(frames: dict, *, lang: str) -> dict[str, str]:
    """indicator_id -> title (ids without a definition shown by id), sorted by title."""
    ids = frames["indicators"]["indicator_id"].dropna().astype(str).unique()
    titles = {indicator_id: indicator_title(indicator_id, lang) for indicator_id in ids}
    return dict(sorted(titles.items(), key=lambda item: (item[1].lower(), item[0])))


def _region_order(code: str) -> tuple[int, str]:
    code = str(code)
    return ({"DG": 0}.get(code, 1 if len(code) == 2 else 2 if len(code) == 3 else 3 if len(code) == 5 else 4), code)


@uses("indicators")
def indicator_options(frames: dict, *, lang: str, indicator: str) -> dict:
    """Regions, varying breakdown columns with their values, periods and whether a map is possible."""
    rows = frames["indicators"]
    rows = rows[rows["indicator_id"] == indicator]
    regions = rows.drop_duplicates("region_code").set_index("region_code")["region_name"].fillna("").astype(str)
    codes = sorted(regions.index, key=_region_order)
    region_names = {code: (regions[code] or code) for code in codes}
    varying = [column for column in BREAKDOWNS if rows[column].fillna("").nunique() > 1]
    values = {column: sorted(rows[column].fillna("").astype(str).unique(), key=lambda v: (v != "", v))
              for column in varying}
    periods = sorted(rows["period"].astype(str).unique(), key=period_sort_key)
    has_districts = bool(rows["region_code"].astype(str).str.fullmatch(DISTRICT_PATTERN).any())
    default = ["16"] if "16" in region_names else codes[:3]
    return {"regions": region_names, "default_regions": default,
            "breakdowns": {column: label(column, lang) for column in varying},
            "values": values, "periods": periods, "has_districts": has_districts,
            "chart_types": [c for c in CHART_TYPES if c != "map" or has_districts]}


# ---------------------------------------------------------------------------------------------------------------
# Selection: never sum categories

def select_rows(rows: pd.DataFrame, *, breakdown: str = "", value: str = "") -> tuple[pd.DataFrame, dict[str, str]]:
    """One value per breakdown column: `value` for `breakdown`, the total ("") for every other column where the
    rows have one, else its first value (returned in `fixed`, so the caller can say so). Nothing is added up."""
    rows = rows.copy()
    for column in BREAKDOWNS:
        rows[column] = rows[column].fillna("").astype(str)
    if breakdown in BREAKDOWNS:
        rows = rows[rows[breakdown] == str(value)]
    fixed: dict[str, str] = {}
    for column in BREAKDOWNS:
        if column == breakdown:
            continue
        present = rows[column].unique()
        if len(present) <= 1:
            continue
        if "" in present:
            rows = rows[rows[column] == ""]
        else:
            chosen = sorted(present)[0]
            rows = rows[rows[column] == chosen]
            fixed[column] = chosen
    return rows, fixed


def _in_range(periods: pd.Series, period_from: str | None, period_to: str | None) -> pd.Series:
    low = period_sort_key(period_from) if period_from else None
    high = period_sort_key(period_to) if period_to else None
    inside = {p: (low is None or period_sort_key(p) >= low) and (high is None or period_sort_key(p) <= high)
              for p in periods.unique()}                     # once per distinct period, not per row
    return periods.map(inside).astype(bool)


def _sort_keys(periods: pd.Series) -> pd.Series:
    keys = {period: period_sort_key(period) for period in periods.unique()}
    return periods.map(keys)


def _series_keys(rows: pd.DataFrame) -> pd.Series:
    """The series a row belongs to in a line/bar chart: region, source, period kind (as _series draws them)."""
    kinds = {period: period_kind(period) for period in rows["period"].astype(str).unique()}
    return (rows["region_code"].astype(str) + "\x1f" + rows["source_id"].astype(str) + "\x1f"
            + rows["period"].astype(str).map(kinds))


def limit_series(rows: pd.DataFrame, *, lang: str, max_series: int = MAX_SERIES) -> tuple[pd.DataFrame, list[str]]:
    """At most `max_series` series (rows sorted by region first), and the note that says so."""
    keys = _series_keys(rows)
    distinct = list(dict.fromkeys(keys))
    if len(distinct) <= max_series:
        return rows, []
    kept = rows[keys.isin(distinct[:max_series])]
    return kept, [label("series_limited", lang, shown=max_series, total=len(distinct))]


def thin_periods(rows: pd.DataFrame, *, lang: str, max_points: int = MAX_POINTS) -> tuple[pd.DataFrame, list[str]]:
    """At most about `max_points` rows: the rows of evenly spaced periods (first and last kept), with a note.

    Every series keeps the same periods, so lines stay comparable; no value is averaged or added up."""
    if len(rows) <= max_points:
        return rows, []
    periods = rows["period"].astype(str)
    ordered = sorted(periods.unique(), key=period_sort_key)
    per_period = int(periods.value_counts().max())
    count = max(2, min(len(ordered), max_points // max(per_period, 1)))
    if count >= len(ordered):
        return rows, []
    positions = sorted(set(np.linspace(0, len(ordered) - 1, count).round().astype(int).tolist()))
    kept = {ordered[position] for position in positions}
    return rows[periods.isin(kept)], [label("thinned", lang, shown=len(positions), total=len(ordered))]


def _value_label(value: str, lang: str) -> str:
    return value if value else label("total", lang)


@uses("indicators", "sources", "districts", "policy_statements", "claims")
def explore(frames: dict, *, lang: str, indicator: str, regions: list[str] | tuple[str, ...] = (),
            breakdown: str = "", value: str = "", period_from: str | None = None, period_to: str | None = None,
            chart: str = "line", markers: bool = False) -> ChartResult:
    """The chosen indicator for the chosen regions, one breakdown value, a period range, as line, bar or map."""
    lang = "en" if lang == "en" else "de"
    all_rows = frames["indicators"]
    rows = all_rows[all_rows["indicator_id"] == indicator]
    if chart == "map":
        rows = rows[rows["region_code"].astype(str).str.fullmatch(DISTRICT_PATTERN)]
    else:
        rows = rows[rows["region_code"].isin(list(regions))]
    rows = rows[_in_range(rows["period"].astype(str), period_from, period_to)]
    rows, fixed = select_rows(rows, breakdown=breakdown, value=value)
    rows = rows.assign(_key=_sort_keys(rows["period"].astype(str)))
    rows = rows.sort_values(["region_code", "_key", "source_id"], kind="stable").drop(columns="_key")
    sources = frames["sources"]
    titles = dict(zip(sources["source_id"], sources["title"]))
    title = indicator_title(indicator, lang)
    units = list(dict.fromkeys(rows["unit"].astype(str))) or [""]
    unit = " / ".join(units)

    notes = [label("filter", lang, filters="; ".join(
        [f"{label(breakdown, lang)} = {_value_label(value, lang)}"] if breakdown in BREAKDOWNS else
        [label("totals_only", lang)]))]
    notes += [label("fixed", lang, column=label(c, lang), value=v) for c, v in fixed.items()]

    if chart == "map":
        figure, shown = _map(frames, rows, lang=lang, title=title, unit=unit, notes=notes)
    else:
        rows, limited = limit_series(rows, lang=lang)
        budget = MAX_POINTS
        while True:
            drawn, thinned = thin_periods(rows, lang=lang, max_points=budget)
            figure, shown = _series(drawn, lang=lang, unit=unit, titles=titles, bar=chart == "bar")
            # NOTE: long names or source titles make each point heavier; halve the budget until the figure fits.
            if len(drawn) <= 2 or budget < 50 or figure_json_bytes(figure) <= MAX_FIGURE_JSON_BYTES * 0.8:
                break
            budget //= 2
        notes += limited + thinned
        style.apply(figure, lang=lang, x_title=label("period", lang), y_title=f"{title} ({unit})")
        if markers and not shown.empty:
            positions = shown["period"].astype(str).map(period_position)
            chosen = relevant_statements(frames["policy_statements"], frames["claims"], indicator_ids=[indicator])
            dates = chosen["date"].astype(str).str[:10]
            add_statement_markers(figure, chosen[(dates >= positions.min()[:4]) & (dates <= positions.max())])

    missing = shown[shown["value"].isna()]
    if len(missing):
        flags = ", ".join(sorted({f for f in missing["flag"].astype(str) if f})) or "–"
        notes.append(label("missing", lang, n=len(missing), flags=flags))
    partial = sorted({p for p in shown["period"].astype(str) if is_partial(p)}, key=period_sort_key)
    if partial:
        notes.append(label("partial", lang, periods=", ".join(partial)))
    conflicts = []
    with_values = shown.dropna(subset=["value"])
    spread = with_values.groupby(["region_code", "period"])[["source_id", "value"]].nunique()
    conflicting = spread[(spread["source_id"] > 1) & (spread["value"] > 1)].index
    candidates = with_values.set_index(["region_code", "period"]).index.isin(conflicting)
    for (code, period), group in with_values[candidates].groupby(["region_code", "period"]):
        if group["source_id"].nunique() > 1 and group["value"].nunique() > 1:
            conflicts.append(f"{group['region_name'].iloc[0]} {period}: " + " / ".join(
                f"{number(v, lang)} ({titles.get(s, s)})" for v, s in zip(group["value"], group["source_id"])))
    if conflicts:
        notes.append(label("conflicts", lang, items="; ".join(conflicts)))

    table = pd.DataFrame({
        label("region", lang): shown["region_name"], label("code", lang): shown["region_code"],
        label("period", lang): shown["period"],
        **{label(c, lang): shown[c].map(lambda v: _value_label(v, lang))
           for c in BREAKDOWNS if c == breakdown or c in fixed},
        label("value", lang): shown["value"], label("unit", lang): shown["unit"], label("flag", lang): shown["flag"],
        label("source", lang): shown["source_id"].map(lambda s: titles.get(s, s)), label("note", lang): shown["note"],
    }).reset_index(drop=True)
    alt = _alt(shown, title=title, unit=unit, lang=lang, chart=chart)
    source_ids = sorted(shown["source_id"].astype(str).unique())
    if chart == "map":
        districts = frames["districts"]
        period = shown["period"].iloc[0] if len(shown) else (period_to or "2024")
        try:
            layout = layout_for_period(period)
            source_ids += sorted(districts.loc[districts["layout"] == layout, "source_id"].unique())
        except ValueError:
            pass
    return ChartResult(figure, table, alt, source_ids, list(explore.datasets), notes)


def _series(rows: pd.DataFrame, *, lang: str, unit: str, titles: dict, bar: bool) -> tuple[go.Figure, pd.DataFrame]:
    figure = go.Figure()
    several = rows.groupby("region_code")["source_id"].nunique()
    rows = rows.assign(_kind=rows["period"].astype(str).map(period_kind))
    for (code, source_id, kind), part in rows.groupby(["region_code", "source_id", "_kind"], sort=False):
        name = str(part["region_name"].iloc[0] or code)
        if several.get(code, 1) > 1:
            name = f"{name} – {titles.get(source_id, source_id)}"
            name = name if len(name) <= 60 else name[:59] + "…"
        if kind in ("month", "part"):
            name = f"{name} ({label('kind_' + kind, lang)})"
        hover = [f"<b>{html.escape(name)} {html.escape(str(p))}: {number(v, lang)} {html.escape(str(u))}</b>"
                 + (f" [{html.escape(str(f))}]" if f else "") + f"<br>{html.escape(titles.get(source_id, source_id))}"
                 for p, v, u, f in zip(part["period"], part["value"], part["unit"], part["flag"])]
        x = part["period"].astype(str).map(period_position).tolist()
        y = part["value"].tolist()
        trace = (go.Bar(x=x, y=y, name=name, hovertext=hover) if bar else
                 go.Scatter(x=x, y=y, name=name, mode="lines+markers", hovertext=hover))
        trace.update(hovertemplate="%{hovertext}<extra></extra>")
        figure.add_trace(trace)
    if bar:
        figure.update_layout(barmode="group")
    dated = rows["period"].astype(str).map(period_position)
    if dated.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all():
        figure.update_xaxes(type="date")
    return figure, rows.drop(columns="_kind")


def _map(frames: dict, rows: pd.DataFrame, *, lang: str, title: str, unit: str,
         notes: list[str]) -> tuple[go.Figure, pd.DataFrame]:
    with_values = rows.dropna(subset=["value"])
    periods = sorted(with_values["period"].astype(str).unique(), key=period_sort_key) or \
        sorted(rows["period"].astype(str).unique(), key=period_sort_key)
    period = periods[-1] if periods else "2024-12-31"
    shown = rows[rows["period"].astype(str) == period]
    # NOTE: several sources for one district and period cannot share one map colour; the first source is
    # drawn, every figure stays in the table and the conflict note.
    drawn = shown.drop_duplicates("region_code")
    figure = maps.choropleth(drawn[["region_code", "value"]], period=period, lang=lang, title=None, unit=unit,
                             districts=frames["districts"], value_label=unit)
    if periods:
        notes.append(label("map_period", lang, period=period, n=len(maps.map_region_codes(figure))))
    else:
        notes.append(label("no_district_data", lang))
    return figure, shown


def _alt(shown: pd.DataFrame, *, title: str, unit: str, lang: str, chart: str) -> str:
    data = shown.dropna(subset=["value"])
    if data.empty:
        return f"{title}: {label('no_data', lang)}."
    if chart == "map":
        high, low = data.loc[data["value"].idxmax()], data.loc[data["value"].idxmin()]
        if lang == "en":
            return (f"{title} {high['period']} by district: highest {high['region_name']} "
                    f"({number(high['value'], lang)} {unit}), lowest {low['region_name']} ({number(low['value'], lang)} {unit}).")
        return (f"{title} {high['period']} nach Kreisen: Höchstwert {high['region_name']} "
                f"({number(high['value'], lang)} {unit}), Tiefstwert {low['region_name']} ({number(low['value'], lang)} {unit}).")
    data = data.assign(_kind=data["period"].astype(str).map(period_kind))
    return " ".join(describe_series(part["period"].astype(str), part["value"],
                                    what=f"{title}, {part['region_name'].iloc[0]}"
                                    + (f" ({label('kind_' + kind, lang)})" if kind in ("month", "part") else ""),
                                    unit=unit, lang=lang)
                    for (_, _, kind), part in data.groupby(["region_code", "source_id", "_kind"], sort=False))
