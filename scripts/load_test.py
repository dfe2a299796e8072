"""Load test: N concurrent headless-Chromium sessions browse the dashboard while an analyst publishes.

Usage:
    .venv/bin/python scripts/load_test.py --start [--database-url URL] [--sessions 20] [--duration 60]
    .venv/bin/python scripts/load_test.py --url http://127.0.0.1:8501 [--url …] --state-dir state/ …
    .venv/bin/python scripts/load_test.py --url http://nginx:8080 --database-url postgresql+psycopg://…
    .venv/bin/python scripts/load_test.py --cluster …      (tests/cluster.py: 2 replicas, PostgreSQL, nginx)
    options: [--publish-every 15] [--baseline-duration S] [--baseline-publish] [--think 1.0] [--baseline-think S]
             [--json out.json]

What runs:
- ONE Chromium process (Debian's, through Playwright's async API) with one browser context per session.
  A context has its own cookies and its own WebSocket, so each context is one Streamlit session. Sessions
  are spread round-robin over the given base URLs (one server now, the nginx URL of a cluster later).
- Every session loops over the same steps (LOOP), starting at a different step: open a page through the
  sidebar navigation, open another tab (Fachkräftebedarf, Zuwanderung & Asyl) or change a URL-bound widget
  (a selectbox and a radio on the Explorer),
  then waits `--think` seconds (uniformly 0.5×–1.5×) before the next step.
- The analyst publishes a new version of `indicators` every `--publish-every` seconds through the command
  line (`python -m store import <real GENESIS file> --indicator-id load_test_<n> …`) against the same
  database as the app (DATABASE_URL, or the SQLite file in the state folder): the upload page's validation,
  one transaction, a new live version that every session must pick up on its next rerun.
- Phases: a warm-up (one session visits every step once, not measured), the baseline (ONE session, same
  loop, by default without publishing: a quiet single user), then the load phase (N sessions + publisher).
  At the end of each phase every session opens the Explorer once more and reads the chart caption's
  "Stand: … (Version n)": it must be the last published version of `indicators`.

Rerun latency (measured inside each page with performance.now(); an init script records it):
    from  the `click` event that triggers the rerun (its event.timeStamp; for a selectbox the click on the
          option, for the navigation the click on the sidebar link)
    to    the first moment (checked after every DOM mutation) at which all of these hold: a ScriptFinished
          message of a run that started after the click has arrived on the WebSocket (not "early for
          rerun"), the app reports `data-test-script-state=notRunning`, no element is stale, the expected
          content is on screen (the page's h1 title, or the widget showing the chosen value) and every
          Plotly chart of the main area is drawn (its plot has `_fullLayout` and an `svg.main-svg`; a map
          also has the outline topojson it fetches asynchronously — leaving before that throws in Plotly).
The breakdown splits it at the arrival of the run's NewSession message (queueing + request), and of its
ScriptFinished message (server script run + transfer); the rest is the browser drawing the result.

Errors (all counted, all reported, by kind): `exception` (an stException element on screen after a step),
`console` (a console message of type error), `pageerror` (an uncaught error in the page), `disconnect` (a
WebSocket close, or the connection state leaving CONNECTED: Streamlit's "Connection error"), `timeout` (a
step not finished within `--timeout` seconds), `action`/`open`/`final`/`recover` (a Playwright action that
failed in a step, when opening, in the final check, when reloading after an error), `publish`. Failed
requests to OTHER origins (this machine has no internet; the app's favicon comes from fonts.gstatic.com)
are listed separately as `external_requests_failed`.

Importable: `run(Config)` returns the result dict, `markdown(result)` the table; tests/test_load.py uses both.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import random
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from playwright.async_api import Error as PlaywrightError  # noqa: E402
from playwright.async_api import async_playwright  # noqa: E402

from tests.browser import CHROMIUM_FLAGS, chromium_path, streamlit_server  # noqa: E402
from ui.i18n import t  # noqa: E402
from ui.pages import PAGES  # noqa: E402

GOAL_RATIO = 2.0
ANALYST = "loadtest"
ANALYST_PASSWORD = "Lasttest-Analyse-2026"
PUBLISH_FILE = ROOT / "data/raw/destatis-genesis/11111-02-01-4_zahl_gemeinden_kreise_2024-12-31_thueringen.csv"
PUBLISH_SOURCE = "destatis-11111-02-01-4-2024"
VIEWPORT = {"width": 1400, "height": 1000}
OPEN_ATTEMPTS = 3                       # clicks on a selectbox before its options must be visible
VERSION_PATTERN = re.compile(r"\((?:Version|version) (\d+)\)")

#: Recorder injected into every page before the app's scripts: clicks, WebSocket messages (top-level
#: protobuf fields of ForwardMsg: 4 = new_session, 6 = script_finished), closes, connection/run states.
INIT_SCRIPT = r"""
(() => {
  if (window.__loadTest) return;
  const lt = window.__loadTest = {clicks: [], newSession: [], finished: [], closes: [], connection: []};
  document.addEventListener('click', e => lt.clicks.push(e.timeStamp), true);
  const varint = (b, i) => { let v = 0, s = 0, c;
    do { c = b[i++]; v += (c & 0x7f) * 2 ** s; s += 7; } while ((c & 0x80) && i < b.length);
    return [v, i]; };
  const scan = buffer => {
    const b = new Uint8Array(buffer), now = performance.now(); let i = 0;
    while (i < b.length) {
      let tag, n; [tag, i] = varint(b, i);
      const fieldNumber = Math.floor(tag / 8), wire = tag & 7;
      if (wire === 0) { [n, i] = varint(b, i); if (fieldNumber === 6) lt.finished.push([now, n]); }
      else if (wire === 2) { [n, i] = varint(b, i); if (fieldNumber === 4) lt.newSession.push(now); i += n; }
      else if (wire === 1) i += 8; else if (wire === 5) i += 4; else break;
    } };
  lt.chartDrawn = chart => {
    const plot = chart.querySelector('.js-plotly-plot');
    if (!plot || !plot._fullLayout || !plot.querySelector('.main-svg')) return false;
    for (const id of (plot._fullLayout._subplots || {}).geo || []) {      // a map also waits for its outline
      const geo = plot._fullLayout[id] && plot._fullLayout[id]._subplot;   // (topojson, fetched async)
      if (geo && geo.topojsonName && !geo.topojson) return false;
    }
    return true; };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', e => { if (e.data instanceof ArrayBuffer) scan(e.data); });
      this.addEventListener('close', e => lt.closes.push([performance.now(), e.code, e.reason, e.wasClean]));
    } };
  new MutationObserver(records => { for (const r of records)
      lt.connection.push([performance.now(), r.target.getAttribute('data-test-connection-state')]); })
    .observe(document, {attributes: true, subtree: true, attributeFilter: ['data-test-connection-state']});
})();
"""

#: sitecustomize.py for a server this script starts: times every script run (wall and the script thread's
#: CPU) into the JSON-lines file $LOAD_TEST_SERVER_TIMING — the server's side of the rerun latency.
SERVER_TIMING_HOOK = r"""
import json, os, threading, time
from streamlit.runtime.scriptrunner import script_runner
if os.environ.get("LOAD_TEST_SERVER_TIMING") and hasattr(script_runner.ScriptRunner, "_run_script"):  # private API
    _original, _lock = script_runner.ScriptRunner._run_script, threading.Lock()
    def _timed_run_script(self, rerun_data):
        wall, cpu = time.perf_counter(), time.thread_time()
        try:
            return _original(self, rerun_data)
        finally:
            line = json.dumps({"t": time.time(), "wall": time.perf_counter() - wall, "cpu": time.thread_time() - cpu,
                               "threads": threading.active_count()})
            with _lock, open(os.environ["LOAD_TEST_SERVER_TIMING"], "a") as handle:
                handle.write(line + "\n")
    script_runner.ScriptRunner._run_script = _timed_run_script
