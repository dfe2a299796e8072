"""Logical backup and restore of the whole store: one zip file, the same on SQLite and PostgreSQL.

A backup holds `manifest.json` (format and version, created_at, the app's schema version, per table its
columns, row count and the sha256 of its file) and one JSON-lines file per table under `tables/`, rows in
primary-key order. Binary columns (the Parquet content of each version) are kept apart, byte for byte, as
`blobs/<table>/<column>/<key>`; the row refers to the file and names its sha256. Because the format is
logical (values, not pages), a backup of an SQLite store restores into PostgreSQL and back.

`backup` reads every table in one read transaction (REPEATABLE READ on PostgreSQL, a WAL snapshot on
SQLite), so it is consistent while the app runs. `restore` fills an empty store (or, with force=True,
replaces everything) in one transaction: any failure — a damaged file, a checksum that does not match,
the database going away — leaves the target exactly as it was. It verifies every version's sha256 against
the restored content and moves PostgreSQL's id sequences past the restored ids.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import zipfile
import zlib
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from sqlalchemy import Boolean, Integer, LargeBinary, MetaData, String, Table, bindparam, func, select, text
from sqlalchemy.exc import DataError, IntegrityError

from store import db, schema
from store.errors import StoreError

FORMAT = "thueringen-dashboard-store-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"

#: Every table the backup carries, in the order a restore inserts them (parents before children).
TABLES = ("datasets", "versions", "version_contents", "audit", "users", "saved_views", "saved_view_charts", "decks",
          "deck_items")

#: Tables left out on purpose, and why. A table of store.schema in neither list stops backup and restore.
SKIPPED_TABLES = {
    "store_meta": "written by the app when it connects; its schema version is the manifest's app_schema_version",
    "login_attempts": "failed-login counters of the last 15 minutes; restoring them would only lock people out "
                      "again (a restore with --force clears them)",
}

#: Columns a restore fills only after every table is in: the live pointer refers to a version, whose
#: row refers to its dataset.
DEFERRED_COLUMNS = {"datasets": ("live_version_id",)}

#: Rows per INSERT while restoring tables without binary columns.
BATCH_ROWS = 1000
#: A table's lines are kept in memory up to this size while a backup is written, then in a temporary file.
SPOOL_BYTES = 16 * 1024 * 1024


class BackupError(StoreError):
    """A backup cannot be written, or a file is no usable backup (damaged, wrong format or version)."""


class RestoreRefused(BackupError):
    """The target store holds data and force was not given."""


# what a backup holds

def unhandled(metadata: MetaData = schema.metadata) -> list[str]:
    """What stops a backup from being complete: tables of the schema that are neither backed up nor skipped
    (and names in TABLES the schema lacks), and columns of a type the backup cannot encode. Empty = fine."""
    problems = [f"table {name} is neither in TABLES nor in SKIPPED_TABLES"
                for name in sorted(metadata.tables) if name not in TABLES and name not in SKIPPED_TABLES]
    problems += [f"table {name} in TABLES is not in the schema" for name in TABLES if name not in metadata.tables]
    for name in TABLES:
        for column in metadata.tables[name].columns if name in metadata.tables else ():
            if _kind(column) is None:
                problems.append(f"column {name}.{column.name} has a type the backup cannot encode ({column.type})")
    return problems


def _require_handled() -> None:
    problems = unhandled()
    if problems:
        raise BackupError("Die Sicherung kennt nicht alle Tabellen der App: " + "; ".join(problems) + ".",
                          "The backup does not handle every table of the app: " + "; ".join(problems) + ".")


def _kind(column) -> str | None:
    """How a column's values are written: datetime, blob, bool, int or text (None: not supported)."""
    column_type = column.type
    if isinstance(column_type, schema.UTCDateTime):
        return "datetime"
    if isinstance(column_type, LargeBinary):
        return "blob"
    if isinstance(column_type, Boolean):
        return "bool"
    if isinstance(column_type, Integer):
        return "int"
    if isinstance(column_type, String):
        return "text"
    return None


def _table(name: str) -> Table:
    return schema.metadata.tables[name]


def _member(name: str) -> str:
    return f"tables/{name}.jsonl"


