"""Shared look of every figure: colour-blind-safe palette, German/English separators, fonts, margins."""
from __future__ import annotations

import plotly.graph_objects as go

from charts.format import NO_VALUE

#: Okabe–Ito palette (safe for the common colour-vision deficiencies), black last.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
#: Colour of statement markers and highlighted claims (not used for data series).
STATEMENT_COLOUR = "#6B6B6B"
HIGHLIGHT_COLOUR = "#D55E00"

SEPARATORS = {"de": ",.", "en": ".,"}


def apply(figure: go.Figure, *, lang: str = "de", title: str | None = None,
          x_title: str | None = None, y_title: str | None = None) -> go.Figure:
    """Apply the house style in place and return the figure (German separators unless lang == 'en')."""
    figure.update_layout(
        separators=SEPARATORS.get(lang, SEPARATORS["de"]),
        colorway=PALETTE,
        template="plotly_white",
        margin={"l": 10, "r": 10, "t": 60 if title else 20, "b": 10},
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "xanchor": "left", "x": 0},
        hoverlabel={"namelength": -1},
    )
    if title is not None:
        figure.update_layout(title={"text": title, "x": 0, "xanchor": "left"})
    if x_title is not None:
        figure.update_xaxes(title_text=x_title)
    if y_title is not None:
        figure.update_yaxes(title_text=y_title)
    # NOTE: without separatethousands plotly prints 4-digit values as "1000"/"1,000" even in German; without
    # exponentformat="none" it writes 400.000 as "400k" (SI suffixes, not German: "k"/"M"/"G" for Tsd./Mio./Mrd.).
    figure.update_yaxes(separatethousands=True, exponentformat="none")
    figure.update_xaxes(exponentformat="none")
    return figure


#: Numeric date ticks: plotly's month names are English whatever the page language.
DATE_TICKS = {"de": [{"dtickrange": [None, "M1"], "value": "%d.%m.%Y"},
                     {"dtickrange": ["M1", "M12"], "value": "%m/%Y"},
                     {"dtickrange": ["M12", None], "value": "%Y"}],
              "en": [{"dtickrange": [None, "M1"], "value": "%Y-%m-%d"},
                     {"dtickrange": ["M1", "M12"], "value": "%Y-%m"},
                     {"dtickrange": ["M12", None], "value": "%Y"}]}


def date_axis(figure: go.Figure, lang: str) -> go.Figure:
    """Date ticks as numbers (01.2024 style), never English month names in the German UI."""
    figure.update_xaxes(tickformatstops=DATE_TICKS["en" if lang == "en" else "de"])
    return figure


def no_data(figure: go.Figure, lang: str) -> go.Figure:
    """Write "keine Angabe" / "not available" across the plot area (the series the chart needs are missing)."""
    figure.add_annotation(x=0.5, y=0.5, xref="paper", yref="paper", text=NO_VALUE["en" if lang == "en" else "de"],
                          showarrow=False, font={"size": 16, "color": "#595959"}, name="no_data")
    return figure


def no_data_alt(what: str, lang: str) -> str:
    """The alt text of a chart without figures (the wording of charts.alt_text.describe_series)."""
    return f"{what}: no figures available." if lang == "en" else f"{what}: keine Angabe."
