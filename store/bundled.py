"""Publish the bundled data (built from data/raw/) as version 1 of every dataset that has none yet."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import datasets
from datasets.base import RAW_DIR

BUNDLE_NOTE = "Gebündelte Daten aus data/raw/ (erste Version)"


def missing_datasets(store) -> list[str]:
    live = store.live_versions()
    return [name for name in datasets.NAMES if name not in live]


def ensure_bundled(store, raw_dir: Path = RAW_DIR) -> list:
    """Idempotent: builds and publishes only the datasets without any version. Returns new versions."""
    missing = missing_datasets(store)
    if not missing:
        return []
    frames = {name: _bundled_frame(name, raw_dir) for name in missing}
    return store.bootstrap(frames, note=BUNDLE_NOTE)


@lru_cache(maxsize=None)
def _bundled_frame(name: str, raw_dir: Path):
    """The build is deterministic, so one build per process serves every store it bundles into."""
    return datasets.spec(name).build(raw_dir)