# backing up

def backup(store, path: str | os.PathLike) -> dict:
    """Write the whole store to `path` (replaced atomically if it exists); returns the manifest."""
    _require_handled()
    path = Path(path)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    started = datetime.now(timezone.utc)
    try:
        with db.unavailable_errors(store.engine), _snapshot(store.engine) as connection, \
                zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            schema_version = connection.execute(
                select(schema.meta.c.value).where(schema.meta.c.key == "schema_version")).scalar_one_or_none()
            tables = {name: _write_table(connection, archive, _table(name)) for name in TABLES}
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": started.isoformat(),
                "app_schema_version": int(schema_version) if schema_version is not None else schema.SCHEMA_VERSION,
                "source_database": connection.dialect.name,
                "tables": tables,
                "skipped_tables": SKIPPED_TABLES,
                "live_versions": _live_versions(connection),
            }
            archive.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        os.replace(partial, path)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise BackupError(f"Die Sicherung {path} kann nicht geschrieben werden: {reason}.",
                          f"The backup {path} cannot be written: {reason}.") from None
    finally:
        partial.unlink(missing_ok=True)
    return manifest


@contextmanager
def _snapshot(engine) -> Iterator:
    """One read transaction that sees a single state of the database while others keep writing."""
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        with connection.begin():
            yield connection


def _write_table(connection, archive: zipfile.ZipFile, table: Table) -> dict:
    kinds = {column.name: _kind(column) for column in table.columns}
    key_columns = list(table.primary_key.columns)
    blob_names = [name for name, kind in kinds.items() if kind == "blob"]
    digest, rows = hashlib.sha256(), 0
    # NOTE: a zip takes one member at a time, and blobs are members of their own: the lines wait in a spool.
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as lines:
        for values in _rows(connection, table, key_columns, bool(blob_names)):
            encoded = {}
            for name, value in values.items():
                if kinds[name] == "blob" and value is not None:
                    key = "-".join(str(values[column.name]) for column in key_columns)
                    encoded[name] = _write_blob(archive, f"blobs/{table.name}/{name}/{key}", bytes(value))
                else:
                    encoded[name] = _encode(kinds[name], value)
            line = (json.dumps(encoded, ensure_ascii=True, separators=(",", ":")) + "\n").encode("ascii")
            digest.update(line)
            lines.write(line)
            rows += 1
        lines.seek(0)
        with archive.open(_member(table.name), "w", force_zip64=True) as out:
            shutil.copyfileobj(lines, out)
    return {"file": _member(table.name), "rows": rows, "sha256": digest.hexdigest(),
            "columns": list(kinds)}


def _rows(connection, table: Table, key_columns: list, has_blobs: bool) -> Iterator[dict]:
    """The table's rows in primary-key order; tables with binary columns one row at a time."""
    ordered = select(table).order_by(*key_columns)
    if not has_blobs:
        for row in connection.execute(ordered, execution_options={"yield_per": BATCH_ROWS}):
            yield row._asdict()
        return
    keys = connection.execute(select(*key_columns).order_by(*key_columns)).all()
    for key in keys:
        condition = [column == value for column, value in zip(key_columns, key)]
        yield connection.execute(select(table).where(*condition)).one()._asdict()


