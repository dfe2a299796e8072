"""Figures and lists of the page "Rekrutierung": pilots on a time axis, target vs achieved, MobiPro-EU, statements."""
from __future__ import annotations

import calendar
import re

import pandas as pd
import plotly.graph_objects as go

from charts import style
from charts.base import ChartResult, uses
from charts.demand import bar_alt, date_text, finish
from charts.format import NO_VALUE, is_missing, number, translate
from charts.markers import add_statement_markers, relevant_statements
from charts.style import date_axis

COUNT_COLUMNS = ["target", "recruited", "started_training", "completed", "stayed"]
RECRUITMENT_TOPICS = ("rekrutierung",)
MOBIPRO_APPLICANTS = "mobipro_eu_applicants"
MOBIPRO_CONTEXT = ["mobipro_eu_applications", "mobipro_eu_participants_arrived", "mobipro_eu_federal_funds"]
SHORT_NAME = 52

FIELDS = {
    "pilot_id": ("Kennung", "Id"),
    "name": ("Name", "Name"),
    "origin_country": ("Herkunftsland", "Country of origin"),
    "sector": ("Branche", "Sector"),
    "region_code": ("Region", "Region"),
    "announced": ("Angekündigt", "Announced"),
    "start": ("Beginn", "Start"),
    "end": ("Ende", "End"),
    "target": ("Ziel (geplante Teilnehmende)", "Target (planned participants)"),
    "recruited": ("Angeworben", "Recruited"),
    "started_training": ("Ausbildung begonnen", "Started training"),
    "completed": ("Abgeschlossen", "Completed"),
    "stayed": ("In Thüringen geblieben", "Stayed in Thuringia"),
    "funding_eur": ("Förderung (EUR)", "Funding (EUR)"),
    "status": ("Stand", "Status"),
    "status_date": ("Stand vom", "Status as of"),
    "status_source_id": ("Quelle des Stands", "Source of the status"),
    "source_id": ("Quelle", "Source"),
    "note": ("Hinweis", "Note"),
}

LABELS = {
    "pilot": ("Projekt", "Pilot"),
    "field": ("Angabe", "Field"),
    "value": ("Wert", "Value"),
    "persons": ("Personen", "persons"),
    "date": ("Datum", "Date"),
    "span": ("Laufzeit", "Duration"),
    "highlight": ("Ausgewählt: {name}", "Selected: {name}"),
    "no_date": ("keine Angabe", "not available"),
    "timeline_alt": (
        "{dated} von {total} Projekten haben ein Datum; das früheste ist {first} ({first_name}), das späteste "
        "{last} ({last_name}). Ohne Datum: {undated}.",
        "{dated} of {total} pilots have a date; the earliest is {first} ({first_name}), the latest {last} "
        "({last_name}). Undated: {undated}."),
    "timeline_note_undated": ("Ohne Datum (nicht eingezeichnet, keine Angabe): {names}.",
                              "Without a date (not drawn, not available): {names}."),
    "timeline_note_precision": (
        "Nur als Jahr oder Monat bekannte Daten stehen am Anfang (Beginn, Ankündigung) bzw. am Ende (Ende) dieses "
        "Zeitraums; der Tooltip zeigt die Angabe wie veröffentlicht.",
        "Dates known only as a year or month sit at the start (start, announcement) or end (end) of that period; "
        "the tooltip shows the date as published."),
    "outcomes_alt": ("Teilnehmende laut Quellen", "Participants according to the sources"),
    "outcomes_note_none": ("Keine Teilnehmerzahlen veröffentlicht (keine Angabe, nicht 0): {names}.",
                           "No participant numbers published (not available, not 0): {names}."),
    "outcomes_note_scale": ("Geplante Zahlen (Ziel) und erreichte Zahlen stammen aus verschiedenen Projekten und "
                            "Zeitpunkten; fehlende Balken bedeuten „keine Angabe“.",
                            "Planned (target) and achieved figures come from different pilots and dates; a missing "
                            "bar means “not available”."),
    "mobipro_region": ("Deutschland gesamt", "Germany as a whole"),
    "country": ("Herkunftsland", "Country of origin"),
    "period": ("Zeitraum", "Period"),
    "mobipro_alt": ("MobiPro-EU-Antragstellende in Deutschland gesamt ({period}) nach Herkunftsland",
                    "MobiPro-EU applicants in Germany as a whole ({period}) by country of origin"),
    "mobipro_note_total": (
        "Deutschland gesamt, keine Zahlen für Thüringen. Antragstellende insgesamt: {total}; die {count} genannten "
        "Länder zusammen {sum}, die übrigen {rest} sind nicht nach Land veröffentlicht.",
        "Germany as a whole, no figures for Thuringia. Applicants in total: {total}; the {count} countries named "
        "account for {sum}, the remaining {rest} are not published by country."),
    "mobipro_note_context": ("{title} ({period}, Deutschland gesamt): {value} {unit} – {source}",
                             "{title} ({period}, Germany as a whole): {value} {unit} – {source}"),
    "statement_institution": ("Institution", "Institution"),
    "statement_speaker": ("Person", "Speaker"),
    "statement_title": ("Titel", "Title"),
    "statement_quote": ("Aussage", "Statement"),
    "statement_link": ("Link", "Link"),
    "statement_pilots": ("Projekte", "Pilots"),
    "statement_claims": ("Behauptungen", "Claims"),
    "source_title": ("Titel", "Title"),
    "source_publisher": ("Herausgeber", "Publisher"),
    "source_url": ("Adresse", "Address"),
    "source_role": ("für", "for"),
}


