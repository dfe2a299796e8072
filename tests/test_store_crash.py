"""A publisher killed with SIGKILL in the middle of its transaction leaves the previous version live and intact."""
from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import func, select, text

import store
from store import schema

ROOT = Path(__file__).resolve().parent.parent
ANNA = store.Actor("anna", "analyst")

#: The child builds a big frame, starts publishing it and stops inside the transaction at `pause_at`,
#: says "paused" on stdout and waits on stdin — where the parent kills it.
CHILD = r"""
import sys
import numpy as np
import pandas as pd
from sqlalchemy import event
import store

url, pause_at, parent = sys.argv[1], sys.argv[2], int(sys.argv[3])
opened = store.connect(url)
rows = 400_000
random = np.random.default_rng(7)
frame = pd.DataFrame({
    "region_code": pd.array([f"{16051000 + i % 5000:08d}" for i in range(rows)], dtype="str"),
    "period": pd.array([f"{2000 + i % 25}" for i in range(rows)], dtype="str"),
    "value": random.normal(1000, 300, rows),
})

def pause():
    print("paused", flush=True)
    sys.stdin.readline()
    sys.exit("the parent should have killed this process")

def after_execute(connection, cursor, statement, parameters, context, executemany):
    if pause_at == "after_content_insert" and statement.startswith("INSERT INTO version_contents"):
        pause()

def before_commit(connection):
    if pause_at == "before_commit":
        pause()

event.listen(opened.engine, "after_cursor_execute", after_execute)
event.listen(opened.engine, "commit", before_commit)
opened.publish("indicators", frame, actor=store.Actor("crashing", "analyst"), note="never committed",
               parent_version_id=parent)
print("committed", flush=True)
"""


def previous_frame() -> pd.DataFrame:
    return pd.DataFrame({"region_code": pd.array(["16", "16051", None], dtype="str"),
                         "value": [2_152_000.0, np.nan, 213_227.0]})


def counts(opened: store.Store) -> dict[str, int]:
    with opened.engine.connect() as connection:
        return {table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
                for table in (schema.versions, schema.contents, schema.audit)}


def kill_publisher_inside_its_transaction(url: str, pause_at: str, parent_version_id: int) -> None:
    child = subprocess.Popen([sys.executable, "-c", CHILD, url, pause_at, str(parent_version_id)], cwd=ROOT,
                             env={**os.environ, "PYTHONPATH": str(ROOT)}, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        said = child.stdout.readline().strip()
        assert said == "paused", f"child said {said!r}: {child.stderr.read()}"
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


@pytest.mark.parametrize("pause_at", ["after_content_insert", "before_commit"])
def test_killed_publisher_leaves_previous_version_live_and_no_half_version(store_url, pause_at):
    setup = store.connect(store_url)
    previous = setup.publish("indicators", previous_frame(), actor=ANNA, note="v1", parent_version_id=None)
    before = counts(setup)
    setup.close()

    kill_publisher_inside_its_transaction(store_url, pause_at, previous.version_id)

    reopened = store.connect(store_url)
    try:
        assert reopened.live_version("indicators") == previous
        assert reopened.history("indicators") == [previous]
        content = reopened.read_bytes("indicators")
        assert reopened.read_bytes("indicators", previous.version_id) == content
        assert hashlib.sha256(content).hexdigest() == previous.sha256
        pd.testing.assert_frame_equal(reopened.read("indicators"), previous_frame())
        assert counts(reopened) == before
        assert "crashing" not in reopened.audit()["who"].tolist()
        if reopened.engine.dialect.name == "sqlite":
            with reopened.engine.connect() as connection:
                assert connection.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
        after_crash = reopened.publish("indicators", previous_frame().head(2), actor=ANNA, note="after the crash",
                                       parent_version_id=previous.version_id)
        assert after_crash.number == 2 and reopened.live_version("indicators") == after_crash
    finally:
        reopened.close()
