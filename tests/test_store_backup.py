"""Backup and restore of the whole store (SQLite and PostgreSQL): back up, wipe, restore, same versions."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import psycopg
import pytest
from sqlalchemy import Column, Float, Integer, MetaData, Table, select

import store
from store import accounts, backup, schema, views
from store.models import ANALYST, Actor

ROOT = Path(__file__).resolve().parent.parent
ANNA = Actor("anna", ANALYST)
PASSWORD = "Erfurt-Domplatz-2016"
ARRIVALS_2015 = pd.DataFrame({"region_code": ["16", "16051"], "period": ["2015", "2015"], "value": [29_535.0, 3_910.0]})
ARRIVALS_2016 = pd.DataFrame({"region_code": ["16", "16051", "16056"], "period": ["2016", "2016", "2016"],
                              "value": [9_217.0, 1_108.0, float("nan")], "flag": ["", "", "."]})


@pytest.fixture(autouse=True)
def quick_password_hashes(monkeypatch):
    """argon2 with small parameters: the hashes still have to survive the round trip and verify."""
    monkeypatch.setattr(accounts, "HASHER", accounts.PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def fill(opened) -> dict:
    """Two datasets with a publish, a second version and a rollback; an account (and a failed login);
    a pinned view with a chart, a live view and a deck of both."""
    first = opened.publish("arrivals", ARRIVALS_2015, actor=ANNA, note="BAMF 2015", parent_version_id=None)
    second = opened.publish("arrivals", ARRIVALS_2016, actor=ANNA, note="BAMF 2016 „vorläufig“\nzweite Zeile",
                            parent_version_id=first.version_id)
    third = opened.rollback("arrivals", first.version_id, actor=ANNA, note="2016 war vorläufig",
                            parent_version_id=second.version_id)
    pilots = opened.publish("pilots", pd.DataFrame({"pilot_id": ["vietnam-2016"], "target": pd.array([100], "Int64")}),
                            actor=ANNA, note="Pilotprojekte", parent_version_id=None)
    accounts.add_user(opened, "anna", PASSWORD, email="anna@thueringen.example", display_name="Anna Muster")
    with pytest.raises(accounts.LoginFailed):
        accounts.authenticate(opened, "anna", "falsches-passwort", client_key="203.0.113.7")
    pinned = views.save_view(opened, actor=ANNA, title="Ankünfte 2016 (Stand Mai)", url_path="zuwanderung",
                             query={"period": ["2016"], "lang": ["Deutsch"]}, mode="pinned",
                             pinned_versions={"arrivals": second.version_id},
                             charts=[{"builder": "charts.migration.arrivals_over_time", "title": "Ankünfte",
                                      "params": {"lang": "de"}}])
    live = views.save_view(opened, actor=ANNA, title="Überblick", url_path="ueberblick", query={})
    deck = views.create_deck(opened, actor=ANNA, title="Landtag 18.05.2016", view_ids=[pinned.view_id, live.view_id])
    return {"first": first, "second": second, "third": third, "pilots": pilots, "deck": deck}


def table_rows(opened) -> dict[str, list[dict]]:
    """Every row of every backed-up table, in primary-key order, with their values as the store returns them."""
    with opened.engine.connect() as connection:
        return {name: [row._asdict() for row in connection.execute(
                    select(table).order_by(*table.primary_key.columns))]
                for name, table in ((name, schema.metadata.tables[name]) for name in backup.TABLES)}


def login_attempt_count(opened) -> int:
    with opened.engine.connect() as connection:
        return len(connection.execute(select(schema.login_attempts)).all())


@pytest.fixture
def wipe(request, store_url):
    """wipe(opened) -> a Store on the same URL, now empty: the SQLite file deleted, or the database dropped."""
    def _wipe(opened) -> store.Store:
        opened.close()
        if store_url.startswith("sqlite"):
            path = Path(store_url.removeprefix("sqlite:///"))
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
        else:
            admin = request.getfixturevalue("postgresql_url")
            name = store_url.rsplit("/", 1)[1]
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
                connection.execute(f'CREATE DATABASE "{name}"')
        return store.connect(store_url)
    return _wipe


def test_every_table_of_the_schema_is_backed_up_or_skipped_on_purpose():
    assert backup.unhandled() == []
    assert set(backup.TABLES) | set(backup.SKIPPED_TABLES) == set(schema.metadata.tables)
    assert set(backup.SKIPPED_TABLES) == {"store_meta", "login_attempts"}

    grown = MetaData()
    for table in schema.metadata.tables.values():
        table.to_metadata(grown)
    Table("chart_cache", grown, Column("cache_id", Integer, primary_key=True))
    grown.tables["decks"].append_column(Column("weight", Float))
    problems = backup.unhandled(grown)
    assert any("chart_cache" in problem for problem in problems)
    assert any("decks.weight" in problem for problem in problems)


def test_a_table_the_backup_does_not_know_stops_backup_and_restore(opened, tmp_path, monkeypatch):
    fill(opened)
    monkeypatch.setattr(backup, "TABLES", tuple(name for name in backup.TABLES if name != "decks"))
    with pytest.raises(backup.BackupError, match="decks"):
        backup.backup(opened, tmp_path / "unvollständig.zip")
    assert not (tmp_path / "unvollständig.zip").exists()


def test_back_up_wipe_restore_gives_the_same_versions_views_and_accounts(opened, store_url, wipe, tmp_path):
    made = fill(opened)
    before = table_rows(opened)
    live_before = opened.live_versions()
    history_before = opened.history("arrivals")
    audit_before = opened.audit()
    deck_before = views.get_deck(opened, made["deck"].deck_id)
    assert login_attempt_count(opened) > 0

    manifest = backup.backup(opened, tmp_path / "sicherung.zip")
    assert manifest["format_version"] == backup.FORMAT_VERSION
    assert manifest["app_schema_version"] == schema.SCHEMA_VERSION
    assert {name: entry["rows"] for name, entry in manifest["tables"].items()} == \
        {name: len(rows) for name, rows in before.items()}
    assert manifest["live_versions"]["arrivals"] == {"version_id": made["third"].version_id, "number": 3,
                                                     "sha256": made["third"].sha256}
    assert "login_attempts" in manifest["skipped_tables"]

    restored = wipe(opened)
    try:
        assert restored.live_versions() == {}
        backup.restore(restored, tmp_path / "sicherung.zip")

        assert table_rows(restored) == before          # every row of every table, byte for byte
        assert restored.live_versions() == live_before
        assert restored.history("arrivals") == history_before
        pd.testing.assert_frame_equal(restored.audit(), audit_before)
        for version in history_before:
            assert restored.read_bytes("arrivals", version.version_id) == opened_bytes(before, version.version_id)
        pd.testing.assert_frame_equal(restored.read("arrivals"), ARRIVALS_2015)
        pd.testing.assert_frame_equal(restored.read("arrivals", made["second"].version_id), ARRIVALS_2016)
        assert views.get_deck(restored, made["deck"].deck_id) == deck_before
        assert accounts.authenticate(restored, "anna", PASSWORD, client_key="203.0.113.7") == ANNA
        assert login_attempt_count(restored) == 0          # skipped on purpose

        # ids generated after the restore come after the restored ones (PostgreSQL sequences advanced)
        newest = max(row["version_id"] for row in before["versions"])
        fourth = restored.publish("arrivals", ARRIVALS_2016, actor=ANNA, note="nach der Wiederherstellung",
                                  parent_version_id=made["third"].version_id)
        assert (fourth.version_id, fourth.number) == (newest + 1, 4)
        view = views.save_view(restored, actor=ANNA, title="Neu", url_path="ueberblick", query={})
        assert view.view_id == max(row["view_id"] for row in before["saved_views"]) + 1
        deck = views.create_deck(restored, actor=ANNA, title="Neu", view_ids=[view.view_id])
        assert deck.deck_id == made["deck"].deck_id + 1
        assert restored.audit().iloc[0]["action"] == "deck_create"
        assert len(restored.audit()) == len(audit_before) + 3
    finally:
        restored.close()


def opened_bytes(rows: dict, version_id: int) -> bytes:
    return next(bytes(row["parquet"]) for row in rows["version_contents"] if row["version_id"] == version_id)


def test_restore_into_a_store_with_data_is_refused_without_force_and_replaces_it_with_force(opened, tmp_path):
    made = fill(opened)
    before = table_rows(opened)
    backup.backup(opened, tmp_path / "sicherung.zip")
    later = opened.publish("arrivals", ARRIVALS_2016, actor=ANNA, note="danach",
                           parent_version_id=made["third"].version_id)
    views.save_view(opened, actor=ANNA, title="danach", url_path="ueberblick", query={})
    accounts.add_user(opened, "bernd", PASSWORD)
    changed = table_rows(opened)

    with pytest.raises(backup.RestoreRefused) as refused:
        backup.restore(opened, tmp_path / "sicherung.zip")
    assert "nicht leer" in refused.value.message_de and "--force" in refused.value.message_en
    assert table_rows(opened) == changed

    backup.restore(opened, tmp_path / "sicherung.zip", force=True)
    assert table_rows(opened) == before
    assert accounts.get_user(opened, "bernd") is None
    assert login_attempt_count(opened) == 0
    again = opened.publish("arrivals", ARRIVALS_2016, actor=ANNA, note="wieder",
                           parent_version_id=made["third"].version_id)
    assert again.number == 4 and again.version_id == later.version_id     # the wiped version's id, reused


def rewrite(source: Path, target: Path, *, drop: tuple[str, ...] = (), change=None) -> Path:
    """A copy of the backup as a valid zip, without the members in `drop`, each member's bytes passed through
    `change(name, content)` (None: unchanged)."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in original.infolist():
            if info.filename in drop:
                continue
            content = original.read(info.filename)
            copy.writestr(info.filename, change(info.filename, content) if change else content)
    return target


