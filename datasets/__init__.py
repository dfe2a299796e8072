"""What the app knows: one module per dataset (schema + metadata + build from data/raw/)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from datasets.base import RAW_DIR, DatasetSpec

#: Dataset names in catalogue order. One name per dataset everywhere (module, table, fixtures).
NAMES = ["indicators", "projections", "recruitment_pilots", "policy_statements", "claims",
         "districts", "sources"]


def spec(name: str) -> DatasetSpec:
    """The DatasetSpec of a dataset by its name."""
    import importlib

    if name not in NAMES:
        raise KeyError(f"unknown dataset {name!r}; known: {', '.join(NAMES)}")
    return importlib.import_module(f"datasets.{name}").SPEC


def specs() -> dict[str, DatasetSpec]:
    return {name: spec(name) for name in NAMES}


def build_all(raw_dir: Path = RAW_DIR) -> dict[str, pd.DataFrame]:
    """Build every dataset from the raw files, deterministically, validated against its schema."""
    return {name: spec(name).build(raw_dir) for name in NAMES}
