"""The AGS region registry: Thuringia's districts in both layouts, Germany, the Länder and every Kreis code seen in data/raw."""
from __future__ import annotations

import calendar
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from datasets.base import RAW_DIR

GERMANY = "DG"
THURINGIA = "16"
LAYOUTS = ("23", "22")
#: The last day of the 23-district layout; from 01.07.2021 Eisenach (16056) belongs to the Wartburgkreis (16063).
LAST_DAY_OF_LAYOUT_23 = "2021-06-30"
KIND_CITY = "kreisfreie Stadt"
KIND_DISTRICT = "Landkreis"

#: AGS as text: DG (Germany), 2-digit Land, 3-digit Regierungsbezirk, 5-digit Kreis, 8-digit Gemeinde.
AGS_PATTERN = re.compile(r"^(DG|\d{2}|\d{3}|\d{5}|\d{8})$")

POPULATION_2024_FILE = "destatis-genesis/12411-01-01-4_bevoelkerung_kreise_2024-12-31_thueringen.csv"
PROTECTION_SEEKERS_2024_FILE = "destatis-genesis/12531-0043_schutzsuchende_kreise_2024-12-31_thueringen.csv"
EMPLOYEES_LAENDER_FILE = "destatis-genesis/13111-0005_svb_arbeitsort_laender_quartale_2023-2025_alle_laender.csv"
BOUNDARIES_2018_FILE = "bkg-vg250-opendatalab/thueringen_kreise_vg250_2018-12-31_sim200.geojson"
CLASSIC_FILES = (
    "regionalstatistik-genesapi-data/12411-01-01-4_00.csv",
    "regionalstatistik-genesapi-data/13111-01-03-4_00.csv",
    "regionalstatistik-genesapi-data/13111-07-05-4_00.csv",
    "regionalstatistik-genesapi-data/13312-01-04-4_00.csv",
    "regionalstatistik-genesapi-data/22221-01-01-4_00.csv",
)
FLAT_FILES = (
    POPULATION_2024_FILE,
    PROTECTION_SEEKERS_2024_FILE,
    EMPLOYEES_LAENDER_FILE,
    "destatis-genesis/13111-01-03-4_svb_arbeitsort_nationalitaet_2025-06-30_thueringen.csv",
    "destatis-genesis/11111-02-01-4_zahl_gemeinden_kreise_2024-12-31_thueringen.csv",
    "destatis-genesis/1000A-2022_zensus2022_alter_einwanderungsgeschichte_thueringen_und_de.csv",
)


def normalise_region_name(name: str) -> str:
    """A region name as printed, without the indentation classic GENESIS tables put in front of it."""
    return re.sub(r"\s+", " ", str(name)).strip()


def layout_for_period(period: str) -> str:
    """'23' for periods ending on or before 30.06.2021, else '22' (ISO year, month, day or interval)."""
    return "23" if period_end(period) <= LAST_DAY_OF_LAYOUT_23 else "22"


def period_end(period: str) -> str:
    """The last ISO day of a period: '2021' -> '2021-12-31', '2021-06' -> '2021-06-30', 'a/b' -> end of b."""
    last = str(period).strip().split("/")[-1]
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", last)
    if match is None:
        raise ValueError(f"not an ISO period: {period!r}")
    year, month, day = match.groups()
    if day is not None:
        return last
    if month is not None:
        return f"{year}-{month}-{calendar.monthrange(int(year), int(month))[1]:02d}"
    return f"{year}-12-31"


def thuringia_districts(layout: str, *, raw_dir: Path = RAW_DIR) -> pd.DataFrame:
    """The Kreise of one layout ('23' until 30.06.2021, '22' from 01.07.2021): region_code, region_name, kind."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}, not {layout!r}")
    registry = _registry(Path(raw_dir))
    districts = registry.districts
    if layout == "22":
        districts = districts[districts["region_code"].isin(registry.codes_22)]
    return districts[["region_code", "region_name", "kind"]].reset_index(drop=True)


def thuringia_district_codes(*, raw_dir: Path = RAW_DIR) -> frozenset[str]:
    """Every Thuringian Kreis code of either layout (23 codes)."""
    return frozenset(_registry(Path(raw_dir)).districts["region_code"])


def known_region_codes(*, raw_dir: Path = RAW_DIR) -> frozenset[str]:
    """DG, the 16 Länder, every region code seen in the raw statistics files and Thuringia's Kreise."""
    return _registry(Path(raw_dir)).known_codes