def _t(key: str, lang: str, **values) -> str:
    return translate(LABELS, key, lang, **values)


def _field(key: str, lang: str) -> str:
    return FIELDS[key][1 if lang == "en" else 0]


def _no_value(lang: str) -> str:
    return NO_VALUE["en" if lang == "en" else "de"]


def short_name(name: str) -> str:
    return name if len(name) <= SHORT_NAME else name[: SHORT_NAME - 1] + "…"


def period_bounds(text: str) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """'2015-07' → (1 Jul, 31 Jul 2015); '2026' → (1 Jan, 31 Dec 2026); a day → that day; '' → None."""
    text = str(text or "").strip()
    if match := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
        day = pd.Timestamp(text)
        return day, day
    if match := re.fullmatch(r"(\d{4})-(\d{2})", text):
        year, month = int(match.group(1)), int(match.group(2))
        return pd.Timestamp(year, month, 1), pd.Timestamp(year, month, calendar.monthrange(year, month)[1])
    if re.fullmatch(r"\d{4}", text):
        return pd.Timestamp(int(text), 1, 1), pd.Timestamp(int(text), 12, 31)
    return None


def _region_name(code: str) -> str:
    from datasets.regions import region_name

    try:
        return region_name(code)
    except Exception:  # noqa: BLE001 - an unknown code is shown as it is
        return code


def _sources(frames: dict) -> pd.DataFrame:
    return frames["sources"].set_index("source_id")


def _source_title(frames: dict, source_id: str) -> str:
    sources = _sources(frames)
    if source_id in sources.index:
        return f"{sources.at[source_id, 'publisher']}: {sources.at[source_id, 'title']}"
    return source_id


def _ordered_pilots(pilots: pd.DataFrame) -> pd.DataFrame:
    """Pilots by their first known date (announced or start), undated ones last, then by name."""
    first = pilots[["announced", "start", "end"]].replace("", None).bfill(axis=1).iloc[:, 0].fillna("9999")
    return pilots.assign(_first=first.astype(str)).sort_values(["_first", "name"]).drop(columns="_first")


@uses("recruitment_pilots", "claims")
def default_pilot(frames: dict) -> str:
    """The pilot of the last claim the 18 May 2016 press release makes about a pilot (in the bundled data the Greek
    care pilot), else the first pilot on the time axis."""
    from datasets.policy_statements import PRESS_RELEASE_ID

    claims = frames["claims"]
    claimed = claims[(claims["statement_id"] == PRESS_RELEASE_ID) & (claims["pilot_id"] != "")]["pilot_id"]
    known = list(pilot_options(frames))
    return next((pilot for pilot in claimed[::-1] if pilot in known), known[0] if known else "")


# --- options ------------------------------------------------------------------------------------------------------

@uses("recruitment_pilots")
def pilot_options(frames: dict) -> dict[str, str]:
    """pilot_id → name, in time-axis order."""
    pilots = _ordered_pilots(frames["recruitment_pilots"])
    return dict(zip(pilots["pilot_id"], pilots["name"]))


