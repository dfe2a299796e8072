"""`make bench`: every benchmark of issue 6 in one run, written to docs/BENCHMARKS.md.

Parts (each a small importable module beside this file):
  pages    (a) warm page rerun (AppTest, median) / floor page with the same figures prebuilt  — goal ≤ 2
  browser  (b) headless Chromium, navigation → first drawn chart, page / floor app            — goal ≤ 1.3
  ingest   (c) 1,000,000-row synthetic GENESIS flat CSV, parse + validate + publish
               / pyarrow.csv.read_csv — goal ≤ 3; / pandas.read_csv(sep=';', decimal=',') — goal ≤ 1
  figures  (d) figure JSON bytes per chart at 1k, 100k, 1M source rows                         — goal ≤ 500 KB
  memory   (e) peak RSS over 50 uploads of a 50 MB file in one process                          — must plateau

Usage: .venv/bin/python scripts/bench.py [--quick] [--only PART ...] [--runs N] [--output docs/BENCHMARKS.md]
Every input is synthetic (scripts/bench_synthetic.py) or the bundled data; nothing is downloaded.
Timings are wall-clock on a shared machine: the load average before and after is written down too.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PARTS = ("pages", "browser", "ingest", "figures", "memory")
PACKAGES = ("streamlit", "pandas", "pyarrow", "numpy", "plotly", "pandera", "SQLAlchemy", "playwright", "pyinstrument")

#: Before → after of the fixes made for these goals, measured with these same scripts on the code before and
#: after each change (the "before" code is the commit before issue 6's benchmark work). Kept here so that a
#: regenerated docs/BENCHMARKS.md still says what was changed and why.
#: Everything from this line on in docs/BENCHMARKS.md is written by other scripts or by hand; a run keeps it.
KEPT_MARKER = "<!-- measured by other scripts: kept by scripts/bench.py -->"

FIXES = """\
**Explorer figures (charts/explorer.py), part (d).** Before: every selected region as a line (or bar)
chart drew every value: 758 KB at 100k rows and **7,477 KB (30,304 points) at 1M rows**, and building it took
18 s (a Python loop over every row for the period range and a `groupby` loop over every (region, period) for
the conflict note). After: at most `MAX_POINTS` = 1,500 values and `MAX_SERIES` = 30 series; beyond that the
chart draws evenly spaced periods only — every series at the same periods, first and last always included,
nothing averaged or added up — with a caption note saying "62 von 1263 Zeitpunkten gezeigt …", and the table
holds exactly the drawn values; if long names still make the figure heavier than 400 KB the budget is halved.
Result: 376 KB at 1M rows, 1.2–2.2 s per build. Per-row Python work now runs once per distinct period.
`tests/test_charts_scale.py` asserts ≤ 500 KB at 1M synthetic rows for line, bar and map, and that the
table equals the drawn points.

**Ingest (loaders/, datasets/), part (c).** pyinstrument 5.1.3 profile of the 1M-row ingest before the change
(process CPU ≈ 16.4 s on a quiet machine; parse 2.4 s, validate 13.7 s, publish 0.3 s): domain checks
6.1 s (`Series.apply` of a lambda per row for signed variables, Python loops over every row for region codes
and periods, a Python list of every line number), region-name normalisation per row 1.9 s, the diff's
string-key outer merge + groupby-cumcount 2.3 s, pandera's multi-column `unique` (whose failures the upload
report skipped anyway: duplicate keys are reported with both lines by the domain check) and the draft sort.
Changes: per-row checks and mappings computed once per distinct value (`datasets/upload_checks.py`,
`datasets/upload.py`); line numbers kept as a NumPy array; constant columns built by pyarrow; duplicate keys
and the diff's matching on one integer code per row (`datasets.diff.row_codes`, order-preserving, NA = NA,
so row order and results are unchanged); the diff's `added` rows as a slice when they are one run; pandera
validated without the key-only `unique`; pyarrow's CSV reader told `newlines_in_values=False` when the
file has no quote character (`loaders/genesis_flat.py`). Diff alone: CPU 2.3 s → 0.55 s; ingest (same
script, quiet moments of a shared machine): see the before/after table below. Later: the indicators draft
(bundled rows + upload) sorted by one `row_codes` integer per row instead of `sort_values` over four text
key columns (same order, tested in tests/test_diff.py): validate 3.6 → 3.0 s.
Then every text column of an indicators upload is worked on as integer codes into its distinct values
(`loaders/coded.py`: strip, map, test and combine once per distinct text; the rows are put in key order on the
codes and each column is written out once); pandera checks one row per distinct value of each text column and
reports a failure at every row that holds the value; the flat loader's pyarrow read hands the dimension columns
over dictionary-encoded (no hashing of a million texts per column); and the diff of an indicators upload compares
only the rows of the indicator and source it replaces (`datasets.diff.diff_replacing`: the other live rows are
unchanged by construction; a property test checks it against the full diff), against no live rows without any
matching. Same-day runs of `scripts/bench_ingest.py --runs 3` before and after: see the table below.

