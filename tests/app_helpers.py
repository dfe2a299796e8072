"""AppTest helpers shared by the page tests."""
from __future__ import annotations

import re

import pandas as pd

ID_PREFIX = "$$ID-"


def expander_keys(at, prefix: str = "") -> list[str]:
    """User keys of the stateful (lazy) expanders on screen whose key starts with `prefix`, in page order.
    A widget id is "$$ID-<hash>-<user key>"."""
    keys = []
    for box in at.expander:
        widget_id = box.proto.id
        if widget_id.startswith(ID_PREFIX) and widget_id.count("-") >= 2:
            key = widget_id.split("-", 2)[2]
            if key.startswith(prefix):
                keys.append(key)
    return keys


def open_boxes(at, prefix: str = "table_"):
    """Open every lazy expander whose key starts with `prefix` (chart tables by default) and rerun: their
    content is sent only while they are open, as when a user clicks them."""
    keys = expander_keys(at, prefix)
    assert keys, f"no lazy expander with a key starting {prefix!r} on screen"
    for key in keys:
        at.session_state[key] = True
    return at.run()


def open_tab(at, tab_set, index: int, lang: str = "de"):
    """Open tab `index` of a page's tab set (ui.sections) and rerun, as a click on it does. (AppTest sends its
    query parameters again on every run, where a link's tab would win; a click also rewrites the URL.)"""
    at.query_params.pop(tab_set.key, None)
    at.session_state[tab_set.key] = tab_set.labels(lang)[index]
    return at.run()


def every_tab(at, tab_set, lang: str = "de"):
    """Yield the AppTest with each tab of `tab_set` open in turn (first to last)."""
    for index in range(len(tab_set.sections)):
        yield open_tab(at, tab_set, index, lang)


def chart_keys(at) -> list[str]:
    """The keys of the chart blocks on screen, in page order (ui.chart_block names each chart "chart_<key>")."""
    return [element.proto.id.split("-", 2)[2].removeprefix("chart_") for element in at.get("plotly_chart")]


def _cells(line: str) -> list[str]:
    """The cells of one Markdown table row: split on unescaped pipes, escapes removed."""
    return [re.sub(r"\\(.)", r"\1", cell.strip()) for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


def markdown_tables(at) -> list[pd.DataFrame]:
    """The page's Markdown tables (ui/tables.py) read back into frames of text."""
    frames = []
    for text in (m.value for m in at.markdown if m.value.startswith("| ")):
        header, _rule, *rows = text.split("\n")
        frames.append(pd.DataFrame([_cells(row) for row in rows], columns=_cells(header)))
    return frames
