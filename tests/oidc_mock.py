"""Test helpers for a real OIDC round trip: the oidc-provider-mock IdP on loopback and a secrets file for it."""
from __future__ import annotations

import json
import sys
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from tests.browser import background_process, free_port


@contextmanager
def oidc_provider(log_dir: Path, *users: dict, timeout: float = 30.0):
    """Start oidc-provider-mock on a free loopback port with predefined users (claims incl. "sub").

    Yields the issuer URL (http://127.0.0.1:PORT); the process is stopped afterwards.
    """
    port = free_port()
    command = [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)]
    for claims in users:
        command += ["--user-claims", json.dumps(claims)]
    issuer = f"http://127.0.0.1:{port}"

    def ready() -> bool:
        with urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=1) as response:
            return json.load(response).get("issuer") == issuer

    with background_process(command, log_path=log_dir / "oidc-provider.log", ready=ready,
                            what="oidc-provider-mock", timeout=timeout):
        yield issuer


def write_secrets(path: Path, *, app_url: str, issuer: str, analyst_emails: list[str]) -> Path:
    """A secrets.toml with [auth] for the mock IdP (it accepts any client id/secret) and [roles]."""
    path.write_text(
        "[auth]\n"
        f'redirect_uri = "{app_url}/oauth2callback"\n'
        'cookie_secret = "test-cookie-secret-of-at-least-32-bytes-0123456789"\n'
        'client_id = "dashboard-test"\n'
        'client_secret = "anything"\n'
        f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n'
        "\n[roles]\n"
        f"analyst_emails = {json.dumps(analyst_emails)}\n", encoding="utf-8")
    return path
