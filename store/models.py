"""The plain values the store hands out: who acts (Actor) and what a version is (VersionInfo)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

VIEWER = "viewer"
ANALYST = "analyst"
ROLES = (VIEWER, ANALYST)

#: Version kinds: bundled data loaded on first start, an analyst's upload, an old version republished.
KINDS = ("bootstrap", "publish", "rollback")


@dataclass(frozen=True)
class Actor:
    """Whoever calls a store method. Only role "analyst" may write."""

    name: str
    role: str

    @property
    def may_write(self) -> bool:
        return self.role == ANALYST


#: The actor behind `Store.bootstrap`.
SYSTEM = Actor(name="system", role=ANALYST)


@dataclass(frozen=True)
class VersionInfo:
    """One immutable version of a dataset (without its content)."""

    version_id: int                 # global and monotonic across datasets
    dataset: str
    number: int                     # 1, 2, 3 … per dataset
    parent_version_id: int | None   # the live version this one replaced
    rows: int
    sha256: str                     # hex digest of the stored Parquet bytes
    author: str
    note: str
    created_at: datetime            # UTC, timezone-aware
    is_live: bool
    kind: str                       # one of KINDS
    rolled_back_from: int | None    # for kind "rollback": the version whose content was republished
