"""Charts as PNG/SVG files with title, source line and Stand drawn into the image (kaleido + Chromium).

One headless Chromium per process, started on the first export and reused (~0.13 s per image
afterwards instead of ~1.8 s for a fresh browser). Maps export offline: plotly.js would fetch
world_110m.json from a CDN for every choropleth; it reads the empty one in static/ instead.
"""
from __future__ import annotations

import asyncio
import atexit
import copy
import html
import math
import os
import textwrap
import threading
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Literal

import plotly.graph_objects as go

#: Folder holding world_110m.json (plotly.js appends "<scope>_<resolution>.json" to this URL).
TOPOJSON_URL = (Path(__file__).resolve().parent.parent / "static").as_uri() + "/"
STARTUP_TIMEOUT_S = 30
RENDER_TIMEOUT_S = 30

#: Layout pixels of the text drawn into the image (the figure's own fonts are scaled with the width).
FONT_FAMILY = "DejaVu Sans, Open Sans, Arial, sans-serif"
TEXT_COLOUR = "#1a1a1a"
EDGE = 24
LEFT_AXIS_PX = 160


class ExportUnavailable(RuntimeError):
    """No image export possible here (no Chromium, or it failed); carries the reason in German and English."""

    def __init__(self, reason_de: str, reason_en: str):
        super().__init__(f"{reason_de} / {reason_en}")
        self.reason_de = reason_de
        self.reason_en = reason_en

    def reason(self, lang: str) -> str:
        return self.reason_en if lang == "en" else self.reason_de


NO_BROWSER = ExportUnavailable(
    "Bildexport nicht verfügbar: auf dem Server ist kein Chromium installiert (z. B. apt-get install chromium).",
    "Image export unavailable: Chromium is not installed on the server (e.g. apt-get install chromium).")


def browser_path() -> str | None:
    """The Chromium kaleido would start (BROWSER_PATH, then PATH, then typical paths), if it exists."""
    from choreographer.browsers.chromium import Chromium

    path = Chromium.find_browser(skip_local=False)
    return path if path and os.path.isfile(path) and os.access(path, os.X_OK) else None


@lru_cache(maxsize=1)
def unavailable_reason() -> ExportUnavailable | None:
    """None when exports can work; otherwise why not. A cheap file lookup, checked once per process."""
    return None if browser_path() else NO_BROWSER


# ---------------------------------------------------------------------------------------------------------------
# The figure: a copy with title and footer


def _wrap(text: str, width_px: float, font_px: float) -> list[str]:
    """Lines of at most width_px (DejaVu Sans averages ~0.55 em per character: wrap a little early)."""
    per_line = max(20, int(width_px / (font_px * 0.6)))
    return textwrap.wrap(text, per_line, break_long_words=True, break_on_hyphens=False) or [""]


def _plotly_text(lines: list[str]) -> str:
    """Plotly reads <br>, <b>, <a href> … in text: escape data text so it is drawn as written."""
    return "<br>".join(html.escape(line, quote=False) for line in lines)


