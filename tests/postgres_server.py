"""Pytest plugin: a throwaway PostgreSQL cluster per test session, and a fresh database per test."""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import psycopg
import pytest

START_TIMEOUT_SECONDS = 60
START_ATTEMPTS = 3


def postgres_bin_dir() -> Path:
    """PG_BIN if set, else the newest /usr/lib/postgresql/<version>/bin, else the folder of initdb on PATH."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    candidates = [path for path in Path("/usr/lib/postgresql").glob("*/bin") if (path / "initdb").exists()]
    if candidates:
        return max(candidates, key=lambda path: [int(part) for part in re.findall(r"\d+", path.parent.name)])
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) not found: install the Debian package "
                       "'postgresql' (make test does) or set PG_BIN to their folder.")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresCluster:
    """initdb + pg_ctl in a temp folder, as user postgres when running as root (initdb refuses root)."""

    def __init__(self) -> None:
        self.bin_dir = postgres_bin_dir()
        self.folder = Path(tempfile.mkdtemp(prefix="pytest-postgres-"))
        self.data_dir = self.folder / "data"
        self.log_file = self.folder / "server.log"
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.folder, user="postgres")
        self.port = 0

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=START_TIMEOUT_SECONDS + 30)

    def _check(self, result: subprocess.CompletedProcess, what: str) -> None:
        if result.returncode != 0:
            log = self.log_file.read_text(errors="replace")[-3000:] if self.log_file.exists() else ""
            raise RuntimeError(f"PostgreSQL {what} failed (exit {result.returncode}):\n"
                               f"{result.stdout}\n{result.stderr}\n{log}")

    def start(self) -> None:
        self._check(self._run("initdb", "-D", str(self.data_dir), "-A", "trust", "-U", "postgres",
                              "-E", "UTF8", "--no-locale"), "initdb")
        for _attempt in range(START_ATTEMPTS):
            self.port = free_port()
            result = self._pg_ctl_start()
            if result.returncode == 0:
                return
        self._check(result, f"start on port {self.port}")

    def _pg_ctl_start(self) -> subprocess.CompletedProcess:
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c full_page_writes=off -c max_connections=200")
        return self._run("pg_ctl", "-D", str(self.data_dir), "-l", str(self.log_file), "-w",
                         "-t", str(START_TIMEOUT_SECONDS), "-o", options, "start")

    def stop_server(self) -> None:
        """`pg_ctl stop -m fast` (an outage): clients are disconnected, the data stay."""
        self._check(self._run("pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "stop"), "stop")

    def start_server(self) -> None:
        """Start the stopped server again on its port."""
        self._check(self._pg_ctl_start(), "start")

    def stop(self) -> None:
        try:
            if (self.data_dir / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"


@pytest.fixture(scope="session")
def postgresql_url():
    """URL of the `postgres` database of a cluster started for this session (fails loudly, never skips)."""
    cluster = PostgresCluster()
    try:
        cluster.start()
        yield cluster.url()
    finally:
        cluster.stop()


@pytest.fixture
def postgresql_database_url(postgresql_url):
    """URL of a new, empty database for one test; dropped afterwards."""
    name = "test_" + uuid.uuid4().hex[:16]
    with psycopg.connect(postgresql_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield postgresql_url.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(postgresql_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