def region_name(code: str, *, raw_dir: Path = RAW_DIR) -> str:
    """The canonical name of a region ('' if the code is unknown).

    Thuringia's Kreise carry their current Destatis name (12411-01-01-4, 31.12.2024), the Länder the name
    in 13111-0005, every other code the name in the classic 12411-01-01-4 table (1995–2015).
    """
    return _registry(Path(raw_dir)).names.get(str(code), "")


@dataclass(frozen=True)
class _Registry:
    districts: pd.DataFrame         # the 23 Kreise: region_code, region_name, kind
    codes_22: frozenset[str]        # the Kreise since 01.07.2021
    names: dict[str, str]           # canonical name by code
    known_codes: frozenset[str]


def load_raw(path: Path) -> pd.DataFrame:
    """The tidy frame of a raw GENESIS file, read with loaders.load_file."""
    from loaders import load_file

    return load_file(Path(path)).frame


def _load(raw_dir: Path, relative_path: str) -> pd.DataFrame:
    return load_raw(raw_dir / relative_path)


@functools.lru_cache(maxsize=4)
def _registry(raw_dir: Path) -> _Registry:
    population_2024 = _load(raw_dir, POPULATION_2024_FILE)
    current_names = _first_name_per_code(population_2024)
    boundaries = json.loads((raw_dir / BOUNDARIES_2018_FILE).read_text(encoding="utf-8"))
    kind_of = {}
    for feature in boundaries["features"]:
        properties = feature["properties"]
        # NOTE: BKG writes the kind as BEZ "Kreisfreie Stadt" / "Landkreis".
        kind_of[properties["AGS"]] = KIND_CITY if properties["BEZ"] == "Kreisfreie Stadt" else KIND_DISTRICT
    codes_23 = sorted(kind_of)
    assert len(codes_23) == 23, f"VG250 2018 boundary file changed: expected 23 Thuringian Kreise, got {len(codes_23)}"
    missing = set(codes_23) - set(current_names)
    assert not missing, f"12411-01-01-4 (31.12.2024) no longer lists the Kreise {sorted(missing)}"
    districts = pd.DataFrame({
        "region_code": codes_23,
        "region_name": [current_names[code] for code in codes_23],
        "kind": [kind_of[code] for code in codes_23],
    })
    protection_seekers = _load(raw_dir, PROTECTION_SEEKERS_2024_FILE)
    codes_22 = frozenset(protection_seekers["region_code"].unique())
    assert len(codes_22) == 22 and codes_22 < set(codes_23), (
        f"12531-0043 (31.12.2024) layout changed: expected the 22 Kreise since 01.07.2021, got {sorted(codes_22)}")
    assert set(codes_23) - codes_22 == {"16056"}, (
        f"district layouts changed: 23 minus 22 is {sorted(set(codes_23) - codes_22)}, expected Eisenach 16056")

    laender = _first_name_per_code(_load(raw_dir, EMPLOYEES_LAENDER_FILE))
    assert len(laender) == 16, f"13111-0005 layout changed: expected 16 Länder, got {len(laender)}"

    names: dict[str, str] = {}
    known: set[str] = {GERMANY, *laender, *codes_23}
    for relative_path in (*CLASSIC_FILES, *FLAT_FILES):
        frame_names = _first_name_per_code(_load(raw_dir, relative_path))
        known.update(frame_names)
        for code, name in frame_names.items():
            names.setdefault(code, name)
    names.update(laender)
    names.update(dict(zip(districts["region_code"], districts["region_name"])))
    assert GERMANY in names, "12411-01-01-4 (classic) no longer has the Germany row DG"
    bad = sorted(code for code in known if not AGS_PATTERN.match(code))
    assert not bad, f"raw files contain region codes that are not AGS-shaped: {bad[:5]}"
    return _Registry(districts, codes_22, names, frozenset(known))


def _first_name_per_code(frame: pd.DataFrame) -> dict[str, str]:
    pairs = frame[["region_code", "region_name"]].drop_duplicates("region_code")
    pairs = pairs[pairs["region_code"].astype(str).str.strip() != ""]
    return {str(code): normalise_region_name(name) for code, name in zip(pairs["region_code"], pairs["region_name"])}