def _write_blob(archive: zipfile.ZipFile, member: str, content: bytes) -> dict:
    info = zipfile.ZipInfo(member, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED      # NOTE: Parquet content is zstd-compressed already
    archive.writestr(info, content)
    return {"file": member, "sha256": hashlib.sha256(content).hexdigest(), "bytes": len(content)}


def _encode(kind: str, value):
    if value is None:
        return None
    if kind == "datetime":
        return value.astimezone(timezone.utc).isoformat()
    if kind == "bool":
        return bool(value)
    if kind == "int":
        return int(value)
    return str(value)


def _live_versions(connection) -> dict:
    """{dataset: {version_id, number, sha256}} of the live versions, for people reading the manifest."""
    datasets, versions = schema.datasets, schema.versions
    rows = connection.execute(
        select(datasets.c.name, versions.c.version_id, versions.c.number, versions.c.sha256)
        .join_from(datasets, versions, datasets.c.live_version_id == versions.c.version_id)
        .order_by(datasets.c.name)).all()
    return {row.name: {"version_id": row.version_id, "number": row.number, "sha256": row.sha256} for row in rows}


# reading a backup

def read_manifest(path: str | os.PathLike) -> dict:
    """The checked manifest of a backup file (BackupError if it is no backup this app can restore)."""
    with _reading(path) as archive:
        return _checked_manifest(archive, path)


@contextmanager
def _reading(path: str | os.PathLike) -> Iterator[zipfile.ZipFile]:
    """The backup as an open zip; whatever goes wrong reading it becomes a BackupError naming the file."""
    path = Path(path)
    try:
        archive = zipfile.ZipFile(path)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise BackupError(f"Die Sicherung {path} kann nicht gelesen werden: {reason}.",
                          f"The backup {path} cannot be read: {reason}.") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as error:
        raise _damaged(path, error) from None
    try:
        with archive:
            yield archive
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, TypeError, UnicodeDecodeError) as error:
        raise _damaged(path, error) from None


def _damaged(path, error) -> BackupError:
    detail = " ".join(str(error).split())[:200] or type(error).__name__
    return BackupError(f"Die Sicherung {Path(path).name} ist beschädigt oder unvollständig ({detail}); "
                       "nichts wiederhergestellt.",
                       f"The backup {Path(path).name} is damaged or incomplete ({detail}); nothing restored.")


def _not_restorable(path, reason_de: str, reason_en: str) -> BackupError:
    return BackupError(f"{Path(path).name} kann nicht wiederhergestellt werden: {reason_de}; nichts geändert.",
                       f"{Path(path).name} cannot be restored: {reason_en}; nothing changed.")


def _checked_manifest(archive: zipfile.ZipFile, path) -> dict:
    if MANIFEST not in archive.namelist():
        raise _not_restorable(path, "keine Sicherung des Dashboards (manifest.json fehlt)",
                              "not a backup of the dashboard (manifest.json is missing)")
    manifest = json.loads(archive.read(MANIFEST).decode("utf-8"))
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _not_restorable(path, "keine Sicherung des Dashboards (unbekanntes Format)",
                              "not a backup of the dashboard (unknown format)")
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise _not_restorable(path, f"Format-Version {version!r}, diese App liest nur Version {FORMAT_VERSION}",
                              f"format version {version!r}; this app reads version {FORMAT_VERSION} only")
    schema_version = manifest.get("app_schema_version")
    if schema_version != schema.SCHEMA_VERSION:
        raise _not_restorable(
            path, f"gemacht mit Schema-Version {schema_version!r}, diese App hat Version {schema.SCHEMA_VERSION} "
                  "(mit der App-Version wiederherstellen, die die Sicherung gemacht hat, dann aktualisieren)",
            f"made with schema version {schema_version!r}, this app has version {schema.SCHEMA_VERSION} "
            "(restore with the app version that made it, then upgrade)")
    tables = manifest.get("tables")
    if not isinstance(tables, dict):
        raise _damaged(path, "tables")
    missing = [name for name in TABLES if name not in tables]
    if missing:
        raise _not_restorable(path, "Tabelle(n) fehlen: " + ", ".join(missing),
                              "table(s) missing: " + ", ".join(missing))
    unknown = sorted(set(tables) - set(TABLES))
    if unknown:
        raise _not_restorable(
            path, "unbekannte Tabelle(n) " + ", ".join(unknown) + " (Sicherung einer neueren App-Version?)",
            "unknown table(s) " + ", ".join(unknown) + " (backup of a newer app version?)")
    for name in TABLES:
        expected = [column.name for column in _table(name).columns]
        if tables[name].get("columns") != expected:
            raise _not_restorable(path, f"die Spalten der Tabelle {name} passen nicht zu dieser App",
                                  f"the columns of table {name} do not match this app")
    return manifest


