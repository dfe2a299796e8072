"""Small tables as Markdown (HTML) tables: escaped data text (charts.format.markdown_table), and a constant style
so a table wider than the screen scrolls sideways inside its own box instead of widening the page."""
from __future__ import annotations

import threading
from collections import OrderedDict

import streamlit as st

from charts.format import markdown_records, markdown_table

#: Constant CSS, no data in it (st.html is never given data or user text).
TABLE_CSS = ("<style>[data-testid=stMarkdownContainer] table{display:block;overflow-x:auto;max-width:100%}"
             "[data-testid=stMarkdownContainer] td{vertical-align:top}</style>")

_MEMO: OrderedDict = OrderedDict()      # (id of frame, how) -> (frame, Markdown)
_MEMO_SIZE = 64
_LOCK = threading.Lock()


def _markdown(frame, render, **options) -> str:
    """`render(frame, **options)`, kept per frame object: the frames come from `ui.data.derived`, shared and
    read-only, so the same object on every rerun has the same Markdown (escaping the 39 × 7 cells of the
    statement list cost ~2 ms per rerun). The entry holds the frame, so its id cannot be reused while kept."""
    key = (id(frame), render.__name__, tuple(sorted(options.items())))
    with _LOCK:
        hit = _MEMO.get(key)
        if hit is not None and hit[0] is frame:
            _MEMO.move_to_end(key)
            return hit[1]
    text = render(frame, **options)
    with _LOCK:
        _MEMO[key] = (frame, text)
        while len(_MEMO) > _MEMO_SIZE:
            _MEMO.popitem(last=False)
    return text


def style() -> None:
    """Once per page run, before its tables."""
    st.html(TABLE_CSS)


def table(frame, *, links: tuple[str, ...] = (), right: tuple[str, ...] = (), link_label: str | None = None,
          height: int | None = None) -> None:
    """The table; with `height` (pixels) inside a box of that height that scrolls (a long list stays compact)."""
    box = st.container(height=height) if height else st
    box.markdown(_markdown(frame, markdown_table, links=tuple(links), right=tuple(right), link_label=link_label))


def records(frame, *, heading: int = 1, links: tuple[str, ...] = ()) -> None:
    st.markdown(_markdown(frame, markdown_records, heading=heading, links=tuple(links)))