**Page reruns and first charts, parts (a) and (b); and the load test.** cProfile of a warm rerun
(`cProfile` on the script thread under AppTest) and a per-section timer showed where a one-chart page's
time went: the sidebar's login form, the share-link box, the "Ansicht speichern" form and every chart's
table and four download buttons were built and sent on every rerun although they sit in closed
expanders; the verdict cards on Überblick and Aussagen were four elements each; `ui.data.derived` unpickled
its value from `st.cache_data` on every call; the live-version query read every dataset's details; and
after every run Streamlit ran a full `gc.collect(2)` (`runner.postScriptGC`), 115–150 ms of CPU with the
app's data loaded. Changes: those boxes are lazy expanders (`on_change="rerun"`, content built only while
open; the box state is bound to the session, not the URL); `[runner] magicEnabled = false` and
`postScriptGC = false` in `.streamlit/config.toml`; `derived` kept with `st.cache_resource` (values are
read-only); a verdict card is one Markdown element (`ui/cards.py`); `Store.live_versions()` asks for the
live ids only and re-reads details when one changed; page files checked once per process. The soak run
below shows the memory effect of no post-script GC: the same peak RSS over twice the reruns.

**Lazy tabs on the two pages with the most charts, part (b) and the load test.** A MutationObserver and a
`longtask` trace showed that Plotly draws every chart of a delta batch in one long task before the first paint,
so Fachkräftebedarf's first chart waited for all seven, Zuwanderung & Asyl's for all nine; under load the 20
browsers' drawing set the latency. Change: both pages group their charts in tabs bound to the URL
(`ui/sections.py`, `st.tabs(..., bind="query-params")`); only the open tab runs and is sent (`.open`): two charts
on opening either page, at most three after a tab click. A hidden tab keeps its choices (Streamlit keeps a
bound widget's value), a link that sets a later tab's widget opens that tab, tab labels follow the language.
The load test's loop now clicks a tab on each of the two pages (it chose a district on Fachkräftebedarf before).

**Fewer elements per rerun and a server-like benchmark, part (a).** A per-section timer and cProfile of warm
reruns (shared script cache, see (a)) showed three costs besides the page's content: AppTest compiled the entry
script and the page on every run (1.5 ms; a server compiles them once — the benchmark now shares one script
cache, for the pages and the floor alike); the entry script built its ten `st.Page` objects on every rerun
(0.7 ms: each resolves its file with a `stat` per path component); and Überblick sent its nine verdicts as nine
boxes of two elements each (18 of its 34 elements). Changes: the navigation's pages are built once per session
and language (`ui.pages.navigation`; per session because `st.navigation` marks the returned page as runnable, a
flag sessions must not share); Überblick's verdicts are one bordered box with one Markdown element, the verdicts
separated by rules (`ui.cards.verdict_list`; Aussagen keeps one box per claim, each holds the claim's chart); page
intros are `st.markdown` instead of `st.write`. Benchmark runs alternate page and floor (the two medians had moved
by up to 2× between separate measurements).

**Markdown tables instead of data grids on Rekrutierung and Aussagen, part (b).** Resource timing and a `longtask`
trace of a fresh navigation (see (b)) showed the data grid's ~1.5 MB of JavaScript evaluated before the first chart
mounted. Change: the pilot's profile, its sources and all pilots' targets and results are Markdown tables; the
statements about recruitment are one paragraph per statement (quotes in full); the list on Aussagen is a Markdown
table without the quote in a 320 px box that scrolls (`ui/tables.py`, `charts.format.markdown_table` /
`markdown_records`: every cell escaped, links only to http(s), a constant style so a wide table scrolls inside its
box on a phone instead of widening the page). Besides the speed: the tables are read in full without inner
scrolling, long quotes wrap instead of being cut, and screen readers and print see an HTML table (the data grid
is a canvas). What they lose: sorting by a column click and the grid's search/download; the page's own order and
topic controls sort and filter the list, and "Daten & Quellen" offers every dataset for download.
"""


def machine_info() -> list[str]:
    def cpu_model() -> str:
        try:
            for line in Path("/proc/cpuinfo").read_text().splitlines():
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
        except OSError:
            pass
        return platform.processor() or platform.machine()

    def memory() -> str:
        try:
            for line in Path("/proc/meminfo").read_text().splitlines():
                if line.startswith("MemTotal"):
                    return f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
        except OSError:
            pass
        return "?"

    def os_name() -> str:
        try:
            for line in Path("/etc/os-release").read_text().splitlines():
                if line.startswith("PRETTY_NAME="):
                    return f"{line.split('=', 1)[1].strip(chr(34))}, Linux {platform.release()}"
        except OSError:
            pass
        return platform.platform()

    def chromium() -> str:
        try:
            from tests.browser import chromium_path

            return subprocess.run([chromium_path(), "--version"], capture_output=True, text=True,
                                  timeout=30).stdout.strip()
        except Exception:  # noqa: BLE001 - informational only
            return "not found"

    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    return [f"- CPU: {cpu_model()}, {os.cpu_count()} cores ({platform.machine()}); RAM {memory()}",
            f"- OS: {os_name()}", f"- Python {platform.python_version()}; {', '.join(versions)}",
            f"- Browser: {chromium()} (headless, flags of tests/browser.py)"]


def load_average() -> str:
    try:
        return " / ".join(f"{value:.1f}" for value in os.getloadavg())
    except OSError:
        return "?"


def run_memory(uploads: int, megabytes: float, log) -> tuple[str, dict]:
    """Part (e) in its own process, so that its peak RSS is the uploads' alone."""
    with tempfile.TemporaryDirectory(prefix="bench-memory-json-") as folder:
        target = Path(folder) / "memory.json"
        completed = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "bench_memory.py"), "--uploads", str(uploads), "--megabytes",
             str(megabytes), "--json", str(target)], cwd=ROOT, capture_output=True, text=True)
        for line in completed.stderr.splitlines():
            if line.startswith("  "):
                log(line)
        if completed.returncode != 0:
            raise RuntimeError(f"bench_memory.py failed:\n{completed.stderr[-3000:]}")
        return completed.stdout.strip(), json.loads(target.read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="fewer repetitions (about 3 minutes on an idle machine): 5 reruns, 1 navigation, 1 ingest, 10 uploads")
    parser.add_argument("--only", action="append", choices=PARTS, help="run only this part (repeatable)")
    parser.add_argument("--runs", type=int, help="AppTest reruns per median (default 20, quick 5)")
    parser.add_argument("--navigations", type=int, help="browser navigations per page (default 5, quick 1)")
    parser.add_argument("--ingest-runs", type=int, help="ingest repetitions (default 3, quick 1)")
    parser.add_argument("--ingest-rows", type=int, default=1_000_000)
    parser.add_argument("--uploads", type=int, help="uploads in the memory part (default 50, quick 10)")
    parser.add_argument("--upload-mb", type=float, default=50.0)
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "BENCHMARKS.md",
                        help="Markdown file to write ('-' = print only)")
    arguments = parser.parse_args(argv)
    quick = arguments.quick
    runs = arguments.runs or (5 if quick else 20)
    navigations = arguments.navigations or (1 if quick else 5)
    ingest_runs = arguments.ingest_runs or (1 if quick else 3)
    uploads = arguments.uploads or (10 if quick else 50)
    parts = arguments.only or list(PARTS)

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    started = time.perf_counter()
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load_before = load_average()
    command = " ".join([".venv/bin/python", "scripts/bench.py", *(argv if argv is not None else sys.argv[1:])])
    sections: list[str] = []
    goals: list[tuple[str, str, str, bool | None]] = []      # (goal, measured, target, met)
    durations: dict[str, float] = {}
    os.environ.pop("DATABASE_URL", None)

    page_specs = None
    if "pages" in parts:
        from scripts import bench_pages

        log("(a) page reruns …")
        start = time.perf_counter()
        results = bench_pages.measure(runs, log=log)
        durations["pages"] = time.perf_counter() - start
        page_specs = {row.url_path: row.specs[0] for row in results if row.specs}
        ratios = [row for row in results if row.ratio is not None]
        worst = max(ratios, key=lambda row: row.ratio)
        goals.append(("(a) warm rerun / floor page", f"worst {worst.ratio:.2f} ({worst.url_path}); "
                      f"{sum(row.ratio <= bench_pages.GOAL for row in ratios)} of {len(ratios)} pages ≤ 2",
                      "≤ 2 per page", all(row.ratio <= bench_pages.GOAL for row in ratios)))
        sections.append(PAGES_TEXT.format(runs=runs, table=bench_pages.markdown(results)))

    if "browser" in parts:
        from scripts import bench_browser

        log("(b) headless Chromium …")
        start = time.perf_counter()
        results = bench_browser.measure(navigations, figures=page_specs, log=log)
        durations["browser"] = time.perf_counter() - start
        worst = max(results, key=lambda row: row.ratio)
        goals.append(("(b) first chart in Chromium, page / floor app",
                      f"worst {worst.ratio:.2f} ({worst.url_path}); "
                      f"{sum(row.ratio <= bench_browser.GOAL for row in results)} of {len(results)} pages ≤ 1.3",
                      "≤ 1.3 per page", all(row.ratio <= bench_browser.GOAL for row in results)))
        sections.append(BROWSER_TEXT.format(navigations=navigations,
                                            table=bench_browser.markdown(results, navigations)))

    if "ingest" in parts:
        from scripts import bench_ingest

        log("(c) ingest …")
        start = time.perf_counter()
        result = bench_ingest.measure(arguments.ingest_rows, ingest_runs, log=log)
        durations["ingest"] = time.perf_counter() - start
        for reference, name, goal in (("pyarrow", "pyarrow.csv.read_csv", 3), ("pandas", "pandas.read_csv", 1)):
            wall, cpu = result.ratio(reference), result.ratio(reference, cpu=True)
            goals.append((f"(c) ingest / {name}", f"{wall:.1f} (wall time); {cpu:.1f} (CPU time)", f"≤ {goal}",
                          max(wall, cpu) <= goal))
        sections.append(INGEST_TEXT.format(table=bench_ingest.markdown(result)))

    if "figures" in parts:
        from scripts import bench_figures

        log("(d) figure sizes …")
        start = time.perf_counter()
        results = bench_figures.measure(log=lambda *_: None)
        durations["figures"] = time.perf_counter() - start
        measured = [row for row in results if row.bytes is not None]
        largest = max(measured, key=lambda row: row.bytes)
        over = sorted({row.builder for row in measured if row.bytes > 500_000})
        goals.append(("(d) figure JSON per chart, 1k–1M rows",
                      f"largest {largest.bytes / 1000:,.0f} KB ({largest.builder}, {largest.rows:,} rows)"
                      + (f"; over: {', '.join(over)}" if over else ""), "≤ 500 KB", not over))
        sections.append(FIGURES_TEXT.format(table=bench_figures.markdown(results)))

    if "memory" in parts:
        log("(e) memory over repeated uploads …")
        start = time.perf_counter()
        table, result = run_memory(uploads, arguments.upload_mb, log)
        durations["memory"] = time.perf_counter() - start
        half = len(result["hwm"]) // 2
        growth = result["hwm"][-1] / result["hwm"][half - 1] - 1 if half else 0.0
        goals.append((f"(e) peak RSS over {uploads} uploads of {arguments.upload_mb:g} MB",
                      f"peak {result['hwm'][-1]:,.0f} MB; last {len(result['hwm']) - half} uploads "
                      f"{growth * 100:+.1f} %", "plateau (< 5 %)", growth < 0.05))
        sections.append(MEMORY_TEXT.format(table=table))

    total = time.perf_counter() - started
    lines = ["# Benchmarks", "",
             "Generated by `scripts/bench.py` (`make bench`); do not edit by hand — change the script and re-run.",
             "Timings are never asserted in tests (they would be flaky); only the figure size bound is "
             "(tests/test_charts_scale.py).", "",
             f"- Date: {when}; command: `{command}` ({'quick' if quick else 'full'} run, {total / 60:.1f} min: "
             + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in durations.items()) + ")",
             *machine_info(),
             f"- Load average (1/5/15 min) before: {load_before}; after: {load_average()}. The machine is shared "
             "with other work: wall times vary run to run by a factor of up to 2–3 under load; the ratios are "
             "measured in the same run, alternating with their reference, and are the numbers to compare.",
             "", "## Goals", "", "| goal | measured | target | met |", "|---|---|---|---|"]
    lines += [f"| {goal} | {measured} | {target} | {'yes' if met else 'no' if met is not None else '–'} |"
              for goal, measured, target, met in goals]
    lines += ["", *sections, "## Fixes made for these goals (before → after)", "", FIXES, BEFORE_AFTER, ""]
    report = "\n".join(lines).rstrip() + "\n"
    if str(arguments.output) != "-" and arguments.output.exists():
        # NOTE: results of other scripts (load test, scale-out tests) follow the marker; they are kept as they are.
        previous = arguments.output.read_text(encoding="utf-8")
        if KEPT_MARKER in previous:
            report += "\n" + previous[previous.index(KEPT_MARKER):]
    if str(arguments.output) == "-":
        print(report)
    else:
        arguments.output.write_text(report, encoding="utf-8")
        log(f"written: {arguments.output} ({total / 60:.1f} min)")
    return 0