def _check_table_files(archive: zipfile.ZipFile, manifest: dict, path) -> None:
    """Every table file is there, with the manifest's sha256 and row count (before the database is touched)."""
    for name in TABLES:
        entry = manifest["tables"][name]
        if entry.get("file") not in archive.namelist():
            raise _not_restorable(path, f"die Datei der Tabelle {name} fehlt", f"the file of table {name} is missing")
        digest, rows = hashlib.sha256(), 0
        with archive.open(entry["file"]) as member:
            for line in member:
                digest.update(line)
                rows += 1
        if digest.hexdigest() != entry.get("sha256"):
            raise _damaged(path, f"sha256 of {entry['file']} does not match the manifest")
        if rows != entry.get("rows"):
            raise _damaged(path, f"{entry['file']} has {rows} rows, the manifest says {entry.get('rows')}")


# restoring

def restore(store, path: str | os.PathLike, *, force: bool = False) -> dict:
    """Fill the store from a backup in one transaction; returns the backup's manifest.

    Refuses (RestoreRefused) when the store holds data, unless force=True: then everything in it is
    replaced in the same transaction. Raises BackupError for a damaged or foreign file; the store is
    unchanged after any error.
    """
    _require_handled()
    with _reading(path) as archive:
        manifest = _checked_manifest(archive, path)
        _check_table_files(archive, manifest, path)
        try:
            with db.unavailable_errors(store.engine), db.writer(store.engine).begin() as connection:
                if connection.dialect.name == "postgresql":
                    names = ", ".join(_quoted(connection, name) for name in (*TABLES, *SKIPPED_TABLES))
                    connection.execute(text(f"LOCK TABLE {names} IN ACCESS EXCLUSIVE MODE"))
                held = _row_counts(connection)
                if any(held.values()):
                    if not force:
                        raise _refused(held)
                    _wipe(connection)
                deferred = {}
                for name in TABLES:
                    deferred[name] = _insert_table(connection, archive, _table(name), manifest, path)
                _fill_deferred(connection, deferred)
                _advance_sequences(connection)
                _verify(connection, manifest, path)
        except (IntegrityError, DataError) as error:
            raise _damaged(path, f"inconsistent rows: {str(error.orig).splitlines()[0]}") from None
    return manifest