def flip_byte_inside(source: Path, target: Path, member: str) -> Path:
    """A copy of the file with one byte flipped in the middle of a member's stored data (the zip's CRC breaks)."""
    with zipfile.ZipFile(source) as archive:
        info = archive.getinfo(member)
    data = bytearray(source.read_bytes())
    name_length = int.from_bytes(data[info.header_offset + 26:info.header_offset + 28], "little")
    extra_length = int.from_bytes(data[info.header_offset + 28:info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_length + extra_length
    data[start + info.compress_size // 2] ^= 0x01
    target.write_bytes(bytes(data))
    return target


def edited_manifest(**changes):
    def change(name: str, content: bytes) -> bytes:
        if name != backup.MANIFEST:
            return content
        manifest = json.loads(content)
        for key, value in changes.items():
            if value is None:
                manifest["tables"].pop(key)
            else:
                manifest[key] = value
        return json.dumps(manifest).encode()
    return change


def changed_blob(name: str, content: bytes) -> bytes:
    if not name.startswith("blobs/"):
        return content
    damaged = bytearray(content)
    damaged[len(damaged) // 2] ^= 0x01
    return bytes(damaged)


def changed_author(name: str, content: bytes) -> bytes:
    return content.replace(b'"author":"anna"', b'"author":"mallory"', 1) if name == "tables/versions.jsonl" else content


def test_a_damaged_or_foreign_backup_is_refused_with_a_clear_message_and_the_target_is_untouched(opened, tmp_path):
    fill(opened)
    good = tmp_path / "sicherung.zip"
    backup.backup(opened, good)
    blob = next(name for name in zipfile.ZipFile(good).namelist() if name.startswith("blobs/"))
    damaged = {
        "flipped byte in a version's content": (flip_byte_inside(good, tmp_path / "crc.zip", blob), "beschädigt"),
        "flipped byte in a table": (flip_byte_inside(good, tmp_path / "crc2.zip", "tables/audit.jsonl"), "beschädigt"),
        "content changed, zip valid": (rewrite(good, tmp_path / "blob.zip", change=changed_blob), "sha256"),
        "row changed, zip valid": (rewrite(good, tmp_path / "row.zip", change=changed_author), "sha256"),
        "table missing": (rewrite(good, tmp_path / "missing.zip", drop=("tables/users.jsonl",),
                                  change=edited_manifest(users=None)), "fehlen: users"),
        "table file missing": (rewrite(good, tmp_path / "nofile.zip", drop=("tables/decks.jsonl",)), "decks"),
        "wrong manifest version": (rewrite(good, tmp_path / "v2.zip", change=edited_manifest(format_version=2)),
                                   "Format-Version 2"),
        "newer schema": (rewrite(good, tmp_path / "schema.zip", change=edited_manifest(app_schema_version=99)),
                         "Schema-Version 99"),
        "no manifest": (rewrite(good, tmp_path / "nomanifest.zip", drop=(backup.MANIFEST,)), "manifest.json fehlt"),
        "truncated": (tmp_path / "half.zip", "beschädigt"),
        "not a zip": (tmp_path / "text.zip", "beschädigt"),
    }
    (tmp_path / "half.zip").write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    (tmp_path / "text.zip").write_text("region_code;value\n16;1\n", encoding="utf-8")
    before = table_rows(opened)

    for case, (path, expected) in damaged.items():
        with pytest.raises(backup.BackupError) as caught:
            backup.restore(opened, path, force=True)       # force: the wipe is part of what must be undone
        assert expected in caught.value.message_de, (case, caught.value.message_de)
        assert path.name in caught.value.message_en and "\n" not in caught.value.message_en, case
        assert table_rows(opened) == before, case

    backup.restore(opened, good, force=True)              # the good file still restores
    assert table_rows(opened) == before


def test_a_damaged_backup_leaves_an_empty_target_empty(opened, wipe, tmp_path):
    fill(opened)
    good = tmp_path / "sicherung.zip"
    backup.backup(opened, good)
    blob = sorted(name for name in zipfile.ZipFile(good).namelist() if name.startswith("blobs/"))[-1]
    bad = rewrite(good, tmp_path / "blob.zip", change=lambda name, content: changed_blob(name, content)
                  if name == blob else content)
    empty = wipe(opened)
    try:
        with pytest.raises(backup.BackupError, match="sha256"):
            backup.restore(empty, bad)
        assert all(rows == [] for rows in table_rows(empty).values())
        backup.restore(empty, good)        # not refused as "not empty": nothing of the failed attempt stayed
        assert len(table_rows(empty)["versions"]) == 4
    finally:
        empty.close()


def test_the_backup_is_one_consistent_snapshot_while_someone_publishes(opened, store_url, tmp_path, monkeypatch):
    made = fill(opened)
    before = table_rows(opened)
    publisher = store.connect(store_url)
    write_table = backup._write_table

    def write_table_while_anna_publishes(connection, archive, table):
        written = write_table(connection, archive, table)
        if table.name == "versions":      # between the version rows and their contents and audit rows
            publisher.publish("arrivals", ARRIVALS_2016, actor=ANNA, note="während der Sicherung",
                              parent_version_id=made["third"].version_id)
            views.save_view(publisher, actor=ANNA, title="während", url_path="ueberblick", query={})
        return written

    monkeypatch.setattr(backup, "_write_table", write_table_while_anna_publishes)
    try:
        manifest = backup.backup(opened, tmp_path / "sicherung.zip")
    finally:
        publisher.close()
    assert {name: entry["rows"] for name, entry in manifest["tables"].items()} == \
        {name: len(rows) for name, rows in before.items()}
    assert len(table_rows(opened)["versions"]) == len(before["versions"]) + 1      # the publish did happen

    opened.close()
    target = store.connect(f"sqlite:///{tmp_path / 'ziel.sqlite3'}")
    try:
        backup.restore(target, tmp_path / "sicherung.zip")
        assert table_rows(target) == before
    finally:
        target.close()


def test_an_sqlite_store_moves_to_postgresql(tmp_path, postgresql_database_url):
    source = store.connect(f"sqlite:///{tmp_path / 'dashboard.sqlite3'}")
    try:
        made = fill(source)
        before = table_rows(source)
        backup.backup(source, tmp_path / "umzug.zip")
    finally:
        source.close()

    target = store.connect(postgresql_database_url)
    try:
        assert backup.read_manifest(tmp_path / "umzug.zip")["source_database"] == "sqlite"
        backup.restore(target, tmp_path / "umzug.zip")
        assert table_rows(target) == before
        assert accounts.authenticate(target, "anna", PASSWORD, client_key="198.51.100.1") == ANNA
        newer = target.publish("pilots", pd.DataFrame({"pilot_id": ["mexiko-2024"]}), actor=ANNA, note="neu",
                               parent_version_id=made["pilots"].version_id)
        assert newer.version_id == max(row["version_id"] for row in before["versions"]) + 1

        # and back: the PostgreSQL store's backup restores into SQLite with the same rows
        backup.backup(target, tmp_path / "zurück.zip")
        after = table_rows(target)
    finally:
        target.close()
    back = store.connect(f"sqlite:///{tmp_path / 'zurück.sqlite3'}")
    try:
        backup.restore(back, tmp_path / "zurück.zip")
        assert table_rows(back) == after
    finally:
        back.close()


def run_cli(*arguments: str, env: dict) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    if "DATABASE_URL" not in env:
        environment.pop("DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "store", *arguments], capture_output=True, text=True, cwd=ROOT,
                          env=environment, timeout=300, start_new_session=True)


def assert_one_line_failure(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Fehler: ") and "| Error: " in lines[0], result.stderr
    return lines[0]


def test_cli_backs_up_the_app_state_and_restores_it_into_postgresql(app_state_dir, postgresql_database_url,
                                                                      tmp_path):
    sqlite_env = {"DASHBOARD_STATE_DIR": str(app_state_dir)}
    postgres_env = {"DATABASE_URL": postgresql_database_url, "DASHBOARD_STATE_DIR": str(tmp_path / "unused")}
    opened = store.connect(state_dir=app_state_dir)
    try:
        accounts.add_user(opened, "anna", PASSWORD)
        first = opened.live_version("sources")
        opened.publish("sources", opened.read("sources").iloc[:3], actor=ANNA, note="nur drei",
                       parent_version_id=first.version_id)
    finally:
        opened.close()
    file = tmp_path / "sicherung.zip"

    saved = run_cli("backup", str(file), env=sqlite_env)
    assert saved.returncode == 0, saved.stderr
    assert "Sicherung geschrieben" in saved.stdout and "Backup written" in saved.stdout and "accounts: 1" in saved.stdout

    restored = run_cli("restore", str(file), env=postgres_env)
    assert restored.returncode == 0, restored.stderr
    assert "every checksum matches" in restored.stdout
    histories = {dataset: run_cli("history", dataset, env=sqlite_env).stdout for dataset in ("sources", "indicators")}
    for dataset, shown in histories.items():
        assert run_cli("history", dataset, env=postgres_env).stdout == shown

    refused = assert_one_line_failure(run_cli("restore", str(file), env=postgres_env))
    assert "nicht leer" in refused and "--force" in refused
    assert run_cli("restore", str(file), "--force", env=postgres_env).returncode == 0

    damaged = flip_byte_inside(file, tmp_path / "kaputt.zip", "tables/versions.jsonl")
    assert "kaputt.zip" in assert_one_line_failure(run_cli("restore", str(damaged), "--force", env=postgres_env))
    assert run_cli("history", "sources", env=postgres_env).stdout == histories["sources"]

    target = store.connect(postgresql_database_url)
    try:
        assert accounts.authenticate(target, "anna", PASSWORD, client_key="cli") == ANNA
        assert target.live_version("sources").number == 2
    finally:
        target.close()
    shown = run_cli("--help", env=sqlite_env).stdout
    assert "backup" in shown and "restore" in shown