PAGES_TEXT = """## (a) Page reruns

Warm rerun = median of {runs} `AppTest.run()` calls on the page after its first view; cold first view = the
first `switch_page(...).run()` with empty data caches (builds every figure). The floor is a bare script
that renders the same figures — `go.Figure` objects built once from the page's own figure JSON — with
`st.plotly_chart` and nothing else. Page and floor reruns alternate (after 5 unmeasured runs of each), so both
medians see the same machine load. Both run with one ScriptCache for the process, as a server has: AppTest
otherwise compiles the entry script and the page on every run, which a running server does once
(`scripts/bench_pages.py share_script_cache`).

{table}

Reading the numbers:
- A chart block costs less than the floor's bare chart: it is prepared once per (builder, live version ids,
  language, view) and kept with `st.cache_resource` — the figure's dict (so `st.plotly_chart` does not
  deep-copy it through `to_dict()` as the floor's `go.Figure` does), the Arrow table, the caption.
  Fachkräftebedarf and Zuwanderung & Asyl draw only their open tab (lazy tabs): the first tab's two charts
  here, and their floor renders the same two figures.
- A chart block sends five elements on a rerun (title, chart, captions, the closed "Tabelle und Downloads"
  box); the table, the PNG/SVG/CSV/XLSX buttons, the login form, the share link and the "Ansicht speichern"
  form are sent only while their box is open (lazy expanders, `on_change="rerun"`).
- Pages with one to three charts pay a fixed cost the bare floor has not: the shared shell (entry script,
  sidebar with language/markers/presentation toggles and "Stand", navigation, the live-version query), plus
  the page's own content that is not a chart — Überblick's four headline metrics with their captions, topic
  pills and the box of nine verdicts, the statement table on Aussagen, the pilot tables on Rekrutierung, the
  Explorer's six widgets. The floor renders the figures and nothing else, so a one-chart page's ratio mostly
  measures that content: each element costs ~0.1 ms of a rerun, and Überblick sends 18 besides its chart.
- "daten" has no figure (tables of the catalogue) and "praesentation" shows none without a saved deck:
  their floor is an empty script, so no ratio.
"""

