"""Synthetic inputs for the benchmarks and the scale tests — never real figures, always named "synthetic".

- `write_synthetic_flat(path, rows)`: a GENESIS-Online flat CSV (ffcsv) in the exact layout of the real
  12531-0043 export in data/raw (UTF-8 with BOM, `;`, the 25 header columns, `Anzahl` counts, a few `-`
  markers). Cells are the real file's labels and codes (22 Kreise, 10 protection status categories, 2 sexes,
  51 nationalities); the periods are invented half-year reference dates (`time`) and every value is
  drawn from a seeded generator. Each row is a distinct key, so the file validates and publishes.
- `synthetic_indicators(rows)`: rows in the columns of the `indicators` dataset for the chart builders.

Both are deterministic: the same arguments give the same bytes / the same frame.
"""
from __future__ import annotations

import csv
import datetime
import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "data" / "raw" / "destatis-genesis" / "12531-0043_schutzsuchende_kreise_2024-12-31_thueringen.csv"
SEED = 20260611
#: The synthetic file's name: the loaders take the table code from it, as from a real export.
FLAT_NAME = "12531-0043_synthetic.csv"
#: The pair a synthetic indicators upload brings (a new indicator id; a source id of the bundled data).
UPLOAD_INDICATOR_ID = "synthetic_protection_seekers"
UPLOAD_SOURCE_ID = "destatis-12531-0043-2024"


def _template() -> tuple[list[str], list[dict[str, str]]]:
    with open(TEMPLATE, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle, delimiter=";")
        return list(reader.fieldnames or []), list(reader)


def _distinct(rows: list[dict[str, str]], number: int) -> list[tuple[str, str]]:
    """The (attribute code, attribute label) pairs of dimension `number` in the template, in a fixed order."""
    pairs = {(row[f"{number}_variable_attribute_code"], row[f"{number}_variable_attribute_label"]) for row in rows}
    return sorted(pairs)


def synthetic_periods(count: int) -> list[str]:
    """`count` invented half-year reference dates, newest 2024-12-31, going back (30.06. and 31.12.)."""
    periods = []
    year, second_half = 2024, True
    for _ in range(count):
        periods.append(f"{year}-12-31" if second_half else f"{year}-06-30")
        year, second_half = (year, False) if second_half else (year - 1, True)
    return sorted(periods)


def write_synthetic_flat(path: Path, rows: int) -> dict:
    """Write `rows` data lines of a synthetic 12531-0043-shaped flat CSV to `path`; return size and sha256."""
    header, template = _template()
    first = template[0]
    districts = _distinct(template, 1)
    statuses = _distinct(template, 2)
    sexes = _distinct(template, 3)
    nationalities = _distinct(template, 4)
    per_period = len(districts) * len(statuses) * len(sexes) * len(nationalities)
    periods = synthetic_periods(-(-rows // per_period))
    random = np.random.default_rng(SEED)
    values = (random.integers(1, 400, size=rows) * 5).astype(str)
    values[random.random(rows) < 0.01] = "-"                # NOTE: GENESIS writes "-" for "nothing"
    fixed_head = ";".join(first[name] for name in header[:4])
    tail = ";".join(first[name] for name in header[-3:])
    prefix = {
        number: ";".join([first[f"{number}_variable_code"], first[f"{number}_variable_label"]])
        for number in (1, 2, 3, 4)}
    digest = hashlib.sha256()
    written = 0
    with open(path, "wb") as handle:
        chunk: list[str] = []
        line = ("\ufeff" + ";".join(header) + "\n").encode("utf-8")
        handle.write(line)
        digest.update(line)
        cells = (
            (period, district, status, sex, nationality)
            for period in periods for district in districts for status in statuses
            for sex in sexes for nationality in nationalities)
        for index, (period, district, status, sex, nationality) in enumerate(cells):
            if index == rows:
                break
            chunk.append(";".join((
                fixed_head, period,
                prefix[1], *district, prefix[2], *status, prefix[3], *sex, prefix[4], *nationality,
                values[index], tail)))
            if len(chunk) == 50_000:
                block = ("\n".join(chunk) + "\n").encode("utf-8")
                handle.write(block)
                digest.update(block)
                written += len(chunk)
                chunk = []
        if chunk:
            block = ("\n".join(chunk) + "\n").encode("utf-8")
            handle.write(block)
            digest.update(block)
            written += len(chunk)
    assert written == rows, f"only {written} of {rows} synthetic rows fit the key space"
    return {"rows": rows, "bytes": path.stat().st_size, "sha256": digest.hexdigest()}


def rows_for_bytes(megabytes: float) -> int:
    """How many synthetic rows make a flat file of about `megabytes` MB (10^6 bytes)."""
    header, template = _template()
    sample = sum(len(";".join(row[name] for name in header).encode("utf-8")) + 1 for row in template)
    return int(megabytes * 1_000_000 / (sample / len(template)))


def synthetic_indicators(rows: int, *, indicator_id: str = UPLOAD_INDICATOR_ID,
                         source_id: str = UPLOAD_SOURCE_ID) -> pd.DataFrame:
    """`rows` synthetic rows of ONE indicator in the `indicators` columns: daily periods × Thuringia, its
    districts and Germany × sex (total, männlich, weiblich) × nationality (total + 10), values seeded.

    The shape is the worst case for a chart: many periods for every region and every breakdown value.
    """
    from datasets.indicators import COLUMNS
    from datasets.regions import region_name, thuringia_districts

    regions = ["16", "DG", *thuringia_districts("22")["region_code"].tolist()]
    sexes = ["", "männlich", "weiblich"]
    nationalities = ["", *[f"synthetic-land-{number:02d}" for number in range(10)]]
    per_day = len(regions) * len(sexes) * len(nationalities)
    days = -(-rows // per_day)
    start = datetime.date(2024, 12, 31) - datetime.timedelta(days=days - 1)
    periods = pd.date_range(start, periods=days, freq="D").strftime("%Y-%m-%d").to_numpy()
    # NOTE: breakdown-major order, so cutting at `rows` drops rows of the last breakdown value, never totals:
    # every region has a total for every day.
    grid = pd.MultiIndex.from_product([sexes, nationalities, periods, regions],
                                      names=["sex", "nationality", "period", "region_code"]).to_frame(index=False)
    grid = grid.iloc[:rows].sort_values(["period", "region_code", "sex", "nationality"]).reset_index(drop=True)
    random = np.random.default_rng(SEED)
    names = {code: region_name(code) for code in regions}
    frame = pd.DataFrame({
        "indicator_id": indicator_id,
        "region_code": grid["region_code"].astype("str"),
        "region_name": grid["region_code"].map(names).astype("str"),
        "period": grid["period"].astype("str"),
        "sex": grid["sex"].astype("str"),
        "nationality": grid["nationality"].astype("str"),
        "status": "", "sector": "", "age_group": "", "breakdown": "",
        "value": random.integers(0, 100_000, size=len(grid)).astype("float64"),
        "unit": "Anzahl", "flag": "", "source_id": source_id, "note": "synthetic",
    })
    return frame[COLUMNS]
