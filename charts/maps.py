"""District maps: a plotly choropleth on the BKG boundaries, 23 or 22 Kreise chosen by the period shown."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts import style
from charts.format import NO_VALUE, number
from datasets import districts as districts_dataset
from datasets.regions import layout_for_period

#: Sequential ColorBrewer scale, readable with the common colour-vision deficiencies.
COLOUR_SCALE = "YlGnBu"
NO_VALUE_COLOUR = "#D9D9D9"
#: Coordinates in the figure's copy of the geometry are rounded to this many decimals (~11 m): the raw
#: boundaries stay untouched, the figure JSON stays small.
COORDINATE_DECIMALS = 4


def _rounded(coordinates, decimals: int):
    if isinstance(coordinates, (int, float)):
        return round(float(coordinates), decimals)
    return [_rounded(c, decimals) for c in coordinates]


def _features(layout: str, districts: pd.DataFrame | None) -> list[dict]:
    collection = districts_dataset.geojson(layout, frame=districts)
    features = []
    for feature in collection["features"]:
        geometry = feature["geometry"]
        features.append({"type": "Feature", "id": feature["id"],
                         "properties": {"region_name": feature["properties"]["region_name"]},
                         "geometry": {"type": geometry["type"],
                                      "coordinates": _rounded(geometry["coordinates"], COORDINATE_DECIMALS)}})
    return features


def _decimals(values: pd.Series) -> int:
    """The decimals the values carry (0, 1 or at most 2)."""
    finite = values.dropna()
    for digits in (0, 1):
        if ((finite.round(digits) - finite).abs() < 1e-9).all():
            return digits
    return 2


def choropleth(values: pd.DataFrame, *, period: str, lang: str, title: str | None, unit: str,
               districts: pd.DataFrame | None = None, value_label: str | None = None,
               decimals: int | None = None) -> go.Figure:
    """A map of Thuringia's Kreise coloured by `values.value` (one row per region_code).

    values   -- region_code, value (NA allowed) and optionally region_name, detail (extra hover line)
    period   -- the period shown; picks the 23-Kreise (until 30.06.2021) or 22-Kreise layout
    districts -- the `districts` dataset frame (live version); the bundled boundaries when None
    Kreise without a value are drawn grey and hover "keine Angabe"; codes outside the layout are ignored.
    """
    lang = "en" if lang == "en" else "de"
    layout = layout_for_period(period)
    features = _features(layout, districts)
    names = {f["id"]: f["properties"]["region_name"] for f in features}
    frame = values.copy()
    frame["region_code"] = frame["region_code"].astype(str)
    frame = frame[frame["region_code"].isin(names)].drop_duplicates("region_code")
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce")
    known = frame.dropna(subset=["value"])
    digits = _decimals(known["value"]) if decimals is None else decimals
    label = value_label or unit

    figure = go.Figure()
    if not known.empty:
        codes = known["region_code"].tolist()
        detail = known["detail"].fillna("").astype(str).tolist() if "detail" in known else [""] * len(known)
        hover = [f"{names[code]}<br>{number(value, lang, digits)} {unit}".strip()
                 + (f"<br>{extra}" if extra else "")
                 for code, value, extra in zip(codes, known["value"], detail)]
        figure.add_trace(go.Choropleth(
            geojson={"type": "FeatureCollection", "features": [f for f in features if f["id"] in set(codes)]},
            featureidkey="id", locations=codes, z=known["value"].tolist(), colorscale=COLOUR_SCALE,
            marker={"line": {"color": "#FFFFFF", "width": 0.8}}, text=hover, hovertemplate="%{text}<extra></extra>",
            colorbar={"title": {"text": label}, "tickformat": ",." + str(digits) + "f", "thickness": 14},
            name=label))
    missing = [code for code in names if code not in set(known["region_code"])]
    if missing:
        figure.add_trace(go.Choropleth(
            geojson={"type": "FeatureCollection", "features": [f for f in features if f["id"] in set(missing)]},
            featureidkey="id", locations=missing, z=[0] * len(missing),
            colorscale=[[0, NO_VALUE_COLOUR], [1, NO_VALUE_COLOUR]], showscale=False,
            marker={"line": {"color": "#FFFFFF", "width": 0.8}},
            text=[f"{names[code]}<br>{NO_VALUE[lang]}" for code in missing], hovertemplate="%{text}<extra></extra>",
            name=NO_VALUE[lang]))
    # NOTE: mercator keeps Thuringia's shape (equirectangular stretches it ~1.6× east–west at 51° N).
    figure.update_geos(fitbounds="locations", visible=False, projection_type="mercator")
    style.apply(figure, lang=lang, title=title)
    figure.update_layout(height=520, margin={"l": 0, "r": 0, "b": 0})
    return figure


def map_region_codes(figure: go.Figure) -> list[str]:
    """Every district code drawn on a map built by `choropleth` (with or without a value)."""
    return [feature["id"] for trace in figure.data if isinstance(trace, go.Choropleth)
            for feature in trace.geojson["features"]]
