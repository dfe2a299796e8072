"""The data catalogue: per dataset its version, rows, period covered and sources (pure, no UI)."""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from datasets.base import DatasetMeta

_YEAR = re.compile(r"(\d{4})")


@dataclass(frozen=True)
class CatalogueEntry:
    name: str
    meta: DatasetMeta
    version_number: int | None
    version_id: int | None
    published_at: str           # ISO timestamp of the live version ("" if none)
    author: str
    rows: int
    period_from: str            # first year covered ("" if the dataset has no period)
    period_to: str
    source_ids: tuple[str, ...]

    def title(self, lang: str) -> str:
        return self.meta.title_en if lang == "en" else self.meta.title_de

    def description(self, lang: str) -> str:
        return self.meta.description_en if lang == "en" else self.meta.description_de


def period_covered(values: pd.Series) -> tuple[str, str]:
    """First and last year mentioned in a period column (intervals count with both ends)."""
    years = values.dropna().astype(str).str.findall(_YEAR).explode().dropna()
    if years.empty:
        return "", ""
    return str(years.min()), str(years.max())


def entry(name: str, meta: DatasetMeta, frame: pd.DataFrame, version=None,
          source_ids: list[str] | None = None) -> CatalogueEntry:
    """One catalogue row. `version` is a store VersionInfo (or None before the first publish);
    `source_ids` overrides the ids read from the frame's `source_id` column."""
    period_from, period_to = ("", "")
    if meta.period_column and meta.period_column in frame:
        period_from, period_to = period_covered(frame[meta.period_column])
    if source_ids is None:
        source_ids = frame["source_id"].dropna().unique().tolist() if "source_id" in frame else []
    source_ids = tuple(sorted(s for s in set(source_ids) if s))
    return CatalogueEntry(
        name=name, meta=meta,
        version_number=getattr(version, "number", None),
        version_id=getattr(version, "version_id", None),
        published_at=version.created_at.isoformat(timespec="seconds") if version is not None else "",
        author=getattr(version, "author", ""),
        rows=len(frame), period_from=period_from, period_to=period_to, source_ids=source_ids)


def claim_source_ids(claims: pd.DataFrame, statements: pd.DataFrame) -> list[str]:
    """Claims cite through their statement: the sources of the statements they belong to."""
    return statements.loc[statements["statement_id"].isin(claims["statement_id"]), "source_id"].tolist()


def sources_of(entry_: CatalogueEntry, sources: pd.DataFrame) -> pd.DataFrame:
    """The rows of the `sources` dataset an entry refers to (title, publisher, licence, URL)."""
    if entry_.name == "sources":
        return sources.iloc[0:0]
    return sources[sources["source_id"].isin(entry_.source_ids)].reset_index(drop=True)