BROWSER_TEXT = """## (b) First chart in headless Chromium

Time from `page.goto(url)` to the first visible plotly `.main-svg` inside `[data-testid=stPlotlyChart]`, in a
fresh browser context per navigation (no cache, no cookies: every navigation downloads Streamlit's frontend
and opens a new session), median of {navigations} per page, both servers warm (every page opened once first).
The floor app is a minimal Streamlit script served by its own `streamlit run` that draws the page's first
figure, prebuilt from the JSON the page sent, with the dashboard's plotly config and wide layout.

{table}

Reading the numbers: the floor is mostly Streamlit's own start (frontend bundle, WebSocket, session, first
script run) and Plotly's: the PlotlyChart chunk (4.7 MB) is downloaded and evaluated before any chart element
mounts, one long task of about 0.7 s. The app adds the entry script (sidebar, navigation, live-version query)
and every element the page sends.

Where the difference goes (measured by hand on 2026-12-03 on a quiet machine, with a MutationObserver and a
`longtask` PerformanceObserver recording `performance.now()` in the same setup; /tmp script, not kept):
Überblick: `h1` at 0.95–0.99 s, first `stPlotlyChart` element at 2.04–2.08 s, drawn at 2.15–2.27 s.
Fachkräftebedarf (then without tabs): element at 2.17–2.27 s, but the first chart drawn only at 2.26–2.85 s,
in the same long task (0.47–0.58 s) that drew all seven charts: Plotly draws every chart of the delta batch
before the browser paints, so a page's first chart waits for all of them. Since then Fachkräftebedarf and
Zuwanderung & Asyl open on a tab with two charts (lazy tabs, see the fixes): 1.45 → 1.10 and 1.65 → 1.26.
Rekrutierung and Aussagen, with st.dataframe tables, loaded the data grid's code (DataFrame, arrowFormatUtils,
moment … ~1.5 MB of JavaScript, fetched alongside the PlotlyChart chunk) and evaluated it in the same long task
before their first chart mounted (1.06 s and 0.84 s, against 0.79 s on Überblick); st.table still loads the
Arrow part (0.75 MB). Their tables are now Markdown tables (see the fixes): 1.41–1.43 → 1.18–1.20 and
1.32–1.43 → 1.27 in single-page runs. The catalogue and the upload pages keep st.dataframe (sorting, search,
large tables; no chart to wait for).
The Python side of a new session's first run is short (caches warm: ~10–30 ms AppTest for entry script + page).
"""

