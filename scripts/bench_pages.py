"""Benchmark every page: cold first view and warm rerun (AppTest, median of N) against a floor page.

The floor page renders the very same figures, prebuilt (go.Figure objects made once from the JSON
captured from the page), with st.plotly_chart and nothing else — the least a page showing those figures
costs with plain Streamlit. A page without figures (the catalogue) has an empty floor; its ratio is
not meaningful and is reported as "–".
Usage: .venv/bin/python scripts/bench_pages.py [--runs 20]   (prints a Markdown table)
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

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


def _median_rerun(at, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from ui.pages import PAGES

    state = tempfile.mkdtemp(prefix="bench-state-")
    os.environ["DASHBOARD_STATE_DIR"] = state
    os.environ.pop("DATABASE_URL", None)
    warmup = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
    warmup.run()                                  # first start: bundles the data into the store

    rows = []
    for page in [p for p in PAGES if not p.analyst_only]:    # viewer pages; analyst pages need a login
        st.cache_data.clear()
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
        at.run()
        start = time.perf_counter()
        at.switch_page(page.file).run()
        cold = time.perf_counter() - start
        assert not at.exception, f"{page.file}: {at.exception}"
        warm = _median_rerun(at, args.runs)
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
            floor_time = _median_rerun(floor, args.runs)
        rows.append((page.url_path, len(specs), max(sizes, default=0), cold, warm, floor_time))

    print(f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; runs per median: {args.runs}\n")
    print("| page | charts | largest figure JSON | cold first view | warm rerun (median) | floor (median) | ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, charts, largest, cold, warm, floor_time in rows:
        ratio = f"{warm / floor_time:.2f}" if charts else "–"
        print(f"| {name} | {charts} | {largest / 1000:.0f} KB | {cold * 1000:.0f} ms | {warm * 1000:.1f} ms | "
              f"{floor_time * 1000:.1f} ms | {ratio} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
