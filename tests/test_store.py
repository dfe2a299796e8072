"""The store keeps every version, on SQLite and on PostgreSQL: publish, conflicts, rollback, roles, bootstrap."""
from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import func, select, text

import store
from store import db, schema

ROOT = Path(__file__).resolve().parent.parent
ANNA = store.Actor("anna", "analyst")
BERND = store.Actor("bernd", "analyst")
VIEWER = store.Actor("vera", "viewer")


def arrivals_frame(rows: int = 5, offset: int = 0) -> pd.DataFrame:
    """A small frame with the dtypes the datasets use: text with NA and umlauts, float with NA, ints."""
    names = ["Thüringen", "Gößnitz", None, "Weißensee", "Sömmerda"]
    return pd.DataFrame({
        "region_name": pd.array([names[i % len(names)] for i in range(rows)], dtype="str"),
        "region_code": pd.array([f"{16051 + i}" for i in range(rows)], dtype="str"),
        "value": [np.nan if i % 3 == 1 else 1000.5 * (i + offset) for i in range(rows)],
        "persons": pd.array([None if i == 2 else i + offset for i in range(rows)], dtype="Int64"),
        "year": np.arange(2015, 2015 + rows, dtype="int64"),
        "is_estimate": pd.array([i % 2 == 0 for i in range(rows)], dtype="bool"),
        "published": pd.to_datetime([f"2024-0{1 + i % 9}-15" for i in range(rows)]).tz_localize("UTC"),
    })


def table_count(opened: store.Store, table) -> int:
    with opened.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


def child_environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}




def test_published_frame_reads_back_equal_with_dtypes_na_and_umlauts(opened):
    frame = arrivals_frame()
    version = opened.publish("indicators", frame, actor=ANNA, note="Erstimport", parent_version_id=None)

    assert version.number == 1 and version.rows == 5 and version.kind == "publish" and version.is_live
    pd.testing.assert_frame_equal(opened.read("indicators"), frame)
    pd.testing.assert_frame_equal(opened.read("indicators", version.version_id), frame)
    assert opened.read("indicators")["region_name"].tolist()[:2] == ["Thüringen", "Gößnitz"]


def test_history_is_newest_first_and_only_the_newest_is_live(opened):
    first = opened.publish("indicators", arrivals_frame(3), actor=ANNA, note="v1", parent_version_id=None)
    second = opened.publish("indicators", arrivals_frame(4), actor=BERND, note="v2",
                            parent_version_id=first.version_id)
    third = opened.publish("indicators", arrivals_frame(5), actor=ANNA, note="v3",
                           parent_version_id=second.version_id)
    opened.publish("projections", arrivals_frame(2), actor=ANNA, note="other", parent_version_id=None)

    history = opened.history("indicators")
    assert [v.number for v in history] == [3, 2, 1]
    assert [v.is_live for v in history] == [True, False, False]
    assert [v.parent_version_id for v in history] == [second.version_id, first.version_id, None]
    assert [v.author for v in history] == ["anna", "bernd", "anna"]
    assert first.version_id < second.version_id < third.version_id
    assert history[0].created_at.tzinfo is not None and history[0].created_at.utcoffset().total_seconds() == 0
    assert opened.live_version("indicators") == history[0]
    assert opened.live_versions() == {"indicators": history[0], "projections": opened.history("projections")[0]}
    assert opened.datasets() == ["indicators", "projections"]
    assert opened.live_version("never_published") is None


def test_sha256_is_the_hash_of_the_stored_parquet_bytes_and_identical_frames_give_identical_bytes(opened):
    first = opened.publish("indicators", arrivals_frame(), actor=ANNA, note="", parent_version_id=None)
    again = opened.publish("indicators", arrivals_frame(), actor=ANNA, note="same content",
                           parent_version_id=first.version_id)

    content = opened.read_bytes("indicators", first.version_id)
    assert content[:4] == b"PAR1"
    assert hashlib.sha256(content).hexdigest() == first.sha256 == again.sha256
    assert opened.read_bytes("indicators", again.version_id) == content