"""


def server_timing_environment(folder: Path) -> tuple[dict, Path]:
    """Environment for `streamlit_server(env=…)` that times every script run; and the file it writes."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sitecustomize.py").write_text(SERVER_TIMING_HOOK)
    path = folder / "server-timing.jsonl"
    python_path = os.pathsep.join(p for p in (str(folder), os.environ.get("PYTHONPATH", "")) if p)
    return {"PYTHONPATH": python_path, "LOAD_TEST_SERVER_TIMING": str(path)}, path


def server_runs(path: str | None, begin: float, end: float) -> dict | None:
    """Script runs the server timed between begin and end (time.time()): wall and CPU seconds."""
    if not path or not Path(path).exists():
        return None
    runs = [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
    runs = [run for run in runs if begin <= run["t"] <= end]
    return {"wall": summary([run["wall"] for run in runs]), "cpu": summary([run["cpu"] for run in runs]),
            "busy_seconds": round(sum(run["wall"] for run in runs), 2)}


#: Wait in the page until the rerun is over (see the module docstring); resolves to performance.now() of
#: the check that first saw it, or false after a.timeout ms. Checked after every DOM mutation (and every
#: 200 ms), so waiting costs the page nothing while nothing changes — no animation-frame polling.
WAIT_JS = r"""
(a) => new Promise(resolve => {
  const done = () => {
    const lt = window.__loadTest;
    if (!lt || lt.finished.length <= a.finished) return false;
    if (lt.finished[lt.finished.length - 1][1] === 2) return false;        // FINISHED_EARLY_FOR_RERUN
    const app = document.querySelector('[data-testid=stApp]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    if (document.querySelector('[data-stale=true]')) return false;
    if (a.title !== null) {
      const h1 = document.querySelector('[data-testid=stMain] h1');
      if (!h1 || h1.innerText.trim() !== a.title) return false;
    }
    if (a.selector !== null) {
      const el = document.querySelector(a.selector);
      if (!el || (el.matches('input') ? el.value : el.innerText.trim()) !== a.value) return false;
    }
    const charts = document.querySelectorAll('[data-testid=stMain] [data-testid=stPlotlyChart]');
    if (!charts.length) return false;
    for (const chart of charts) if (!lt.chartDrawn(chart)) return false;
    return true;
  };
  let observer, timer, limit;
  const check = () => {
    if (!done()) return;
    const now = performance.now();
    observer.disconnect(); clearInterval(timer); clearTimeout(limit);
    resolve(now);
  };
  observer = new MutationObserver(check);
  observer.observe(document.documentElement, {subtree: true, childList: true, attributes: true});
  timer = setInterval(check, 200);
  limit = setTimeout(() => { observer.disconnect(); clearInterval(timer); resolve(false); }, a.timeout);
  check();
})
"""

SNAPSHOT_JS = r"""
(a) => { const lt = window.__loadTest, app = document.querySelector('[data-testid=stApp]'),
         h1 = document.querySelector('[data-testid=stMain] h1'),
         charts = Array.from(document.querySelectorAll('[data-testid=stMain] [data-testid=stPlotlyChart]'));
  return {url: location.pathname + location.search, finishedSince: lt.finished.slice(a.finished).map(x => x[1]),
          newSessionsSince: lt.newSession.filter(x => x >= a.started).length,
          state: app && app.getAttribute('data-test-script-state'),
          connection: app && app.getAttribute('data-test-connection-state'),
          stale: document.querySelectorAll('[data-stale=true]').length, h1: h1 && h1.innerText.trim(),
          charts: charts.length, chartsDrawn: charts.filter(lt.chartDrawn).length}; }
"""

#: Indexes of the options of the open selectbox list that lie wholly inside its visible area.
VISIBLE_OPTIONS_JS = r"""
() => { const list = document.querySelector('[role=listbox]');
  if (!list) return [];
  const box = list.getBoundingClientRect();
  return Array.from(document.querySelectorAll('[role=option]')).map((o, i) => [o.getBoundingClientRect(), i])
    .filter(([r]) => r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5).map(([, i]) => i); }
"""

#: Timestamps of one finished interaction, relative to its triggering click.
TIMINGS_JS = r"""
(a) => {
  const lt = window.__loadTest;
  const clicks = lt.clicks.slice(a.clicks);
  const t0 = clicks.length ? clicks[clicks.length - 1] : a.started;
  const start = lt.newSession.find(x => x >= t0);
  const finished = lt.finished.slice(a.finished).map(x => x[0]).filter(x => x >= t0);
  return {t0, start: start === undefined ? null : start - t0,
          finished: finished.length ? finished[finished.length - 1] - t0 : null, runs: finished.length};
}
"""


@dataclass(frozen=True)
class Step:
    """One interaction: open `page` (a ui.pages url_path) through the sidebar, or change `widget` on it."""

    kind: str                   # "nav" | "select" | "radio" | "tab"
    page: str
    widget: str | None = None

    @property
    def label(self) -> str:
        return f"{self.kind} {self.page}" if self.kind == "nav" else f"{self.kind} {self.widget}"


LOOP = [
    Step("nav", "ueberblick"),
    Step("nav", "fachkraeftebedarf"),
    Step("tab", "fachkraeftebedarf", "demand_tab"),
    Step("nav", "zuwanderung-asyl"),
    Step("tab", "zuwanderung-asyl", "migration_tab"),
    Step("nav", "explorer"),
    Step("select", "explorer", "explorer_indicator"),
    Step("radio", "explorer", "explorer_chart"),
    Step("nav", "rekrutierung"),
]
TITLE_KEYS = {page.url_path: page.title_key for page in PAGES}


def page_title(url_path: str) -> str:
    """The German title: the sidebar link's text and the page's h1."""
    return t(TITLE_KEYS[url_path], "de")


@dataclass
class Config:
    urls: list[str]
    sessions: int = 20
    duration: float = 60.0
    baseline_duration: float | None = None      # None: same as duration; 0: no baseline
    baseline_publish: bool = False              # publish during the baseline too
    publish_every: float = 15.0                 # 0: no publishing
    think: float = 1.0                          # mean pause between a session's steps (uniform 0.5×–1.5×)
    baseline_think: float | None = None         # the baseline's think time; None: same as think
    timeout: float = 60.0                       # one step (seconds)
    min_interactions: int = 0                   # a session browses past `duration` until it has this many
    open_concurrency: int = 5                   # sessions opening their first page at the same time
    database_url: str | None = None             # the publisher's store (else state_dir's SQLite)
    state_dir: str | None = None
    server_pids: list[int] = field(default_factory=list)   # for CPU accounting; local ports are found
    server_timing: str | None = None            # JSON-lines file of a server started with the timing hook
    seed: int = 6
    pin: bool = False                           # server on CPU 0, browsers + harness + publisher on the others
    log: bool = True


# ---------------------------------------------------------------------------------------------- statistics

def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def summary(values: list[float]) -> dict:
    return {"n": len(values), "median": statistics.median(values) if values else None,
            "p95": percentile(values, 95), "max": max(values) if values else None}


# ---------------------------------------------------------------------------------------------- CPU

def _clock_ticks() -> int:
    return os.sysconf("SC_CLK_TCK")


def _proc_stat(pid: int) -> tuple[int, str, float] | None:
    """(parent pid, name, CPU seconds) of a process, or None if it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    name = text[text.index("(") + 1:text.rindex(")")]
    fields = text[text.rindex(")") + 2:].split()
    return int(fields[1]), name, (int(fields[11]) + int(fields[12])) / _clock_ticks()


def _memory_mb(pid: int) -> tuple[float, float] | None:
    """(VmRSS, VmHWM = peak RSS) of a process in MB, or None if it is gone."""
    try:
        fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                      if ":" in line)
    except OSError:
        return None
    return tuple(int(fields[name].split()[0]) / 1024 for name in ("VmRSS", "VmHWM"))


def _all_pids() -> list[int]:
    return [int(entry) for entry in os.listdir("/proc") if entry.isdigit()]


def _cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return []


def server_pids_for(urls: list[str]) -> list[int]:
    """Local `streamlit run` processes serving one of these URLs' ports (none for a proxy's port)."""
    ports = {str(urlsplit(url).port) for url in urls}
    found = []
    for pid in _all_pids():
        arguments = _cmdline(pid)
        if "streamlit" in " ".join(arguments) and "run" in arguments and "--server.port" in arguments:
            port = arguments[arguments.index("--server.port") + 1] if arguments.index("--server.port") + 1 < len(
                arguments) else ""
            if port in ports:
                found.append(pid)
    return found


def pin_processes(pids: list[int], cpus: set[int]) -> int:
    """Set the CPU affinity of every thread of these processes (threads started later inherit it)."""
    pinned = 0
    for pid in pids:
        for task in os.listdir(f"/proc/{pid}/task"):
            try:
                os.sched_setaffinity(int(task), cpus)
                pinned += 1
            except OSError:
                pass
    return pinned


def _rusage_seconds(usage) -> float:
    return usage.ru_utime + usage.ru_stime


class CpuMeter:
    """CPU seconds per group between start() and stop(): app server, Chromium, Playwright driver, this
    harness, the publisher (reaped children) and the whole machine (/proc/stat)."""

    def __init__(self, server_pids: list[int]):
        self.server_pids = server_pids

    def _descendants(self) -> dict[int, tuple[str, float]]:
        stats = {pid: _proc_stat(pid) for pid in _all_pids()}
        stats = {pid: s for pid, s in stats.items() if s is not None}
        children: dict[int, list[int]] = {}
        for pid, (parent, _, _) in stats.items():
            children.setdefault(parent, []).append(pid)
        found, todo = {}, list(children.get(os.getpid(), []))
        while todo:
            pid = todo.pop()
            found[pid] = (stats[pid][1], stats[pid][2])
            todo += children.get(pid, [])
        return found

    def _sample(self) -> dict:
        with open("/proc/stat") as handle:
            numbers = [int(v) for v in handle.readline().split()[1:]]
        servers = {pid: s[2] for pid in self.server_pids if (s := _proc_stat(pid)) is not None}
        return {"wall": time.monotonic(), "machine_busy": (sum(numbers) - numbers[3] - numbers[4]) / _clock_ticks(),
                "machine_total": sum(numbers) / _clock_ticks(), "servers": servers,
                "descendants": self._descendants(), "self": resource.getrusage(resource.RUSAGE_SELF),
                "children": resource.getrusage(resource.RUSAGE_CHILDREN)}

    def start(self) -> None:
        self.begin = self._sample()

    def stop(self) -> dict:
        end, begin = self._sample(), self.begin
        wall = end["wall"] - begin["wall"]

        def group(prefix: str) -> float:
            return sum(cpu - begin["descendants"][pid][1] for pid, (name, cpu) in end["descendants"].items()
                       if name.startswith(prefix) and pid in begin["descendants"])

        seconds = {
            "server": sum(end["servers"][pid] - begin["servers"][pid] for pid in end["servers"]
                          if pid in begin["servers"]),
            "chromium": group("chrom"),
            "playwright_driver": group("node"),
            "harness": _rusage_seconds(end["self"]) - _rusage_seconds(begin["self"]),
            "publisher": _rusage_seconds(end["children"]) - _rusage_seconds(begin["children"]),
            "machine": end["machine_busy"] - begin["machine_busy"],
        }
        cores = os.cpu_count() or 1
        memory = [m for pid in self.server_pids if (m := _memory_mb(pid)) is not None]
        return {"wall_seconds": round(wall, 2), "cores": cores, "server_processes": len(end["servers"]),
                "server_rss_mb": round(sum(m[0] for m in memory), 1) if memory else None,
                "server_peak_rss_mb": round(sum(m[1] for m in memory), 1) if memory else None,
                "cpu_seconds": {k: round(v, 2) for k, v in seconds.items()},
                "cpu_percent_of_one_core": {k: round(100 * v / wall, 1) if wall else None for k, v in seconds.items()},
                "machine_busy_percent": round(100 * seconds["machine"] / (
                    end["machine_total"] - begin["machine_total"]), 1) if end["machine_total"] > begin[
                    "machine_total"] else None}


# ---------------------------------------------------------------------------------------------- publisher

def _store_environment(config: Config) -> dict:
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    if config.database_url:
        environment["DATABASE_URL"] = config.database_url
    else:
        environment.pop("DATABASE_URL", None)
        environment["DASHBOARD_STATE_DIR"] = str(config.state_dir)
    return environment


async def _store_cli(config: Config, *arguments: str, stdin: str = "") -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "store", *arguments, cwd=ROOT, env=_store_environment(config),
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    output, _ = await process.communicate(stdin.encode())
    return process.returncode, output.decode(errors="replace")


class Publisher:
    """The analyst: `python -m store import …` every `every` seconds, each time a new indicator id."""

    def __init__(self, config: Config, start_number: int = 0):
        self.config = config
        self.records: list[dict] = []
        self.counter = start_number

    @property
    def enabled(self) -> bool:
        return bool(self.config.database_url or self.config.state_dir)

    async def ensure_analyst(self) -> None:
        code, output = await _store_cli(self.config, "users", "add", ANALYST, "--password-stdin",
                                        stdin=ANALYST_PASSWORD + "\n")
        if code != 0 and "gibt es schon" not in output:
            raise RuntimeError(f"cannot create the analyst account: {output}")

    async def publish(self, origin: float) -> dict:
        self.counter += 1
        started = time.monotonic()
        code, output = await _store_cli(
            self.config, "import", str(PUBLISH_FILE), "--dataset", "indicators", "--note",
            f"Lasttest: Veröffentlichung {self.counter}", "--author", ANALYST,
            "--indicator-id", f"load_test_{os.getpid()}_{self.counter}", "--source-id", PUBLISH_SOURCE)
        match = re.search(r"Version (\d+) veröffentlicht", output)
        record = {"started": round(started - origin, 2), "finished": round(time.monotonic() - origin, 2),
                  "seconds": round(time.monotonic() - started, 2), "ok": code == 0 and match is not None,
                  "version": int(match.group(1)) if match else None}
        if not record["ok"]:
            record["output"] = output[-2000:]
        self.records.append(record)
        return record

    async def loop(self, origin: float, stop_at: float) -> None:
        """Publish at origin + every, + 2·every, … while that is before stop_at (monotonic)."""
        next_at = origin + self.config.publish_every
        while next_at < stop_at:
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))
            await self.publish(origin)
            next_at += self.config.publish_every

    def last_version(self) -> int | None:
        versions = [r["version"] for r in self.records if r["ok"]]
        return max(versions) if versions else None


# ---------------------------------------------------------------------------------------------- sessions

class StepTimeout(Exception):
    pass


class Session:
    """One browser context = one Streamlit session, driven through the loop."""

    def __init__(self, index: int, url: str, context, rng: random.Random, config: Config):
        self.index, self.url, self.context, self.rng, self.config = index, url, context, rng, config
        self.origin = f"{urlsplit(url).scheme}://{urlsplit(url).netloc}"
        self.page = None
        self.measurements: list[dict] = []
        self.errors: list[dict] = []
        self.external_failures: dict[str, int] = {}
        self.versions_seen: list[tuple[float, int]] = []
        self.final_version: int | None = None
        self.open_seconds: float | None = None
        self.retries = 0
        self.doing = "open"         # the step in progress (errors name it)
        self.position = index % len(LOOP)
        self.current_page = "ueberblick"
        self.phase_origin = time.monotonic()
        self.think = config.think   # run_phase sets the phase's

    def _error(self, kind: str, detail: str) -> None:
        self.errors.append({"session": self.index, "kind": kind, "detail": detail[:1500], "step": self.doing,
                            "at": round(time.monotonic() - self.phase_origin, 2)})

    def _on_console(self, message) -> None:
        if message.type != "error":
            return
        location = (message.location or {}).get("url", "") or ""
        if message.text.startswith("Failed to load resource") and location and not location.startswith(self.origin):
            self.external_failures[location] = self.external_failures.get(location, 0) + 1
            return
        self._error("console", f"{message.text} ({location})")

    async def open(self) -> None:
        started = time.monotonic()
        self.page = await self.context.new_page()
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self._error("pageerror", f"{error}\n{error.stack or ''}"))
        await self.page.goto(self.url, timeout=self.config.timeout * 2000)
        if not await self._wait({"finished": 0, "title": page_title("ueberblick"), "selector": None, "value": None},
                                self.config.timeout * 2):
            raise StepTimeout(f"first page not drawn after {self.config.timeout * 2:.0f} s")
        self.open_seconds = time.monotonic() - started
        await self._check_screen("open")

    async def _wait(self, condition: dict, seconds: float) -> float | bool:
        return await self.page.evaluate(WAIT_JS, {**condition, "timeout": seconds * 1000})

    async def _snapshot(self, marks: dict) -> str:
        """What the page showed when a step timed out (for the error report)."""
        try:
            return json.dumps(await self.page.evaluate(SNAPSHOT_JS, marks), ensure_ascii=False)
        except PlaywrightError as error:
            return str(error).splitlines()[0]

    async def _marks(self) -> dict:
        return await self.page.evaluate(
            "() => ({clicks: __loadTest.clicks.length, finished: __loadTest.finished.length, started: "
            "performance.now()})")

    async def _choose_option(self, step: Step) -> tuple[str, str]:
        """Open the selectbox and click an option other than the current one; (selector, chosen text)."""
        selector = f".st-key-{step.widget} input[role=combobox]"
        box = self.page.locator(selector)
        current = await box.input_value(timeout=self.config.timeout * 1000)
        options = self.page.get_by_role("option")
        # NOTE: a click that scrolls the box into view opens the menu, and the scroll event that follows
        # closes it again. Scroll first, let two frames pass, then click (and retry a few times).
        await box.scroll_into_view_if_needed(timeout=self.config.timeout * 1000)
        await self.page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        for attempt in range(OPEN_ATTEMPTS):
            await box.click(timeout=self.config.timeout * 1000)
            try:
                await options.first.wait_for(state="visible", timeout=self.config.timeout * 1000 / OPEN_ATTEMPTS)
                break
            except PlaywrightError:
                if attempt == OPEN_ATTEMPTS - 1:
                    raise
                self.retries += 1
                await self.page.keyboard.press("Escape")
        texts = [text.strip() for text in await options.all_inner_texts()]
        # NOTE: only options wholly inside the open list: clicking one cut off at the list's bottom edge
        # scrolls the (virtualised) list first, and the click then selects nothing, no rerun follows.
        visible = await self.page.evaluate(VISIBLE_OPTIONS_JS)
        candidates = [i for i, text in enumerate(texts) if i in visible and text and text != current]
        if not candidates:
            raise PlaywrightError(f"{step.widget}: no visible option other than {current!r}")
        choice = self.rng.choice(candidates)
        await options.nth(choice).click(timeout=self.config.timeout * 1000)
        return selector, texts[choice]

    async def _click_another(self, items: str, chosen: str) -> tuple[str, str]:
        """Click one of the elements `items` whose text differs from the element `chosen` (the checked radio
        label, the open tab); (selector of the chosen element, the clicked text)."""
        locator = self.page.locator(items)
        texts = [text.strip() for text in await locator.all_inner_texts()]
        current = (await self.page.locator(chosen).inner_text(timeout=self.config.timeout * 1000)).strip()
        choice = self.rng.choice([i for i, text in enumerate(texts) if text != current])
        await locator.nth(choice).click(timeout=self.config.timeout * 1000)
        return chosen, texts[choice]

    async def _choose_radio(self, step: Step) -> tuple[str, str]:
        return await self._click_another(f".st-key-{step.widget} [role=radiogroup] label",
                                         f".st-key-{step.widget} label:has(input:checked)")

    async def _choose_tab(self, step: Step) -> tuple[str, str]:
        """Another tab of the page's lazy tabs (ui.sections)."""
        return await self._click_another(f".st-key-{step.widget} [role=tab]",
                                         f".st-key-{step.widget} [role=tab][aria-selected=true]")

    async def interact(self, step: Step) -> dict:
        """Do one step; return its measurement (seconds). Raises StepTimeout or a Playwright error."""
        page = self.page
        self.doing = step.label
        marks = await self._marks()
        before = page.url
        title, selector, value = page_title(step.page), None, None
        if step.kind == "nav":
            await page.locator("[data-testid=stSidebarNav] a", has_text=title).first.click(
                timeout=self.config.timeout * 1000)
        elif step.kind == "select":
            selector, value = await self._choose_option(step)
        elif step.kind == "tab":
            selector, value = await self._choose_tab(step)
        else:
            selector, value = await self._choose_radio(step)
        end = await self._wait({"finished": marks["finished"], "title": title, "selector": selector, "value": value},
                               self.config.timeout)
        if not end:
            chosen = "" if value is None else f" (chose {value!r} on {before})"
            raise StepTimeout(f"{step.label}: not finished after {self.config.timeout:.0f} s{chosen}; "
                              f"page then: {await self._snapshot(marks)}")
        timings = await page.evaluate(TIMINGS_JS, marks)
        self.current_page = step.page
        return {"step": step.label, "latency": (end - timings["t0"]) / 1000,
                "to_run_start": None if timings["start"] is None else timings["start"] / 1000,
                "to_script_finished": None if timings["finished"] is None else timings["finished"] / 1000,
                "render_after_finish": None if timings["finished"] is None else (
                    end - timings["t0"] - timings["finished"]) / 1000,
                "runs": timings["runs"], "at": round(time.monotonic() - self.phase_origin, 2)}

    async def _check_screen(self, where: str) -> None:
        exceptions = self.page.locator("[data-testid=stException]")
        if await exceptions.count():
            self._error("exception", f"{where}: {(await exceptions.first.inner_text())[:300]}")

    async def _read_version(self) -> int | None:
        captions = await self.page.locator("[data-testid=stMain] [data-testid=stCaptionContainer]").all_inner_texts()
        numbers = [int(m.group(1)) for text in captions if (m := VERSION_PATTERN.search(text))]
        return max(numbers) if numbers else None

    async def _recover(self) -> None:
        """After a timeout or failed action: open the start page again and go on. (Not the current deep
        link: Streamlit's frontend first probes <page>/_stcore/health there, which logs two 404s.)"""
        try:
            await self.page.goto(self.url, timeout=self.config.timeout * 1000)
            await self.page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]",
                                              timeout=self.config.timeout * 1000)
            self.current_page = "ueberblick"
        except PlaywrightError as error:
            self._error("recover", str(error).splitlines()[0])

    async def step(self, step: Step) -> None:
        try:
            if step.kind != "nav" and self.current_page != step.page:   # widgets need their page
                self.measurements.append(await self.interact(Step("nav", step.page)))
            measurement = await self.interact(step)
        except StepTimeout as error:
            self._error("timeout", str(error))
            await self._recover()
            return
        except PlaywrightError as error:
            self._error("action", f"{step.label}: {str(error).splitlines()[0]}")
            await self._recover()
            return
        self.measurements.append(measurement)
        await self._check_screen(step.label)
        if step.page == "explorer":
            version = await self._read_version()
            if version is not None:
                self.versions_seen.append((time.monotonic() - self.phase_origin, version))

    async def run_loop(self, stop: asyncio.Event, hard_stop: float) -> None:
        """Step through the loop until `stop` is set; a session with fewer than config.min_interactions
        measured steps goes on until it has them (or until hard_stop, monotonic)."""
        await asyncio.sleep(self.rng.uniform(0, self.think))            # no lockstep start
        while not stop.is_set() or (len(self.measurements) < self.config.min_interactions
                                    and time.monotonic() < hard_stop):
            await self.step(LOOP[self.position])
            self.position = (self.position + 1) % len(LOOP)
            if self.think:
                await asyncio.sleep(self.rng.uniform(0.5, 1.5) * self.think)

    async def final_check(self) -> None:
        """One more rerun on the Explorer; read the "(Version n)" of its chart caption."""
        step = Step("nav", "explorer")
        if self.current_page == "explorer":
            step = Step("radio", "explorer", "explorer_chart")
        try:
            await self.interact(step)
            self.final_version = await self._read_version()
        except (StepTimeout, PlaywrightError) as error:
            self._error("final", str(error).splitlines()[0])
        await self._check_screen("final")

    async def collect_page_errors(self) -> None:
        """WebSocket closes and connection losses recorded in the page (before its context closes)."""
        try:
            record = await self.page.evaluate("() => ({closes: __loadTest.closes, connection: __loadTest.connection})")
        except PlaywrightError as error:
            self._error("action", f"collect: {str(error).splitlines()[0]}")
            return
        closes = [f"code {code}, reason {reason!r}, clean {clean}, at {at / 1000:.1f} s page time"
                  for at, code, reason, clean in record["closes"]]
        states = [state for _, state in record["connection"]]
        connected = states.index("CONNECTED") if "CONNECTED" in states else len(states)
        lost = sum(1 for before, after in zip(states[connected:], states[connected + 1:])
                   if before == "CONNECTED" and after != "CONNECTED")
        for episode in range(max(len(closes), lost)):
            close = closes[episode] if episode < len(closes) else "no close event"
            self._error("disconnect", f"WebSocket closed ({close}); connection states {states[connected:]}")

    def result(self) -> dict:
        return {"index": self.index, "url": self.url, "interactions": len(self.measurements),
                "open_seconds": None if self.open_seconds is None else round(self.open_seconds, 2),
                "errors": len(self.errors), "retries": self.retries,
                "versions_seen": sorted({version for _, version in self.versions_seen}),
                "final_version": self.final_version}


