"""Small tables as Markdown (HTML) tables: escaped data text (charts.format.markdown_table), and a constant style
so a table wider than the screen scrolls sideways inside its own box instead of widening the page."""
from __future__ import annotations

import streamlit as st

from charts.format import markdown_records, markdown_table

#: Constant CSS, no data in it (st.html is never given data or user text).
TABLE_CSS = ("<style>[data-testid=stMarkdownContainer] table{display:block;overflow-x:auto;max-width:100%}"
             "[data-testid=stMarkdownContainer] td{vertical-align:top}</style>")


def style() -> None:
    """Once per page run, before its tables."""
    st.html(TABLE_CSS)


def table(frame, *, links: tuple[str, ...] = (), right: tuple[str, ...] = (), link_label: str | None = None,
          height: int | None = None) -> None:
    """The table; with `height` (pixels) inside a box of that height that scrolls (a long list stays compact)."""
    box = st.container(height=height) if height else st
    box.markdown(markdown_table(frame, links=links, right=right, link_label=link_label))


def records(frame, *, heading: int = 1, links: tuple[str, ...] = ()) -> None:
    st.markdown(markdown_records(frame, heading=heading, links=links))
