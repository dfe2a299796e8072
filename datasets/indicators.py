"""`indicators` — every observed series (population, employment, asylum, benefits, rates …), tidy and long.

Rows come from two builders: `indicators_statistics` (official tables: GENESIS, Regionalstatistik,
INKAR, TLS, BAMF) and `indicators_transcribed` (single figures read in official and press pages).
Conflicting figures for the same cell from different sources are all kept, each with its source_id.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from datasets.base import DatasetMeta, DatasetSpec

#: Breakdown columns; "" means total (not broken down by that dimension).
BREAKDOWNS = ["sex", "nationality", "status", "sector", "age_group", "breakdown"]

COLUMNS = ["indicator_id", "region_code", "region_name", "period", *BREAKDOWNS,
           "value", "unit", "flag", "source_id", "note"]

#: period: a year, month or day (ISO), or an ISO interval of such ("2016-01/2016-09").
PERIOD_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?$"
#: AGS as text: DG (Germany), 2-digit Land, 3-digit Regierungsbezirk, 5-digit Kreis, 8-digit Gemeinde.
REGION_PATTERN = r"^(DG|\d{2}|\d{3}|\d{5}|\d{8})$"
FLAGS = ["", "-", "–", ".", "x", "...", "/", "e", "()", "p", "r", "s"]


@dataclass(frozen=True)
class IndicatorDef:
    """What an indicator_id means. Titles are shown in the UI; unit is the unit of `value`."""

    indicator_id: str
    title_de: str
    title_en: str
    unit: str               # e.g. "Personen", "Anträge", "1000 Personen", "%", "je 1000 Einwohner"
    description_de: str = ""
    description_en: str = ""
    is_count: bool = True   # counts must not be negative


class IndicatorsSchema(pa.DataFrameModel):
    indicator_id: str = pa.Field(str_matches=r"^[a-z][a-z0-9_]*$", description="id of an IndicatorDef")
    region_code: str = pa.Field(str_matches=REGION_PATTERN, description="AGS as text, DG = Germany")
    region_name: str = pa.Field(description="region name without indentation")
    period: str = pa.Field(str_matches=PERIOD_PATTERN, description="ISO year/month/day or interval")
    sex: str = pa.Field(description="'' total, 'männlich', 'weiblich'")
    nationality: str = pa.Field(description="'' total, 'deutsch', 'ausländisch' or a country")
    status: str = pa.Field(description="protection status or application type ('' total)")
    sector: str = pa.Field(description="WZ 2008 section/label ('' total)")
    age_group: str = pa.Field(description="age group label ('' total)")
    breakdown: str = pa.Field(description="any other breakdown as 'label=value' ('' none)")
    value: float = pa.Field(nullable=True, description="NA where the source has a marker or no figure")
    unit: str = pa.Field(str_length={"min_value": 1})
    flag: str = pa.Field(isin=FLAGS, description="source marker, kept verbatim")
    source_id: str = pa.Field(str_length={"min_value": 1})
    note: str = pa.Field(description="quirks of this figure (e.g. 'rund', partial year)")

    class Config:
        strict = True
        ordered = True
        unique = ["indicator_id", "region_code", "period", *BREAKDOWNS, "source_id"]


META = DatasetMeta(
    name="indicators",
    title_de="Indikatoren (beobachtete Reihen)",
    title_en="Indicators (observed series)",
    description_de="Bevölkerung, Beschäftigung, Asylanträge, Ankünfte, Schutzsuchende, "
                   "Leistungsempfänger und Quoten nach Region, Zeit und Merkmal.",
    description_en="Population, employment, asylum applications, arrivals, protection seekers, "
                   "benefit recipients and rates by region, period and breakdown.",
    key=("indicator_id", "region_code", "period", *BREAKDOWNS, "source_id"),
    period_column="period",
)


def definitions() -> dict[str, IndicatorDef]:
    """Every IndicatorDef from both builders, by id."""
    from datasets import indicators_statistics, indicators_transcribed

    defs: dict[str, IndicatorDef] = {}
    for module in (indicators_statistics, indicators_transcribed):
        for d in module.INDICATORS:
            if d.indicator_id in defs and defs[d.indicator_id] != d:
                raise AssertionError(f"indicator {d.indicator_id} is defined twice, differently")
            defs[d.indicator_id] = d
    return defs


def build(raw_dir: Path) -> pd.DataFrame:
    from datasets import indicators_statistics, indicators_transcribed

    frame = pd.concat([indicators_statistics.build(raw_dir), indicators_transcribed.build(raw_dir)],
                      ignore_index=True)
    frame = frame[COLUMNS].sort_values(["indicator_id", "region_code", "period", *BREAKDOWNS, "source_id"],
                                       kind="stable").reset_index(drop=True)
    unknown = set(frame["indicator_id"]) - set(definitions())
    assert not unknown, f"indicator ids without an IndicatorDef: {sorted(unknown)}"
    return IndicatorsSchema.validate(frame)


SPEC = DatasetSpec(meta=META, schema=IndicatorsSchema, build=build)
