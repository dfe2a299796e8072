"""Figures of the page "Zuwanderung & Asyl": asylum figures per year and part-year, benefit recipients,
protection seekers 31.12.2024 and INKAR rates by district.

A builder whose series are missing (e.g. a published version without them) still returns a chart: empty,
saying "keine Angabe", with an empty table of its columns. The part-year chart never ships an unbounded
figure: beyond MAX_PARTIAL_POINTS figures it draws evenly spaced periods only (first and last kept, nothing
averaged or added up, charts.explorer.thin_periods) and says so; its table holds exactly the drawn figures.
"""
from __future__ import annotations

import html
import re
import textwrap

import pandas as pd
import plotly.graph_objects as go

from charts import maps, style
from charts.alt_text import describe_series
from charts.base import MAX_FIGURE_JSON_BYTES, ChartResult, figure_json_bytes, uses
from charts.explorer import indicator_title, thin_periods
from charts.format import number, translate
from charts.markers import add_statement_markers, relevant_statements
from datasets.indicators_statistics import (PROTECTION_SEEKERS, is_top_level_protection_status,
                                            protection_status_code)
from datasets.indicators import BREAKDOWNS
from datasets.regions import THURINGIA, layout_for_period, period_end

LABELS = {
    "year": ("Jahr", "Year"),
    "period": ("Zeitraum", "Period"),
    "measure": ("Kennzahl", "Measure"),
    "value": ("Wert", "Value"),
    "unit": ("Einheit", "Unit"),
    "source": ("Quelle", "Source"),
    "confidence": ("Verlässlichkeit", "Confidence"),
    "note": ("Hinweis", "Note"),
    "kind": ("Art", "Kind"),
    "region": ("Region", "Region"),
    "district": ("Kreis", "District"),
    "code": ("AGS", "AGS"),
    "status": ("Schutzstatus", "Protection status"),
    "level": ("Ebene", "Level"),
    "nationality": ("Staatsangehörigkeit", "Nationality"),
    "persons": ("Personen", "persons"),
    "count_axis": ("Anzahl (Personen bzw. Anträge)", "Number (persons or applications)"),
    "per_1000": ("je 1.000 Einwohner", "per 1,000 inhabitants"),
    "protection_seekers": ("Schutzsuchende", "Persons seeking protection"),
    "population": ("Bevölkerung", "Population"),
    "part_year": ("Teiljahr", "part of year"),
    "month": ("Monatswert", "month"),
    "span": ("Zeitraum", "period"),
    "official": ("amtliche Statistik", "official statistics"),
    "top_level": ("oberste Ebene (Summe = insgesamt)", "top level (adds up to the total)"),
    "sub_level": ("davon (Unterkategorie, nicht addieren)", "of which (sub-category, do not add)"),
    "conflicts": ("Abweichende Angaben verschiedener Quellen (nebeneinander gezeigt): {items}",
                  "Conflicting figures from different sources (shown side by side): {items}"),
    "no_conflicts": ("Keine abweichenden Angaben für dieselbe Kennzahl und dasselbe Jahr.",
                     "No conflicting figures for the same measure and year."),
    "years_without": ("Jahre ohne Jahreswert: {years}.", "Years without an annual figure: {years}."),
    "measures_differ": (
        "Ankünfte (Zugang), Erstanträge, Anträge insgesamt und Anträge ohne Abgrenzung sind verschiedene Größen; "
        "Muster der Balken = Kennzahl, Farbe = Quelle.",
        "Arrivals (intake), first applications, all applications and applications without a stated definition are "
        "different measures; bar pattern = measure, colour = source."),
    "partial_note": (
        "Teiljahr: Summe über den genannten Zeitraum (waagerechte Spanne), Monatswert: ein Monat (Punkt); "
        "nicht mit Jahreswerten vergleichbar.",
        "Part of year: total over the stated period (horizontal span); month: one month (point); "
        "not comparable with annual figures."),
    "benefits_note": ("Stichtag 31.12.{year}; Gebietsstand mit 23 Kreisen (Eisenach kreisfrei).",
                      "Reference date 31 Dec {year}; 23-district layout (Eisenach a separate city)."),
    "benefits_press_note": (
        "Amtliche Reihe (Regionalstatistik 22221, 2010–2015) und Landeswerte aus Presseseiten mit eigener Quelle; "
        "wo beide für denselben Stichtag vorliegen, sind beide gezeigt.",
        "Official series (Regionalstatistik 22221, 2010–2015) and Land totals from press pages with their own "
        "source; where both exist for the same date, both are shown."),
    "ps_total_note": (
        "Summe der nicht überlappenden Statuskategorien anerkannt (AK-1), offen (OF) und ohne Schutzstatus (X) über "
        "die auf Vielfache von 5 gerundeten Einzelzellen Geschlecht × Staatsangehörigkeit; leicht unter der amtlichen "
        "Summe.",
        "Sum of the non-overlapping status categories recognised (AK-1), open (OF) and without status (X) over the "
        "single cells sex × nationality, each rounded to a multiple of 5; slightly below the official total."),
    "ps_rate_note": (
        "Je 1.000 Einwohner: hier berechnet aus zwei amtlichen Zahlen, Schutzsuchende (12531-0043) geteilt durch "
        "Bevölkerung am 31.12.2024 (12411-01-01-4) mal 1.000.",
        "Per 1,000 inhabitants: computed here from two official figures, persons seeking protection (12531-0043) "
        "divided by population on 31 Dec 2024 (12411-01-01-4) times 1,000."),
    "ps_status_note": (
        "Die Kategorien sind hierarchisch: anerkannt (AK-1) = befristet (AK-2) + unbefristet (AK-5), befristet = aus "
        "Asylverfahren (AK-3) + nicht aus Asylverfahren (AK-4); ausreisepflichtig (geduldet, vollziehbar, latent) "
        "sind Teil von „ohne Schutzstatus“. Nur die oberste Ebene ergibt zusammen die Gesamtzahl {total}.",
        "The categories are hierarchical: recognised (AK-1) = temporary (AK-2) + permanent (AK-5), temporary = from "
        "asylum procedure (AK-3) + not from asylum procedure (AK-4); obliged to leave (tolerated, enforceable, "
        "latent) are part of “without protection status”. Only the top level adds up to the total {total}."),
    "ps_nationality_note": ("Die {top} häufigsten von {count} Staatsangehörigkeiten; Summe der obersten Statusebene.",
                            "The {top} most frequent of {count} nationalities; sum of the top status level."),
    "inkar_note": (
        "Kreise mit Erstaufnahmeeinrichtung zeigen Spitzen (z. B. Saale-Holzland-Kreis 2015: 88,49 Asylbewerber je "
        "1.000 Einwohner; Suhl 2015: Zuzugsrate 345,3): dort werden Asylsuchende zunächst zentral untergebracht.",
        "Districts with initial-reception facilities show spikes (e.g. Saale-Holzland-Kreis 2015: 88.49 asylum "
        "seekers per 1,000 inhabitants; Suhl 2015: in-migration rate 345.3): asylum seekers are first housed there."),
    "map_layout": ("Karte: Gebietsstand mit {n} Kreisen (für den Zeitraum {period}).",
                   "Map: layout with {n} districts (for the period {period})."),
    "thinned": ("{shown} von {total} Zeiträumen gezeigt (gleichmäßig verteilt, erster und letzter immer dabei; "
                "nichts gemittelt oder addiert). Jeden Wert zeigt der Explorer für einen eingegrenzten Zeitraum.",
                "{shown} of {total} periods shown (evenly spaced, first and last always included; nothing averaged "
                "or added up). The Explorer shows every value for a narrower period range."),
}

