"""Statement markers: a dashed vertical line and a short label on time axes, one per statement."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.style import STATEMENT_COLOUR

MARKER_NAME_PREFIX = "statement:"


def add_statement_markers(figure: go.Figure, statements: pd.DataFrame, *, x_is_year: bool = False,
                          label_column: str = "title", max_label: int = 40) -> go.Figure:
    """Add one dashed line per statement (`date` ISO text) with its label; returns the figure.

    x_is_year: the x axis holds years (int) rather than dates; the marker sits at the fractional year.
    Each shape is named "statement:<statement_id>" so tests and the UI can find them.
    """
    for row in statements.itertuples(index=False):
        when = pd.Timestamp(str(row.date)[:10]) if str(row.date) else None
        if when is None or pd.isna(when):
            continue
        x = when.year + (when.day_of_year - 1) / 365.25 if x_is_year else when.strftime("%Y-%m-%d")
        label = str(getattr(row, label_column, "") or "")
        if len(label) > max_label:
            label = label[: max_label - 1] + "…"
        figure.add_vline(x=x, line={"dash": "dash", "width": 1, "color": STATEMENT_COLOUR},
                         name=MARKER_NAME_PREFIX + str(row.statement_id))
        figure.add_annotation(x=x, y=1, yref="paper", text=label, showarrow=False, textangle=-90,
                              xanchor="right", yanchor="top", font={"size": 10, "color": STATEMENT_COLOUR},
                              name=MARKER_NAME_PREFIX + str(row.statement_id))
    return figure


def statement_marker_ids(figure: go.Figure | dict) -> list[str]:
    """Ids of the statements marked in a figure (or its dict), in drawing order."""
    shapes = (figure if isinstance(figure, dict) else figure.to_dict()).get("layout", {}).get("shapes", [])
    names = [shape.get("name") or "" for shape in shapes]
    return [name[len(MARKER_NAME_PREFIX):] for name in names if name.startswith(MARKER_NAME_PREFIX)]


def relevant_statements(statements: pd.DataFrame, claims: pd.DataFrame, *,
                        indicator_ids: list[str] | tuple[str, ...] = (), measures: list[str] | tuple[str, ...] = (),
                        topics: list[str] | tuple[str, ...] = ()) -> pd.DataFrame:
    """Statements that make a claim about one of these indicators/measures, or carry one of these topics."""
    claimed = claims[claims["indicator_id"].isin(list(indicator_ids)) | claims["measure"].isin(list(measures))]
    by_claim = statements["statement_id"].isin(claimed["statement_id"])
    by_topic = statements["topics"].fillna("").str.split(";").map(lambda ts: bool(set(ts) & set(topics)))
    chosen = statements[by_claim | by_topic]
    return chosen.sort_values(["date", "statement_id"], kind="stable").reset_index(drop=True)
