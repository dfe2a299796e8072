"""Figure JSON bytes per chart at 1k, 100k and 1M source rows (goal: ≤ 500 KB always). Part (d) of bench.py.

Two kinds of synthetic input, both deterministic (scripts/bench_synthetic.py):
- Explorer (line, bar, map): ONE synthetic indicator of N rows — daily periods × Thuringia, Germany and the
  22 districts × sex × nationality — with every region selected: the worst case for a time-series chart.
- Every other builder that reads `indicators` and returns a ChartResult, called with its defaults: the
  bundled indicators plus synthetic copies of them, each copy with every year in its periods moved back
  (copy j: j years earlier; rows whose shifted key already exists are dropped), up to N rows in all.
  Values of the copies are the bundled values times a seeded factor, and their note says "synthetic".
"""
from __future__ import annotations

import inspect
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SIZES = (1_000, 100_000, 1_000_000)
CHART_MODULES = ("overview", "demand", "migration", "recruitment", "statements")


@dataclass
class FigureResult:
    builder: str
    rows: int
    bytes: int | None
    drawn_points: int | None
    table_rows: int | None
    error: str = ""


def _points(figure) -> int:
    total = 0
    for trace in figure.data:
        for axis in ("x", "y", "z", "locations"):
            values = getattr(trace, axis, None)
            if values is not None:
                total += len(values)
                break
    return total


def _shift_year(period: str, years: int) -> str | None:
    def moved(match: re.Match) -> str:
        return f"{int(match.group(0)) - years:04d}"

    shifted = re.sub(r"(?<![\d-])\d{4}(?=$|-|/)", moved, period)
    shifted = shifted.replace("-02-29", "-02-28")
    return shifted


def scaled_indicators(bundled: pd.DataFrame, rows: int) -> pd.DataFrame:
    """The bundled indicators plus year-shifted synthetic copies, `rows` rows in all (fewer bundled rows if
    `rows` is smaller than the bundled dataset: a seeded sample)."""
    from datasets.indicators import BREAKDOWNS

    if rows <= len(bundled):
        return bundled.sample(n=rows, random_state=0).sort_index().reset_index(drop=True)
    key = ["indicator_id", "region_code", "period", *BREAKDOWNS, "source_id"]
    random = np.random.default_rng(7)
    parts = [bundled]
    seen = pd.MultiIndex.from_frame(bundled[key].astype("str"))
    total = len(bundled)
    shift = 0
    while total < rows:
        shift += 1
        copy = bundled.copy()
        periods = {period: _shift_year(period, shift) for period in copy["period"].astype(str).unique()}
        copy["period"] = copy["period"].astype(str).map(periods).astype("str")
        copy["value"] = copy["value"] * random.uniform(0.5, 1.5, size=len(copy))
        copy["note"] = "synthetic"
        index = pd.MultiIndex.from_frame(copy[key].astype("str"))
        fresh = ~index.isin(seen)
        copy, index = copy[fresh], index[fresh]
        copy = copy.iloc[: rows - total]
        seen = seen.append(index[: len(copy)])
        parts.append(copy)
        total += len(copy)
    return pd.concat(parts, ignore_index=True)


def _other_builders() -> list[tuple[str, object]]:
    import importlib

    from charts.base import ChartResult

    found = []
    for module_name in CHART_MODULES:
        module = importlib.import_module(f"charts.{module_name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__ or "indicators" not in getattr(function, "datasets", ()):
                continue
            signature = inspect.signature(function)
            if signature.return_annotation not in (ChartResult, "ChartResult"):
                continue
            required = [p for p in signature.parameters.values()
                        if p.kind == p.KEYWORD_ONLY and p.default is p.empty and p.name != "lang"]
            if required:
                continue        # needs a choice we cannot default (e.g. a claim id)
            found.append((f"{module_name}.{name}", function))
    return found


def _measure(builder: str, rows: int, call) -> FigureResult:
    from charts.base import figure_json_bytes

    try:
        result = call()
    except Exception as error:  # noqa: BLE001 - a builder failing on big data is a finding, not a crash
        return FigureResult(builder, rows, None, None, None, f"{type(error).__name__}: {error}"[:120])
    return FigureResult(builder, rows, figure_json_bytes(result.figure), _points(result.figure), len(result.table))


def _largest_over_claims(name: str, rows: int, function, frames: dict) -> FigureResult:
    """A builder charting one claim: called for every claim that has a chart; the largest figure is kept."""
    measured = [_measure(name, rows, lambda claim=claim: function(frames, lang="de", claim_id=claim))
                for claim in frames["claims"]["claim_id"].astype(str)]
    charted = [row for row in measured if row.bytes is not None]
    if not charted:
        return measured[0] if measured else FigureResult(name, rows, None, None, None, "no claims")
    largest = max(charted, key=lambda row: row.bytes)
    largest.builder = f"{name} (largest over the claims)"
    return largest


def measure(sizes=SIZES, *, frames: dict | None = None, log=print) -> list[FigureResult]:
    import datasets
    from charts import explorer
    from scripts.bench_synthetic import UPLOAD_INDICATOR_ID, synthetic_indicators

    frames = frames if frames is not None else datasets.build_all()
    results = []
    regions = None
    for rows in sizes:
        synthetic = synthetic_indicators(rows)
        regions = sorted(synthetic["region_code"].unique())
        explorer_frames = {**frames, "indicators": synthetic}
        for chart in explorer.CHART_TYPES:
            results.append(_measure(f"explorer.explore ({chart})", rows, lambda: explorer.explore(
                explorer_frames, lang="de", indicator=UPLOAD_INDICATOR_ID, regions=regions, chart=chart)))
            log(f"  {results[-1]}")
        scaled = {**frames, "indicators": scaled_indicators(frames["indicators"], rows)}
        for name, function in _other_builders():
            if "claim_id" in inspect.signature(function).parameters:
                results.append(_largest_over_claims(name, rows, function, scaled))
            else:
                results.append(_measure(name, rows, lambda: function(scaled, lang="de")))
            log(f"  {results[-1]}")
    return results


def markdown(results: list[FigureResult]) -> str:
    sizes = sorted({row.rows for row in results})
    builders = list(dict.fromkeys(row.builder for row in results))
    by_key = {(row.builder, row.rows): row for row in results}

    def cell(row: FigureResult | None) -> str:
        if row is None:
            return "–"
        if row.error:
            return f"error: {row.error}"
        mark = "" if row.bytes <= 500_000 else " ✘"
        return f"{row.bytes / 1000:,.0f} KB ({row.drawn_points:,} pts){mark}"

    lines = ["| builder | " + " | ".join(f"{size:,} rows" for size in sizes) + " |",
             "|---|" + "---:|" * len(sizes)]
    for builder in builders:
        lines.append(f"| {builder} | " + " | ".join(cell(by_key.get((builder, size))) for size in sizes) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    arguments = parser.parse_args()
    print(markdown(measure(arguments.sizes)))
