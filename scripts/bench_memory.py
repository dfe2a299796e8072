"""Peak RSS over 50 uploads of a 50 MB synthetic GENESIS flat CSV in ONE process: does it plateau? Part (e).

Each upload runs what the upload page runs for a file (ui/upload_views.py), without Streamlit's cache and
WITHOUT publishing: datasets.upload.analyse (→ loaders.load_bytes) → suggest_mapping → prepare against the
live `indicators` and `sources` (read once from a fresh SQLite store with the bundled data, as the
page's cache keyed by version id does) → the page's before/
after totals (ui.upload_views.totals, a plain function). Every result is dropped before the next upload,
as when the page's cache evicts it. After each upload: VmRSS and VmHWM from /proc/self/status.
Run it in its own process (scripts/bench.py does): VmHWM is the peak of the whole process.
"""
from __future__ import annotations

import gc
import json
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PLATEAU_GROWTH = 0.05


def memory_mb() -> tuple[float, float]:
    """(VmRSS, VmHWM) of this process in MB (10^6 bytes), from /proc/self/status."""
    values = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            name, _, rest = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                values[name] = int(rest.split()[0]) * 1024 / 1e6
    return values["VmRSS"], values["VmHWM"]


@dataclass
class MemoryResult:
    uploads: int
    file_bytes: int
    rows: int
    baseline_rss: float
    rss: list[float] = field(default_factory=list)
    hwm: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)

    def at(self, number: int) -> tuple[float, float] | None:
        """(RSS, HWM) after upload `number` (1-based), None if fewer uploads ran."""
        return (self.rss[number - 1], self.hwm[number - 1]) if number <= len(self.rss) else None

    @property
    def late_growth(self) -> float:
        """Relative growth of the peak (VmHWM) over the second half of the uploads."""
        half = len(self.hwm) // 2
        return self.hwm[-1] / self.hwm[half - 1] - 1 if half else 0.0

    @property
    def plateaus(self) -> bool:
        return self.late_growth < PLATEAU_GROWTH


def measure(uploads: int = 50, megabytes: float = 50.0, *, log=print) -> MemoryResult:
    import store
    from datasets import upload
    from scripts.bench_synthetic import (FLAT_NAME, UPLOAD_INDICATOR_ID, UPLOAD_SOURCE_ID, rows_for_bytes,
                                         write_synthetic_flat)
    from store.bundled import ensure_bundled
    from ui.upload_views import totals

    with tempfile.TemporaryDirectory(prefix="bench-memory-") as folder:
        folder = Path(folder)
        path = folder / FLAT_NAME
        info = write_synthetic_flat(path, rows_for_bytes(megabytes))
        opened = store.connect(state_dir=folder / "state")
        ensure_bundled(opened)
        live = opened.read("indicators")       # read once, as the page's cache (keyed by version id) does
        sources = opened.read("sources")
        gc.collect()
        result = MemoryResult(uploads, info["bytes"], info["rows"], memory_mb()[0])
        log(f"  synthetic file: {info['rows']:,} rows, {info['bytes'] / 1e6:.1f} MB; RSS before "
            f"{result.baseline_rss:.0f} MB")
        for number in range(1, uploads + 1):
            start = time.perf_counter()
            content = path.read_bytes()                     # a new upload: new bytes every time
            analysis = upload.analyse(content, path.name)
            mapping = upload.suggest_mapping(analysis, "indicators")
            prepared = upload.prepare(content, path.name, target="indicators", live=live, mapping=mapping,
                                      indicator_id=UPLOAD_INDICATOR_ID, source_id=UPLOAD_SOURCE_ID,
                                      sources=sources, analysis=analysis)
            assert prepared.publishable, prepared.problems[:3]
            totals(prepared, live)
            del content, analysis, mapping, prepared
            result.seconds.append(time.perf_counter() - start)
            rss, hwm = memory_mb()
            result.rss.append(rss)
            result.hwm.append(hwm)
            if number in (1, 10, 25, 50) or number == uploads:
                log(f"  upload {number}: RSS {rss:.0f} MB, peak {hwm:.0f} MB, {result.seconds[-1]:.1f} s")
        opened.close()
        return result


def markdown(result: MemoryResult) -> str:
    marks = sorted({1, 10, 25, 50, result.uploads} & set(range(1, result.uploads + 1)))
    lines = [f"{result.uploads} uploads of a {result.file_bytes / 1e6:.1f} MB synthetic flat CSV "
             f"({result.rows:,} rows) in one process, not published. RSS before the first upload: "
             f"{result.baseline_rss:.0f} MB; median time per upload {sorted(result.seconds)[len(result.seconds) // 2]:.1f} s.",
             "", "| after upload | RSS (VmRSS) | peak RSS (VmHWM) |", "|---:|---:|---:|"]
    for number in marks:
        rss, hwm = result.at(number)
        lines.append(f"| {number} | {rss:,.0f} MB | {hwm:,.0f} MB |")
    half = len(result.hwm) // 2
    verdict = "plateaus" if result.plateaus else "does NOT plateau"
    lines += ["", f"Peak growth over the last {len(result.hwm) - half} uploads: {result.late_growth * 100:+.1f} % "
                  f"(plateau = below {PLATEAU_GROWTH * 100:.0f} %): the peak **{verdict}**."]
    return "\n".join(lines)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--uploads", type=int, default=50)
    parser.add_argument("--megabytes", type=float, default=50.0)
    parser.add_argument("--json", type=Path, help="also write the result as JSON here (used by bench.py)")
    arguments = parser.parse_args()
    measured = measure(arguments.uploads, arguments.megabytes, log=lambda text: print(text, file=sys.stderr))
    if arguments.json:
        arguments.json.write_text(json.dumps(asdict(measured)), encoding="utf-8")
    print(markdown(measured))