INGEST_TEXT = """## (c) Ingest of a 1,000,000-row GENESIS flat CSV

The ingest is the code path of the upload page and `python -m store import`: parse = read the file and
`datasets.upload.analyse` (→ `loaders.load_bytes`); validate = read the live `indicators` and `sources`
versions, `datasets.upload.prepare` for target `indicators` (mapping, types, domain checks, pandera, the new
version, the diff against live); publish = `Store.publish` into a fresh SQLite store in a temp dir that holds
the bundled data. The synthetic file (scripts/bench_synthetic.py, written to a temp dir, deterministic) has
the exact layout of the real 12531-0043 export in data/raw — its header, labels and codes — with invented
half-year reference dates and seeded values (1 % `-` markers); each row is a distinct key, so it publishes.
NOTE: the front doors refuse a file this large (`python -m store import` over 200 MB, the upload page over
50 MB); the functions behind them do not.

{table}

Reading the numbers: both references only parse text into columns, on a quiet machine in 0.3–0.5 s
(`pyarrow` uses both cores; its first call in a process is slower, 1.6–1.8 s, so the ratios are the median
of per-run ratios). The ingest also decodes and checks the encoding, turns the wide GENESIS layout into the
tidy one (strings stripped, markers to flags, numbers with the decimal comma), maps and types the columns,
runs the domain checks (negative counts, unknown AGS, bad and future periods, duplicate keys) and pandera on a
million rows, builds the whole new version (bundled rows + the upload, sorted by key), diffs it against live
and writes it as Parquet in one transaction.

Where the time goes, from a pyinstrument profile of one ingest (`scripts/bench_ingest.py --runs 3 --profile FILE`,
2026-12-07 20:40 UTC, 2.5 s under the profiler): parse 1.19 s — reading the 287 MB file 0.14 s, the UTF-8 and
mojibake check 0.16 s, pyarrow reading the 25 needed columns (the dimension columns dictionary-encoded) 0.54 s
plus 0.09 s counting lines, the tidy layout 0.32 s (0.13 s of it the numbers with decimal comma and markers);
validate 0.79 s — the upload's rows in the dataset's columns, typed, checked and in key order 0.51 s (0.15 s of
it writing out the 14 text columns), the draft 0.11 s, pandera 0.07 s, the diff 0.05 s; publish 0.31 s, nearly
all of it writing Parquet (zstd).
The steps no ingest can skip — read the file, parse it, write the version — take about 1.0 s, already 1.5–2×
`pyarrow.csv.read_csv`, which parses on both cores and checks nothing, and 2–3× `pandas.read_csv`. So the ≤ 1
goal against pandas cannot be met by any pipeline that parses, validates and stores every row. Against pyarrow
the goal is met in CPU time and missed in wall time: ≤ 3 would leave about 0.8 s for the encoding check,
tidying, typing, the domain checks, pandera, the draft and the diff of a million rows, which take about 1.5 s
with every text column already worked on once per distinct value (see the fixes).
"""