# ---------------------------------------------------------------------------------------------- phases

def _log(config: Config, text: str) -> None:
    if config.log:
        print(f"[load_test {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


async def _open_sessions(browser, config: Config, count: int, first_index: int) -> list[Session]:
    sessions, gate = [], asyncio.Semaphore(config.open_concurrency)
    for index in range(first_index, first_index + count):
        context = await browser.new_context(viewport=VIEWPORT)
        await context.add_init_script(INIT_SCRIPT)
        sessions.append(Session(index, config.urls[index % len(config.urls)], context,
                                random.Random(config.seed * 1000 + index), config))

    async def open_one(session: Session) -> None:
        async with gate:
            try:
                await session.open()
            except (StepTimeout, PlaywrightError) as error:
                session._error("open", str(error).splitlines()[0])

    await asyncio.gather(*(open_one(session) for session in sessions))
    return sessions


def _version_lag(sessions: list[Session], publishes: list[dict]) -> dict:
    """Seconds from a publish's end to each session's first Explorer view showing that version (or newer)."""
    lags = []
    for record in (r for r in publishes if r["ok"]):
        for session in sessions:
            seen = [at for at, version in session.versions_seen
                    if version >= record["version"] and at >= record["finished"]]
            if seen:
                lags.append(min(seen) - record["finished"])
    return summary(lags)


async def run_phase(browser, config: Config, *, name: str, sessions: int, duration: float, publish: bool,
                    publisher: Publisher, first_index: int, think: float) -> dict:
    _log(config, f"{name}: opening {sessions} session(s)")
    opened_at = time.monotonic()
    group = await _open_sessions(browser, config, sessions, first_index)
    open_wall = time.monotonic() - opened_at
    meter = CpuMeter(config.server_pids or server_pids_for(config.urls))
    origin = time.monotonic()
    for session in group:
        session.phase_origin, session.think = origin, think
    stop_at = origin + duration
    meter.start()
    wall_origin = time.time()
    _log(config, f"{name}: {sessions} session(s) browsing for {duration:.0f} s"
         + (f", publishing every {config.publish_every:.0f} s" if publish else ""))
    first_publish = len(publisher.records)
    stop = asyncio.Event()      # browsing ends when `duration` has passed and the last publish is through

    async def coordinate() -> None:
        if publish:
            await asyncio.gather(asyncio.sleep(duration), publisher.loop(origin, stop_at))
        else:
            await asyncio.sleep(duration)
        stop.set()

    hard_stop = stop_at + 3 * config.timeout + (config.publish_every * 2 if publish else 0)
    await asyncio.gather(coordinate(), *(session.run_loop(stop, hard_stop) for session in group
                                         if session.open_seconds is not None))
    cpu = meter.stop()
    wall_end = time.time()
    loop_wall = time.monotonic() - origin
    publishes = publisher.records[first_publish:]
    expected = publisher.last_version()
    _log(config, f"{name}: final check (expected version {expected})")
    await asyncio.gather(*(session.final_check() for session in group if session.open_seconds is not None))
    for session in group:
        if session.page is not None:
            await session.collect_page_errors()
        await session.context.close()

    measurements = [m for session in group for m in session.measurements]
    errors = [e for session in group for e in session.errors]
    publish_errors = [{"kind": "publish", "detail": r.get("output", "")[-500:], "at": r["started"]}
                      for r in publishes if not r["ok"]]
    external: dict[str, int] = {}
    for session in group:
        for url, count in session.external_failures.items():
            external[url] = external.get(url, 0) + count
    by_step = {}
    for step in dict.fromkeys(m["step"] for m in measurements):
        by_step[step] = summary([m["latency"] for m in measurements if m["step"] == step])
    stale = [s.index for s in group if expected is not None and s.final_version != expected]
    return {
        "sessions": sessions, "duration": duration, "think": think, "loop_wall_seconds": round(loop_wall, 2),
        "open_wall_seconds": round(open_wall, 2),
        "open_seconds": summary([s.open_seconds for s in group if s.open_seconds is not None]),
        "interactions": len(measurements), "throughput_per_second": round(len(measurements) / loop_wall, 2),
        "overall": summary([m["latency"] for m in measurements]), "by_step": by_step,
        "breakdown": {key: summary([m[key] for m in measurements if m[key] is not None])
                      for key in ("to_run_start", "to_script_finished", "render_after_finish")},
        "reruns_per_interaction": summary([m["runs"] for m in measurements]),
        "publishes": publishes, "expected_final_version": expected,
        "sessions_without_expected_version": stale, "version_lag": _version_lag(group, publishes),
        "errors": errors + publish_errors, "error_count": len(errors) + len(publish_errors),
        "errors_by_kind": {kind: sum(1 for e in errors + publish_errors if e["kind"] == kind)
                           for kind in dict.fromkeys(e["kind"] for e in errors + publish_errors)},
        "external_requests_failed": external, "cpu": cpu,
        "server_script_runs": server_runs(config.server_timing, wall_origin, wall_end),
        "per_session": [s.result() for s in group],
        "measurements": measurements,
    }


async def _warm_up(browser, config: Config) -> list[dict]:
    """One session visits every step once (cold figure caches are built here, not measured); its errors."""
    _log(config, "warm-up")
    (session,) = await _open_sessions(browser, config, 1, first_index=-1)
    if session.open_seconds is not None:
        for step in LOOP:
            await session.step(step)
        await session.collect_page_errors()
    await session.context.close()
    return session.errors


async def run_async(config: Config, extra: dict | None = None) -> dict:
    extra = extra or {}
    publisher = Publisher(config)
    if config.publish_every and publisher.enabled:
        await publisher.ensure_analyst()
    publishing = bool(config.publish_every and publisher.enabled)
    baseline_duration = config.duration if config.baseline_duration is None else config.baseline_duration
    result = {"config": {**{k: v for k, v in asdict(config).items() if k not in ("log",)}, **extra},
              "definition": "rerun latency = click event → first DOM check with ScriptFinished received, script "
                            "state notRunning, nothing stale, expected content shown, every Plotly chart drawn",
              "loop": [step.label for step in LOOP],
              "machine": {"cores": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                          "loadavg_before": [round(v, 2) for v in os.getloadavg()]},
              "phases": {}}
    try:
        import streamlit
        result["machine"]["streamlit"] = streamlit.__version__
    except ImportError:
        pass
    if config.pin:
        cores = sorted(os.sched_getaffinity(0))
        servers = config.server_pids or server_pids_for(config.urls)
        if len(cores) < 2 or not servers:
            raise RuntimeError("--pin needs 2 or more CPUs and a local server process")
        pin_processes(servers, {cores[0]})
        os.sched_setaffinity(0, set(cores[1:]))     # this thread → Playwright's driver → Chromium, publisher
        result["machine"]["pinned"] = {"server": [cores[0]], "browsers_harness_publisher": cores[1:]}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        result["machine"]["chromium"] = browser.version
        try:
            result["warmup_errors"] = await _warm_up(browser, config)
            if baseline_duration:
                result["phases"]["baseline"] = await run_phase(
                    browser, config, name="baseline", sessions=1, duration=baseline_duration,
                    publish=publishing and config.baseline_publish, publisher=publisher, first_index=1000,
                    think=config.think if config.baseline_think is None else config.baseline_think)
            result["phases"]["load"] = await run_phase(
                browser, config, name="load", sessions=config.sessions, duration=config.duration,
                publish=publishing, publisher=publisher, first_index=0, think=config.think)
        finally:
            await browser.close()
    baseline, load = result["phases"].get("baseline"), result["phases"]["load"]
    result["ratio_p95"] = (load["overall"]["p95"] / baseline["overall"]["p95"]
                           if baseline and baseline["overall"]["p95"] and load["overall"]["p95"] else None)
    result["ratio_median"] = (load["overall"]["median"] / baseline["overall"]["median"]
                              if baseline and baseline["overall"]["median"] and load["overall"]["median"] else None)
    server = [(phase.get("server_script_runs") or {}).get("wall", {}).get("p95") for phase in (baseline, load)
              if phase]
    result["ratio_server_p95"] = server[1] / server[0] if len(server) == 2 and all(server) else None
    result["goal_ratio"] = GOAL_RATIO
    result["error_count"] = len(result["warmup_errors"]) + sum(phase["error_count"]
                                                              for phase in result["phases"].values())
    return result


def run(config: Config, extra: dict | None = None) -> dict:
    """The whole load test; `extra` is recorded under "config" (e.g. the server's environment)."""
    return asyncio.run(run_async(config, extra))


# ---------------------------------------------------------------------------------------------- report

def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value * 1000:,.0f}".replace(",", " ")


