"""Shared pieces of every dataset module: source rows, metadata, validation into Problems."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd
import pandera.pandas as pa

from loaders.errors import Problem

#: Repository root and the folder with the raw files as published.
ROOT = Path(__file__).resolve().parent.parent
RAW_DIR = ROOT / "data" / "raw"


@dataclass(frozen=True)
class Source:
    """One row of the `sources` dataset. `source_id` is short, stable, lowercase-kebab."""

    source_id: str
    title: str
    publisher: str
    url: str
    licence: str
    published: str          # ISO date or year as published ("" if not stated)
    accessed: str           # ISO date the file/page was retrieved (or snapshot date)
    confidence: str         # "high" | "medium" | "low"
    note: str = ""
    raw_path: str = ""      # path below data/raw/ of the file this source row describes ("" for web pages)


@dataclass(frozen=True)
class DatasetMeta:
    """Metadata that travels with a dataset; captions are generated from it."""

    name: str               # the one name: module, table, fixture prefix
    title_de: str
    title_en: str
    description_de: str
    description_en: str
    unit: str = ""
    key: tuple[str, ...] = ()           # columns that identify a row (duplicates are an error)
    period_column: str | None = None    # column holding the period ("" / NA allowed), for "period covered"


@dataclass(frozen=True)
class DatasetSpec:
    meta: DatasetMeta
    schema: pa.DataFrameModel | pa.DataFrameSchema
    build: Callable[[Path], pd.DataFrame]     # build(raw_dir) -> validated frame, deterministic
    source_ids: Callable[[pd.DataFrame], list[str]] = field(
        default=lambda df: sorted(df["source_id"].dropna().unique().tolist()) if "source_id" in df else [])


def schema_problems(schema, frame: pd.DataFrame, line_of_row: pd.Series | None = None) -> list[Problem]:
    """Validate lazily and turn every pandera failure into a Problem (line = source line if known)."""
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        problems = []
        for rec in err.failure_cases.to_dict("records"):
            idx = rec.get("index")
            line = None
            if line_of_row is not None and idx is not None and idx in line_of_row.index:
                line = int(line_of_row.loc[idx])
            check = str(rec.get("check"))
            col = rec.get("column")
            val = rec.get("failure_case")
            problems.append(Problem(
                code="schema:" + check,
                message_de=f"Wert verletzt die Regel {check}.",
                message_en=f"Value breaks the rule {check}.",
                line=line, column=None if col is None else str(col),
                value=None if val is None else str(val)[:80]))
        return problems
    return []
