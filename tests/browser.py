"""Helpers for browser tests: a `streamlit run` server on a free port and headless Debian Chromium."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The app is idle: no script run in progress (wait for it before a click, which a running script can lose).
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage"]


def chromium_path() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    assert Path(path).exists(), "Debian chromium is missing: `make test` installs it with apt-get"
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def background_process(command: list[str], *, log_path: Path, ready: Callable[[], bool], what: str,
                       timeout: float, **popen_options) -> Iterator[subprocess.Popen]:
    """Start `command` with its output in `log_path`; wait until `ready()` (OSError = not yet); stop it after.

    Raises RuntimeError with the log when the process dies or `timeout` seconds pass first."""
    log = open(log_path, "wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, **popen_options)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                if ready():
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not start:\n" + log_path.read_text(errors="replace"))
            time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@contextmanager
def streamlit_server(state_dir: Path, *, timeout: float = 90.0, env: dict | None = None):
    """Start `streamlit run dashboard.py` on loopback; yield its base URL; stop it afterwards."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"), "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats",
               "false", "--server.fileWatcherType", "none"]
    with background_process(
            command, log_path=state_dir / "streamlit.log", what="streamlit", timeout=timeout,
            ready=lambda: urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok",
            cwd=ROOT, env={**os.environ, "DASHBOARD_STATE_DIR": str(state_dir), **(env or {})}):
        yield url
