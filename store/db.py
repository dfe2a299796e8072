"""Where the database is and how to talk to it: URL choice, engine set-up, schema, error wrapping."""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import Engine, create_engine, event, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, InterfaceError, OperationalError

from store import schema
from store.errors import StoreError, StoreUnavailable

#: Repository root; the default state folder is <repo>/state/.
ROOT = Path(__file__).resolve().parent.parent
SQLITE_FILE_NAME = "dashboard.sqlite3"
#: How long a SQLite writer waits for another writer before giving up.
SQLITE_BUSY_SECONDS = 30
POSTGRES_CONNECT_TIMEOUT_SECONDS = 10
#: Execution option that makes a SQLite transaction take the write lock at BEGIN (BEGIN IMMEDIATE).
WRITE_OPTION = "store_write"
#: Key of the PostgreSQL advisory lock held while creating the schema (two replicas may start at once).
SCHEMA_LOCK_KEY = 160_051_2016


def default_state_dir() -> Path:
    return Path(os.environ.get("DASHBOARD_STATE_DIR") or ROOT / "state")


def resolve_url(url: str | None, state_dir: Path | None) -> URL:
    """The URL given, else DATABASE_URL, else the SQLite file in the state folder (created if missing)."""
    url = url or os.environ.get("DATABASE_URL") or None
    if url is None:
        folder = Path(state_dir) if state_dir is not None else default_state_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StoreUnavailable(
                f"Der Ordner für die Datenbank {folder} kann nicht angelegt werden: {err.strerror}.",
                f"The database folder {folder} cannot be created: {err.strerror}.") from None
        return URL.create("sqlite", database=str(folder / SQLITE_FILE_NAME))
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError("Die Datenbank-URL ist ungültig.", "The database URL is not valid.") from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def make_engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_SECONDS})
        event.listen(engine, "connect", _configure_sqlite_connection)
        event.listen(engine, "begin", _begin_sqlite_transaction)
        return engine
    return create_engine(url, pool_pre_ping=True,
                         connect_args={"connect_timeout": POSTGRES_CONNECT_TIMEOUT_SECONDS})


def _configure_sqlite_connection(dbapi_connection, connection_record) -> None:
    # NOTE: sqlite3 would otherwise BEGIN lazily on the first write; SQLAlchemy's begin hook does it.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_SECONDS * 1000}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _begin_sqlite_transaction(connection) -> None:
    """Writers take the write lock up front, so two writers queue instead of failing on upgrade."""
    immediate = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def writer(engine: Engine) -> Engine:
    """The same engine (same pool), for transactions that write."""
    return engine.execution_options(**{WRITE_OPTION: True})


def insert_if_missing(connection, table, values: dict) -> None:
    """INSERT … ON CONFLICT DO NOTHING on the table's primary key, on either database."""
    dialect_insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    connection.execute(dialect_insert(table).values(**values).on_conflict_do_nothing())


def create_schema(engine: Engine) -> None:
    """Create missing tables (idempotent, safe when several processes start at once); check the version."""
    with unavailable_errors(engine), writer(engine).begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
        schema.metadata.create_all(connection)
        stored = connection.execute(
            select(schema.meta.c.value).where(schema.meta.c.key == "schema_version")).scalar_one_or_none()
        if stored is None:
            connection.execute(schema.meta.insert().values(key="schema_version",
                                                           value=str(schema.SCHEMA_VERSION)))
        elif int(stored) > schema.SCHEMA_VERSION:
            raise StoreError(
                f"Die Datenbank hat Schema-Version {stored}, diese App kennt nur bis "
                f"{schema.SCHEMA_VERSION}. Bitte die App aktualisieren.",
                f"The database has schema version {stored}; this app knows up to "
                f"{schema.SCHEMA_VERSION}. Please update the app.")


def schema_version(engine: Engine) -> int:
    with unavailable_errors(engine), engine.connect() as connection:
        return int(connection.execute(
            select(schema.meta.c.value).where(schema.meta.c.key == "schema_version")).scalar_one())


def describe(engine: Engine) -> str:
    """The database location for messages, without a password."""
    return engine.url.render_as_string(hide_password=True)


@contextmanager
def unavailable_errors(engine: Engine) -> Iterator[None]:
    """Turn a lost or refused connection into StoreUnavailable with a message for people."""
    try:
        yield
    except (OperationalError, InterfaceError) as err:
        raise _unavailable(engine, err) from err
    except DBAPIError as err:
        if err.connection_invalidated:
            raise _unavailable(engine, err) from err
        raise


def _unavailable(engine: Engine, err: DBAPIError) -> StoreUnavailable:
    reason = " ".join(str(err.orig).split())[:300] if err.orig is not None else type(err).__name__
    where = describe(engine)
    return StoreUnavailable(
        f"Die Datenbank ist nicht erreichbar ({where}): {reason}. "
        "Bitte später erneut versuchen oder die Einstellung DATABASE_URL prüfen.",
        f"The database cannot be reached ({where}): {reason}. "
        "Please try again later or check the DATABASE_URL setting.")
