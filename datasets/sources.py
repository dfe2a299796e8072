"""`sources` — one row per raw file or page a figure comes from (publisher, URL, licence, confidence)."""
from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from datasets.base import DatasetMeta, DatasetSpec, Source

COLUMNS = ["source_id", "title", "publisher", "url", "licence", "published", "accessed",
           "confidence", "note", "raw_path"]


class SourcesSchema(pa.DataFrameModel):
    source_id: str = pa.Field(unique=True, str_matches=r"^[a-z0-9][a-z0-9._-]*$",
                              description="short stable id, referenced by every figure")
    title: str = pa.Field(str_length={"min_value": 1}, description="title of the table, file or page")
    publisher: str = pa.Field(str_length={"min_value": 1}, description="who published it")
    url: str = pa.Field(str_matches=r"^(https?://.*)?$",
                        description="where it was published or retrieved ('' only for files compiled here)")
    licence: str = pa.Field(str_length={"min_value": 1}, description="licence or terms of use")
    published: str = pa.Field(description="publication date as stated ('' if none)")
    accessed: str = pa.Field(description="retrieval or snapshot date ('' if unknown)")
    confidence: str = pa.Field(isin=["high", "medium", "low"], description="how sure we are of the figures")
    note: str = pa.Field(description="quirks, caveats")
    raw_path: str = pa.Field(description="file below data/raw/ ('' for web pages)")

    class Config:
        strict = True
        ordered = True

    @pa.dataframe_check(description="a source without a URL must name its raw file")
    def url_or_raw_path(cls, frame: pd.DataFrame) -> pd.Series:
        return (frame["url"] != "") | (frame["raw_path"] != "")


META = DatasetMeta(
    name="sources",
    title_de="Quellen",
    title_en="Sources",
    description_de="Herausgeber, Adresse, Lizenz und Verlässlichkeit jeder Quelle, aus der eine Zahl stammt.",
    description_en="Publisher, address, licence and confidence of every source a figure comes from.",
    key=("source_id",),
)


def source_modules():
    """Every module that declares SOURCES, in catalogue order."""
    from datasets import (claims, districts, indicators_statistics, indicators_transcribed,
                          policy_statements, projections, recruitment_pilots)

    return [indicators_statistics, indicators_transcribed, projections, recruitment_pilots,
            policy_statements, claims, districts]


def all_sources() -> list[Source]:
    by_id: dict[str, Source] = {}
    for module in source_modules():
        for source in getattr(module, "SOURCES", []):
            if source.source_id in by_id and by_id[source.source_id] != source:
                raise AssertionError(f"source {source.source_id} is declared twice with different details")
            by_id[source.source_id] = source
    return list(by_id.values())


def build(raw_dir: Path) -> pd.DataFrame:
    frame = pd.DataFrame([asdict(s) for s in all_sources()], columns=COLUMNS)
    for source in all_sources():
        if source.raw_path:
            assert (raw_dir / source.raw_path).is_file(), \
                f"source {source.source_id} names {source.raw_path}, which is not in data/raw/"
    frame = frame.astype(str).sort_values("source_id", kind="stable").reset_index(drop=True)
    return SourcesSchema.validate(frame)


SPEC = DatasetSpec(meta=META, schema=SourcesSchema, build=build)
