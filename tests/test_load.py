"""Load (issue 6): 20 concurrent headless-Chromium sessions browse while an analyst publishes.

Runs the core of scripts/load_test.py against a freshly started server (SQLite store in a temp folder): a
warm-up, a short single-session baseline, then 20 sessions (browser contexts of one Chromium) for
LOAD_SECONDS while `python -m store import` publishes a new `indicators` version every PUBLISH_EVERY
seconds. Asserted: zero errors of any kind (exception on screen, console error, page error, WebSocket
disconnect, step timeout, failed action or publish — see the script's docstring), both publishes went
live, every session completed MIN_INTERACTIONS steps, and every session shows the last published version
of `indicators` (the Explorer caption's "Version n") afterwards. Latencies are printed (`pytest -s`) and
written to the test's tmp folder as load.json, never asserted (timings are not a pass/fail criterion).
"""
from __future__ import annotations

import json
import shutil

import pytest

import store
from scripts.load_test import Config, markdown, run, server_timing_environment
from tests.browser import streamlit_server

SESSIONS = 20
LOAD_SECONDS = 16
BASELINE_SECONDS = 8
PUBLISH_EVERY = 6           # publishes start at 6 s and 12 s of the load phase; browsing goes on until both are live
MIN_INTERACTIONS = 2        # per session: a slower session browses on past LOAD_SECONDS until it has them


@pytest.mark.timeout(600)
def test_twenty_sessions_browse_while_an_analyst_publishes(tmp_path, bundled_state_dir, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    state_dir = tmp_path / "state"
    shutil.copytree(bundled_state_dir, state_dir)
    environment, timing = server_timing_environment(tmp_path / "hook")
    with streamlit_server(state_dir, env=environment) as url:
        config = Config(urls=[url], sessions=SESSIONS, duration=LOAD_SECONDS, baseline_duration=BASELINE_SECONDS,
                        publish_every=PUBLISH_EVERY, think=1.0, timeout=90.0, min_interactions=MIN_INTERACTIONS,
                        state_dir=str(state_dir), server_timing=str(timing))
        result = run(config)
    (tmp_path / "load.json").write_text(json.dumps(result, indent=1, ensure_ascii=False, default=str))
    print("\n" + markdown(result) + f"\n(JSON: {tmp_path / 'load.json'})")

    load = result["phases"]["load"]
    errors = result["warmup_errors"] + [error for phase in result["phases"].values() for error in phase["errors"]]
    assert result["error_count"] == 0, json.dumps(errors[:10], ensure_ascii=False, indent=1)
    assert len(load["per_session"]) == SESSIONS
    published = [record for record in load["publishes"] if record["ok"]]
    assert len(published) >= 2, load["publishes"]
    assert load["expected_final_version"] == max(record["version"] for record in published)
    opened = store.connect(state_dir=state_dir)
    try:
        assert opened.live_version("indicators").number == load["expected_final_version"]
    finally:
        opened.close()
    slow = [s for s in load["per_session"] if s["interactions"] < MIN_INTERACTIONS]
    assert not slow, f"sessions with fewer than {MIN_INTERACTIONS} interactions: {slow}"
    stale = [s for s in load["per_session"] if s["final_version"] != load["expected_final_version"]]
    assert not stale, f"sessions that did not show version {load['expected_final_version']} at the end: {stale}"
