"""The contract of every chart builder: frames in, a ChartResult out (figure + the data it shows)."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

#: Charts aggregate on the server: no figure may ship more JSON than this.
MAX_FIGURE_JSON_BYTES = 500_000


@dataclass
class ChartResult:
    """What a builder returns.

    figure      -- the plotly figure, house style applied (charts.style.apply), titles in `lang`
    table       -- exactly the data shown (one row per plotted value), column names in `lang`
    alt         -- one sentence describing the data (charts.alt_text)
    source_ids  -- ids of the `sources` rows the shown figures come from (for the caption)
    datasets    -- dataset names used (the caption's "Stand" is the newest of their live versions)
    notes       -- extra caption lines (e.g. "Teiljahr", conflicts between sources)
    """

    figure: go.Figure
    table: pd.DataFrame
    alt: str
    source_ids: list[str]
    datasets: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def figure_json_bytes(figure: go.Figure) -> int:
    return len(figure.to_json().encode("utf-8"))


def uses(*dataset_names: str):
    """Decorator: declare which datasets a builder reads (its cache key is their live version ids)."""
    def mark(function):
        function.datasets = tuple(dataset_names)
        return function
    return mark
