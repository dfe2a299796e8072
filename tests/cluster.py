"""A scale-out cluster on loopback: one PostgreSQL, two `streamlit run dashboard.py` replicas, nginx in front.

nginx runs deploy/nginx.conf (sticky route cookie, WebSocket proxying, failover), the replicas share
DATABASE_URL and the cookie secret, each has its own DASHBOARD_STATE_DIR. Optionally an OIDC identity
provider (oidc-provider-mock) is started and every replica gets the same `[auth]` secrets, so st.login works
through the proxy. Used by tests/test_scale.py (fixture `scale_cluster`) and scripts/scale_up.py:

    with running_cluster(folder) as cluster:
        cluster.url                      # nginx
        cluster.replicas[0].url          # one replica directly
        cluster.kill_replica(0); cluster.start_replica(0)
        cluster.stop_postgres(); cluster.start_postgres()
"""
from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest

from tests.browser import ROOT, background_process, free_port
from tests.postgres_server import PostgresCluster

NGINX_TEMPLATE = ROOT / "deploy" / "nginx.conf"
#: The sticky-session cookie that deploy/nginx.conf sets and hashes.
ROUTE_COOKIE = "dashboard_route"
DATABASE_NAME = "dashboard"
#: The OIDC identity the test cluster knows (and allows as analyst).
ANALYST_CLAIMS = {"sub": "ana", "email": "ana@example.com", "email_verified": True, "name": "Ana Muster"}
REPLICA_START_TIMEOUT = 120.0


def nginx_binary() -> str:
    """nginx from PATH or Debian's /usr/sbin/nginx; a clear failure (never a skip) when it is missing."""
    path = shutil.which("nginx") or "/usr/sbin/nginx"
    assert Path(path).exists(), ("nginx is missing: `make test` installs it with apt-get (Debian package nginx); "
                                 "tests/test_scale.py runs two replicas behind it")
    return path


def render_site(listen: str, replica_addresses: list[str]) -> str:
    """deploy/nginx.conf with its two placeholders filled (exactly what an operator does by hand)."""
    template = NGINX_TEMPLATE.read_text(encoding="utf-8")
    assert "@LISTEN@" in template and "@REPLICA_SERVERS@" in template, "deploy/nginx.conf lost a placeholder"
    servers = "\n    ".join(f"server {address} max_fails=1 fail_timeout=10s;" for address in replica_addresses)
    lines = [line if line.lstrip().startswith("#") else
             line.replace("@LISTEN@", listen).replace("@REPLICA_SERVERS@", servers)
             for line in template.splitlines()]                 # the header comment names the placeholders too
    return "\n".join(lines) + "\n"


def _main_config(prefix: Path, site: Path) -> str:
    """The nginx.conf around the site file: foreground, logs and temp files in `prefix`."""
    user = "user root;\n" if os.geteuid() == 0 else ""     # workers must reach the temp files in a 0700 folder
    temp = "\n".join(f"    {kind}_temp_path {prefix / 'temp' / kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"{user}daemon off;\nworker_processes 1;\npid {prefix / 'nginx.pid'};\n"
            f"error_log {prefix / 'error.log'} notice;\n"
            "events { worker_connections 1024; }\n"
            "http {\n"
            "    log_format routed '$time_iso8601 $status $request_method $uri route=$cookie_dashboard_route "
            "upstream=$upstream_addr upstream_status=$upstream_status $request_time';\n"
            f"    access_log {prefix / 'access.log'} routed;\n"
            f"{temp}\n"
            f"    include {site};\n"
            "}\n")


@dataclass
class Replica:
    """One `streamlit run dashboard.py` process (restartable on the same port)."""

    index: int
    port: int
    state_dir: Path
    cookie_secret: str
    process: subprocess.Popen | None = None
    starts: int = 0
    log_path: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log_path = self.state_dir / "streamlit.log"

    @property
    def name(self) -> str:
        return chr(ord("A") + self.index)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.address}"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


def _http_get(url: str, *, cookie: str | None = None, timeout: float = 5.0) -> tuple[int, dict, bytes]:
    """(status, headers, body) of a GET; HTTP errors are answers too."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wait_for(condition, *, timeout: float, what: str, interval: float = 0.2):
    """Poll `condition()` until it returns a true value (OSError counts as not yet); return that value."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = condition()
            if value:
                return value
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


