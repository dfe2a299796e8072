"""Ingest of a synthetic 1,000,000-row GENESIS flat CSV vs pyarrow.csv.read_csv and pandas.read_csv. Part (c).

The ingest is the path of the upload page and `python -m store import` (store/__main__.py import_file):
- parse:    read the file's bytes, datasets.upload.analyse (→ loaders.load_bytes: encoding, format, tidy frame)
- validate: read the live `indicators` and `sources` versions from the store, datasets.upload.prepare for
            target "indicators" (mapping, typing, domain checks, pandera, the draft candidate, diff vs live)
- publish:  Store.publish of the candidate (Parquet, one transaction) into a fresh SQLite store in a temp dir
            that holds the bundled data as version 1.
The file holds one new indicator (scripts/bench_synthetic.py); the candidate is the bundled indicators plus
the 1,000,000 uploaded rows. NOTE: `python -m store import` refuses files over 200 MB (MAX_IMPORT_BYTES) and
the upload page over 50 MB, so a 287 MB file only goes through these functions, not through the two front doors.
The references read the same file from disk: pyarrow.csv.read_csv(path, `;`) with default options and
pandas.read_csv(path, sep=";", decimal=","). Runs alternate (reference, reference, ingest) and medians are kept.
"""
from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

GOAL_PYARROW = 3.0
GOAL_PANDAS = 1.0
STAGES = ("parse", "validate", "publish")


@dataclass
class IngestResult:
    rows: int
    file_bytes: int
    sha256: str
    runs: int
    pyarrow: float
    pandas: float
    stages: dict[str, float]
    candidate_rows: int
    problems: int
    samples: dict[str, list[float]] = field(default_factory=dict)

    @property
    def ingest(self) -> float:
        return self.median("ingest")

    def median(self, name: str) -> float:
        return statistics.median(self.samples[name])

    def ratio(self, reference: str, cpu: bool = False) -> float:
        """Median over the runs of ingest / reference measured in the same run (robust to load changing
        between runs, unlike a ratio of two medians)."""
        prefix = "cpu " if cpu else ""
        return statistics.median(ingest / other for ingest, other in
                                 zip(self.samples[prefix + "ingest"], self.samples[prefix + reference]))


def bundled_state(folder: Path) -> Path:
    """An SQLite state folder with the bundled data as version 1 (copied for every run)."""
    import store
    from store.bundled import ensure_bundled

    state = folder / "bundled-state"
    state.mkdir()
    opened = store.connect(state_dir=state)
    ensure_bundled(opened)
    opened.close()
    return state


def ingest_once(path: Path, state_dir: Path) -> tuple[dict[str, float], int, int]:
    """One ingest of `path` into the store in `state_dir`: seconds per stage, candidate rows, problem count."""
    import store
    from datasets import upload
    from scripts.bench_synthetic import UPLOAD_INDICATOR_ID, UPLOAD_SOURCE_ID

    opened = store.connect(state_dir=state_dir)
    try:
        actor = store.Actor("bench", "analyst")
        times = {}
        start, cpu = time.perf_counter(), time.process_time()
        data = path.read_bytes()
        analysis = upload.analyse(data, path.name)
        times["parse"] = time.perf_counter() - start
        times["cpu parse"] = time.process_time() - cpu

        start, cpu = time.perf_counter(), time.process_time()
        live = opened.live_version("indicators")
        live_frame = opened.read("indicators", live.version_id)
        sources = opened.read("sources")
        prepared = upload.prepare(data, path.name, target="indicators", live=live_frame,
                                  indicator_id=UPLOAD_INDICATOR_ID, source_id=UPLOAD_SOURCE_ID, sources=sources,
                                  analysis=analysis)
        times["validate"] = time.perf_counter() - start
        times["cpu validate"] = time.process_time() - cpu
        assert prepared.publishable, f"synthetic file not publishable: {prepared.problems[:3]}"

        start, cpu = time.perf_counter(), time.process_time()
        version = opened.publish("indicators", prepared.candidate, actor=actor, note="synthetic benchmark",
                                 parent_version_id=live.version_id)
        times["publish"] = time.perf_counter() - start
        times["cpu publish"] = time.process_time() - cpu
        return times, version.rows, len(prepared.problems)
    finally:
        opened.close()