def _quoted(connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote(name)


def _row_counts(connection) -> dict[str, int]:
    return {name: connection.execute(select(func.count()).select_from(_table(name))).scalar_one()
            for name in TABLES}


def counts_text(rows: dict[str, int]) -> tuple[str, str]:
    """(German, English) summary of a store's row counts, e.g. "Datensätze: 7, Versionen: 9, …"."""
    names = (("datasets", "Datensätze", "datasets"), ("versions", "Versionen", "versions"),
             ("users", "Konten", "accounts"), ("saved_views", "Ansichten", "views"),
             ("decks", "Präsentationen", "decks"), ("audit", "Protokollzeilen", "audit rows"))
    return (", ".join(f"{german}: {rows[table]}" for table, german, _ in names),
            ", ".join(f"{english}: {rows[table]}" for table, _, english in names))


def _refused(held: dict[str, int]) -> RestoreRefused:
    counts_de, counts_en = counts_text(held)
    return RestoreRefused(
        f"Die Datenbank ist nicht leer ({counts_de}); nichts geändert. Wiederherstellen nur in eine leere "
        "Datenbank, oder mit --force: das ersetzt alles darin.",
        f"The database is not empty ({counts_en}); nothing changed. Restore only into an empty database, "
        "or with --force, which replaces everything in it.")


def _wipe(connection) -> None:
    """Delete every row of the store's tables (children first); the caller's transaction makes it atomic."""
    for name, columns in DEFERRED_COLUMNS.items():
        connection.execute(_table(name).update().values({column: None for column in columns}))
    for name in (*reversed(TABLES), "login_attempts"):
        connection.execute(_table(name).delete())
    if connection.dialect.name == "sqlite":
        # NOTE: AUTOINCREMENT remembers the highest id ever used; forget it so ids continue after the backup's.
        found = connection.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")).first()
        if found is not None:
            connection.execute(text("DELETE FROM sqlite_sequence"))


def _insert_table(connection, archive: zipfile.ZipFile, table: Table, manifest: dict, path) -> list[dict]:
    """Insert the table's rows; returns the values of its deferred columns, to be set at the end."""
    kinds = {column.name: _kind(column) for column in table.columns}
    deferred_names = DEFERRED_COLUMNS.get(table.name, ())
    key_names = [column.name for column in table.primary_key.columns]
    has_blobs = "blob" in kinds.values()
    deferred, batch = [], []
    with archive.open(manifest["tables"][table.name]["file"]) as member:
        for line in member:
            encoded = json.loads(line)
            if not isinstance(encoded, dict) or set(encoded) != set(kinds):
                raise _damaged(path, f"a row of {table.name} does not have the table's columns")
            values = {name: _decode(kinds[name], encoded[name], archive, f"{table.name}.{name}", path)
                      for name in kinds}
            if deferred_names:
                deferred.append({**{f"key_{name}": values[name] for name in key_names},
                                 **{f"value_{name}": values[name] for name in deferred_names}})
                values.update({name: None for name in deferred_names})
            batch.append(values)
            if has_blobs or len(batch) >= BATCH_ROWS:
                connection.execute(table.insert(), batch)
                batch = []
    if batch:
        connection.execute(table.insert(), batch)
    return deferred


def _decode(kind: str, value, archive: zipfile.ZipFile, where: str, path):
    if value is None:
        return None
    if kind == "blob":
        if not isinstance(value, dict) or not isinstance(value.get("file"), str):
            raise _damaged(path, f"{where}: not a file reference")
        content = archive.read(value["file"])
        if hashlib.sha256(content).hexdigest() != value.get("sha256") or len(content) != value.get("bytes"):
            raise _damaged(path, f"sha256 of {value['file']} does not match")
        return content
    if kind == "datetime":
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
        if moment is None or moment.tzinfo is None:
            raise _damaged(path, f"{where}: not a UTC timestamp: {value!r}")
        return moment
    expected = {"bool": bool, "int": int, "text": str}[kind]
    if not isinstance(value, expected) or (kind == "int" and isinstance(value, bool)):
        raise _damaged(path, f"{where}: {value!r} is not {kind}")
    return value


def _fill_deferred(connection, deferred: dict[str, list[dict]]) -> None:
    for name, columns in DEFERRED_COLUMNS.items():
        rows = [row for row in deferred.get(name, []) if any(row[f"value_{c}"] is not None for c in columns)]
        if not rows:
            continue
        table = _table(name)
        statement = (table.update()
                     .where(*[column == bindparam(f"key_{column.name}") for column in table.primary_key.columns])
                     .values({column: bindparam(f"value_{column}") for column in columns}))
        connection.execute(statement, rows)


def _advance_sequences(connection) -> None:
    """PostgreSQL: the next generated id of every table comes after the restored ids (SQLite does this itself)."""
    if connection.dialect.name != "postgresql":
        return
    for name in TABLES:
        keys = list(_table(name).primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, Integer):
            continue
        sequence = connection.execute(text("SELECT pg_get_serial_sequence(:table, :column)"),
                                      {"table": name, "column": keys[0].name}).scalar_one()
        if sequence is None:
            continue
        highest = connection.execute(select(func.coalesce(func.max(keys[0]), 0))).scalar_one()
        connection.execute(text("SELECT setval(CAST(:sequence AS regclass), :next, false)"),
                           {"sequence": sequence, "next": highest + 1})


def _verify(connection, manifest: dict, path) -> None:
    """Inside the restore's transaction: the row counts are the manifest's, and every version's content
    hashes to its sha256."""
    for name, rows in _row_counts(connection).items():
        if rows != manifest["tables"][name]["rows"]:
            raise _damaged(path, f"{name}: {rows} rows restored, the manifest says {manifest['tables'][name]['rows']}")
    versions, contents = schema.versions, schema.contents
    expected = dict(connection.execute(select(versions.c.version_id, versions.c.sha256)).all())
    for version_id, sha256 in expected.items():
        content = connection.execute(select(contents.c.parquet)
                                     .where(contents.c.version_id == version_id)).scalar_one_or_none()
        if content is None or hashlib.sha256(bytes(content)).hexdigest() != sha256:
            raise _damaged(path, f"version {version_id}: content does not match its sha256")
