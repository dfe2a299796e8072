"""What the data say about a claim: the rows that test it and a one-line, cautious verdict (pure, no UI)."""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from charts.base import uses
from charts.format import escape_markdown, is_missing, number, translate
from datasets.indicators import BREAKDOWNS, definitions
from datasets.indicators_statistics import is_top_level_protection_status

PRESS_RELEASE_ID = "2016-05-18-staatskanzlei-integrationskonzept"

#: A claimed figure within this relative distance of an independent figure counts as matching it.
MATCH_TOLERANCE = 0.05

#: language-independent status code -> (German, English) label.
STATUS = {
    "supported": ("gestützt", "supported"),
    "not_supported": ("nicht gestützt", "not supported"),
    "differs": ("abweichend", "differs"),
    "conflicting": ("widersprüchliche Angaben", "conflicting figures"),
    "partly": ("teilweise gestützt, teilweise nicht prüfbar", "partly supported, partly not checkable"),
    "not_checkable": ("nicht prüfbar", "not checkable"),
    "projection": ("nicht direkt prüfbar (Prognose)", "not directly checkable (projection)"),
    "no_figure": ("keine Zahl behauptet", "no figure claimed"),
}

MEASURE_LABELS = {
    "total_demand": ("Fachkräftebedarf", "skilled-labour demand"),
    "replacement_demand": ("Ersatzbedarf", "replacement demand"),
    "expansion_demand": ("Erweiterungsbedarf", "expansion demand"),
    "shortfall": ("fehlende Fachkräfte", "shortfall of skilled workers"),
    "retirements": ("altersbedingt Ausscheidende", "retirements"),
    "entrants": ("Berufseinsteiger", "labour-market entrants"),
    "workforce_change": ("Veränderung der Erwerbstätigen", "change in persons employed"),
    "population": ("Bevölkerung", "population"),
    "care_demand": ("Bedarf an Pflegefachkräften", "demand for care workers"),
    "demand_share_vocational": ("Anteil mit dualer Ausbildung", "share with vocational training"),
}
#: Projections a claimed measure is compared with (same measure first).
COMPARABLE_MEASURES = {"total_demand": ("total_demand", "shortfall"), "shortfall": ("shortfall", "total_demand")}

PILOT_FIGURES = ["target", "recruited", "started_training", "completed", "stayed"]
PILOT_FIGURE_LABELS = {
    "target": ("Ziel", "target"), "recruited": ("angeworben", "recruited"),
    "started_training": ("Ausbildung begonnen", "started training"), "completed": ("abgeschlossen", "completed"),
    "stayed": ("geblieben", "stayed"),
}

TEXT = {
    "trend": ("{title}: {previous} ({previous_period}) → {current} ({current_period}), {change}",
              "{title}: {previous} ({previous_period}) → {current} ({current_period}), {change}"),
    "no_comparison": ("{title}: keine Vergleichszahl für {period} und den Vorjahreszeitraum {previous_period}",
                      "{title}: no figures for {period} and the same period a year earlier ({previous_period})"),
    "match": ("genannt {claimed}; {title} laut anderer Quelle: {observed}",
              "stated {claimed}; {title} according to another source: {observed}"),
    "only_own_source": ("genannt {claimed} ({period}); keine zweite Quelle für diese Zahl",
                        "stated {claimed} ({period}); no second source for this figure"),
    "projection": ("{claimed} {measure} bis {horizon}: {later}{ranges}{earlier}",
                   "{claimed} {measure} by {horizon}: {later}{ranges}{earlier}"),
    "projection_no_horizon": ("{claimed}: {later}{ranges}{earlier}", "{claimed}: {later}{ranges}{earlier}"),
    "later": ("spätere Studien nennen {items}", "later studies give {items}"),
    "no_later": ("keine spätere Studie zum Vergleich", "no later study to compare"),
    "earlier": ("; weitere Angaben: {items}", "; other figures: {items}"),
    "ranges": ("; {items}", "; {items}"),
    "projection_item": ("{value} {measure} bis {horizon} ({study})", "{value} {measure} by {horizon} ({study})"),
    "range_item": ("{study}: {low} bis {high}", "{study}: {low} to {high}"),
    "pilot": ("{name}: {figures}", "{name}: {figures}"),
    "pilot_no_figures": ("Teilnehmerzahlen keine Angabe", "participant numbers not available"),
    "context": ("; zum Vergleich {items}", "; for comparison {items}"),
    "no_figure": ("keine Zahl behauptet", "no figure claimed"),
    "no_figure_data": ("keine Zahl behauptet; {data}", "no figure claimed; {data}"),
    "undated": ("ohne Datum", "undated"),
    "source": ("Quelle: {items}", "Source: {items}"),
}


