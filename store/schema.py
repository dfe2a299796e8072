"""The store's tables as SQLAlchemy Core metadata, the same on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    BigInteger, Boolean, Column, DateTime, ForeignKey, Index, Integer, LargeBinary, MetaData, String, Table,
    Text, TypeDecorator, UniqueConstraint,
)

#: Bump when the tables change (and add the migration to db.create_schema).
SCHEMA_VERSION = 1


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on both databases (SQLite stores them naive, in UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("store timestamps must be timezone-aware")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


metadata = MetaData()

meta = Table(
    "store_meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

datasets = Table(
    "datasets", metadata,
    Column("name", String(128), primary_key=True),
    Column("live_version_id", Integer,
           ForeignKey("versions.version_id", use_alter=True, name="fk_datasets_live_version"),
           nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
)

versions = Table(
    "versions", metadata,
    Column("version_id", Integer, primary_key=True, autoincrement=True),
    Column("dataset", String(128), ForeignKey("datasets.name"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("parent_version_id", Integer, ForeignKey("versions.version_id"), nullable=True),
    Column("rows", BigInteger, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("author", Text, nullable=False),
    Column("note", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("rolled_back_from", Integer, ForeignKey("versions.version_id"), nullable=True),
    UniqueConstraint("dataset", "number", name="uq_versions_dataset_number"),
    sqlite_autoincrement=True,
)

#: Content lives apart from the version rows so listing history never loads Parquet bytes.
contents = Table(
    "version_contents", metadata,
    Column("version_id", Integer, ForeignKey("versions.version_id"), primary_key=True),
    Column("parquet", LargeBinary, nullable=False),
)

audit = Table(
    "audit", metadata,
    Column("audit_id", Integer, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", Text, nullable=False),
    Column("role", String(32), nullable=False),
    Column("action", String(32), nullable=False),
    Column("dataset", String(128), nullable=False),
    Column("version_id", Integer, ForeignKey("versions.version_id"), nullable=True),
    Column("rows", BigInteger, nullable=True),
    Column("sha256", String(64), nullable=True),
    Column("note", Text, nullable=False),
    sqlite_autoincrement=True,
)

# NOTE: the account tables below were added without bumping SCHEMA_VERSION: they are new tables only
# (create_all adds them to an existing database), and older app versions simply do not read them.

#: Local analyst accounts (store.accounts); OIDC users are not stored here.
users = Table(
    "users", metadata,
    Column("username", String(64), primary_key=True),
    Column("email", Text, nullable=False),
    Column("display_name", Text, nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("role", String(32), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("password_changed_at", UTCDateTime, nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
)

#: Failed (and in-flight) login attempts, one row per counter they count against, shared by every
#: replica. scope "user": key = lower-case username; scope "client": key = sha256 of the client key.
login_attempts = Table(
    "login_attempts", metadata,
    Column("attempt_id", Integer, primary_key=True, autoincrement=True),
    Column("scope", String(16), nullable=False),
    Column("key", String(128), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Index("ix_login_attempts_scope_key_at", "scope", "key", "at"),
    Index("ix_login_attempts_at", "at"),
    sqlite_autoincrement=True,
)

# NOTE: saved views and decks (store.views) are new tables only, added like the account tables without
# bumping SCHEMA_VERSION: create_all adds them to an existing database; older app versions ignore them.

#: A saved view: a page (url_path) with its query parameters, live or pinned to the data versions of its save.
saved_views = Table(
    "saved_views", metadata,
    Column("view_id", Integer, primary_key=True, autoincrement=True),
    Column("title", Text, nullable=False),
    Column("note", Text, nullable=False),
    Column("url_path", String(128), nullable=False),
    Column("query", Text, nullable=False),              # JSON {param: [values]}
    Column("mode", String(16), nullable=False),         # "live" | "pinned"
    Column("pinned_versions", Text, nullable=False),    # JSON {dataset: version_id}, live ids at save time
    Column("author", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    sqlite_autoincrement=True,
)

#: The charts a saved view shows, in page order: the chart builder ("charts.module.function"), its title as
#: shown when the view was saved, and its parameters (JSON object) — what a slide renders, with the view's
#: pinned versions if it is pinned. A new table (not a column of saved_views) so create_all adds it.
saved_view_charts = Table(
    "saved_view_charts", metadata,
    Column("view_id", Integer, ForeignKey("saved_views.view_id"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("builder", String(200), nullable=False),
    Column("title", Text, nullable=False),
    Column("params", Text, nullable=False),             # JSON {param: value}
)

#: A deck: an ordered list of saved views (deck_items), played slide by slide on the page "Präsentation".
decks = Table(
    "decks", metadata,
    Column("deck_id", Integer, primary_key=True, autoincrement=True),
    Column("title", Text, nullable=False),
    Column("note", Text, nullable=False),
    Column("author", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    sqlite_autoincrement=True,
)

deck_items = Table(
    "deck_items", metadata,
    Column("deck_id", Integer, ForeignKey("decks.deck_id"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("view_id", Integer, ForeignKey("saved_views.view_id"), nullable=False),
    Index("ix_deck_items_view_id", "view_id"),
)