FIGURES_TEXT = """## (d) Figure JSON per chart at 1k, 100k and 1M source rows

`len(fig.to_json())` (UTF-8 bytes) and the number of drawn values (points, bars or map areas). Explorer: one
synthetic indicator of N rows (daily periods × Thuringia, Germany and 22 districts × sex × nationality), every
region selected. Other builders that read `indicators` and return a chart: the bundled indicators plus
year-shifted synthetic copies up to N rows (fewer than the 22,534 bundled rows: a seeded sample, so some
series are missing — a builder that fails on missing data shows "error"), each called with its defaults
(`migration.asylum_benefits_lines` has no region by default, so it draws nothing); `statements.claim_chart`
is called for every claim and its largest figure is shown. ✘ marks a figure over 500 KB.

{table}

Reading the numbers: maps are bounded by the 22/23 districts (the geometry is most of their 90 KB). A line or
bar chart grows with the periods it draws; the Explorer caps what it draws (see the fixes below) and says so
under the chart.
"""

MEMORY_TEXT = """## (e) Memory over repeated uploads

{table}

Reading the numbers: each upload holds the file's bytes, the tidy frame, the typed rows, the draft version
(bundled rows + upload) and the diff at the same time; the peak of one upload is reached on the first and
later uploads reuse the freed memory. The page keeps at most 4 analysed and 4 prepared uploads for an hour in
`st.cache_data` (`max_entries=4, ttl="1h"` in ui/upload_views.py), so a server keeps up to four such results
alive — this part measures the pipeline, not the cache.
"""

