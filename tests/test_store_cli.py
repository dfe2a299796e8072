"""`python -m store` as an operator runs it: accounts, batch import with the upload validation, history, rollback."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import store
from store import accounts

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Erfurt-Domplatz-2016"


def run_cli(*arguments: str, state_dir: Path, stdin: str = "") -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "DASHBOARD_STATE_DIR": str(state_dir)}
    environment.pop("DATABASE_URL", None)
    # NOTE: a new session has no controlling terminal, so getpass falls back to reading stdin.
    return subprocess.run([sys.executable, "-m", "store", *arguments], input=stdin, capture_output=True,
                          text=True, cwd=ROOT, env=environment, timeout=120, start_new_session=True)


def assert_one_line_failure(result: subprocess.CompletedProcess, code: int = 1) -> str:
    assert result.returncode == code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Fehler: ") and "| Error: " in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def add_analyst(state_dir: Path, username: str = "anna") -> None:
    result = run_cli("users", "add", username, "--password-stdin", state_dir=state_dir, stdin=PASSWORD + "\n")
    assert result.returncode == 0, result.stderr


def open_store(state_dir: Path) -> store.Store:
    return store.connect(state_dir=state_dir)


def test_help_lists_every_command(tmp_path):
    result = run_cli("--help", state_dir=tmp_path)
    assert result.returncode == 0
    for command in ("users", "import", "history", "rollback"):
        assert command in result.stdout
    assert "set-password" in run_cli("users", "--help", state_dir=tmp_path).stdout


def test_users_add_list_disable_and_set_password(tmp_path):
    added = run_cli("users", "add", "Anna", "--email", "anna@thueringen.example", "--name", "Anna Analyst",
                    "--password-stdin", state_dir=tmp_path, stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    assert "anna" in added.stdout and "analyst" in added.stdout

    listed = run_cli("users", "list", state_dir=tmp_path)
    assert listed.returncode == 0
    assert "anna" in listed.stdout and "anna@thueringen.example" in listed.stdout and "active" in listed.stdout
    assert "argon2" not in listed.stdout and PASSWORD not in listed.stdout

    opened = open_store(tmp_path)
    try:
        assert accounts.authenticate(opened, "anna", PASSWORD, client_key="cli-test").name == "anna"
        changed = run_cli("users", "set-password", "anna", "--password-stdin", state_dir=tmp_path,
                          stdin="Neues-Passwort-2026\n")
        assert changed.returncode == 0, changed.stderr
        assert accounts.authenticate(opened, "anna", "Neues-Passwort-2026", client_key="cli-test").name == "anna"

        assert run_cli("users", "disable", "anna", state_dir=tmp_path).returncode == 0
        assert "disabled" in run_cli("users", "list", state_dir=tmp_path).stdout
        with pytest.raises(accounts.LoginFailed):
            accounts.authenticate(opened, "anna", "Neues-Passwort-2026", client_key="cli-test")
    finally:
        opened.close()


def test_users_add_refuses_short_passwords_duplicates_and_mismatched_prompts(tmp_path):
    line = assert_one_line_failure(run_cli("users", "add", "bernd", "--password-stdin", state_dir=tmp_path,
                                           stdin="zu-kurz\n"))
    assert "mindestens 12 Zeichen" in line and "at least 12 characters" in line

    add_analyst(tmp_path, "bernd")
    assert "gibt es schon" in assert_one_line_failure(
        run_cli("users", "add", "Bernd", "--password-stdin", state_dir=tmp_path, stdin=PASSWORD + "\n"))

    prompted = run_cli("users", "add", "carla", state_dir=tmp_path, stdin=f"{PASSWORD}\nanderes-Passwort-1\n")
    assert prompted.returncode == 1 and "stimmen nicht überein" in prompted.stderr
    assert "Traceback" not in prompted.stderr
    assert run_cli("users", "disable", "niemand", state_dir=tmp_path).returncode == 1


def test_invalid_call_is_one_line_with_exit_code_2(tmp_path):
    assert "Aufruf ungültig" in assert_one_line_failure(run_cli("rollback", "indicators", state_dir=tmp_path), 2)


def test_rollback_publishes_the_old_content_and_history_shows_it(app_state_dir):
    add_analyst(app_state_dir)
    opened = open_store(app_state_dir)
    try:
        first = opened.live_version("sources")
        changed = opened.read("sources").iloc[:3]
        second = opened.publish("sources", changed, actor=store.Actor("anna", "analyst"), note="nur drei",
                                parent_version_id=first.version_id)
    finally:
        opened.close()

    result = run_cli("rollback", "sources", str(first.version_id), "--note", "zurück auf die gebündelten Daten",
                     "--author", "anna", state_dir=app_state_dir)
    assert result.returncode == 0, result.stderr
    assert "Version 3" in result.stdout and "version 3" in result.stdout

    opened = open_store(app_state_dir)
    try:
        live = opened.live_version("sources")
        assert (live.number, live.kind, live.rolled_back_from, live.author) == (3, "rollback", first.version_id, "anna")
        assert live.parent_version_id == second.version_id
        pd.testing.assert_frame_equal(opened.read("sources"), opened.read("sources", first.version_id))
    finally:
        opened.close()

    shown = run_cli("history", "sources", state_dir=app_state_dir)
    assert shown.returncode == 0
    lines = shown.stdout.splitlines()
    assert len(lines) == 4 and lines[1].startswith("*") and "rollback" in lines[1] and "anna" in lines[1]
    assert "bootstrap" in lines[3] and "system" in lines[3]


def test_rollback_by_an_unknown_or_disabled_author_is_refused_and_writes_nothing(app_state_dir):
    add_analyst(app_state_dir)
    opened = open_store(app_state_dir)
    try:
        before = opened.live_version("sources")
    finally:
        opened.close()

    unknown = assert_one_line_failure(run_cli("rollback", "sources", str(before.version_id), "--note", "x",
                                              "--author", "mallory", state_dir=app_state_dir))
    assert "mallory" in unknown and "Analyse-Konto" in unknown
    assert run_cli("users", "disable", "anna", state_dir=app_state_dir).returncode == 0
    assert "deaktiviert" in assert_one_line_failure(run_cli(
        "rollback", "sources", str(before.version_id), "--note", "x", "--author", "anna", state_dir=app_state_dir))

    opened = open_store(app_state_dir)
    try:
        assert [version.version_id for version in opened.history("sources")] == [before.version_id]
    finally:
        opened.close()


def test_history_of_an_unknown_dataset_is_one_line(app_state_dir):
    assert "gibt es nicht" in assert_one_line_failure(run_cli("history", "gibt_es_nicht", state_dir=app_state_dir))


MUNICIPALITIES_FILE = ROOT / "data/raw/destatis-genesis/11111-02-01-4_zahl_gemeinden_kreise_2024-12-31_thueringen.csv"
MUNICIPALITIES_SOURCE = "destatis-11111-02-01-4-2024"


def import_arguments(path: Path, *, author: str = "anna", indicator_id: str = "gemeinden_je_kreis") -> list[str]:
    return ["import", str(path), "--dataset", "indicators", "--note", "Gemeinden je Kreis als neuer Indikator",
            "--author", author, "--indicator-id", indicator_id, "--source-id", MUNICIPALITIES_SOURCE]


def test_import_of_a_real_genesis_file_publishes_a_new_indicator(app_state_dir):
    add_analyst(app_state_dir)
    opened = open_store(app_state_dir)
    try:
        before = opened.live_version("indicators")
    finally:
        opened.close()

    result = run_cli(*import_arguments(MUNICIPALITIES_FILE), state_dir=app_state_dir)
    assert result.returncode == 0, result.stderr
    assert "Version 2" in result.stdout
    assert "+23 neu/added" in result.stdout and "−0 entfernt/removed" in result.stdout

    opened = open_store(app_state_dir)
    try:
        live = opened.live_version("indicators")
        assert (live.number, live.author, live.kind) == (2, "anna", "publish")
        assert live.parent_version_id == before.version_id
        assert live.rows == before.rows + 23
        assert opened.audit("indicators").iloc[0][["who", "action"]].tolist() == ["anna", "publish"]
        rows = opened.read("indicators").query("indicator_id == 'gemeinden_je_kreis'")
        assert len(rows) == 23 and set(rows["source_id"]) == {MUNICIPALITIES_SOURCE}
        erfurt = rows[rows["region_code"] == "16051"].iloc[0]
        assert erfurt["period"] == "2024-12-31" and erfurt["value"] == 1.0
        assert rows[rows["region_code"] == "16061"]["value"].tolist() == [56.0]  # Eichsfeld, read by eye
        assert rows[rows["region_code"] == "16056"]["flag"].tolist() == ["-"]  # Eisenach: '-' kept as flag
    finally:
        opened.close()


def test_import_of_a_bad_file_lists_every_problem_by_line_and_column_and_writes_nothing(app_state_dir, tmp_path):
    add_analyst(app_state_dir)
    bad = tmp_path / "gemeinden-fehlerhaft.csv"
    bad.write_text("region_code;period;value;unit\n"
                   "16051;2024-12-31;-5;Anzahl\n"
                   "16999;2024-12-31;12;Anzahl\n"
                   "16052;2099-12-31;7;Anzahl\n", encoding="utf-8")

    result = run_cli(*import_arguments(bad), state_dir=app_state_dir)
    assert_one_line_failure(result)
    assert "nichts gespeichert" in result.stderr and "nothing saved" in result.stderr
    problems = result.stdout.strip().splitlines()
    assert len(problems) >= 3
    assert any(line.startswith("Zeile 2, Spalte value:") for line in problems)
    assert any(line.startswith("Zeile 3, Spalte region_code") for line in problems)
    assert any(line.startswith("Zeile 4, Spalte ") and "2099-12-31" in line and "Zukunft" in line and "future" in line
               for line in problems)

    opened = open_store(app_state_dir)
    try:
        assert [version.number for version in opened.history("indicators")] == [1]
    finally:
        opened.close()


def test_import_by_an_unknown_author_is_refused_before_reading_the_file(app_state_dir):
    add_analyst(app_state_dir)
    line = assert_one_line_failure(run_cli(*import_arguments(MUNICIPALITIES_FILE, author="mallory"),
                                           state_dir=app_state_dir))
    assert "mallory" in line and "only an existing, enabled analyst account" in line

    opened = open_store(app_state_dir)
    try:
        assert [version.number for version in opened.history("indicators")] == [1]
    finally:
        opened.close()


def test_a_publish_in_between_gives_the_conflict_message_exit_2_and_keeps_the_other_version(
        app_state_dir, monkeypatch, capsys):
    from datasets import upload
    from store.__main__ import main

    monkeypatch.setattr(accounts, "HASHER", accounts.PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    opened = open_store(app_state_dir)
    accounts.add_user(opened, "anna", PASSWORD)
    prepare = upload.prepare

    def prepare_while_bernd_publishes(*args, **kwargs):
        live = opened.live_version("indicators")
        frame = opened.read("indicators").iloc[:100]
        opened.publish("indicators", frame, actor=store.Actor("bernd", "analyst"), note="Bernds Stand",
                       parent_version_id=live.version_id)
        return prepare(*args, **kwargs)

    monkeypatch.setattr(upload, "prepare", prepare_while_bernd_publishes)
    try:
        code = main(import_arguments(MUNICIPALITIES_FILE))
        error = capsys.readouterr().err
        assert code == 2
        assert error.count("\n") == 1 and "bernd" in error and "Version 2" in error and "version 2" in error
        live = opened.live_version("indicators")
        assert (live.number, live.author, live.rows) == (2, "bernd", 100)
    finally:
        opened.close()
