"""The Store: publish, read, history, rollback, audit and bootstrap of immutable dataset versions."""
from __future__ import annotations

from datetime import datetime, timezone

import pandas as pd
from sqlalchemy import Engine, case, func, select
from sqlalchemy.exc import IntegrityError

from store import db, parquet
from store.errors import PermissionDenied, PublishConflict, StoreError, UnknownDataset, UnknownVersion
from store.models import SYSTEM, Actor, VersionInfo
from store.schema import audit, contents, datasets, versions

AUDIT_COLUMNS = ["who", "when", "action", "dataset", "version_id", "rows", "sha256", "note"]

_version_columns = (
    versions.c.version_id, versions.c.dataset, versions.c.number, versions.c.parent_version_id,
    versions.c.rows, versions.c.sha256, versions.c.author, versions.c.note, versions.c.created_at,
    case((datasets.c.live_version_id == versions.c.version_id, True), else_=False).label("is_live"),
    versions.c.kind, versions.c.rolled_back_from,
)
_version_select = select(*_version_columns).join_from(versions, datasets, versions.c.dataset == datasets.c.name)
_live_ids = select(datasets.c.name, datasets.c.live_version_id).where(datasets.c.live_version_id.is_not(None))


def _version_info(row) -> VersionInfo:
    values = row._asdict()
    values["is_live"] = bool(values["is_live"])
    return VersionInfo(**values)