# --- 1. time axis -------------------------------------------------------------------------------------------------

@uses("recruitment_pilots", "sources", "policy_statements", "claims")
def pilot_timeline(frames: dict, *, lang: str, highlight: str | None = None, markers: bool = True) -> ChartResult:
    """One row per pilot: announcement as a point, start–end as a bar, a single known date as a point."""
    pilots = _ordered_pilots(frames["recruitment_pilots"]).reset_index(drop=True)
    rows = [short_name(name) for name in pilots["name"]]
    figure = go.Figure()
    kinds = {"announced": ("diamond", style.PALETTE[1]), "start": ("triangle-right", style.PALETTE[2]),
             "end": ("triangle-left", style.PALETTE[3])}
    points: dict[str, list] = {kind: [] for kind in kinds}
    spans, undated, drawn_dates = [], [], []
    for row, pilot in zip(rows, pilots.itertuples()):
        bounds = {kind: period_bounds(getattr(pilot, kind)) for kind in kinds}
        if not any(bounds.values()):
            undated.append(pilot.pilot_id)
            continue
        if bounds["announced"]:
            points["announced"].append((bounds["announced"][0], row, pilot, pilot.announced))
        if bounds["start"] and bounds["end"]:
            spans.append((bounds["start"][0], bounds["end"][1], row, pilot))
        elif bounds["start"]:
            points["start"].append((bounds["start"][0], row, pilot, pilot.start))
        elif bounds["end"]:
            points["end"].append((bounds["end"][1], row, pilot, pilot.end))
        drawn_dates += [b for pair in bounds.values() if pair for b in pair]

    def hover(kind_label: str) -> str:
        return f"<b>%{{customdata[0]}}</b><br>{kind_label}: %{{customdata[1]}}<br>%{{customdata[2]}}<extra></extra>"

    if spans:
        xs, ys, data = [], [], []
        for start, end, row, pilot in spans:
            text = f"{date_text(pilot.start, lang)} – {date_text(pilot.end, lang)}"
            xs += [start, end, None]
            ys += [row, row, None]
            data += [[pilot.name, text, _source_title(frames, pilot.source_id)]] * 2 + [[None, None, None]]
        figure.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name=_t("span", lang), customdata=data,
                                    line={"width": 14, "color": style.PALETTE[0]},
                                    hovertemplate=hover(_t("span", lang))))
    for kind, (symbol, colour) in kinds.items():
        if not points[kind]:
            continue
        figure.add_trace(go.Scatter(
            x=[p[0] for p in points[kind]], y=[p[1] for p in points[kind]], mode="markers", name=_field(kind, lang),
            marker={"symbol": symbol, "size": 14, "color": colour, "line": {"width": 1, "color": "white"}},
            customdata=[[p[2].name, date_text(p[3], lang), _source_title(frames, p[2].source_id)]
                        for p in points[kind]],
            hovertemplate=hover(_field(kind, lang))))
    for row, pilot in zip(rows, pilots.itertuples()):
        if pilot.pilot_id in undated:
            figure.add_annotation(x=0, xref="paper", xanchor="left", y=row, text=_t("no_date", lang),
                                  showarrow=False, font={"color": style.STATEMENT_COLOUR, "size": 11})
    if highlight in set(pilots["pilot_id"]):
        position = int(pilots.index[pilots["pilot_id"] == highlight][0])
        figure.add_hrect(y0=position - 0.5, y1=position + 0.5, fillcolor=style.HIGHLIGHT_COLOUR, opacity=0.15,
                         line_width=0, layer="below", name="highlight:" + highlight)
        chosen = pilots.iloc[position]
        chosen_dates = [bounds[0] for kind in kinds if (bounds := period_bounds(chosen[kind]))]
        if chosen_dates:
            figure.add_trace(go.Scatter(
                x=chosen_dates, y=[rows[position]] * len(chosen_dates), mode="markers",
                name=_t("highlight", lang, name=short_name(chosen["name"])), hoverinfo="skip",
                marker={"symbol": "circle-open", "size": 22, "line": {"width": 3, "color": style.HIGHLIGHT_COLOUR}}))
    figure.update_layout(height=120 + 44 * len(rows))
    style.apply(figure, lang=lang, x_title=_t("date", lang))
    figure.update_yaxes(title_text=_t("pilot", lang), type="category", categoryorder="array", categoryarray=rows,
                        range=[len(rows) - 0.5, -0.5], automargin=True)
    figure.update_xaxes(type="date")
    date_axis(figure, lang)
    if markers and drawn_dates:
        statements = relevant_statements(frames["policy_statements"], frames["claims"], topics=RECRUITMENT_TOPICS)
        claimed = frames["claims"][frames["claims"]["pilot_id"] != ""]["statement_id"]
        statements = pd.concat([statements, frames["policy_statements"][
            frames["policy_statements"]["statement_id"].isin(claimed)]]).drop_duplicates("statement_id")
        dates = statements["date"].astype(str).str[:10]
        first, last = min(drawn_dates).strftime("%Y-%m-%d"), max(drawn_dates).strftime("%Y-%m-%d")
        add_statement_markers(figure, statements[(dates != "") & (dates >= first[:4]) & (dates <= last)]
                              .sort_values("date"))

    table = pd.DataFrame({
        _t("pilot", lang): pilots["name"],
        **{_field(c, lang): pilots[c].map(lambda v: date_text(v, lang)) for c in ("announced", "start", "end")},
        _field("origin_country", lang): pilots["origin_country"].replace("", _no_value(lang)),
        _field("status", lang): pilots["status"].replace("", _no_value(lang)),
        _field("source_id", lang): pilots["source_id"].map(lambda s: _source_title(frames, s))})
    notes = [_t("timeline_note_precision", lang)]
    if undated:
        names = pilots.set_index("pilot_id").loc[undated, "name"]
        notes.insert(0, _t("timeline_note_undated", lang, names="; ".join(names)))
    dated = [p for p in pilots.itertuples() if p.pilot_id not in undated]
    if dated:
        known = [(bounds, getattr(p, k), p) for p in dated for k in kinds if (bounds := period_bounds(getattr(p, k)))]
        first = min(known, key=lambda item: item[0][0])
        last = max(known, key=lambda item: item[0][1])
        alt = _t("timeline_alt", lang, dated=len(dated), total=len(pilots), first=date_text(first[1], lang),
                 first_name=first[2].name, last=date_text(last[1], lang), last_name=last[2].name,
                 undated=len(undated))
    else:
        alt = f"{_t('pilot', lang)}: {_no_value(lang)}."
    source_ids = sorted(set(pilots["source_id"]))
    return ChartResult(figure=finish(figure), table=table, alt=alt, source_ids=source_ids,
                       datasets=["recruitment_pilots"],
                       notes=notes)