def _cpu(phase: dict, group: str) -> str:
    return f"{phase['cpu']['cpu_percent_of_one_core'][group]}"


def markdown(result: dict) -> str:
    phases = result["phases"]
    names = [name for name in ("baseline", "load") if name in phases]
    lines = [f"Rerun latency in ms (median / p95 / max; n = interactions). Machine: {result['machine']['cores']} "
             f"cores, load average before {result['machine']['loadavg_before']}.", ""]
    header = "| step | " + " | ".join(f"{name} ({phases[name]['sessions']} × session) n · median · p95 · max"
                                      for name in names) + " |"
    lines += [header, "|---|" + "---:|" * len(names)]
    steps = list(dict.fromkeys(step for name in names for step in phases[name]["by_step"]))
    for step in steps + ["**all**"]:
        cells = []
        for name in names:
            stats = phases[name]["overall"] if step == "**all**" else phases[name]["by_step"].get(step)
            cells.append("–" if not stats else
                         f"{stats['n']} · {_ms(stats['median'])} · {_ms(stats['p95'])} · {_ms(stats['max'])}")
        lines.append(f"| {step} | " + " | ".join(cells) + " |")
    lines += ["", "| measure | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    rows = [
        ("think time between steps, mean (s)", lambda p: f"{p.get('think', result['config']['think']):g}"),
        ("p95 rerun latency (ms)", lambda p: _ms(p["overall"]["p95"])),
        ("median: click → run starts (ms)", lambda p: _ms(p["breakdown"]["to_run_start"]["median"])),
        ("median: click → ScriptFinished arrives (ms)",
         lambda p: _ms(p["breakdown"]["to_script_finished"]["median"])),
        ("p95: click → ScriptFinished arrives (ms)", lambda p: _ms(p["breakdown"]["to_script_finished"]["p95"])),
        ("server script run, median / p95 (ms)",
         lambda p: "–" if not (p.get("server_script_runs") or {}).get("wall", {}).get("n") else
         f"{_ms(p['server_script_runs']['wall']['median'])} / {_ms(p['server_script_runs']['wall']['p95'])}"),
        ("… of it CPU in the script thread, median (ms)",
         lambda p: "–" if not (p.get("server_script_runs") or {}).get("cpu", {}).get("n") else
         _ms(p['server_script_runs']['cpu']['median'])),
        ("median: ScriptFinished → drawn (ms)", lambda p: _ms(p["breakdown"]["render_after_finish"]["median"])),
        ("interactions per second", lambda p: f"{p['throughput_per_second']}"),
        ("session open (median s)",
         lambda p: f"{p['open_seconds']['median']:.1f}" if p['open_seconds']['median'] else "–"),
        ("publishes (ok / all)", lambda p: f"{sum(r['ok'] for r in p['publishes'])} / {len(p['publishes'])}"),
        ("publish → seen on Explorer (median / max s)",
         lambda p: "–" if not p["version_lag"]["n"] else
         f"{p['version_lag']['median']:.1f} / {p['version_lag']['max']:.1f}"),
        ("sessions with the last version at the end",
         lambda p: f"{p['sessions'] - len(p['sessions_without_expected_version'])} / {p['sessions']}"
         if p["expected_final_version"] is not None else "– (no publish)"),
        ("errors", lambda p: f"{p['error_count']}" + (f" {p['errors_by_kind']}" if p["error_count"] else "")),
        ("CPU % of one core: server", lambda p: _cpu(p, "server")),
        ("CPU % of one core: Chromium", lambda p: _cpu(p, "chromium")),
        ("CPU % of one core: Playwright driver + harness + publisher",
         lambda p: " + ".join(_cpu(p, key) for key in ("playwright_driver", "harness", "publisher"))),
        ("machine busy (% of all cores)", lambda p: f"{p['cpu']['machine_busy_percent']}"),
        ("server RSS at the end / peak RSS (MB)",
         lambda p: "–" if p["cpu"].get("server_rss_mb") is None else
         f"{p['cpu']['server_rss_mb']:.0f} / {p['cpu']['server_peak_rss_mb']:.0f}"),
    ]
    for label, cell in rows:
        lines.append(f"| {label} | " + " | ".join(cell(phases[name]) for name in names) + " |")
    if result.get("ratio_p95") is not None:
        lines += ["", f"p95 ratio load/baseline: **{result['ratio_p95']:.2f}** (goal ≤ {result['goal_ratio']:.0f}); "
                      f"median ratio {result['ratio_median']:.2f}."
                  + (f" Server script run p95 ratio: {result['ratio_server_p95']:.2f}."
                     if result.get("ratio_server_p95") else "")]
    if result.get("warmup_errors"):
        lines += ["", f"Errors in the warm-up: {len(result['warmup_errors'])} "
                      f"({', '.join(sorted({e['kind'] for e in result['warmup_errors']}))})."]
    external = {url: n for phase in phases.values() for url, n in phase["external_requests_failed"].items()}
    if external:
        lines += ["", "Failed requests to other origins (not counted as errors): "
                  + "; ".join(f"{url} × {n}" for url, n in external.items())]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------- command line

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--url", action="append", help="base URL of a running app (repeat for several)")
    target.add_argument("--start", action="store_true", help="start `streamlit run dashboard.py` on a temp state dir")
    target.add_argument("--cluster", action="store_true",
                        help="start 2 replicas + PostgreSQL + nginx (tests/cluster.py) and browse through nginx")
    parser.add_argument("--database-url", help="the app's DATABASE_URL (publisher; with --start also the server's)")
    parser.add_argument("--state-dir", help="the app's DASHBOARD_STATE_DIR (publisher, SQLite) for --url")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of browsing in the load phase")
    parser.add_argument("--baseline-duration", type=float, default=None,
                        help="seconds of the single-session baseline (default: --duration; 0: none)")
    parser.add_argument("--baseline-publish", action="store_true", help="publish during the baseline too")
    parser.add_argument("--publish-every", type=float, default=15.0, help="seconds between publishes (0: none)")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between a session's steps (s)")
    parser.add_argument("--baseline-think", type=float, default=None,
                        help="the single-session baseline's think time (default: --think; one session's latency "
                             "does not depend on it, a short one gives the baseline more samples)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds one step may take")
    parser.add_argument("--min-interactions", type=int, default=0,
                        help="a session goes on browsing after --duration until it has this many measured steps")
    parser.add_argument("--server-pid", type=int, action="append", default=[], help="app server pid (CPU share)")
    parser.add_argument("--server-env", action="append", default=[], metavar="NAME=VALUE",
                        help="with --start: environment of the server, e.g. STREAMLIT_RUNNER_POST_SCRIPT_GC=false")
    parser.add_argument("--pin", action="store_true",
                        help="pin the (local) server to the first CPU and browsers/harness/publisher to the others")
    parser.add_argument("--json", help="write the full result here")
    return parser