class Store:
    """Versioned datasets in one database. Thread-safe; open one per process with `store.connect`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writer = db.writer(engine)
        self._live: dict[str, VersionInfo] = {}     # the last live versions read (see live_versions)

    def __repr__(self) -> str:
        return f"Store({db.describe(self.engine)})"

    @property
    def url(self) -> str:
        """Where the data lives, without a password."""
        return db.describe(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def ping(self) -> bool:
        """True when the database answers."""
        try:
            with db.unavailable_errors(self.engine), self.engine.connect() as connection:
                connection.execute(select(1)).scalar_one()
        except StoreError:
            return False
        return True

    # reading

    def datasets(self) -> list[str]:
        """Names of the datasets that have a live version, sorted."""
        query = select(datasets.c.name).where(datasets.c.live_version_id.is_not(None)).order_by(datasets.c.name)
        with db.unavailable_errors(self.engine), self.engine.connect() as connection:
            return list(connection.execute(query).scalars())

    def live_versions(self) -> dict[str, VersionInfo]:
        """The live version of every dataset (cheap enough for every rerun): one small query for the live
        version ids; the versions' details are read again only when an id changed (versions are immutable)."""
        with db.unavailable_errors(self.engine), self.engine.connect() as connection:
            ids = dict(connection.execute(_live_ids).all())
            known = self._live
            if {name: info.version_id for name, info in known.items()} != ids:
                query = _version_select.where(datasets.c.live_version_id == versions.c.version_id)
                rows = connection.execute(query.order_by(versions.c.dataset)).all()
                known = {row.dataset: _version_info(row) for row in rows}
                self._live = known          # one assignment: other threads see the old or the new dict
        return dict(known)

    def live_version(self, dataset: str) -> VersionInfo | None:
        query = _version_select.where(datasets.c.name == dataset,
                                      datasets.c.live_version_id == versions.c.version_id)
        with db.unavailable_errors(self.engine), self.engine.connect() as connection:
            row = connection.execute(query).one_or_none()
        return None if row is None else _version_info(row)

    def history(self, dataset: str) -> list[VersionInfo]:
        """Every version of the dataset, newest first."""
        query = _version_select.where(versions.c.dataset == dataset).order_by(versions.c.number.desc())
        with db.unavailable_errors(self.engine), self.engine.connect() as connection:
            rows = connection.execute(query).all()
        if not rows:
            raise _unknown_dataset(dataset)
        return [_version_info(row) for row in rows]

    def version(self, dataset: str, version_id: int) -> VersionInfo:
        """One version of the dataset (UnknownVersion if it does not belong to it)."""
        query = _version_select.where(versions.c.dataset == dataset, versions.c.version_id == version_id)
        with db.unavailable_errors(self.engine), self.engine.connect() as connection:
            row = connection.execute(query).one_or_none()
        if row is None:
            raise _unknown_version(dataset, version_id)
        return _version_info(row)

    def read_bytes(self, dataset: str, version_id: int | None = None) -> bytes:
        """The stored Parquet bytes of a version (None = live), checked against their sha256."""
        query = (select(contents.c.parquet, versions.c.sha256, versions.c.version_id)
                 .join_from(contents, versions, contents.c.version_id == versions.c.version_id)
                 .where(versions.c.dataset == dataset))
        if version_id is None:
            query = query.join(datasets, datasets.c.live_version_id == versions.c.version_id)
        else:
            query = query.where(versions.c.version_id == version_id)
        with db.unavailable_errors(self.engine), self.engine.connect() as connection:
            row = connection.execute(query).one_or_none()
        if row is None:
            raise _unknown_dataset(dataset) if version_id is None else _unknown_version(dataset, version_id)
        content = bytes(row.parquet)
        if parquet.sha256_of(content) != row.sha256:
            raise StoreError(
                f"Version {row.version_id} von „{dataset}“ ist beschädigt (Prüfsumme stimmt nicht).",
                f"Version {row.version_id} of “{dataset}” is corrupt (checksum mismatch).")
        return content

    def read(self, dataset: str, version_id: int | None = None) -> pd.DataFrame:
        """A version's frame (None = live), with the dtypes it was published with and a RangeIndex."""
        return parquet.from_parquet(self.read_bytes(dataset, version_id))

    def audit(self, dataset: str | None = None) -> pd.DataFrame:
        """Who did what, when and why — newest first; columns AUDIT_COLUMNS."""
        query = select(audit.c.actor.label("who"), audit.c.at.label("when"), audit.c.action,
                       audit.c.dataset, audit.c.version_id, audit.c.rows, audit.c.sha256,
                       audit.c.note).order_by(audit.c.audit_id.desc())
        if dataset is not None:
            query = query.where(audit.c.dataset == dataset)
        with db.unavailable_errors(self.engine), self.engine.connect() as connection:
            rows = connection.execute(query).all()
        frame = pd.DataFrame([row._asdict() for row in rows], columns=AUDIT_COLUMNS)
        return frame.astype({"who": "str", "when": "datetime64[us, UTC]", "action": "str", "dataset": "str",
                             "version_id": "Int64", "rows": "Int64", "sha256": "str", "note": "str"})

    # writing

    def publish(self, dataset: str, frame: pd.DataFrame, *, actor: Actor, note: str,
                parent_version_id: int | None) -> VersionInfo:
        """Store the frame as a new version and make it live, if `parent_version_id` is still live.

        Raises PublishConflict (nothing stored) when someone else published in between.
        """
        _require_analyst(actor, dataset)
        if not isinstance(frame, pd.DataFrame):
            raise TypeError("publish needs a pandas DataFrame")
        content = parquet.to_parquet(frame)
        return self._store_version(dataset, content, len(frame), actor=actor, note=note,
                                   parent_version_id=parent_version_id, kind="publish")

    def rollback(self, dataset: str, version_id: int, *, actor: Actor, note: str,
                 parent_version_id: int | None) -> VersionInfo:
        """Publish an old version's content again, as a new live version of kind "rollback"."""
        _require_analyst(actor, dataset)
        old = self.version(dataset, version_id)
        content = self.read_bytes(dataset, version_id)
        return self._store_version(dataset, content, old.rows, actor=actor, note=note,
                                   parent_version_id=parent_version_id, kind="rollback",
                                   rolled_back_from=version_id)

    def bootstrap(self, frames: dict[str, pd.DataFrame], *, note: str) -> list[VersionInfo]:
        """Version 1 (author "system") of every dataset that has none yet; returns what it created.

        Idempotent, also when several processes call it at once: a dataset someone else
        bootstrapped in between is skipped.
        """
        existing = self.live_versions()
        created = []
        for dataset, frame in frames.items():
            if dataset in existing:
                continue
            content = parquet.to_parquet(frame)
            try:
                created.append(self._store_version(dataset, content, len(frame), actor=SYSTEM, note=note,
                                                   parent_version_id=None, kind="bootstrap"))
            except PublishConflict:
                continue
        return created

    def _store_version(self, dataset: str, content: bytes, rows: int, *, actor: Actor, note: str,
                       parent_version_id: int | None, kind: str,
                       rolled_back_from: int | None = None) -> VersionInfo:
        """One transaction: lock the dataset row, check the parent, insert version + content + audit,
        move the live pointer with a compare-and-set."""
        if not dataset or len(dataset) > 128:
            raise ValueError("dataset name must have 1 to 128 characters")
        now = datetime.now(timezone.utc)
        sha256 = parquet.sha256_of(content)
        note = note or ""
        try:
            with db.unavailable_errors(self.engine), self._writer.begin() as connection:
                db.insert_if_missing(connection, datasets,
                                     {"name": dataset, "live_version_id": None, "created_at": now})
                live_id = connection.execute(
                    select(datasets.c.live_version_id).where(datasets.c.name == dataset).with_for_update()
                ).scalar_one()
                if parent_version_id is not None and live_id != parent_version_id:
                    self._require_version(connection, dataset, parent_version_id)
                if live_id != parent_version_id:
                    raise self._conflict(connection, dataset)
                number = connection.execute(
                    select(func.coalesce(func.max(versions.c.number), 0)).where(versions.c.dataset == dataset)
                ).scalar_one() + 1
                version_id = connection.execute(versions.insert().values(
                    dataset=dataset, number=number, parent_version_id=parent_version_id, rows=rows,
                    sha256=sha256, author=actor.name, note=note, created_at=now, kind=kind,
                    rolled_back_from=rolled_back_from)).inserted_primary_key[0]
                connection.execute(contents.insert().values(version_id=version_id, parquet=content))
                moved = connection.execute(
                    datasets.update()
                    .where(datasets.c.name == dataset, _is_live_pointer(parent_version_id))
                    .values(live_version_id=version_id))
                if moved.rowcount != 1:
                    raise self._conflict(connection, dataset)
                connection.execute(audit.insert().values(
                    at=now, actor=actor.name, role=actor.role, action=kind, dataset=dataset,
                    version_id=version_id, rows=rows, sha256=sha256, note=note))
        except IntegrityError:
            # NOTE: a concurrent writer won a unique constraint (dataset name or version number).
            with db.unavailable_errors(self.engine), self.engine.connect() as connection:
                raise self._conflict(connection, dataset) from None
        return VersionInfo(version_id=version_id, dataset=dataset, number=number,
                           parent_version_id=parent_version_id, rows=rows, sha256=sha256,
                           author=actor.name, note=note, created_at=now, is_live=True, kind=kind,
                           rolled_back_from=rolled_back_from)

    def _require_version(self, connection, dataset: str, version_id: int) -> None:
        found = connection.execute(select(versions.c.version_id).where(
            versions.c.dataset == dataset, versions.c.version_id == version_id)).one_or_none()
        if found is None:
            raise _unknown_version(dataset, version_id)

    def _conflict(self, connection, dataset: str) -> PublishConflict:
        row = connection.execute(_version_select.where(
            datasets.c.name == dataset, datasets.c.live_version_id == versions.c.version_id)).one_or_none()
        live = None if row is None else _version_info(row)
        if live is None:
            return PublishConflict(
                f"Datensatz „{dataset}“ wurde inzwischen geändert; Ihre Änderung wurde nicht übernommen. "
                "Bitte laden Sie den aktuellen Stand neu.",
                f"Dataset “{dataset}” changed in the meantime; your change was not saved. "
                "Please reload the current state.", dataset=dataset, live=None)
        when_de = live.created_at.strftime("%d.%m.%Y, %H:%M UTC")
        when_en = live.created_at.strftime("%Y-%m-%d %H:%M UTC")
        return PublishConflict(
            f"Datensatz „{dataset}“ wurde inzwischen von {live.author} als Version {live.number} "
            f"veröffentlicht ({when_de}); Ihre Änderung wurde nicht übernommen. Bitte laden Sie die "
            "aktuelle Version neu und prüfen Sie Ihre Änderung dagegen.",
            f"Dataset “{dataset}” was meanwhile published by {live.author} as version {live.number} "
            f"({when_en}); your change was not saved. Please reload the current version and check "
            "your change against it.", dataset=dataset, live=live)


def _is_live_pointer(parent_version_id: int | None):
    """`live_version_id IS NOT DISTINCT FROM :parent`, portable."""
    if parent_version_id is None:
        return datasets.c.live_version_id.is_(None)
    return datasets.c.live_version_id == parent_version_id


def _require_analyst(actor: Actor, dataset: str) -> None:
    if not isinstance(actor, Actor) or not actor.may_write:
        role = getattr(actor, "role", "?")
        raise PermissionDenied(
            f"Nur Analystinnen und Analysten dürfen „{dataset}“ veröffentlichen oder zurücksetzen "
            f"(Ihre Rolle: {role}).",
            f"Only analysts may publish or roll back “{dataset}” (your role: {role}).")


def _unknown_dataset(dataset: str) -> UnknownDataset:
    return UnknownDataset(f"Den Datensatz „{dataset}“ gibt es nicht.", f"There is no dataset “{dataset}”.")


def _unknown_version(dataset: str, version_id: int) -> UnknownVersion:
    return UnknownVersion(f"Datensatz „{dataset}“ hat keine Version mit der Nummer {version_id}.",
                          f"Dataset “{dataset}” has no version with id {version_id}.")
