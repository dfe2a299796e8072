"""`districts` — Thuringia's Kreise with BKG boundaries in both layouts (23 until 30.06.2021, 22 since 01.07.2021)."""
from __future__ import annotations

import functools
import json
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from datasets import regions
from datasets.base import RAW_DIR, DatasetMeta, DatasetSpec, Source

COLUMNS = ["region_code", "region_name", "kind", "layout", "valid_from", "valid_to", "nuts", "geometry", "source_id"]

BOUNDARIES_23 = Source(
    source_id="bkg-vg250-kreise-2018-opendatalab",
    title="VG250 Verwaltungsgebiete, Kreise Thüringen, Stand 31.12.2018 (vereinfacht, ogr2ogr -simplify 200)",
    publisher="Bundesamt für Kartographie und Geodäsie (BKG), via opendatalab-de/simple-geodata-selector",
    url="https://github.com/opendatalab-de/simple-geodata-selector/blob/309fa25/src/data/landkreise_sim200.geojson",
    licence="© GeoBasis-DE / BKG 2019, Datenlizenz Deutschland – Namensnennung 2.0 (dl-de/by-2-0); Repository MIT",
    published="2020",
    accessed="2020",
    confidence="high",
    note="23 Kreise incl. 16056 Eisenach; only Thuringian features were kept, nothing else changed.",
    raw_path=regions.BOUNDARIES_2018_FILE,
)
BOUNDARIES_22 = Source(
    source_id="bkg-vg250-kreise-2021-geocaching-edit",
    title="VG250 Kreise Thüringen nach der Eingliederung Eisenachs in den Wartburgkreis (22 Kreise)",
    publisher="Bundesamt für Kartographie und Geodäsie (BKG), bearbeitet von ztNFny/geocaching_geojson_generator",
    url="https://github.com/ztNFny/geocaching_geojson_generator/blob/145c94a/landkreise_simplify200.geojson",
    licence="© GeoBasis-DE / BKG (Daten verändert), Datenlizenz Deutschland – Namensnennung 2.0 (dl-de/by-2-0); "
            "the repository states no licence of its own",
    published="2023",
    accessed="2023",
    confidence="medium",
    note="The same BKG/opendatalab file, edited by the repository's author to integrate Eisenach into the "
         "Wartburgkreis; not an official BKG release. Its destatis.population property is stale (old "
         "Wartburgkreis without Eisenach, no reference date) and is not used.",
    raw_path="bkg-vg250-via-geocaching-repo/thueringen_kreise_2021plus_ags_nuts.geojson",
)
SOURCES = [BOUNDARIES_23, BOUNDARIES_22]
_SOURCE_OF_LAYOUT = {"23": BOUNDARIES_23, "22": BOUNDARIES_22}
#: Validity of each layout (ISO days, "" = open).
_VALIDITY = {"23": ("", regions.LAST_DAY_OF_LAYOUT_23), "22": ("2021-07-01", "")}

META = DatasetMeta(
    name="districts",
    title_de="Kreise Thüringens (Grenzen)",
    title_en="Districts of Thuringia (boundaries)",
    description_de="Kreisfreie Städte und Landkreise Thüringens mit AGS, NUTS-Code und Grenzen (BKG VG250), "
                   "in der Gliederung mit 23 Kreisen bis 30.06.2021 und mit 22 Kreisen ab 01.07.2021.",
    description_en="Thuringia's district-free cities and rural districts with AGS, NUTS code and boundaries "
                   "(BKG VG250), as the 23 districts until 30.06.2021 and the 22 districts from 01.07.2021.",
    key=("region_code", "layout"),
    period_column=None,
)


class DistrictsSchema(pa.DataFrameModel):
    region_code: str = pa.Field(str_matches=r"^16\d{3}$", description="AGS of the Kreis")
    region_name: str = pa.Field(str_length={"min_value": 1}, description="current Destatis name")
    kind: str = pa.Field(isin=[regions.KIND_CITY, regions.KIND_DISTRICT])
    layout: str = pa.Field(isin=list(regions.LAYOUTS), description="'23' until 30.06.2021, '22' from 01.07.2021")
    valid_from: str = pa.Field(str_matches=r"^(\d{4}-\d{2}-\d{2})?$", description="first day of the layout ('' open)")
    valid_to: str = pa.Field(str_matches=r"^(\d{4}-\d{2}-\d{2})?$", description="last day of the layout ('' open)")
    nuts: str = pa.Field(str_matches=r"^DEG0[0-9A-Z]$", description="NUTS-3 code as in the BKG file")
    geometry: str = pa.Field(str_startswith='{"type":', description="GeoJSON geometry as compact JSON text")
    source_id: str = pa.Field(isin=[source.source_id for source in SOURCES])

    class Config:
        strict = True
        ordered = True
        unique = ["region_code", "layout"]


def build(raw_dir: Path) -> pd.DataFrame:
    """One row per district per layout, from the two BKG VG250 files."""
    rows = []
    for layout, source in _SOURCE_OF_LAYOUT.items():
        collection = json.loads((Path(raw_dir) / source.raw_path).read_text(encoding="utf-8"))
        registry = regions.thuringia_districts(layout, raw_dir=raw_dir).set_index("region_code")
        codes = sorted(feature["properties"]["AGS"] for feature in collection["features"])
        assert codes == sorted(registry.index), (
            f"{source.raw_path} changed: its AGS {codes} are not the {layout} Kreise of the registry")
        valid_from, valid_to = _VALIDITY[layout]
        for feature in collection["features"]:
            properties = feature["properties"]
            code = properties["AGS"]
            kind = regions.KIND_CITY if properties["BEZ"] == "Kreisfreie Stadt" else regions.KIND_DISTRICT
            assert kind == registry.loc[code, "kind"], f"{source.raw_path}: BEZ of {code} changed to {properties['BEZ']}"
            rows.append({
                "region_code": code,
                "region_name": registry.loc[code, "region_name"],
                "kind": kind,
                "layout": layout,
                "valid_from": valid_from,
                "valid_to": valid_to,
                "nuts": properties["NUTS"],
                # NOTE: the 22-district file carries a stale `destatis.population`; only geometry and BKG keys are used.
                "geometry": json.dumps(feature["geometry"], separators=(",", ":"), ensure_ascii=False),
                "source_id": source.source_id,
            })
    frame = pd.DataFrame(rows, columns=COLUMNS).astype("str")
    frame = frame.sort_values(["layout", "region_code"], ascending=[False, True], kind="stable").reset_index(drop=True)
    return DistrictsSchema.validate(frame)


@functools.lru_cache(maxsize=4)
def _built(raw_dir: Path) -> pd.DataFrame:
    return build(raw_dir)


def geojson(layout: str, *, raw_dir: Path = RAW_DIR, frame: pd.DataFrame | None = None) -> dict:
    """A FeatureCollection of one layout whose feature id is the AGS (plotly: featureidkey='id')."""
    if layout not in regions.LAYOUTS:
        raise ValueError(f"layout must be one of {regions.LAYOUTS}, not {layout!r}")
    districts = _built(Path(raw_dir)) if frame is None else frame
    features = []
    for row in districts[districts["layout"] == layout].itertuples(index=False):
        features.append({
            "type": "Feature",
            "id": row.region_code,
            "properties": {"region_code": row.region_code, "region_name": row.region_name,
                           "kind": row.kind, "nuts": row.nuts},
            "geometry": json.loads(row.geometry),
        })
    return {"type": "FeatureCollection", "features": features}


SPEC = DatasetSpec(meta=META, schema=DistrictsSchema, build=build)