def test_audit_says_who_did_what_when_and_why(opened):
    first = opened.publish("indicators", arrivals_frame(3), actor=ANNA, note="Erstimport", parent_version_id=None)
    second = opened.publish("indicators", arrivals_frame(4), actor=BERND, note="Korrektur Gößnitz",
                            parent_version_id=first.version_id)
    opened.publish("projections", arrivals_frame(2), actor=ANNA, note="Studie 2024", parent_version_id=None)

    audit = opened.audit("indicators")
    assert list(audit.columns) == store.AUDIT_COLUMNS
    assert audit["who"].tolist() == ["bernd", "anna"]
    assert audit["action"].tolist() == ["publish", "publish"]
    assert audit["version_id"].tolist() == [second.version_id, first.version_id]
    assert audit["rows"].tolist() == [4, 3]
    assert audit["sha256"].tolist() == [second.sha256, first.sha256]
    assert audit["note"].tolist() == ["Korrektur Gößnitz", "Erstimport"]
    assert str(audit["when"].dtype) == "datetime64[us, UTC]"
    assert audit["when"].iloc[0] == pd.Timestamp(second.created_at)
    assert len(opened.audit()) == 3


def test_second_analyst_from_a_stale_parent_gets_a_conflict_and_nothing_of_theirs_is_stored(opened):
    base = opened.publish("indicators", arrivals_frame(3), actor=ANNA, note="v1", parent_version_id=None)
    annas = opened.publish("indicators", arrivals_frame(4), actor=ANNA, note="Anna",
                           parent_version_id=base.version_id)
    versions_before, audit_before = table_count(opened, schema.versions), table_count(opened, schema.audit)

    with pytest.raises(store.PublishConflict) as conflict:
        opened.publish("indicators", arrivals_frame(9), actor=BERND, note="Bernd", parent_version_id=base.version_id)

    assert "von anna als Version 2 veröffentlicht" in conflict.value.message("de")
    assert "nicht übernommen" in conflict.value.message("de")
    assert "published by anna as version 2" in conflict.value.message("en")
    assert conflict.value.live == annas
    assert opened.live_version("indicators") == annas
    pd.testing.assert_frame_equal(opened.read("indicators"), arrivals_frame(4))
    assert table_count(opened, schema.versions) == versions_before
    assert table_count(opened, schema.contents) == versions_before
    assert table_count(opened, schema.audit) == audit_before


def test_parent_none_is_a_conflict_once_the_dataset_has_a_version(opened):
    first = opened.publish("indicators", arrivals_frame(), actor=ANNA, note="", parent_version_id=None)
    with pytest.raises(store.PublishConflict):
        opened.publish("indicators", arrivals_frame(2), actor=BERND, note="", parent_version_id=None)
    assert [v.version_id for v in opened.history("indicators")] == [first.version_id]


def test_unknown_names_and_ids_raise_store_errors_with_both_languages(opened):
    first = opened.publish("indicators", arrivals_frame(), actor=ANNA, note="", parent_version_id=None)
    other = opened.publish("projections", arrivals_frame(), actor=ANNA, note="", parent_version_id=None)

    with pytest.raises(store.UnknownDataset) as unknown:
        opened.read("nope")
    assert "nope" in unknown.value.message("de") and "nope" in unknown.value.message("en")
    with pytest.raises(store.UnknownDataset):
        opened.history("nope")
    with pytest.raises(store.UnknownVersion):
        opened.read("indicators", other.version_id)
    with pytest.raises(store.UnknownVersion):
        opened.publish("indicators", arrivals_frame(), actor=ANNA, note="", parent_version_id=first.version_id + 99)
    with pytest.raises(store.UnknownVersion):
        opened.rollback("indicators", other.version_id, actor=ANNA, note="", parent_version_id=first.version_id)
    assert issubclass(store.UnknownVersion, store.StoreError)