CONFIDENCE = {"high": ("hoch", "high"), "medium": ("mittel", "medium"), "low": ("niedrig", "low")}

#: Thuringia's annual asylum figures, in the order of the bar slots within a year.
YEAR_MEASURES = ["asylum_arrivals", "asylum_first_applications", "asylum_applications_total",
                 "asylum_applications_unspecified"]
#: Part-year and monthly figures shown as spans/points.
PARTIAL_MEASURES = [*YEAR_MEASURES, "asylum_follow_up_applications", "asylum_seekers_registered"]
#: Bar patterns tell the measures apart (colour tells the sources apart).
PATTERNS = {"asylum_arrivals": "", "asylum_first_applications": "/", "asylum_applications_total": "x",
            "asylum_applications_unspecified": "."}
FIRST_YEAR, LAST_YEAR = 2014, 2025
#: Most part-year/monthly figures the part-year chart draws (a span carries its hover text twice: ~600 bytes).
MAX_PARTIAL_POINTS = 600
BENEFITS_SOURCE = "regionalstatistik-22221-01-01-4"
POPULATION_2024_SOURCE = "destatis-12411-01-01-4-2024"
INKAR_INDICATORS = ["asylum_seekers_per_1000_inhabitants", "unemployment_rate", "in_migration_rate",
                    "out_migration_rate"]
#: 12531 status codes in the order of the hierarchy, with their depth (0 = top level, sums to the total).
STATUS_TREE = [("SCHUTZST-AK-1", 0), ("SCHUTZST-AK-2", 1), ("SCHUTZST-AK-3", 2), ("SCHUTZST-AK-4", 2),
               ("SCHUTZST-AK-5", 1), ("SCHUTZST-OF", 0), ("SCHUTZST-X", 0), ("AUSRPFL-G", 1), ("AUSRPFL-V", 1),
               ("AUSRPFL-L", 1)]


def label(key: str, lang: str, **values) -> str:
    return translate(LABELS, key, lang, **values)


def _source_rows(frames: dict, source_ids) -> dict[str, dict]:
    sources = frames["sources"]
    chosen = sources[sources["source_id"].isin(list(source_ids))]
    return {row.source_id: {"title": row.title, "confidence": row.confidence} for row in chosen.itertuples()}


def _confidence(level: str, lang: str) -> str:
    pair = CONFIDENCE.get(str(level))
    return (pair[1] if lang == "en" else pair[0]) if pair else str(level)


def _wrap(text: str, width: int = 70) -> str:
    return "<br>".join(textwrap.wrap(html.escape(str(text)), width)) if text else ""


def _short(text: str, length: int = 48) -> str:
    text = str(text)
    return text if len(text) <= length else text[: length - 1] + "…"