# --- 2. target vs achieved ----------------------------------------------------------------------------------------

def outcome_table(pilots: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per pilot, the five counts as German/English text; NA is written "keine Angabe" (never 0)."""
    table = pd.DataFrame({_t("pilot", lang): pilots["name"]})
    for column in COUNT_COLUMNS:
        # NOTE: written out as text so that "keine Angabe" and numbers share a column (never a silent 0).
        table[_field(column, lang)] = [number(None if pd.isna(v) else int(v), lang) for v in pilots[column]]
    return table.reset_index(drop=True)


@uses("recruitment_pilots", "sources")
def pilot_outcomes(frames: dict, *, lang: str, highlight: str | None = None) -> ChartResult:
    """Grouped bars of target / recruited / started training / completed / stayed for the pilots that published
    any number; the table lists every pilot with "keine Angabe" where a number is unknown."""
    pilots = _ordered_pilots(frames["recruitment_pilots"]).reset_index(drop=True)
    counts = pilots[COUNT_COLUMNS]
    with_numbers = pilots[counts.notna().any(axis=1)]
    names = [short_name(n) for n in with_numbers["name"]]
    figure = go.Figure()
    dim = highlight in set(with_numbers["pilot_id"])
    opacity = [0.35 if dim and pid != highlight else 1.0 for pid in with_numbers["pilot_id"]]
    for position, column in enumerate(COUNT_COLUMNS):
        values = with_numbers[column]
        if values.isna().all():
            continue
        figure.add_trace(go.Bar(
            y=names, x=[None if pd.isna(v) else int(v) for v in values], name=_field(column, lang), orientation="h",
            marker={"color": style.PALETTE[position], "opacity": opacity},
            text=[None if pd.isna(v) else number(int(v), lang) for v in values], textposition="outside",
            cliponaxis=False,
            customdata=[[n, _source_title(frames, s)] for n, s in zip(with_numbers["name"], with_numbers["source_id"])],
            hovertemplate=f"<b>%{{customdata[0]}}</b><br>{_field(column, lang)}: %{{x:,.0f}} {_t('persons', lang)}"
                          "<br>%{customdata[1]}<extra></extra>"))
    figure.update_layout(barmode="group", height=140 + 70 * len(names))
    style.apply(figure, lang=lang, x_title=_t("persons", lang), y_title=_t("pilot", lang))
    figure.update_xaxes(tickformat=",~r")
    figure.update_yaxes(tickformat=None, autorange="reversed", automargin=True)
    without = pilots[~pilots["pilot_id"].isin(with_numbers["pilot_id"])]
    notes = [_t("outcomes_note_scale", lang)]
    if not without.empty:
        notes.append(_t("outcomes_note_none", lang, names="; ".join(without["name"])))
    long = with_numbers.melt(id_vars=["name"], value_vars=COUNT_COLUMNS).dropna(subset=["value"])
    alt = bar_alt([f"{n}, {_field(v, lang)}" for n, v in zip(long["name"], long["variable"])], long["value"],
                  what=_t("outcomes_alt", lang), unit=_t("persons", lang), lang=lang)
    return ChartResult(figure=finish(figure), table=outcome_table(pilots, lang), alt=alt,
                       source_ids=sorted(set(pilots["source_id"])), datasets=["recruitment_pilots"], notes=notes)


# --- 3. MobiPro-EU ------------------------------------------------------------------------------------------------

def _period_text(period: str, lang: str) -> str:
    return "–".join(date_text(part, lang) for part in str(period).split("/"))


@uses("indicators", "sources")
def mobipro_applicants(frames: dict, *, lang: str) -> ChartResult:
    """MobiPro-EU applicants by country of origin — national figures (Germany as a whole)."""
    from datasets.indicators import definitions

    indicators = frames["indicators"]
    rows = indicators[indicators["indicator_id"] == MOBIPRO_APPLICANTS]
    countries = rows[rows["nationality"] != ""].sort_values("value", ascending=False)
    totals = rows[rows["nationality"] == ""]
    period = _period_text(countries["period"].iloc[0], lang) if not countries.empty else _no_value(lang)
    figure = go.Figure(go.Bar(
        x=countries["nationality"].tolist(), y=countries["value"].tolist(), name=_t("mobipro_region", lang),
        marker={"color": style.PALETTE[0]}, text=[number(v, lang) for v in countries["value"]],
        textposition="outside", cliponaxis=False,
        hovertemplate=f"%{{x}}: %{{y:,.0f}} {_t('persons', lang)} ({_t('mobipro_region', lang)}, {period})"
                      "<extra></extra>"))
    style.apply(figure, lang=lang, x_title=_t("country", lang), y_title=_t("persons", lang))
    notes, source_ids = [], set(countries["source_id"])
    if not totals.empty:
        total = totals["value"].iloc[0]
        named = countries["value"].sum()
        notes.append(_t("mobipro_note_total", lang, total=number(total, lang), count=len(countries),
                        sum=number(named, lang), rest=number(total - named, lang)))
        source_ids |= set(totals["source_id"])
        figure.add_hline(y=total, line={"dash": "dot", "color": style.STATEMENT_COLOUR},
                         annotation_text=f"{_t('mobipro_region', lang)}: {number(total, lang)}",
                         annotation_position="top right")
    defs = definitions()
    for row in indicators[indicators["indicator_id"].isin(MOBIPRO_CONTEXT)].sort_values(["indicator_id",
                                                                                        "period"]).itertuples():
        definition = defs.get(row.indicator_id)
        title = (definition.title_en if lang == "en" else definition.title_de) if definition else row.indicator_id
        notes.append(_t("mobipro_note_context", lang, title=title, period=_period_text(row.period, lang),
                        value=number(row.value, lang), unit=row.unit, source=_source_title(frames, row.source_id)))
        source_ids.add(row.source_id)
    table = pd.DataFrame({_t("country", lang): countries["nationality"], _t("value", lang): countries["value"],
                          _t("period", lang): period, "Region": _t("mobipro_region", lang),
                          _field("source_id", lang): countries["source_id"].map(lambda s: _source_title(frames, s))})
    alt = bar_alt(countries["nationality"].tolist(), countries["value"], what=_t("mobipro_alt", lang, period=period),
                  unit=_t("persons", lang), lang=lang)
    return ChartResult(figure=finish(figure), table=table.reset_index(drop=True), alt=alt,
                       source_ids=sorted(source_ids),
                       datasets=["indicators"], notes=notes)


# --- 4. statements and pilot details (tables for the page) ---------------------------------------------------------

@uses("policy_statements", "claims", "recruitment_pilots")
def recruitment_statements(frames: dict, *, lang: str) -> pd.DataFrame:
    """Statements tagged 'rekrutierung' or with a claim about a pilot: date, institution, quote, link."""
    statements, claims = frames["policy_statements"], frames["claims"]
    pilot_names = dict(zip(frames["recruitment_pilots"]["pilot_id"], frames["recruitment_pilots"]["name"]))
    by_pilot = claims[claims["pilot_id"] != ""]
    chosen = pd.concat([relevant_statements(statements, claims, topics=RECRUITMENT_TOPICS),
                        statements[statements["statement_id"].isin(by_pilot["statement_id"])]])
    chosen = chosen.drop_duplicates("statement_id").sort_values(["date", "statement_id"])
    pilots_of = by_pilot.groupby("statement_id")["pilot_id"].agg(
        lambda ids: "; ".join(dict.fromkeys(pilot_names.get(i, i) for i in ids)))
    claims_of = claims[claims["statement_id"].isin(chosen["statement_id"])].groupby("statement_id")["text"].agg(
        lambda texts: "; ".join(texts))
    return pd.DataFrame({
        _t("date", lang): chosen["date"].map(lambda v: date_text(v, lang)),
        _t("statement_institution", lang): chosen["institution"],
        _t("statement_speaker", lang): chosen["speaker"].replace("", "–"),
        _t("statement_quote", lang): chosen["quote"],
        _t("statement_pilots", lang): chosen["statement_id"].map(pilots_of).fillna("–"),
        _t("statement_claims", lang): chosen["statement_id"].map(claims_of).fillna("–"),
        _t("statement_link", lang): chosen["source_url"]}).reset_index(drop=True)


@uses("recruitment_pilots", "sources")
def pilot_details(frames: dict, *, lang: str, pilot_id: str) -> dict[str, pd.DataFrame]:
    """Every field of one pilot ("keine Angabe" for unknown) and the sources it relies on."""
    pilots = frames["recruitment_pilots"]
    match = pilots[pilots["pilot_id"] == pilot_id]
    if match.empty:
        return {"fields": pd.DataFrame(columns=[_t("field", lang), _t("value", lang)]),
                "sources": pd.DataFrame(columns=[_t("source_role", lang), _t("source_title", lang),
                                                 _t("source_publisher", lang), _t("source_url", lang)])}
    pilot = match.iloc[0]
    values = []
    for column in FIELDS:
        value = pilot[column]
        if column in ("announced", "start", "end", "status_date"):
            text = date_text(value, lang)
        elif column in COUNT_COLUMNS:
            text = number(None if pd.isna(value) else int(value), lang)
        elif column == "funding_eur":
            text = number(None if pd.isna(value) else value, lang, decimals=0)
        elif column == "region_code":
            text = f"{_region_name(value)} ({value})"
        elif column in ("source_id", "status_source_id"):
            text = _source_title(frames, value) if value else _no_value(lang)
        else:
            text = str(value) if not is_missing(value) and str(value) else _no_value(lang)
        values.append((_field(column, lang), text))
    sources = _sources(frames)
    roles = [(pilot["source_id"], _field("source_id", lang))]
    if pilot["status_source_id"]:
        roles.append((pilot["status_source_id"], _field("status_source_id", lang)))
    source_rows = [(role, sources.at[sid, "title"], sources.at[sid, "publisher"], sources.at[sid, "url"])
                   for sid, role in roles if sid in sources.index]
    return {"fields": pd.DataFrame(values, columns=[_t("field", lang), _t("value", lang)]),
            "sources": pd.DataFrame(source_rows, columns=[_t("source_role", lang), _t("source_title", lang),
                                                          _t("source_publisher", lang), _t("source_url", lang)])}