def _legend_rows(figure_dict: dict, usable_px: float, font_px: float) -> int:
    """Rows of a horizontal legend, 0 when the figure shows none. Like plotly.js: one row when every entry
    fits, else a grid of equal columns as wide as the widest entry; legend groups stack as columns."""
    layout = figure_dict.get("layout", {})
    entries = [(str(trace.get("name") or ""), trace.get("legendgroup") or "") for trace in figure_dict.get("data", [])
               if trace.get("showlegend") is not False and trace.get("visible", True) is not False
               and trace.get("type", "scatter") not in {"choropleth", "heatmap", "histogram2d", "contour"}]
    shown = layout.get("showlegend")
    if shown is False or not entries or (shown is None and len(entries) < 2):
        return 0
    widths = [48 + len(name) * font_px * 0.62 for name, _ in entries]
    columns = max(1, int(usable_px // max(widths)))
    group_sizes = Counter(group for _, group in entries if group)
    if group_sizes:
        ungrouped = sum(1 for _, group in entries if not group)
        return max(group_sizes.values()) * math.ceil((len(group_sizes) + ungrouped) / columns)
    return 1 if sum(widths) <= usable_px else math.ceil(len(entries) / columns)


def _values(array) -> list:
    """A figure dict holds lists, tuples or numpy arrays."""
    return [] if array is None or isinstance(array, (str, dict)) else list(array)


def _left_axis_px(figure_dict: dict, font_px: float) -> int:
    """Rough width of the y axis (tick labels + title) that plotly adds left of the plot."""
    labels = [value for trace in figure_dict.get("data", []) for value in _values(trace.get("y"))
              if isinstance(value, str)]
    layout = figure_dict.get("layout", {})
    labels += [str(text) for key, axis in layout.items() if key.startswith("yaxis") and isinstance(axis, dict)
               for text in _values(axis.get("ticktext"))]
    longest = max((len(label) for label in labels), default=8)
    return max(LEFT_AXIS_PX, int(longest * font_px * 0.62) + 60)


def _has_x_axis(figure_dict: dict) -> bool:
    return any(trace.get("type", "scatter") not in {"choropleth", "pie", "scattergeo"}
               for trace in figure_dict.get("data", []))


def export_figure(figure: go.Figure | dict, *, title: str, source_line: str, stand: str, width: int = 1600,
                  height: int = 900) -> dict:
    """The figure as a new dict laid out for a file: title on top, legend below the plot, then the source
    line and Stand in the bottom margin. The input figure (and the dict it shares) stays untouched."""
    source = figure.to_dict() if isinstance(figure, go.Figure) else figure
    figure_dict = go.Figure(copy.deepcopy(source)).to_dict()
    layout = figure_dict.setdefault("layout", {})
    cartesian = _has_x_axis(figure_dict)
    base_font = max(12.0, round(width / 110))          # 15 px at 1600 px width
    title_font, footer_font = round(base_font * 1.5), round(base_font * 0.95)
    usable = width - 2 * EDGE
    # NOTE: the footer starts where the plot starts (like the legend); plotly widens the left margin for
    # y tick labels by itself, so wrap for a plot up to LEFT_AXIS_PX narrower than the image.
    footer_width = usable - (_left_axis_px(figure_dict, base_font) if cartesian else 0)
    title_lines = _wrap(title, usable, title_font) if title else []
    footer = " · ".join(part for part in (source_line.strip(), stand.strip()) if part)
    footer_lines = _wrap(footer, footer_width, footer_font) if footer else []
    title_px = math.ceil(len(title_lines) * title_font * 1.3)
    footer_px = math.ceil(len(footer_lines) * footer_font * 1.35)

    old_margin = layout.get("margin") or {}
    top = EDGE + title_px + max(30, int(old_margin.get("t", 0) or 0) - 40)
    axis_px = round(base_font * 4.5) if cartesian else 0
    legend = layout.get("legend") or {}
    legend_below = legend.get("orientation") == "h" and (legend.get("y") or 0) < 0
    legend_rows = _legend_rows(figure_dict, footer_width, base_font) if legend_below else 0
    legend_px = math.ceil((legend_rows + 0.5) * base_font * 1.75) if legend_rows else 0
    bottom = axis_px + legend_px + footer_px + EDGE + 12
    plot_px = max(100, height - top - bottom)

    layout.update(
        width=width, height=height, autosize=False,
        paper_bgcolor="#FFFFFF",
        font={**(layout.get("font") or {}), "size": base_font},
        margin={"l": max(int(old_margin.get("l", 0) or 0), EDGE), "r": max(int(old_margin.get("r", 0) or 0), EDGE),
                "t": top, "b": bottom, "autoexpand": True},
    )
    if layout.get("plot_bgcolor") in (None, "", "rgba(0,0,0,0)", "transparent"):
        layout["plot_bgcolor"] = "#FFFFFF"
    if title_lines:
        layout["title"] = {"text": _plotly_text(title_lines), "xref": "container", "x": EDGE / width,
                           "xanchor": "left", "yref": "container", "y": 1 - EDGE / height, "yanchor": "top",
                           "font": {"size": title_font, "color": TEXT_COLOUR, "family": FONT_FAMILY}}
    else:
        layout.pop("title", None)
    if legend_below:
        layout["legend"] = {**legend, "y": -axis_px / plot_px, "yanchor": "top",
                            "font": {**(legend.get("font") or {}), "size": base_font}}
    if footer_lines:
        layout["annotations"] = [*(layout.get("annotations") or []), {
            "text": _plotly_text(footer_lines), "showarrow": False, "align": "left",
            "xref": "paper", "x": 0, "xanchor": "left",
            "yref": "paper", "y": -(bottom - EDGE) / plot_px, "yanchor": "bottom",
            "font": {"size": footer_font, "color": TEXT_COLOUR, "family": FONT_FAMILY}}]
    return figure_dict


# ---------------------------------------------------------------------------------------------------------------
# The browser: one per process, in its own event-loop thread


class _Browser:
    """A kaleido browser kept alive in a daemon thread's event loop; one export at a time.

    Unlike kaleido.start_sync_server, every call has a timeout and a browser that failed to start or
    died is replaced on the next call instead of blocking the caller forever."""

    def __init__(self):
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._kaleido = None

    def _run(self, coroutine, timeout: float):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=timeout)

    def _start(self) -> None:
        import kaleido

        if self._loop is None:
            self._loop = asyncio.new_event_loop()
            threading.Thread(target=self._loop.run_forever, name="chart-image-export", daemon=True).start()
            atexit.register(self.close)

        async def open_browser():
            # mathjax=False: no MathJax from a CDN; plotly.js comes from the installed plotly package.
            browser = kaleido.Kaleido(n=1, timeout=RENDER_TIMEOUT_S, mathjax=False)
            await browser.open()
            return browser

        self._kaleido = self._run(open_browser(), STARTUP_TIMEOUT_S)

    def _discard(self) -> None:
        browser, self._kaleido = self._kaleido, None
        if browser is not None:
            try:
                self._run(browser.close(), 10)
            except Exception:  # noqa: BLE001 — a broken browser is dropped either way
                pass

    def render(self, figure_dict: dict, opts: dict) -> bytes:
        with self._lock:
            for attempt in (1, 2):
                try:
                    if self._kaleido is None:
                        self._start()
                    return self._run(self._kaleido.calc_fig(figure_dict, opts=opts, topojson=TOPOJSON_URL),
                                     RENDER_TIMEOUT_S + 5)
                except Exception as error:  # noqa: BLE001 — retried once with a fresh browser, then reported
                    self._discard()
                    if attempt == 2:
                        raise ExportUnavailable(
                            f"Bildexport fehlgeschlagen ({type(error).__name__}). Bitte später erneut versuchen.",
                            f"Image export failed ({type(error).__name__}). Please try again later.") from error
        raise AssertionError("unreachable")

    def close(self) -> None:
        with self._lock:
            self._discard()


_BROWSER = _Browser()


def chart_image(figure: go.Figure | dict, *, title: str, source_line: str, stand: str,
                format: Literal["png", "svg"], width: int = 1600, height: int = 900, scale: float = 1) -> bytes:
    """The figure as PNG or SVG bytes of exactly width×scale by height×scale pixels (PNG), white
    background, title on top, source line and Stand below the plot. Raises ExportUnavailable
    (German + English reason) when no Chromium is installed or the export fails."""
    if format not in ("png", "svg"):
        raise ValueError(f"format must be 'png' or 'svg', not {format!r}")
    if browser_path() is None:
        raise NO_BROWSER
    figure_dict = export_figure(figure, title=title, source_line=source_line, stand=stand, width=width,
                                height=height)
    return _BROWSER.render(figure_dict, {"format": format, "width": width, "height": height, "scale": scale})