def _totals(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows without any breakdown (the totals)."""
    mask = pd.Series(True, index=frame.index)
    for column in BREAKDOWNS:
        mask &= frame[column].fillna("") == ""
    return frame[mask]


def _value_and_source_columns(rows: pd.DataFrame, info: dict, lang: str) -> dict:
    """The table columns every asylum-figure chart shares: value, unit, source, its confidence, note."""
    return {
        label("value", lang): rows["value"],
        label("unit", lang): rows["unit"],
        label("source", lang): [info.get(s, {"title": s})["title"] for s in rows["source_id"]],
        label("confidence", lang): [_confidence(info.get(s, {}).get("confidence", ""), lang) for s in rows["source_id"]],
        label("note", lang): rows["note"],
    }


def _statements(frames: dict, indicator_ids, start: str, end: str) -> pd.DataFrame:
    chosen = relevant_statements(frames["policy_statements"], frames["claims"], indicator_ids=list(indicator_ids))
    dates = chosen["date"].astype(str).str[:10]
    return chosen[(dates >= start) & (dates <= end)]


# ---------------------------------------------------------------------------------------------------------------
# Asylum figures per year, part-year and month (Thuringia)

def _thuringia_asylum(frames: dict, measures) -> pd.DataFrame:
    indicators = frames["indicators"]
    rows = indicators[(indicators["region_code"] == THURINGIA) & indicators["indicator_id"].isin(list(measures))]
    return _totals(rows).dropna(subset=["value"])


def annual_conflicts(rows: pd.DataFrame) -> dict[int, pd.DataFrame]:
    """Years with conflicting figures: the same measure from several sources with different values, or a
    figure whose note records a deviating figure from another source. Rows: year, indicator_id, value, source_id."""
    conflicts: dict[int, pd.DataFrame] = {}
    for (year, _indicator), group in rows.groupby(["year", "indicator_id"]):
        if group["source_id"].nunique() > 1 and group["value"].nunique() > 1:
            conflicts[int(year)] = pd.concat([conflicts.get(int(year), group.iloc[:0]), group])
    noted = rows[rows["note"].str.contains("abweichende Angabe", case=False, regex=False)]
    for year, group in noted.groupby("year"):
        conflicts[int(year)] = pd.concat([conflicts.get(int(year), group.iloc[:0]), group]).drop_duplicates()
    return dict(sorted(conflicts.items()))


@uses("indicators", "sources", "policy_statements", "claims")
def asylum_per_year(frames: dict, *, lang: str, markers: bool = False) -> ChartResult:
    """Arrivals and first/total/unspecified applications per year 2014–2025, every source side by side."""
    rows = _thuringia_asylum(frames, YEAR_MEASURES)
    rows = rows[rows["period"].str.fullmatch(r"\d{4}")].copy()
    rows["year"] = rows["period"].astype(int)
    rows = rows[rows["year"].between(FIRST_YEAR, LAST_YEAR)]
    rows["slot"] = rows["indicator_id"].map({m: i for i, m in enumerate(YEAR_MEASURES)})
    rows = rows.sort_values(["year", "slot", "source_id"], kind="stable").reset_index(drop=True)
    info = _source_rows(frames, rows["source_id"].unique())
    slot_width = 0.8 / len(YEAR_MEASURES)
    positions, widths = [], []
    for _, group in rows.groupby(["year", "slot"], sort=False):
        share = slot_width / len(group)
        # NOTE: a year's bars fill [year + 0.1, year + 0.9], so a statement marker at its fractional date
        # falls inside the year it was made in.
        start = group["year"].iloc[0] + 0.1 + group["slot"].iloc[0] * slot_width
        for j in range(len(group)):
            positions.append(start + (j + 0.5) * share)
            widths.append(share * 0.92)
    rows["x"], rows["width"] = positions, widths

    figure = go.Figure()
    source_order = list(dict.fromkeys(rows.sort_values(["year", "slot"])["source_id"]))
    for index, source_id in enumerate(source_order):
        part = rows[rows["source_id"] == source_id]
        source = info.get(source_id, {"title": source_id, "confidence": ""})
        hover = [f"<b>{html.escape(indicator_title(r.indicator_id, lang))} {r.year}: "
                 f"{number(r.value, lang)} {html.escape(r.unit)}</b><br>{_wrap(source['title'])}<br>"
                 f"{label('confidence', lang)}: {_confidence(source['confidence'], lang)}"
                 + (f"<br>{_wrap(r.note)}" if r.note else "") for r in part.itertuples()]
        figure.add_trace(go.Bar(
            x=part["x"], y=part["value"], width=part["width"], name=_short(source["title"]),
            marker={"color": style.PALETTE[index % len(style.PALETTE)],
                    "pattern": {"shape": [PATTERNS[m] for m in part["indicator_id"]], "fillmode": "overlay",
                                "fgcolor": "#FFFFFF"}},
            hovertext=hover, hovertemplate="%{hovertext}<extra></extra>", legendgroup="sources"))
    for measure in YEAR_MEASURES:
        figure.add_trace(go.Bar(x=[None], y=[None], name=indicator_title(measure, lang), showlegend=True,
                                marker={"color": "#9E9E9E", "pattern": {"shape": PATTERNS[measure],
                                                                        "fgcolor": "#FFFFFF"}},
                                legendgroup="measures", hoverinfo="skip"))
    if rows.empty:
        style.no_data(figure, lang)
    figure.update_layout(barmode="overlay", bargap=0, height=520)
    years = list(range(FIRST_YEAR, LAST_YEAR + 1))
    figure.update_xaxes(tickvals=[y + 0.5 for y in years], ticktext=[str(y) for y in years],
                        range=[FIRST_YEAR, LAST_YEAR + 1], showgrid=False)
    style.apply(figure, lang=lang, x_title=label("year", lang), y_title=label("count_axis", lang))
    if markers:
        add_statement_markers(figure, _statements(frames, PARTIAL_MEASURES, f"{FIRST_YEAR}-01-01",
                                                  f"{LAST_YEAR}-12-31"), x_is_year=True)

    conflicts = annual_conflicts(rows)
    items = []
    for year, group in conflicts.items():
        parts = [f"{indicator_title(r.indicator_id, lang)} {number(r.value, lang)} "
                 f"({info.get(r.source_id, {'title': r.source_id})['title']})" for r in group.itertuples()]
        items.append(f"{year}: " + " / ".join(parts))
    notes = [label("measures_differ", lang),
             label("conflicts", lang, items="; ".join(items)) if items else label("no_conflicts", lang)]
    without = [str(y) for y in range(FIRST_YEAR, LAST_YEAR + 1) if y not in set(rows["year"])]
    if without:
        notes.append(label("years_without", lang, years=", ".join(without)))
    table = pd.DataFrame({
        label("year", lang): rows["year"],
        label("measure", lang): [indicator_title(m, lang) for m in rows["indicator_id"]],
        **_value_and_source_columns(rows, info, lang),
    })
    alt = " ".join(describe_series(part["year"], part["value"], what=indicator_title(measure, lang),
                                   unit=part["unit"].iloc[0], lang=lang)
                   for measure, part in rows.groupby("indicator_id", sort=False)
                   if measure in ("asylum_arrivals", "asylum_first_applications"))
    alt = alt or style.no_data_alt(f"{indicator_title('asylum_arrivals', lang)} {FIRST_YEAR}–{LAST_YEAR}", lang)
    return ChartResult(figure, table, alt, sorted(info), list(asylum_per_year.datasets), notes)


def _span(period: str) -> tuple[pd.Timestamp, pd.Timestamp, str]:
    """Start, end and kind ('month', 'part_year' or 'span') of a non-annual period."""
    first, last = (period.split("/") + [period])[:2] if "/" in period else (period, period)
    start = pd.Timestamp(first if len(first) > 4 else f"{first}-01-01")
    end = pd.Timestamp(period_end(last))
    if "/" not in period and re.fullmatch(r"\d{4}-\d{2}", period):
        return start, end, "month"
    return start, end, "part_year" if start.year == end.year else "span"


@uses("indicators", "sources", "policy_statements", "claims")
def asylum_partial_periods(frames: dict, *, lang: str, markers: bool = False) -> ChartResult:
    """Part-year figures as horizontal spans over their period, monthly figures as points (Thuringia)."""
    rows = _thuringia_asylum(frames, PARTIAL_MEASURES)
    rows = rows[~rows["period"].str.fullmatch(r"\d{4}")].copy()
    spans = [_span(p) for p in rows["period"]]
    rows["start"] = [s[0] for s in spans]
    rows["end"] = [s[1] for s in spans]
    rows["kind"] = [s[2] for s in spans]
    rows = rows.sort_values(["start", "indicator_id", "source_id"], kind="stable").reset_index(drop=True)
    budget, every_period = MAX_PARTIAL_POINTS, rows["period"].nunique()
    while True:
        drawn, thinned = thin_periods(rows, lang=lang, max_points=budget)
        figure = _partial_figure(frames, drawn.reset_index(drop=True), lang=lang)
        # NOTE: long source titles and notes make each figure heavier; halve the budget until the figure fits.
        if len(drawn) <= 2 or budget < 50 or figure_json_bytes(figure) <= MAX_FIGURE_JSON_BYTES * 0.8:
            break
        budget //= 2
    rows = drawn.reset_index(drop=True)
    info = _source_rows(frames, rows["source_id"].unique())
    notes = [label("partial_note", lang)]
    if thinned:
        notes.append(label("thinned", lang, shown=rows["period"].nunique(), total=every_period))
    if rows.empty:
        style.no_data(figure, lang)
    style.apply(figure, lang=lang, x_title=label("period", lang), y_title=label("count_axis", lang))
    if markers:
        add_statement_markers(figure, _statements(frames, PARTIAL_MEASURES, f"{FIRST_YEAR}-01-01",
                                                  f"{LAST_YEAR}-12-31"))
    table = pd.DataFrame({
        label("period", lang): rows["period"],
        label("kind", lang): [label(k, lang) for k in rows["kind"]],
        label("measure", lang): [indicator_title(m, lang) for m in rows["indicator_id"]],
        **_value_and_source_columns(rows, info, lang),
    })
    arrivals = rows[rows["indicator_id"] == "asylum_arrivals"]
    alt = describe_series(arrivals["period"], arrivals["value"],
                          what=f"{indicator_title('asylum_arrivals', lang)} ({label('part_year', lang)}/"
                               f"{label('month', lang)})", unit=label("persons", lang), lang=lang)
    alt += " " + ("{n} part-year or monthly figures in all." if lang == "en"
                  else "Insgesamt {n} Teiljahres- oder Monatswerte.").format(n=len(rows))
    return ChartResult(figure, table, alt, sorted(info), list(asylum_partial_periods.datasets), notes)


def _partial_figure(frames: dict, rows: pd.DataFrame, *, lang: str) -> go.Figure:
    """Spans (part-years, periods) and points (months) of `rows`, one trace per measure and kind."""
    info = _source_rows(frames, rows["source_id"].unique())

    def hover(r) -> str:
        source = info.get(r.source_id, {"title": r.source_id, "confidence": ""})
        return (f"<b>{html.escape(indicator_title(r.indicator_id, lang))} ({label(r.kind, lang)} {r.period}): "
                f"{number(r.value, lang)} {html.escape(r.unit)}</b><br>{_wrap(source['title'])}<br>"
                f"{label('confidence', lang)}: {_confidence(source['confidence'], lang)}"
                + (f"<br>{_wrap(r.note)}" if r.note else ""))

    figure = go.Figure()
    for index, measure in enumerate(PARTIAL_MEASURES):
        colour = style.PALETTE[index % len(style.PALETTE)]
        part = rows[rows["indicator_id"] == measure]
        intervals = part[part["kind"] != "month"]
        if not intervals.empty:
            xs, ys, texts = [], [], []
            for r in intervals.itertuples():
                xs += [r.start.strftime("%Y-%m-%d"), r.end.strftime("%Y-%m-%d"), None]
                ys += [r.value, r.value, None]
                texts += [hover(r), hover(r), None]
            figure.add_trace(go.Scatter(
                x=xs, y=ys, mode="lines+markers", line={"color": colour, "width": 5},
                marker={"color": colour, "size": 7, "symbol": "line-ns-open"},
                name=f"{indicator_title(measure, lang)} – {label('part_year', lang)}",
                hovertext=texts, hovertemplate="%{hovertext}<extra></extra>"))
        months = part[part["kind"] == "month"]
        if not months.empty:
            middle = [(r.start + (r.end - r.start) / 2).strftime("%Y-%m-%d") for r in months.itertuples()]
            figure.add_trace(go.Scatter(
                x=middle, y=months["value"], mode="markers", marker={"color": colour, "size": 10, "symbol": "circle"},
                name=f"{indicator_title(measure, lang)} – {label('month', lang)}",
                hovertext=[hover(r) for r in months.itertuples()], hovertemplate="%{hovertext}<extra></extra>"))
    figure.update_xaxes(type="date", range=[f"{FIRST_YEAR}-01-01", f"{LAST_YEAR}-12-31"])
    figure.update_layout(height=480)
    return figure


# ---------------------------------------------------------------------------------------------------------------
# Recipients of asylum-seeker benefits (22221, 2010–2015) and the Land totals from press pages

def _benefit_totals(frames: dict) -> pd.DataFrame:
    indicators = frames["indicators"]
    rows = indicators[indicators["indicator_id"] == "asylum_benefit_recipients"]
    rows = _totals(rows).copy()
    rows["year"] = rows["period"].str[:4].astype(int)
    return rows


@uses("indicators", "districts", "sources")
def asylum_benefits_map(frames: dict, *, lang: str, year: int = 2015) -> ChartResult:
    """Recipients of standard asylum-seeker benefits on 31.12. of `year`, by district (official 22221)."""
    rows = _benefit_totals(frames)
    rows = rows[(rows["source_id"] == BENEFITS_SOURCE) & (rows["year"] == int(year))
                & rows["region_code"].str.fullmatch(r"16\d{3}")]
    period = f"{int(year)}-12-31"
    unit = label("persons", lang)
    figure = maps.choropleth(rows[["region_code", "value"]], period=period, lang=lang, title=None, unit=unit,
                             districts=frames["districts"], value_label=unit)
    table = pd.DataFrame({label("district", lang): rows["region_name"], label("code", lang): rows["region_code"],
                          label("period", lang): period, label("value", lang): rows["value"],
                          label("unit", lang): unit}).reset_index(drop=True)
    alt = _map_alt(rows, indicator_title("asylum_benefit_recipients", lang) + f" 31.12.{int(year)}", unit, lang)
    if rows["value"].dropna().empty:
        style.no_data(figure, lang)
    n = len(maps.map_region_codes(figure))
    return ChartResult(figure, table, alt, [BENEFITS_SOURCE, *_districts_source(frames, period)],
                       list(asylum_benefits_map.datasets),
                       [label("benefits_note", lang, year=int(year)), label("map_layout", lang, n=n, period=period)])


@uses("indicators", "sources")
def asylum_benefits_lines(frames: dict, *, lang: str, regions: list[str] | tuple[str, ...] = ()) -> ChartResult:
    """Benefit recipients 2010–2015 (official 22221) for the chosen districts, one line each."""
    rows = _benefit_totals(frames)
    rows = rows[(rows["source_id"] == BENEFITS_SOURCE) & rows["region_code"].isin(list(regions))]
    rows = rows.sort_values(["region_code", "year"]).reset_index(drop=True)
    figure = go.Figure()
    unit = label("persons", lang)
    for code, part in rows.groupby("region_code", sort=False):
        name = part["region_name"].iloc[0]
        figure.add_trace(go.Scatter(
            x=part["year"], y=part["value"], mode="lines+markers", name=name,
            hovertext=[f"{html.escape(name)} 31.12.{y}: {number(v, lang)} {unit}" for y, v in
                       zip(part["year"], part["value"])], hovertemplate="%{hovertext}<extra></extra>"))
    if rows.empty:
        style.no_data(figure, lang)
    figure.update_xaxes(tickformat="d", dtick=1)
    style.apply(figure, lang=lang, x_title=label("year", lang) + " (31.12.)", y_title=unit)
    table = pd.DataFrame({label("region", lang): rows["region_name"], label("code", lang): rows["region_code"],
                          label("period", lang): rows["period"], label("value", lang): rows["value"],
                          label("unit", lang): unit})
    alt = " ".join(describe_series(part["year"], part["value"], what=part["region_name"].iloc[0], unit=unit, lang=lang)
                   for _, part in rows.groupby("region_code", sort=False)) or describe_series(
        pd.Series([], dtype=int), pd.Series([], dtype=float), what=indicator_title("asylum_benefit_recipients", lang),
        unit=unit, lang=lang)
    return ChartResult(figure, table, alt, [BENEFITS_SOURCE], list(asylum_benefits_lines.datasets),
                       [label("benefits_press_note", lang)])


@uses("indicators", "sources", "policy_statements", "claims")
def asylum_benefits_thuringia(frames: dict, *, lang: str, markers: bool = False) -> ChartResult:
    """Thuringia's benefit recipients: the official series beside the totals from press pages, each with its source."""
    rows = _benefit_totals(frames)
    rows = rows[rows["region_code"] == THURINGIA].sort_values(["year", "source_id"]).reset_index(drop=True)
    info = _source_rows(frames, rows["source_id"].unique())
    unit = label("persons", lang)
    figure = go.Figure()
    official = rows[rows["source_id"] == BENEFITS_SOURCE]
    press = rows[rows["source_id"] != BENEFITS_SOURCE]

    def hover(r) -> str:
        source = info.get(r.source_id, {"title": r.source_id, "confidence": ""})
        return (f"<b>31.12.{r.year}: {number(r.value, lang)} {unit}</b><br>{_wrap(source['title'])}<br>"
                f"{label('confidence', lang)}: {_confidence(source['confidence'], lang)}"
                + (f"<br>{_wrap(r.note)}" if r.note else ""))

    figure.add_trace(go.Scatter(x=official["year"], y=official["value"], mode="lines+markers",
                                name=f"{label('official', lang)}: {_short(info.get(BENEFITS_SOURCE, {'title': ''})['title'])}",
                                line={"color": style.PALETTE[0], "width": 3},
                                hovertext=[hover(r) for r in official.itertuples()],
                                hovertemplate="%{hovertext}<extra></extra>"))
    symbols = ["diamond", "square", "triangle-up", "cross", "x"]
    for index, (source_id, part) in enumerate(press.groupby("source_id", sort=False)):
        figure.add_trace(go.Scatter(
            x=part["year"] + 0.08 * (index + 1), y=part["value"], mode="markers",
            name=_short(info.get(source_id, {"title": source_id})["title"]),
            marker={"color": style.PALETTE[(index + 1) % len(style.PALETTE)], "size": 11,
                    "symbol": symbols[index % len(symbols)]},
            hovertext=[hover(r) for r in part.itertuples()], hovertemplate="%{hovertext}<extra></extra>"))
    if rows.empty:
        style.no_data(figure, lang)
    figure.update_xaxes(tickformat="d", dtick=1)
    style.apply(figure, lang=lang, x_title=label("year", lang) + " (31.12.)", y_title=unit)
    if markers and not rows.empty:
        add_statement_markers(figure, _statements(frames, ["asylum_benefit_recipients"],
                                                  f"{rows['year'].min()}-01-01", f"{rows['year'].max() + 1}-12-31"),
                              x_is_year=True)
    table = pd.DataFrame({
        label("period", lang): rows["period"], label("value", lang): rows["value"], label("unit", lang): unit,
        label("source", lang): [info.get(s, {"title": s})["title"] for s in rows["source_id"]],
        label("confidence", lang): [_confidence(info.get(s, {}).get("confidence", ""), lang) for s in rows["source_id"]],
        label("note", lang): rows["note"]})
    alt = describe_series(official["year"], official["value"],
                          what=indicator_title("asylum_benefit_recipients", lang) + " "
                          + ("Thuringia" if lang == "en" else "Thüringen"), unit=unit, lang=lang)
    return ChartResult(figure, table, alt, sorted(info), list(asylum_benefits_thuringia.datasets),
                       [label("benefits_press_note", lang)])


# ---------------------------------------------------------------------------------------------------------------
# Protection seekers on 31.12.2024 (12531-0043)

def _protection_cells(frames: dict) -> pd.DataFrame:
    indicators = frames["indicators"]
    rows = indicators[(indicators["indicator_id"] == "protection_seekers")
                      & (indicators["source_id"] == PROTECTION_SEEKERS.source_id)
                      & indicators["region_code"].str.fullmatch(r"16\d{3}")].copy()
    rows["status_code"] = protection_status_code(rows)
    return rows


def protection_seekers_by_district(frames: dict) -> pd.DataFrame:
    """region_code, region_name, period, protection_seekers (top-level statuses summed), population, per_1000."""
    cells = _protection_cells(frames)
    top = cells[is_top_level_protection_status(cells)]
    totals = top.groupby(["region_code", "region_name", "period"], as_index=False)["value"].sum(min_count=1)
    totals = totals.rename(columns={"value": "protection_seekers"})
    indicators = frames["indicators"]
    population = indicators[(indicators["indicator_id"] == "population")
                            & (indicators["source_id"] == POPULATION_2024_SOURCE)]
    population = _totals(population)[["region_code", "period", "value"]].rename(columns={"value": "population"})
    merged = totals.merge(population, on=["region_code", "period"], how="left")
    merged["per_1000"] = merged["protection_seekers"] / merged["population"] * 1000
    return merged.sort_values("region_code").reset_index(drop=True)


@uses("indicators", "districts", "sources")
def protection_seekers_map(frames: dict, *, lang: str, measure: str = "absolute") -> ChartResult:
    """Protection seekers 31.12.2024 by district, absolute or per 1,000 inhabitants."""
    rows = protection_seekers_by_district(frames)
    # NOTE: one map shows one reference date; the newest is drawn and the table holds just its rows.
    period = max(rows["period"].astype(str), key=period_end) if len(rows) else "2024-12-31"
    rows = rows[rows["period"].astype(str) == period].reset_index(drop=True)
    per_1000 = measure == "per_1000"
    unit = label("per_1000", lang) if per_1000 else label("persons", lang)
    values = rows.assign(value=rows["per_1000"] if per_1000 else rows["protection_seekers"])
    detail_other = [f"{number(v, lang, 0)} {label('persons', lang)}" if per_1000 else
                    f"{number(r, lang, 1)} {label('per_1000', lang)}"
                    for v, r in zip(rows["protection_seekers"], rows["per_1000"])]
    values["detail"] = detail_other
    figure = maps.choropleth(values[["region_code", "value", "detail"]], period=period, lang=lang, title=None,
                             unit=unit, districts=frames["districts"], value_label=unit,
                             decimals=1 if per_1000 else 0)
    table = pd.DataFrame({
        label("district", lang): rows["region_name"], label("code", lang): rows["region_code"],
        label("period", lang): rows["period"], label("protection_seekers", lang): rows["protection_seekers"],
        label("population", lang): rows["population"], label("per_1000", lang): rows["per_1000"].round(1)})
    alt = _map_alt(values, f"{label('protection_seekers', lang)} 31.12.2024 ({unit})", unit, lang,
                   decimals=1 if per_1000 else 0)
    if values["value"].dropna().empty:
        style.no_data(figure, lang)
    notes = [label("ps_total_note", lang)]
    source_ids = [PROTECTION_SEEKERS.source_id]
    if per_1000:
        notes.append(label("ps_rate_note", lang))
        source_ids.append(POPULATION_2024_SOURCE)
    notes.append(label("map_layout", lang, n=len(maps.map_region_codes(figure)), period=period))
    return ChartResult(figure, table, alt, [*source_ids, *_districts_source(frames, period)],
                       list(protection_seekers_map.datasets), notes)


@uses("indicators", "sources")
def protection_seekers_status(frames: dict, *, lang: str) -> ChartResult:
    """Protection seekers in Thuringia by status: the top level (adds up) and its sub-categories (do not add)."""
    cells = _protection_cells(frames)
    by_code = cells.groupby("status_code")["value"].sum(min_count=1)
    label_of = cells.drop_duplicates("status_code").set_index("status_code")["status"]
    unit = label("persons", lang)
    tree = [(code, depth) for code, depth in STATUS_TREE if code in by_code.index]
    names = [("\u2003" * depth) + ("davon " if depth and lang != "en" else "of which " if depth else "")
             + str(label_of.get(code, code)) for code, depth in tree]
    values = [float(by_code[code]) for code, _ in tree]
    depths = [depth for _, depth in tree]
    total = sum(v for v, d in zip(values, depths) if d == 0) if 0 in depths else None
    figure = go.Figure()
    if not tree:
        style.no_data(figure, lang)
    for level, key, colour in ((0, "top_level", style.PALETTE[0]), (1, "sub_level", style.PALETTE[5])):
        chosen = [i for i, d in enumerate(depths) if (d == 0) == (level == 0)]
        figure.add_trace(go.Bar(
            y=[names[i] for i in chosen], x=[values[i] for i in chosen], orientation="h", name=label(key, lang),
            marker={"color": colour},
            hovertext=[f"{html.escape(names[i].strip())}: {number(values[i], lang)} {unit}" for i in chosen],
            hovertemplate="%{hovertext}<extra></extra>"))
    figure.update_yaxes(categoryorder="array", categoryarray=names[::-1], title_text=label("status", lang))
    figure.update_layout(height=460, barmode="overlay")
    style.apply(figure, lang=lang, x_title=f"{label('protection_seekers', lang)} ({unit})")
    figure.update_xaxes(tickformat=",~r")
    table = pd.DataFrame({label("status", lang): [str(label_of.get(c, c)) for c, _ in tree],
                          label("code", lang): [c for c, _ in tree],
                          label("level", lang): [label("top_level" if d == 0 else "sub_level", lang) for d in depths],
                          label("value", lang): values, label("unit", lang): unit})
    top_names = [names[i].strip() for i, d in enumerate(depths) if d == 0]
    top_values = [values[i] for i, d in enumerate(depths) if d == 0]
    alt = (f"{label('protection_seekers', lang)} 31.12.2024 "
           + ("in Thuringia: " if lang == "en" else "in Thüringen: ")
           + ", ".join(f"{n} {number(v, lang)}" for n, v in zip(top_names, top_values))
           + (f"; total {number(total, lang)} {unit}." if lang == "en" else f"; zusammen {number(total, lang)} {unit}."))
    if not top_values:
        alt = style.no_data_alt(f"{label('protection_seekers', lang)} 31.12.2024", lang)
    return ChartResult(figure, table, alt, [PROTECTION_SEEKERS.source_id], list(protection_seekers_status.datasets),
                       [label("ps_status_note", lang, total=number(total, lang)), label("ps_total_note", lang)])


@uses("indicators", "sources")
def protection_seekers_nationalities(frames: dict, *, lang: str, top: int = 15) -> ChartResult:
    """The most frequent nationalities of protection seekers in Thuringia, stacked by top-level status."""
    cells = _protection_cells(frames)
    top_cells = cells[is_top_level_protection_status(cells)]
    by_nationality = top_cells.groupby("nationality")["value"].sum(min_count=1).sort_values(ascending=False)
    chosen = by_nationality.head(int(top))
    unit = label("persons", lang)
    figure = go.Figure()
    if chosen.dropna().empty:
        style.no_data(figure, lang)
        style.apply(figure, lang=lang, x_title=f"{label('protection_seekers', lang)} ({unit})",
                    y_title=label("nationality", lang))
        columns = [label(key, lang) for key in ("nationality", "status", "code", "value", "unit")]
        return ChartResult(figure, pd.DataFrame({column: pd.Series(dtype="object") for column in columns}),
                           style.no_data_alt(label("protection_seekers", lang) + " 31.12.2024", lang), [],
                           list(protection_seekers_nationalities.datasets), [label("ps_total_note", lang)])
    pivot = (top_cells[top_cells["nationality"].isin(chosen.index)]
             .groupby(["nationality", "status_code", "status"], as_index=False)["value"].sum(min_count=1))
    for index, (code, _depth) in enumerate([t for t in STATUS_TREE if t[1] == 0]):
        part = pivot[pivot["status_code"] == code].set_index("nationality").reindex(chosen.index)
        name = part["status"].dropna().iloc[0] if part["status"].notna().any() else code
        figure.add_trace(go.Bar(
            y=list(chosen.index), x=part["value"].tolist(), orientation="h", name=name,
            marker={"color": style.PALETTE[index]},
            hovertext=[f"{html.escape(n)} – {html.escape(name)}: {number(v, lang)} {unit}"
                       for n, v in zip(chosen.index, part["value"])],
            hovertemplate="%{hovertext}<extra></extra>"))
    figure.update_yaxes(categoryorder="array", categoryarray=list(chosen.index)[::-1],
                        title_text=label("nationality", lang))
    figure.update_layout(barmode="stack", height=max(360, 26 * len(chosen) + 120))
    style.apply(figure, lang=lang, x_title=f"{label('protection_seekers', lang)} ({unit})")
    figure.update_xaxes(tickformat=",~r")
    table = (pivot.merge(chosen.rename("total"), left_on="nationality", right_index=True)
             .sort_values(["total", "nationality", "status_code"], ascending=[False, True, True]))
    table = pd.DataFrame({label("nationality", lang): table["nationality"], label("status", lang): table["status"],
                          label("code", lang): table["status_code"], label("value", lang): table["value"],
                          label("unit", lang): unit}).reset_index(drop=True)
    alt = (("Most frequent nationalities of protection seekers in Thuringia on 31 Dec 2024: "
            if lang == "en" else "Häufigste Staatsangehörigkeiten der Schutzsuchenden in Thüringen am 31.12.2024: ")
           + ", ".join(f"{n} {number(v, lang)}" for n, v in chosen.head(3).items()) + ".")
    return ChartResult(figure, table, alt, [PROTECTION_SEEKERS.source_id],
                       list(protection_seekers_nationalities.datasets),
                       [label("ps_nationality_note", lang, top=len(chosen), count=len(by_nationality)),
                        label("ps_total_note", lang)])


# ---------------------------------------------------------------------------------------------------------------
# INKAR rates by district

def _inkar_rows(frames: dict, indicator: str) -> pd.DataFrame:
    indicators = frames["indicators"]
    return indicators[(indicators["indicator_id"] == indicator) & indicators["region_code"].str.fullmatch(r"16\d{3}")]


@uses("indicators", "districts", "sources")
def inkar_map(frames: dict, *, lang: str, indicator: str = "asylum_seekers_per_1000_inhabitants",
              year: int | str | None = None) -> ChartResult:
    """One INKAR rate by district for one year."""
    rows = _inkar_rows(frames, indicator)
    years = sorted(rows["period"].unique())
    period = str(year) if year is not None and str(year) in years else (years[-1] if years else "2020")
    rows = rows[rows["period"] == period]
    unit = rows["unit"].iloc[0] if len(rows) else ""
    title = indicator_title(indicator, lang)
    figure = maps.choropleth(rows[["region_code", "value"]], period=period, lang=lang, title=None, unit=unit,
                             districts=frames["districts"], value_label=unit)
    table = pd.DataFrame({label("district", lang): rows["region_name"], label("code", lang): rows["region_code"],
                          label("period", lang): rows["period"], label("measure", lang): title,
                          label("value", lang): rows["value"], label("unit", lang): unit}).reset_index(drop=True)
    alt = _map_alt(rows, f"{title} {period}", unit, lang, decimals=2)
    if rows["value"].dropna().empty:
        style.no_data(figure, lang)
    return ChartResult(figure, table, alt, sorted(rows["source_id"].unique()) + _districts_source(frames, period),
                       list(inkar_map.datasets),
                       [label("inkar_note", lang),
                        label("map_layout", lang, n=len(maps.map_region_codes(figure)), period=period)])


# ---------------------------------------------------------------------------------------------------------------
# Options of the page's widgets (computed once per data version via ui.data.derived)

@uses("indicators")
def page_options(frames: dict, *, lang: str) -> dict:
    """Widget options: benefit years, district names, INKAR indicators with their titles and years."""
    benefits = _benefit_totals(frames)
    official = benefits[benefits["source_id"] == BENEFITS_SOURCE]
    regions = official[official["region_code"].str.fullmatch(r"16\d{0,3}")].drop_duplicates("region_code")
    inkar = {}
    for indicator in INKAR_INDICATORS:
        years = sorted(_inkar_rows(frames, indicator)["period"].unique())
        if years:
            inkar[indicator] = {"title": indicator_title(indicator, lang), "years": [int(y) for y in years]}
    return {
        "benefit_years": sorted(int(y) for y in official["year"].unique()),
        "benefit_regions": dict(zip(regions["region_code"], regions["region_name"])),
        "inkar": inkar,
    }


# ---------------------------------------------------------------------------------------------------------------

def _districts_source(frames: dict, period: str) -> list[str]:
    districts = frames["districts"]
    return sorted(districts.loc[districts["layout"] == layout_for_period(period), "source_id"].unique())


def _map_alt(rows: pd.DataFrame, what: str, unit: str, lang: str, decimals: int = 0) -> str:
    data = rows.dropna(subset=["value"])
    if data.empty:
        return f"{what}: " + ("no figures available." if lang == "en" else "keine Angabe.")
    names = data["region_name"] if "region_name" in data else data["region_code"]
    high, low = data["value"].idxmax(), data["value"].idxmin()
    if lang == "en":
        return (f"{what} by district: highest {names[high]} ({number(data['value'][high], lang, decimals)} {unit}), "
                f"lowest {names[low]} ({number(data['value'][low], lang, decimals)} {unit}).")
    return (f"{what} nach Kreisen: Höchstwert {names[high]} ({number(data['value'][high], lang, decimals)} {unit}), "
            f"Tiefstwert {names[low]} ({number(data['value'][low], lang, decimals)} {unit}).")
