"""Benchmark every page: cold first view and warm rerun (AppTest, median of N) against a floor page.

The floor page renders the very same figures, prebuilt (go.Figure objects made once from the JSON
captured from the page), with st.plotly_chart and nothing else — the least a page showing those figures
costs with plain Streamlit. A page without figures (the catalogue) has an empty floor; its ratio is
not meaningful and is reported as "–".

Importable: `measure(runs)` returns one `PageResult` per viewer page (with the captured figure specs,
which the browser benchmark reuses); `markdown(results)` is the table. Part (a) of scripts/bench.py.
Usage alone: .venv/bin/python scripts/bench_pages.py [--runs 20]   (prints the Markdown table)
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

GOAL = 2.0

FLOOR_SCRIPT = '''
import json, os
import plotly.graph_objects as go
import streamlit as st

@st.cache_resource
def figures(path):
    with open(path, encoding="utf-8") as handle:
        return [go.Figure(spec) for spec in json.load(handle)]     # built once: "prebuilt"

for index, spec in enumerate(figures(os.environ["BENCH_FIGURES"])):
    st.plotly_chart(spec, key=f"floor_{index}")
'''


@dataclass
class PageResult:
    url_path: str
    file: str
    charts: int
    largest_bytes: int
    cold: float
    warm: float
    floor: float
    specs: list[dict] = field(default_factory=list, repr=False)

    @property
    def ratio(self) -> float | None:
        return self.warm / self.floor if self.charts else None


def _rerun_time(at) -> float:
    start = time.perf_counter()
    at.run()
    return time.perf_counter() - start


def _alternating_medians(app, floor, runs: int, warm_up: int = 5) -> tuple[float, float]:
    """Median rerun of `app` and of `floor`, their runs alternating so that both see the same machine load
    (the machine is shared: measured one after the other, the two medians moved by up to 2× between runs)."""
    for _ in range(warm_up):
        app.run()
        floor.run()
    app_times, floor_times = [], []
    for _ in range(runs):
        app_times.append(_rerun_time(app))
        floor_times.append(_rerun_time(floor))
    return statistics.median(app_times), statistics.median(floor_times)


def share_script_cache() -> None:
    """Give every AppTest run one process-wide ScriptCache, as a server has (`Runtime` keeps one for all
    sessions and reruns and compiles a script once). AppTest makes a new cache on every run, so without this
    every rerun compiles the entry script and the page again (1.5 ms of a 13 ms Überblick rerun, cProfile):
    a cost the users' server does not have. Applies to the pages and the floor alike."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared


def prepare_state() -> str:
    """A fresh SQLite state folder with the bundled data (DASHBOARD_STATE_DIR points at it afterwards)."""
    from streamlit.testing.v1 import AppTest

    state = tempfile.mkdtemp(prefix="bench-state-")
    os.environ["DASHBOARD_STATE_DIR"] = state
    os.environ.pop("DATABASE_URL", None)
    warmup = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
    warmup.run()                                  # first start: bundles the data into the store
    return state


def viewer_pages(only: list[str] | None = None):
    from ui.pages import PAGES

    pages = [p for p in PAGES if not p.analyst_only]     # viewer pages; analyst pages need a login
    return [p for p in pages if not only or p.url_path in only]


def measure(runs: int = 20, *, only: list[str] | None = None, log=print) -> list[PageResult]:
    """Cold view, warm rerun and floor for every viewer page (needs a state folder: see prepare_state)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    if "DASHBOARD_STATE_DIR" not in os.environ:
        prepare_state()
    share_script_cache()
    results = []
    for page in viewer_pages(only):
        st.cache_data.clear()
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
        at.run()
        start = time.perf_counter()
        at.switch_page(page.file).run()
        cold = time.perf_counter() - start
        assert not at.exception, f"{page.file}: {at.exception}"
        specs = [json.loads(el.proto.spec) for el in at.get("plotly_chart")]
        sizes = [len(el.proto.spec.encode()) for el in at.get("plotly_chart")]

        with tempfile.TemporaryDirectory() as folder:
            figures = Path(folder) / "figures.json"
            figures.write_text(json.dumps(specs), encoding="utf-8")
            floor_script = Path(folder) / "floor.py"
            floor_script.write_text(FLOOR_SCRIPT, encoding="utf-8")
            os.environ["BENCH_FIGURES"] = str(figures)
            floor = AppTest.from_file(str(floor_script), default_timeout=300)
            floor.run()
            warm, floor_time = _alternating_medians(at, floor, runs)
        result = PageResult(page.url_path, page.file, len(specs), max(sizes, default=0), cold, warm, floor_time,
                            specs)
        log(f"  {page.url_path}: warm {warm * 1000:.1f} ms, floor {floor_time * 1000:.1f} ms")
        results.append(result)
    return results


def markdown(results: list[PageResult]) -> str:
    lines = ["| page | charts | largest figure JSON | cold first view | warm rerun (median) | floor (median) | ratio "
             f"(goal ≤ {GOAL:g}) |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for row in results:
        ratio = f"{row.ratio:.2f}" if row.ratio is not None else "–"
        largest = f"{row.largest_bytes / 1000:.0f} KB" if row.charts else "–"
        lines.append(f"| {row.url_path} | {row.charts} | {largest} | {row.cold * 1000:.0f} ms | "
                     f"{row.warm * 1000:.1f} ms | {row.floor * 1000:.1f} ms | {ratio} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    arguments = parser.parse_args()
    print(markdown(measure(arguments.runs, log=lambda *_: None)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
