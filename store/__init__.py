"""Versioned persistence of datasets (publish, history, rollback, audit) on SQLite or PostgreSQL."""
from __future__ import annotations

from pathlib import Path

from store import db
from store.errors import (
    PermissionDenied, PublishConflict, StoreError, StoreUnavailable, UnknownDataset, UnknownVersion,
)
from store.models import ANALYST, SYSTEM, VIEWER, Actor, VersionInfo
from store.versions import AUDIT_COLUMNS, Store

__all__ = [
    "ANALYST", "AUDIT_COLUMNS", "Actor", "PermissionDenied", "PublishConflict", "SYSTEM", "Store",
    "StoreError", "StoreUnavailable", "UnknownDataset", "UnknownVersion", "VIEWER", "VersionInfo",
    "connect",
]


def connect(url: str | None = None, *, state_dir: Path | None = None) -> Store:
    """Open the store: `url`, else env DATABASE_URL, else SQLite `<state_dir>/dashboard.sqlite3`.

    `state_dir` defaults to env DASHBOARD_STATE_DIR, else `<repo>/state/`. `postgresql://` URLs use
    psycopg 3. Creates missing tables. Raises StoreUnavailable when the database cannot be reached.
    """
    engine = db.make_engine(db.resolve_url(url, state_dir))
    try:
        db.create_schema(engine)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine)
