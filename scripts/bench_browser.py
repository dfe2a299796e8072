"""Headless Chromium: time from navigation to the first drawn chart, dashboard page vs a floor app.

Both apps are served by `streamlit run` on loopback. The floor app is a minimal Streamlit script that
renders, with st.plotly_chart, the page's first figure — prebuilt from the JSON the page itself sends
(wide layout, the dashboard's plotly config, the same empty world topology served from static/). Per
navigation: a fresh browser context (no cache, no cookies), `goto(url)`, then wait until a plotly
`.main-svg` inside the first `[data-testid=stPlotlyChart]` is visible; the wall time between the two is the
sample. The servers are warm (every page opened once before measuring); app and floor navigations alternate
so both see the same machine load. Part (b) of scripts/bench.py.
"""
from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

GOAL = 1.3
CHART = "[data-testid=stPlotlyChart] .main-svg"
VIEWPORT = {"width": 1400, "height": 1000}

FLOOR_SCRIPT = '''
import json, os
import plotly.graph_objects as go
import streamlit as st

st.set_page_config(layout="wide")

@st.cache_resource
def figures(path):
    with open(path, encoding="utf-8") as handle:
        return {page: go.Figure(spec) for page, spec in json.load(handle).items()}   # built once: "prebuilt"

figure = figures(os.environ["BENCH_FIGURES"]).get(st.query_params.get("page", ""))
if figure is not None:
    st.plotly_chart(figure, key="floor", config=json.loads(os.environ["BENCH_PLOTLY_CONFIG"]))
'''


@dataclass
class BrowserResult:
    url_path: str
    app: float
    floor: float
    app_samples: list[float] = field(default_factory=list)
    floor_samples: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.app / self.floor


def first_figures(only: list[str] | None = None) -> dict[str, dict]:
    """url_path -> the first figure spec of every viewer page that has a chart (AppTest, like bench_pages)."""
    from scripts.bench_pages import prepare_state, viewer_pages
    from streamlit.testing.v1 import AppTest
    import os

    if "DASHBOARD_STATE_DIR" not in os.environ:
        prepare_state()
    figures = {}
    for page in viewer_pages(only):
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
        at.run()
        at.switch_page(page.file).run()
        charts = at.get("plotly_chart")
        if charts:
            figures[page.url_path] = json.loads(charts[0].proto.spec)
    return figures


def _floor_server(folder: Path, figures: dict[str, dict]):
    """`streamlit run` of the floor script in `folder` (its own .streamlit/config.toml and static/)."""
    import os

    from tests.browser import background_process, free_port
    from ui.chart_block import PLOTLY_CONFIG

    (folder / ".streamlit").mkdir(exist_ok=True)
    (folder / ".streamlit" / "config.toml").write_text("[server]\nenableStaticServing = true\n", encoding="utf-8")
    shutil.copytree(ROOT / "static", folder / "static", dirs_exist_ok=True)
    (folder / "floor.py").write_text(FLOOR_SCRIPT, encoding="utf-8")
    (folder / "figures.json").write_text(json.dumps(figures), encoding="utf-8")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "streamlit", "run", str(folder / "floor.py"), "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats",
               "false", "--server.fileWatcherType", "none"]
    environment = {**os.environ, "BENCH_FIGURES": str(folder / "figures.json"),
                   "BENCH_PLOTLY_CONFIG": json.dumps(PLOTLY_CONFIG)}
    return url, background_process(
        command, log_path=folder / "floor.log", what="floor streamlit", timeout=90, cwd=folder, env=environment,
        ready=lambda: urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok")


def _time_to_chart(browser, url: str, timeout_ms: int = 60_000) -> float:
    """Seconds from goto(url) to the first visible plotly SVG, in a fresh context; fails on a page exception."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        tab = context.new_page()
        start = time.perf_counter()
        tab.goto(url, wait_until="commit", timeout=timeout_ms)
        tab.locator(CHART).first.wait_for(state="visible", timeout=timeout_ms)
        elapsed = time.perf_counter() - start
        assert tab.locator("[data-testid=stException]").count() == 0, f"exception on {url}"
        return elapsed
    finally:
        context.close()


def measure(navigations: int = 5, *, only: list[str] | None = None, figures: dict[str, dict] | None = None,
            log=print) -> list[BrowserResult]:
    """Median time to the first chart per page (app) and for the same figure in the floor app."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM_FLAGS, chromium_path, streamlit_server

    figures = figures if figures is not None else first_figures(only)
    figures = {page: spec for page, spec in figures.items() if not only or page in only}
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-browser-") as folder:
        folder = Path(folder)
        (folder / "state").mkdir()
        (folder / "floor").mkdir()
        floor_url, floor_server = _floor_server(folder / "floor", figures)
        with streamlit_server(folder / "state") as app_url, floor_server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
            try:
                urls = {page: (f"{app_url}/{'' if page == 'ueberblick' else page}", f"{floor_url}/?page={page}")
                        for page in figures}
                for app, floor in urls.values():              # warm: every page's caches filled once
                    _time_to_chart(browser, app, timeout_ms=180_000)
                    _time_to_chart(browser, floor, timeout_ms=180_000)
                for page, (app, floor) in urls.items():
                    app_samples, floor_samples = [], []
                    for _ in range(navigations):
                        app_samples.append(_time_to_chart(browser, app))
                        floor_samples.append(_time_to_chart(browser, floor))
                    result = BrowserResult(page, statistics.median(app_samples), statistics.median(floor_samples),
                                           app_samples, floor_samples)
                    log(f"  {page}: app {result.app * 1000:.0f} ms, floor {result.floor * 1000:.0f} ms")
                    results.append(result)
            finally:
                browser.close()
    return results


def markdown(results: list[BrowserResult], navigations: int) -> str:
    lines = [f"| page | first chart, app (median of {navigations}) | first chart, floor app (median) | "
             f"app min–max | ratio (goal ≤ {GOAL:g}) |",
             "|---|---:|---:|---:|---:|"]
    for row in results:
        lines.append(f"| {row.url_path} | {row.app * 1000:.0f} ms | {row.floor * 1000:.0f} ms | "
                     f"{min(row.app_samples) * 1000:.0f}–{max(row.app_samples) * 1000:.0f} ms | {row.ratio:.2f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--navigations", type=int, default=5)
    parser.add_argument("--only", nargs="*")
    arguments = parser.parse_args()
    print(markdown(measure(arguments.navigations, only=arguments.only), arguments.navigations))