def main(argv: list[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    state_dir, urls, database_url = arguments.state_dir, arguments.url, arguments.database_url
    server_pids, timing = list(arguments.server_pid), None
    with ExitStack() as stack:
        if arguments.start or arguments.cluster:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="load-test-")))
        if arguments.start:
            state_dir = state_dir or str(folder / "state")
            Path(state_dir).mkdir(parents=True, exist_ok=True)
            environment, timing = server_timing_environment(folder / "hook")
            if database_url:
                environment["DATABASE_URL"] = database_url
            environment.update(dict(item.split("=", 1) for item in arguments.server_env))
            urls = [stack.enter_context(streamlit_server(Path(state_dir), env=environment))]
        elif arguments.cluster:      # two replicas + PostgreSQL + nginx (tests/cluster.py); browsers use nginx
            from tests.cluster import running_cluster

            cluster = stack.enter_context(running_cluster(folder / "cluster", oidc=False))
            urls, database_url = [cluster.url], cluster.database_url
            server_pids += server_pids_for(cluster.replica_urls)
        if not database_url:
            os.environ.pop("DATABASE_URL", None)
        config = Config(urls=urls, sessions=arguments.sessions, duration=arguments.duration,
                        baseline_duration=arguments.baseline_duration, baseline_publish=arguments.baseline_publish,
                        publish_every=arguments.publish_every, think=arguments.think,
                        baseline_think=arguments.baseline_think, timeout=arguments.timeout,
                        min_interactions=arguments.min_interactions, database_url=database_url, state_dir=state_dir,
                        server_pids=server_pids, server_timing=str(timing) if timing else None, pin=arguments.pin)
        if config.publish_every and not (config.database_url or config.state_dir):
            print("load_test: no --database-url/--state-dir, so no publishing", file=sys.stderr)
        result = run(config, {"server_env": arguments.server_env} if arguments.server_env else None)
        if arguments.start and arguments.json:      # keep the server's log and run timings next to the JSON
            for source, suffix in ((Path(state_dir) / "streamlit.log", ".server.log"),
                                   (timing, ".server-timing.jsonl")):
                if source.exists():
                    shutil.copy(source, Path(arguments.json).with_suffix(suffix))
    if arguments.json:
        Path(arguments.json).write_text(json.dumps(result, indent=1, ensure_ascii=False, default=str))
    print(markdown(result))
    return 0 if result["error_count"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