def test_concurrent_publishers_in_threads_with_the_same_parent_exactly_one_wins(opened):
    base = opened.publish("indicators", arrivals_frame(), actor=ANNA, note="base", parent_version_id=None)
    writers = 8
    barrier = threading.Barrier(writers)
    outcomes: list[object] = [None] * writers

    def publish(index: int) -> None:
        barrier.wait(timeout=30)
        try:
            outcomes[index] = opened.publish("indicators", arrivals_frame(3, offset=index),
                                             actor=store.Actor(f"analyst{index}", "analyst"),
                                             note=f"thread {index}", parent_version_id=base.version_id)
        except store.StoreError as err:
            outcomes[index] = err

    threads = [threading.Thread(target=publish, args=(index,)) for index in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    winners = [o for o in outcomes if isinstance(o, store.VersionInfo)]
    assert len(winners) == 1, outcomes
    assert all(isinstance(o, store.PublishConflict) for o in outcomes if o is not winners[0])
    assert opened.live_version("indicators") == winners[0]
    assert [v.number for v in opened.history("indicators")] == [2, 1]
    winner_index = int(winners[0].author.removeprefix("analyst"))
    pd.testing.assert_frame_equal(opened.read("indicators"), arrivals_frame(3, offset=winner_index))


CHILD = r"""
import sys
import pandas as pd
import store

url, mode, name = sys.argv[1:4]
opened = store.connect(url)
frame = pd.DataFrame({"writer": [name], "value": [1.5]})
print("ready", flush=True)
sys.stdin.readline()
try:
    if mode == "publish":
        opened.publish("indicators", frame, actor=store.Actor(name, "analyst"), note=name,
                       parent_version_id=int(sys.argv[4]))
        print("won", flush=True)
    else:
        created = opened.bootstrap({"indicators": frame, "sources": frame}, note=name)
        print(f"created {len(created)}", flush=True)
except store.PublishConflict:
    print("conflict", flush=True)
"""


def run_children_at_once(arguments: list[list[str]]) -> list[str]:
    """Start one python per argument list, wait until all are connected, release them together."""
    children = [subprocess.Popen([sys.executable, "-c", CHILD, *args], cwd=ROOT, env=child_environment(),
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for args in arguments]
    try:
        for child in children:
            assert child.stdout.readline().strip() == "ready", child.stderr.read()
        for child in children:
            child.stdin.write("go\n")
            child.stdin.flush()
        results = []
        for child in children:
            out, err = child.communicate(timeout=60)
            assert child.returncode == 0, err
            results.append(out.strip())
        return results
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()


def test_concurrent_publishers_in_processes_with_the_same_parent_exactly_one_wins(opened, store_url):
    base = opened.publish("indicators", arrivals_frame(), actor=ANNA, note="base", parent_version_id=None)

    results = run_children_at_once([[store_url, "publish", f"process{i}", str(base.version_id)] for i in range(3)])

    assert sorted(results) == ["conflict", "conflict", "won"]
    live = opened.live_version("indicators")
    assert live.number == 2 and live.parent_version_id == base.version_id
    assert live.author == f"process{results.index('won')}"
    assert len(opened.history("indicators")) == 2


def test_rollback_publishes_the_old_content_as_a_new_live_version(opened):
    first = opened.publish("indicators", arrivals_frame(3), actor=ANNA, note="v1", parent_version_id=None)
    second = opened.publish("indicators", arrivals_frame(5), actor=ANNA, note="v2 (falsch)",
                            parent_version_id=first.version_id)

    restored = opened.rollback("indicators", first.version_id, actor=BERND, note="v2 war fehlerhaft",
                               parent_version_id=second.version_id)

    assert restored.kind == "rollback" and restored.rolled_back_from == first.version_id
    assert restored.number == 3 and restored.version_id > second.version_id
    assert restored.sha256 == first.sha256 and restored.rows == 3
    assert restored.parent_version_id == second.version_id and restored.author == "bernd"
    assert [(v.number, v.kind, v.is_live) for v in opened.history("indicators")] == [
        (3, "rollback", True), (2, "publish", False), (1, "publish", False)]
    pd.testing.assert_frame_equal(opened.read("indicators"), arrivals_frame(3))
    pd.testing.assert_frame_equal(opened.read("indicators", second.version_id), arrivals_frame(5))
    assert opened.audit("indicators")["action"].tolist() == ["rollback", "publish", "publish"]
    with pytest.raises(store.PublishConflict):
        opened.rollback("indicators", second.version_id, actor=ANNA, note="", parent_version_id=second.version_id)


def test_viewer_cannot_publish_or_roll_back_and_nothing_is_written(opened):
    first = opened.publish("indicators", arrivals_frame(), actor=ANNA, note="", parent_version_id=None)
    counts = [table_count(opened, table) for table in (schema.datasets, schema.versions, schema.audit)]

    with pytest.raises(store.PermissionDenied) as denied:
        opened.publish("indicators", arrivals_frame(2), actor=VIEWER, note="", parent_version_id=first.version_id)
    assert "viewer" in denied.value.message("de") and "analyst" in denied.value.message("en")
    with pytest.raises(store.PermissionDenied):
        opened.publish("new_dataset", arrivals_frame(2), actor=VIEWER, note="", parent_version_id=None)
    with pytest.raises(store.PermissionDenied):
        opened.rollback("indicators", first.version_id, actor=VIEWER, note="", parent_version_id=first.version_id)

    assert [table_count(opened, table) for table in (schema.datasets, schema.versions, schema.audit)] == counts
    assert opened.live_version("indicators") == first


def test_bootstrap_creates_version_one_once_and_leaves_published_datasets_alone(opened):
    published = opened.publish("sources", arrivals_frame(2), actor=ANNA, note="", parent_version_id=None)
    frames = {"indicators": arrivals_frame(5), "sources": arrivals_frame(3)}

    created = opened.bootstrap(frames, note="Gebündelte Daten")
    again = opened.bootstrap(frames, note="Gebündelte Daten")

    assert [(v.dataset, v.number, v.author, v.kind) for v in created] == [("indicators", 1, "system", "bootstrap")]
    assert again == []
    assert len(opened.history("indicators")) == 1
    assert opened.live_version("sources") == published
    assert opened.audit("indicators")["action"].tolist() == ["bootstrap"]
    pd.testing.assert_frame_equal(opened.read("indicators"), arrivals_frame(5))


def test_concurrent_bootstrap_from_two_processes_creates_one_version_each(opened, store_url):
    results = run_children_at_once([[store_url, "bootstrap", f"process{i}"] for i in range(2)])

    assert sum(int(result.split()[1]) for result in results) == 2, results
    assert {name: len(opened.history(name)) for name in ("indicators", "sources")} == {"indicators": 1, "sources": 1}
    assert set(opened.live_versions()) == {"indicators", "sources"}


def test_everything_is_still_there_after_close_and_reconnect(store_url):
    first_store = store.connect(store_url)
    first = first_store.publish("indicators", arrivals_frame(3), actor=ANNA, note="v1", parent_version_id=None)
    second = first_store.publish("indicators", arrivals_frame(4), actor=BERND, note="v2",
                                 parent_version_id=first.version_id)
    history, audit = first_store.history("indicators"), first_store.audit()
    first_store.close()

    reopened = store.connect(store_url)
    try:
        assert reopened.history("indicators") == history
        pd.testing.assert_frame_equal(reopened.audit(), audit)
        assert reopened.live_version("indicators") == second
        pd.testing.assert_frame_equal(reopened.read("indicators"), arrivals_frame(4))
        assert db.schema_version(reopened.engine) == schema.SCHEMA_VERSION
        third = reopened.publish("indicators", arrivals_frame(5), actor=ANNA, note="v3",
                                 parent_version_id=second.version_id)
        assert third.number == 3 and third.version_id > second.version_id
    finally:
        reopened.close()


def test_a_fresh_store_is_empty_and_answers_ping(opened):
    assert opened.ping() is True
    assert opened.datasets() == [] and opened.live_versions() == {}
    assert opened.audit().empty and list(opened.audit().columns) == store.AUDIT_COLUMNS


def test_a_state_folder_that_cannot_be_created_raises_store_unavailable(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("a file where the state folder should be")

    with pytest.raises(store.StoreUnavailable) as unavailable:
        store.connect(state_dir=blocker / "state")
    assert str(blocker / "state") in unavailable.value.message("en")


def test_default_location_is_a_sqlite_file_in_the_state_folder_with_wal_and_foreign_keys(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("DASHBOARD_STATE_DIR", str(tmp_path / "from_env"))
    from_env = store.connect()
    explicit = store.connect(state_dir=tmp_path / "explicit" / "nested")
    try:
        assert (tmp_path / "from_env" / "dashboard.sqlite3").exists()
        assert (tmp_path / "explicit" / "nested" / "dashboard.sqlite3").exists()
        with explicit.engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
            assert connection.execute(text("PRAGMA busy_timeout")).scalar_one() > 0
    finally:
        from_env.close()
        explicit.close()


def test_database_url_from_the_environment_wins_and_postgresql_urls_use_psycopg_3(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite3'}")
    from_env = store.connect(state_dir=tmp_path / "unused")
    from_env.close()
    assert (tmp_path / "env.sqlite3").exists() and not (tmp_path / "unused").exists()
    resolved = db.resolve_url("postgresql://dashboard:secret@db.example:5432/fachkraefte", None)
    assert resolved.drivername == "postgresql+psycopg" and resolved.database == "fachkraefte"


def test_a_closed_postgres_port_raises_store_unavailable_with_a_clear_message():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]

    with pytest.raises(store.StoreUnavailable) as unavailable:
        store.connect(f"postgresql://dashboard:geheim@127.0.0.1:{closed_port}/dashboard")

    german, english = unavailable.value.message("de"), unavailable.value.message("en")
    assert german.startswith("Die Datenbank ist nicht erreichbar")
    assert english.startswith("The database cannot be reached")
    assert str(closed_port) in english and "geheim" not in german + english
    assert "Traceback" not in english and "\n" not in english