#: Badge colour per status (the label is always shown too, colour is never the only cue).
STATUS_COLOURS = {"supported": "green", "not_supported": "red", "differs": "orange", "conflicting": "orange",
                  "partly": "blue", "not_checkable": "gray", "projection": "violet", "no_figure": "gray"}

def tr(key: str, lang: str, **values) -> str:
    return translate(TEXT, key, lang, **values)


def label(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


@dataclass(frozen=True)
class Verdict:
    """One claim checked against the data.

    text        -- one line: what the data show (values formatted in `lang`)
    status      -- label in `lang` (e.g. "gestützt"); `code` is the language-independent key of STATUS
    source_ids  -- sources of the figures the verdict rests on
    values      -- those figures, unformatted (for tests and tables)
    """

    claim_id: str
    text: str
    status: str
    source_ids: list[str]
    values: dict
    code: str = ""
    claim: str = ""
    sources: str = ""


# ---------------------------------------------------------------------------------------------------------------
# Periods

_YEAR = re.compile(r"\d{4}")


def period_class(period: str) -> str:
    """Periods of one class are comparable: 'day', 'month', or the period with its years masked ('Y', 'Y-01/Y-09')."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", period):
        return "day"
    if re.fullmatch(r"\d{4}-\d{2}", period):
        return "month"
    return _YEAR.sub("Y", period)


def previous_period(period: str) -> str:
    """The same period one year earlier ('2016' -> '2015', '2019-01/2019-09' -> '2018-01/2018-09')."""
    return _YEAR.sub(lambda m: str(int(m.group()) - 1), period)


def period_bounds(period: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day a period covers."""
    def one(part: str, end: bool) -> pd.Timestamp:
        if re.fullmatch(r"\d{4}", part):
            return pd.Timestamp(f"{part}-12-31" if end else f"{part}-01-01")
        if re.fullmatch(r"\d{4}-\d{2}", part):
            start = pd.Timestamp(f"{part}-01")
            return start + pd.offsets.MonthEnd(0) if end else start
        return pd.Timestamp(part)
    first, _, last = period.partition("/")
    return one(first, False), one(last or first, True)


def period_midpoint(period: str) -> pd.Timestamp:
    start, end = period_bounds(period)
    return start if start == end else (start + (end - start) / 2).normalize()


def period_label(period: str, lang: str = "de") -> str:
    """'2016', '09/2015', '31.12.2024', '01–09/2016', '01/2013–07/2014' (German); ISO pieces in English."""
    if not period:
        return tr("undated", lang)
    if lang == "en":
        return period.replace("/", "–")

    def one(part: str) -> str:
        bits = part.split("-")
        return ".".join(reversed(bits)) if len(bits) == 3 else "/".join(reversed(bits))
    first, _, last = period.partition("/")
    if not last:
        return one(first)
    if re.fullmatch(r"\d{4}-\d{2}", first) and re.fullmatch(r"\d{4}-\d{2}", last) and first[:4] == last[:4]:
        return f"{first[5:]}–{last[5:]}/{first[:4]}"
    return f"{one(first)}–{one(last)}"


def percent_change(before: float, after: float, lang: str) -> str:
    if not before:
        return ""
    change = (after - before) / before * 100
    return ("+" if change > 0 else "") + number(round(change, 1), lang, decimals=1).replace("-", "−") + " %"


# ---------------------------------------------------------------------------------------------------------------
# Rows that test a claim

def with_derived_totals(rows: pd.DataFrame) -> pd.DataFrame:
    """Add a total per (indicator, region, period, source) where a source gives only protection-status parts.

    Only the non-overlapping top-level statuses (datasets.indicators_statistics) are summed — never all of them.
    """
    parts = rows[(rows["indicator_id"] == "protection_seekers") & is_top_level_protection_status(rows)]
    others = [c for c in BREAKDOWNS if c not in ("status", "breakdown")]
    parts = parts[(parts[others] == "").all(axis=1)]
    if parts.empty:
        return rows
    keys = ["indicator_id", "region_code", "region_name", "period", "unit", "source_id"]
    sums = parts.groupby(keys, as_index=False).agg(value=("value", lambda v: v.sum(min_count=len(v))),
                                                  parts=("value", "size"))
    sums = sums[sums["parts"] == 3].drop(columns="parts")
    totals = rows[(rows[BREAKDOWNS] == "").all(axis=1)]
    present = set(zip(totals["region_code"], totals["period"], totals["source_id"]))
    sums = sums[[key not in present for key in zip(sums["region_code"], sums["period"], sums["source_id"])]]
    if sums.empty:
        return rows
    sums = sums.assign(**{c: "" for c in BREAKDOWNS}, flag="",
                       note="Summe der Schutzstatus-Oberkategorien anerkannt, offen, ohne (abgeleitet)")
    return pd.concat([rows, sums[rows.columns]], ignore_index=True)


def claim_rows(indicators: pd.DataFrame, claim) -> pd.DataFrame:
    """Rows of the claim's indicator, region and breakdown whose periods are comparable with the claim's period."""
    rows = indicators[(indicators["indicator_id"] == claim["indicator_id"])
                      & (indicators["region_code"] == claim["region_code"])]
    rows = with_derived_totals(rows)
    breakdown = {c: "" for c in BREAKDOWNS}
    if not is_missing(claim["value"]):
        same = rows[(rows["period"] == claim["period"])
                    & (rows["value"].sub(float(claim["value"])).abs() < 1e-9)]
        if len(same):
            breakdown = same.iloc[0][BREAKDOWNS].to_dict()
    rows = rows[(rows[BREAKDOWNS] == pd.Series(breakdown)).all(axis=1)]
    if claim["period"]:
        rows = rows[rows["period"].map(period_class) == period_class(claim["period"])]
    return rows.sort_values(["period", "source_id"], kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------------------------------------------------------
# Verdicts

def _fmt(value, lang: str) -> str:
    return number(value, lang, decimals=None if is_missing(value) or float(value) != int(value) else 0)


def _values_text(rows: pd.DataFrame, lang: str) -> str:
    """'6.600' or '3.278.005 / 3.300.000' where sources differ (each kept, none picked)."""
    values = list(dict.fromkeys(float(v) for v in rows["value"].dropna()))
    return " / ".join(_fmt(v, lang) for v in values)


def _indicator_title(indicator_id: str, lang: str) -> str:
    definition = definitions().get(indicator_id)
    if definition is None:
        return indicator_id
    return definition.title_en if lang == "en" else definition.title_de


def _trend(claim, rows: pd.DataFrame, lang: str) -> tuple[str, str, dict, list[str]]:
    period, before = claim["period"], previous_period(claim["period"])
    current = rows[(rows["period"] == period) & rows["value"].notna()]
    previous = rows[(rows["period"] == before) & rows["value"].notna()]
    title = _indicator_title(claim["indicator_id"], lang)
    if current.empty or previous.empty:
        return ("not_checkable", tr("no_comparison", lang, title=title, period=period_label(period, lang),
                                    previous_period=period_label(before, lang)), {}, [])
    changes = [after - prior for prior in previous["value"] for after in current["value"]]
    wanted = -1 if claim["direction"] == "sinkend" else 1
    signs = {(c > 0) - (c < 0) for c in changes}
    code = "supported" if signs == {wanted} else "not_supported" if wanted not in signs else "conflicting"
    change = percent_change(float(previous["value"].iloc[0]), float(current["value"].iloc[0]), lang) \
        if len(current) == len(previous) == 1 else ""
    text = tr("trend", lang, title=title, previous=_values_text(previous, lang),
              previous_period=period_label(before, lang), current=_values_text(current, lang),
              current_period=period_label(period, lang), change=change).rstrip(", ")
    values = {"previous": previous["value"].tolist(), "current": current["value"].tolist(),
              "previous_period": before, "period": period}
    return code, text, values, sorted(set(previous["source_id"]) | set(current["source_id"]))


def _value_check(claim, rows: pd.DataFrame, own_source: str, lang: str) -> tuple[str, str, dict, list[str]]:
    claimed = float(claim["value"])
    unit = f" {claim['unit']}" if claim["unit"] and lang != "en" else ""
    others = rows[(rows["period"] == claim["period"]) & (rows["source_id"] != own_source) & rows["value"].notna()]
    if others.empty:
        return ("not_checkable", tr("only_own_source", lang, claimed=_fmt(claimed, lang) + unit,
                                    period=period_label(claim["period"], lang)), {"claimed": claimed}, [])
    close = [abs(v - claimed) <= MATCH_TOLERANCE * max(abs(claimed), 1e-9) for v in others["value"]]
    code = "supported" if all(close) else "differs" if not any(close) else "conflicting"
    text = tr("match", lang, claimed=_fmt(claimed, lang) + unit, title=_indicator_title(claim["indicator_id"], lang),
              observed=_values_text(others, lang) + f" ({period_label(claim['period'], lang)})")
    return code, text, {"claimed": claimed, "observed": others["value"].tolist()}, sorted(set(others["source_id"]))


def _combine(codes: list[str]) -> str:
    """One status for a claim with several checks (trend and value): the weakest checkable result wins."""
    checked = [c for c in codes if c != "not_checkable"]
    if not checked:
        return "not_checkable"
    for code in ("not_supported", "differs", "conflicting"):
        if code in checked:
            return code
    return "supported" if len(checked) == len(codes) else "partly"


def _projection(claim, projections: pd.DataFrame, statement_date: str, lang: str) -> tuple[str, str, dict, list]:
    own_id = re.search(r"projection_id ([a-z0-9-]+)", claim["note"] or "")
    own_id = own_id.group(1) if own_id else ""
    measures = COMPARABLE_MEASURES.get(claim["measure"], (claim["measure"],))
    others = projections[projections["measure"].isin(measures) & (projections["projection_id"] != own_id)]
    others = others.assign(order=others["measure"].map(measures.index)).sort_values(
        ["published", "order", "projection_id"], kind="stable")
    date = statement_date or ""

    def item(row) -> str:
        study = row.study
        if row.published[:4] and row.published[:4] not in study:
            study += f", {row.published[:4]}"
        elif not row.published:
            study += f", {tr('undated', lang)}"
        if is_missing(row.value):
            return tr("range_item", lang, low=_fmt(row.value_low, lang), high=_fmt(row.value_high, lang),
                      study=row.study)
        return tr("projection_item", lang, value=_fmt(row.value, lang),
                  measure=label(MEASURE_LABELS[row.measure], lang), horizon=_horizon(row.horizon_year, lang),
                  study=study)
    rows = list(others.itertuples())
    ranges = [row for row in rows if is_missing(row.value)]
    later = [row for row in rows if not is_missing(row.value) and row.published and row.published[:10] > date]
    earlier = [row for row in rows if not is_missing(row.value) and row not in later]
    measure = label(MEASURE_LABELS.get(claim["measure"], (claim["measure"],) * 2), lang)
    pieces = dict(
        later=tr("later", lang, items="; ".join(item(r) for r in later)) if later else tr("no_later", lang),
        ranges=tr("ranges", lang, items="; ".join(item(r) for r in ranges)) if ranges else "",
        earlier=tr("earlier", lang, items="; ".join(item(r) for r in earlier)) if earlier else "")
    if is_missing(claim["value"]) or not claim["period"]:
        text = tr("projection_no_horizon", lang, claimed=claim["text"], **pieces)
    else:
        text = tr("projection", lang, claimed=_fmt(claim["value"], lang), horizon=claim["period"],
                  measure=measure if claim["unit"] != "%" else "%", **pieces)
    values = {"claimed": None if is_missing(claim["value"]) else float(claim["value"]),
              "later": {r.projection_id: r.value for r in later},
              "earlier": {r.projection_id: r.value for r in earlier},
              "ranges": {r.projection_id: (r.value_low, r.value_high) for r in ranges}}
    return "projection", text, values, sorted({r.source_id for r in rows})


def _horizon(value, lang: str) -> str:
    return tr("undated", lang) if is_missing(value) else str(int(value))


def _pilot(claim, pilots: pd.DataFrame, indicators: pd.DataFrame, lang: str) -> tuple[str, str, dict, list]:
    match = pilots[pilots["pilot_id"] == claim["pilot_id"]]
    if match.empty:
        return "not_checkable", tr("pilot_no_figures", lang), {}, []
    pilot = match.iloc[0]
    known = {f: float(pilot[f]) for f in PILOT_FIGURES if not is_missing(pilot[f]) and not pd.isna(pilot[f])}
    figures = ", ".join(f"{label(PILOT_FIGURE_LABELS[f], lang)} {_fmt(v, lang)}" for f, v in known.items()) \
        or tr("pilot_no_figures", lang)
    text = tr("pilot", lang, name=pilot["name"], figures=figures)
    source_ids = [pilot["source_id"]] if known else []
    if claim["indicator_id"]:
        countries = [c.strip() for c in str(pilot["origin_country"]).split(";") if c.strip()]
        rows = indicators[(indicators["indicator_id"] == claim["indicator_id"])
                          & (indicators["region_code"] == claim["region_code"])]
        rows = rows[rows["nationality"].isin(countries) | (rows[BREAKDOWNS] == "").all(axis=1)]
        if len(rows):
            items = ", ".join(f"{r.nationality or ('insgesamt' if lang != 'en' else 'total')} {_fmt(r.value, lang)}"
                              for r in rows.itertuples())
            region = "bundesweit" if claim["region_code"] == "DG" and lang != "en" else \
                "Germany-wide" if claim["region_code"] == "DG" else rows["region_name"].iloc[0]
            text += tr("context", lang, items=f"{_indicator_title(claim['indicator_id'], lang)} {region} "
                                              f"{period_label(rows['period'].iloc[0], lang)}: {items}")
            source_ids += sorted(set(rows["source_id"]))
    return "not_checkable", text, known, source_ids


def verdict_for(claim, frames: dict[str, pd.DataFrame], lang: str = "de") -> Verdict:
    """The verdict of one claims row (a Series or dict)."""
    statements = frames["policy_statements"].set_index("statement_id")
    statement = statements.loc[claim["statement_id"]] if claim["statement_id"] in statements.index else None
    own_source = statement["source_id"] if statement is not None else ""
    has_value = not is_missing(claim["value"])
    if claim["measure"]:
        code, text, values, source_ids = _projection(
            claim, frames["projections"], statement["date"] if statement is not None else "", lang)
    elif claim["indicator_id"] and (has_value or claim["direction"]):
        rows = claim_rows(frames["indicators"], claim)
        parts = []
        if claim["direction"]:
            parts.append(_trend(claim, rows, lang))
        if has_value:
            parts.append(_value_check(claim, rows, own_source, lang))
        code = _combine([p[0] for p in parts])
        text = "; ".join(p[1] for p in parts)
        values = {k: v for p in parts for k, v in p[2].items()}
        source_ids = sorted({s for p in parts for s in p[3]})
    elif claim["pilot_id"]:
        code, text, values, source_ids = _pilot(claim, frames["recruitment_pilots"], frames["indicators"], lang)
    elif claim["indicator_id"] and claim["period"]:
        rows = claim_rows(frames["indicators"], claim)
        before = rows[rows["period"] == previous_period(claim["period"])]
        now = rows[rows["period"] == claim["period"]]
        code, values = "no_figure", {}
        source_ids = sorted(set(before["source_id"]) | set(now["source_id"]))
        if len(before) and len(now):
            data = tr("trend", lang, title=_indicator_title(claim["indicator_id"], lang),
                      previous=_values_text(before, lang), previous_period=period_label(before["period"].iloc[0], lang),
                      current=_values_text(now, lang), current_period=period_label(claim["period"], lang),
                      change="").rstrip(", ")
            text = tr("no_figure_data", lang, data=data)
        else:
            text = tr("no_figure", lang)
    else:
        code, text, values, source_ids = "no_figure", tr("no_figure", lang), {}, []
    return Verdict(claim_id=claim["claim_id"], text=text, status=label(STATUS[code], lang),
                   source_ids=list(source_ids), values=values, code=code, claim=claim["text"],
                   sources=source_line(frames.get("sources"), source_ids, lang))


def source_line(sources: pd.DataFrame | None, source_ids, lang: str) -> str:
    """'Quelle: Publisher: Title; …' for these ids ('' when there are none)."""
    if sources is None or not len(source_ids):
        return ""
    chosen = sources.set_index("source_id").reindex([s for s in dict.fromkeys(source_ids)]).dropna(how="all")
    items = "; ".join(f"{row.publisher}: {row.title}" for row in chosen.itertuples())
    return tr("source", lang, items=items) if items else ""


@uses("indicators", "projections", "recruitment_pilots", "policy_statements", "claims", "sources")
def verdicts(frames: dict[str, pd.DataFrame], *, lang: str = "de",
             statement_id: str = PRESS_RELEASE_ID) -> list[Verdict]:
    """One verdict per claim of a statement (default: the 18 May 2016 press release), in claims order."""
    claims = frames["claims"]
    return [verdict_for(row, frames, lang) for _, row in claims[claims["statement_id"] == statement_id].iterrows()]