BEFORE_AFTER = """\
| measure (same script) | before | after |
|---|---:|---:|
| Explorer line, 1M rows: figure JSON | 7,477 KB | 376 KB |
| Explorer line, 1M rows: build time | 18.0 s | 1.2–2.2 s |
| ingest 1M rows, validate stage (process CPU, median of 2) | 11.45 s | 3.04 s |
| ingest 1M rows, parse + validate + publish (process CPU) | 14.05 s | 5.05 s |
| ingest 1M rows / pyarrow (CPU time; wall time) | 5.4; 5.8 | 2.8; 3.3 |
| ingest 1M rows / pandas (CPU time; wall time) | 16.8; 21.1 | 6.4; 8.1 |
| ingest 1M rows, validate stage (wall, median of 3), draft sort by row codes | 3.57 s | 2.96 s |
| ingest 1M rows, validate stage (wall, median of 3), codes per distinct text, diff of the replaced pair | 3.48 s | 0.81 s |
| ingest 1M rows, parse + validate + publish (wall, median of 3), the same | 5.76 s | 2.59 s |
| ingest 1M rows / pyarrow (wall time; CPU time), the same | 10.4; 5.9 | 4.2; 2.7 |
| ingest 1M rows / pandas (wall time; CPU time), the same | 14.0; 7.9 | 7.4; 4.5 |
| (a) warm rerun / floor: ueberblick · fachkraeftebedarf · zuwanderung-asyl | 2.85 · 1.45 · 1.07 | 2.65 · 1.45 · 0.63 |
| (a) warm rerun / floor: rekrutierung · aussagen · explorer | 2.62 · 3.60 · 3.04 | 1.99 · 2.06 · 2.27 |
| (b) first chart / floor app: ueberblick · fachkraeftebedarf · zuwanderung-asyl | 1.35 · 1.99 · 2.10 | 1.11 · 1.52 · 1.76 |
| (b) first chart / floor app: rekrutierung · aussagen · explorer | 1.49 · 1.53 · 1.41 | 1.38 · 1.24 · 1.18 |
| (b) first chart / floor app, lazy tabs: fachkraeftebedarf · zuwanderung-asyl | 1.45 · 1.65 | 1.10 · 1.26 |
| (a) warm rerun / floor, median of 3 runs: ueberblick · fachkraeftebedarf · zuwanderung-asyl, page objects once per session, one verdict box | 2.31 · 1.49 · 1.15 | 2.08 · 1.34 · 1.04 |
| (a) the same: rekrutierung · aussagen · explorer | 1.76 · 2.04 · 2.24 | 1.72 · 1.80 · 1.92 |
| (b) first chart / floor app, Markdown tables: rekrutierung · aussagen (`bench_browser.py --only`, 5 each) | 1.43 · 1.43 | 1.18–1.20 · 1.27 |
| one session, script CPU per rerun (median, load test) | 204 ms | 17–20 ms |
| one session, rerun latency median / p95 (load test) | 526 / 1,670 ms | 239 / 854 ms |
| 20 sessions + publishing: interactions per second | 0.66 | 1.34 |

The ingest rows come from `scripts/bench_ingest.py --runs 2` run once on the code before the change and once
after, minutes apart on the shared machine (load average 13–33 during the "before" run, so its wall times
are inflated: compare CPU times); the draft-sort row from `--runs 3` on a quiet machine; the rows "the same" from
`--runs 3` on commit 99493b1 (20:23 UTC) and on 05dd8dc (20:40 UTC), 2026-12-07, quiet machine (load average < 1).
The (a), (b) and load rows: `scripts/bench.py` (20 reruns per median; 5 navigations per page before, 3 after) and
`scripts/load_test.py --start --sessions 20 --duration 60 --publish-every 15` on a quiet machine, on
2026-12-03 before the page-rerun fixes (05:18 UTC) and after them (09:37 UTC); the lazy-tabs row: the full
`make bench` runs before the tabs (12:57 UTC) and with them (16:20 UTC), quiet machine; the page-objects row:
three `scripts/bench_pages.py` runs each (alternating, shared script cache) before and after the change, 17:30–17:40 UTC.
"""


if __name__ == "__main__":
    sys.exit(main())