def read_pyarrow(path: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of pyarrow.csv.read_csv(path) with `;` and otherwise default options."""
    import pyarrow.csv as pa_csv

    start, cpu = time.perf_counter(), time.process_time()
    table = pa_csv.read_csv(path, parse_options=pa_csv.ParseOptions(delimiter=";"))
    elapsed = time.perf_counter() - start, time.process_time() - cpu
    del table
    return elapsed


def read_pandas(path: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of pandas.read_csv(path, sep=";", decimal=",")."""
    import pandas as pd

    start, cpu = time.perf_counter(), time.process_time()
    frame = pd.read_csv(path, sep=";", decimal=",")
    elapsed = time.perf_counter() - start, time.process_time() - cpu
    del frame
    return elapsed


def measure(rows: int = 1_000_000, runs: int = 3, *, log=print, profile: Path | None = None) -> IngestResult:
    """Generate the synthetic file in a temp dir, then `runs` × (pyarrow, pandas, ingest into a fresh store)."""
    import gc

    from scripts.bench_synthetic import FLAT_NAME, write_synthetic_flat

    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as folder:
        folder = Path(folder)
        path = folder / FLAT_NAME
        info = write_synthetic_flat(path, rows)
        log(f"  synthetic file: {info['rows']:,} rows, {info['bytes'] / 1e6:.0f} MB, sha256 {info['sha256'][:12]}…")
        template = bundled_state(folder)
        samples: dict[str, list[float]] = {name: [] for name in (
            "pyarrow", "pandas", "ingest", "cpu pyarrow", "cpu pandas", "cpu ingest", *STAGES,
            *(f"cpu {stage}" for stage in STAGES))}
        candidate_rows = problems = 0
        for run in range(runs):
            gc.collect()
            wall, cpu = read_pyarrow(path)
            samples["pyarrow"].append(wall)
            samples["cpu pyarrow"].append(cpu)
            gc.collect()
            wall, cpu = read_pandas(path)
            samples["pandas"].append(wall)
            samples["cpu pandas"].append(cpu)
            state = folder / f"state-{run}"
            shutil.copytree(template, state)
            gc.collect()
            profiler = None
            if profile is not None and run == 0:
                from pyinstrument import Profiler

                profiler = Profiler()
                profiler.start()
            times, candidate_rows, problems = ingest_once(path, state)
            if profiler is not None:
                profiler.stop()
                profile.write_text(profiler.output_text(unicode=False, color=False), encoding="utf-8")
            for stage, seconds in times.items():
                samples[stage].append(seconds)
            samples["ingest"].append(sum(times[stage] for stage in STAGES))
            samples["cpu ingest"].append(sum(times[f"cpu {stage}"] for stage in STAGES))
            shutil.rmtree(state)
            log(f"  run {run + 1}: pyarrow {samples['pyarrow'][-1]:.2f} s, pandas {samples['pandas'][-1]:.2f} s, "
                + ", ".join(f"{stage} {times[stage]:.2f} s" for stage in STAGES))
        return IngestResult(rows, info["bytes"], info["sha256"], runs, statistics.median(samples["pyarrow"]),
                            statistics.median(samples["pandas"]),
                            {stage: statistics.median(samples[stage]) for stage in STAGES}, candidate_rows, problems,
                            samples)


def markdown(result: IngestResult) -> str:
    ingest = result.ingest
    cpu = result.median
    lines = [f"Synthetic file: {result.rows:,} rows, {result.file_bytes / 1e6:.0f} MB "
             f"(sha256 `{result.sha256[:16]}…`); candidate version {result.candidate_rows:,} rows; "
             f"median of {result.runs} run(s).", "",
             "| step | wall time (median) | CPU time of the process (median) |", "|---|---:|---:|"]
    lines += [f"| {stage} | {result.stages[stage]:.2f} s | {cpu('cpu ' + stage):.2f} s |" for stage in STAGES]
    lines += [f"| **ingest (parse + validate + publish)** | **{ingest:.2f} s** | {cpu('cpu ingest'):.2f} s |",
              f"| `pyarrow.csv.read_csv` | {result.pyarrow:.2f} s | {cpu('cpu pyarrow'):.2f} s |",
              f"| `pandas.read_csv(sep=';', decimal=',')` | {result.pandas:.2f} s | {cpu('cpu pandas'):.2f} s |", "",
              "| ratio (median over the runs of the ratio within a run) | wall time | CPU time | goal |",
              "|---|---:|---:|---:|",
              f"| ingest / pyarrow | {result.ratio('pyarrow'):.1f} | {result.ratio('pyarrow', cpu=True):.1f} "
              f"| ≤ {GOAL_PYARROW:g} |",
              f"| ingest / pandas | {result.ratio('pandas'):.1f} | {result.ratio('pandas', cpu=True):.1f} "
              f"| ≤ {GOAL_PANDAS:g} |",
              "", "Per run (wall time): " + "; ".join(
                  f"ingest {i:.1f} s, pyarrow {a:.1f} s, pandas {b:.1f} s" for i, a, b in
                  zip(result.samples["ingest"], result.samples["pyarrow"], result.samples["pandas"])) + "."]
    return "\n".join(lines)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", type=Path, help="write a pyinstrument profile of the first ingest here")
    arguments = parser.parse_args()
    print(markdown(measure(arguments.rows, arguments.runs, profile=arguments.profile)))