class Cluster:
    """The running processes and what tests do with them. Build it with `running_cluster()`."""

    def __init__(self, folder: Path, *, cookie_secret: str, oidc_issuer: str | None) -> None:
        self.folder = folder
        self.cookie_secret = cookie_secret
        self.oidc_issuer = oidc_issuer
        self.postgres = PostgresCluster()
        self.database_url = ""
        self.nginx_port = 0
        self.nginx_prefix = folder / "nginx"
        self.replicas: list[Replica] = []
        self._routes: dict[int, str] = {}

    # --- addresses --------------------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The address browsers use: nginx."""
        return f"http://127.0.0.1:{self.nginx_port}"

    @property
    def replica_urls(self) -> list[str]:
        return [replica.url for replica in self.replicas]

    @property
    def state_dirs(self) -> list[Path]:
        return [replica.state_dir for replica in self.replicas]

    def replica_at(self, upstream: str) -> Replica:
        """The replica that answered, from nginx's X-Upstream header (the last address tried)."""
        last = upstream.split(",")[-1].strip()
        return next(replica for replica in self.replicas if replica.address == last)

    def served_by(self, path: str = "/_stcore/health", *, route: str | None = None) -> Replica:
        """Which replica nginx sends a request with this route cookie to (None: no cookie)."""
        status, headers, _ = _http_get(self.url + path, cookie=f"{ROUTE_COOKIE}={route}" if route else None)
        upstream = headers.get("X-Upstream", "")
        assert upstream, f"nginx answered {status} without X-Upstream (is deploy/nginx.conf complete?)"
        return self.replica_at(upstream)

    def route_to(self, index: int) -> str:
        """A route-cookie value that nginx hashes to replica `index` (found by probing, while all are up)."""
        if index not in self._routes:
            for number in range(200):
                candidate = f"probe-{number}"
                self._routes.setdefault(self.served_by(route=candidate).index, candidate)
                if index in self._routes:
                    break
        assert index in self._routes, f"no route cookie value leads to replica {index}"
        return self._routes[index]

    # --- replicas ---------------------------------------------------------------------------------------------

    def _secrets_text(self, cookie_secret: str) -> str:
        text = f"[roles]\nanalyst_emails = {json.dumps([ANALYST_CLAIMS['email']])}\n"
        if self.oidc_issuer:
            text = ("[auth]\n"
                    f'redirect_uri = "{self.url}/oauth2callback"\n'
                    f'cookie_secret = "{cookie_secret}"\n'
                    'client_id = "dashboard-scale-test"\n'
                    'client_secret = "anything"\n'
                    f'server_metadata_url = "{self.oidc_issuer}/.well-known/openid-configuration"\n\n') + text
        return text

    def start_replica(self, index: int, *, cookie_secret: str | None = None,
                      timeout: float = REPLICA_START_TIMEOUT) -> float:
        """(Re)start replica `index` on its port; returns the seconds until /_stcore/health answered.

        `cookie_secret` overrides the shared secret for this start (to show what a mismatch does)."""
        replica = self.replicas[index]
        assert not replica.running, f"replica {replica.name} is already running"
        replica.cookie_secret = cookie_secret or self.cookie_secret
        secrets_file = replica.state_dir / "secrets.toml"
        secrets_file.write_text(self._secrets_text(replica.cookie_secret), encoding="utf-8")
        command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"),
                   "--server.port", str(replica.port), "--server.address", "127.0.0.1",
                   "--server.headless", "true", "--browser.gatherUsageStats", "false",
                   "--server.fileWatcherType", "none"]
        environment = {**os.environ, "DATABASE_URL": self.database_url, "DASHBOARD_STATE_DIR": str(replica.state_dir),
                       "STREAMLIT_SERVER_COOKIE_SECRET": replica.cookie_secret,
                       "STREAMLIT_SECRETS_FILES": str(secrets_file)}
        replica.starts += 1
        with open(replica.log_path, "ab") as log:
            log.write(f"\n--- start {replica.starts} ---\n".encode())
            log.flush()
            started = time.monotonic()
            replica.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
                                               env=environment, start_new_session=True)

        def healthy() -> bool:
            if replica.process.poll() is not None:
                raise RuntimeError(f"replica {replica.name} exited ({replica.process.returncode}):\n"
                                   + self.log_tail(replica.log_path))
            return _http_get(replica.url + "/_stcore/health", timeout=2)[2] == b"ok"

        try:
            wait_for(healthy, timeout=timeout, what=f"replica {replica.name} on {replica.url}")
        except BaseException:
            self.stop_replica(index)
            raise
        return time.monotonic() - started

    def kill_replica(self, index: int) -> None:
        """SIGKILL: the process dies without any clean-up, as in a crash."""
        replica = self.replicas[index]
        assert replica.running, f"replica {replica.name} is not running"
        replica.process.send_signal(signal.SIGKILL)
        replica.process.wait(timeout=30)

    def restart_replica(self, index: int, **options) -> float:
        """SIGKILL (if running) and start again; the seconds until healthy."""
        if self.replicas[index].running:
            self.kill_replica(index)
        return self.start_replica(index, **options)

    def stop_replica(self, index: int) -> None:
        replica = self.replicas[index]
        if replica.process is None:
            return
        if replica.process.poll() is None:
            replica.process.terminate()
            try:
                replica.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                replica.process.kill()
                replica.process.wait(timeout=15)

    def stop_replicas(self) -> None:
        """SIGTERM to every running replica at once, then wait (SIGKILL after 5 s)."""
        for replica in self.replicas:
            if replica.running:
                replica.process.terminate()
        for replica in self.replicas:
            self.stop_replica(replica.index)

    # --- PostgreSQL -------------------------------------------------------------------------------------------

    def stop_postgres(self) -> None:
        self.postgres.stop_server()

    def start_postgres(self) -> None:
        self.postgres.start_server()

    def postgres_answers(self) -> bool:
        try:
            with psycopg.connect(self.database_url.replace("+psycopg", ""), connect_timeout=2) as connection:
                return connection.execute("SELECT 1").fetchone() == (1,)
        except psycopg.OperationalError:
            return False

    # --- diagnostics ------------------------------------------------------------------------------------------

    @staticmethod
    def log_tail(path: Path, characters: int = 4000) -> str:
        return path.read_text(errors="replace")[-characters:] if path.exists() else f"({path} missing)"

    def logs(self) -> str:
        """The end of every log, for assertion messages."""
        parts = [f"== replica {r.name} ({r.url})\n{self.log_tail(r.log_path, 2000)}" for r in self.replicas]
        parts.append(f"== nginx error.log\n{self.log_tail(self.nginx_prefix / 'error.log', 2000)}")
        parts.append(f"== nginx access.log\n{self.log_tail(self.nginx_prefix / 'access.log', 2000)}")
        parts.append(f"== postgres\n{self.log_tail(self.postgres.log_file, 1000)}")
        return "\n".join(parts)

    def describe(self) -> str:
        lines = [f"nginx (browsers use this): {self.url}"]
        lines += [f"replica {r.name}: {r.url}  state dir {r.state_dir}" for r in self.replicas]
        lines.append(f"DATABASE_URL={self.database_url}")
        if self.oidc_issuer:
            lines.append(f"OIDC identity provider: {self.oidc_issuer} (user 'ana', analyst)")
        lines.append(f"logs: {self.folder}")
        return "\n".join(lines)


def _bundle(database_url: str) -> None:
    """Version 1 of every dataset before the replicas start (what the first replica would do on first use)."""
    import store
    from store.bundled import ensure_bundled

    connection = store.connect(database_url)
    try:
        ensure_bundled(connection)
    finally:
        connection.close()


@contextlib.contextmanager
def running_cluster(folder: Path, *, replicas: int = 2, oidc: bool = True,
                    cookie_secret: str | None = None) -> Iterator[Cluster]:
    """Start PostgreSQL (fresh database, bundled data), the OIDC mock (if `oidc`), nginx and the replicas;
    yield the Cluster; stop everything (also on failure)."""
    nginx = nginx_binary()
    folder.mkdir(parents=True, exist_ok=True)
    cluster = Cluster(folder, cookie_secret=cookie_secret or secrets.token_urlsafe(32), oidc_issuer=None)
    with contextlib.ExitStack() as stack:
        stack.callback(cluster.postgres.stop)
        cluster.postgres.start()
        with psycopg.connect(cluster.postgres.url(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
        cluster.database_url = cluster.postgres.url(DATABASE_NAME).replace("postgresql://", "postgresql+psycopg://")
        _bundle(cluster.database_url)

        if oidc:
            from tests.oidc_mock import oidc_provider

            cluster.oidc_issuer = stack.enter_context(oidc_provider(folder, ANALYST_CLAIMS))

        for index in range(replicas):
            state_dir = folder / f"replica-{chr(ord('A') + index)}"
            state_dir.mkdir()
            cluster.replicas.append(Replica(index, free_port(), state_dir, cluster.cookie_secret))

        prefix = cluster.nginx_prefix
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (prefix / "temp" / kind).mkdir(parents=True)
        cluster.nginx_port = free_port()
        site = prefix / "dashboard.conf"
        site.write_text(render_site(f"127.0.0.1:{cluster.nginx_port}", [r.address for r in cluster.replicas]),
                        encoding="utf-8")
        (prefix / "nginx.conf").write_text(_main_config(prefix, site), encoding="utf-8")
        # Ready once it accepts connections (an HTTP probe now would only mark the replicas as failed).
        stack.enter_context(background_process(
            [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "error.log")],
            log_path=prefix / "stdout.log", what="nginx", timeout=30,
            ready=lambda: socket.create_connection(("127.0.0.1", cluster.nginx_port), timeout=1).close() is None))

        stack.callback(cluster.stop_replicas)
        for replica in cluster.replicas:
            cluster.start_replica(replica.index)
        wait_for(lambda: _http_get(cluster.url + "/_stcore/health")[2] == b"ok", timeout=30,
                 what="nginx to reach a replica")
        yield cluster


@pytest.fixture(scope="module")
def scale_cluster(tmp_path_factory) -> Iterator[Cluster]:
    """Two replicas + PostgreSQL + nginx (+ OIDC mock) for one test module."""
    with running_cluster(tmp_path_factory.mktemp("cluster")) as cluster:
        yield cluster
