"""Browser tests of the sidebar login: a local analyst account, and OIDC for real against oidc-provider-mock."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests import browser
from tests.browser import ROOT, streamlit_server
from tests.oidc_mock import oidc_provider, write_secrets

PASSWORD = "richtig-langes-passwort"
BOX = "Anmeldung für Analystinnen und Analysten"
UPLOAD_PAGE = "[data-testid=stSidebarNav] a:has-text('Daten hochladen')"   # listed for analysts only


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield context.new_page()
    context.close()


def open_login_box(tab, url: str) -> None:
    tab.goto(url, timeout=60_000)
    box = tab.locator("[data-testid=stSidebar] [data-testid=stExpander]", has_text=BOX)
    expect(box).to_be_visible(timeout=60_000)
    box.get_by_text(BOX).click()


def assert_no_exception(tab) -> None:
    assert tab.locator("[data-testid=stException]").count() == 0


def test_local_analyst_logs_in_through_the_sidebar_form(app_state_dir, tab):
    created = subprocess.run(
        [sys.executable, "-m", "store", "users", "add", "ana", "--name", "Ana Muster", "--password-stdin"],
        input=PASSWORD + "\n", text=True, capture_output=True, cwd=ROOT, timeout=60,
        env={**os.environ, "DASHBOARD_STATE_DIR": str(app_state_dir)})
    assert created.returncode == 0, created.stderr
    with streamlit_server(app_state_dir) as url:
        open_login_box(tab, url)
        sidebar = tab.locator("[data-testid=stSidebar]")
        sidebar.get_by_label("Benutzername").fill("ana")
        sidebar.get_by_label("Passwort", exact=True).fill("falsches-passwort-123")
        sidebar.get_by_role("button", name="Anmelden", exact=True).click()
        expect(sidebar.get_by_text("Anmeldung fehlgeschlagen")).to_be_visible(timeout=30_000)

        sidebar.get_by_label("Benutzername").fill("ana")
        sidebar.get_by_label("Passwort", exact=True).fill(PASSWORD)
        sidebar.get_by_role("button", name="Anmelden", exact=True).click()
        expect(sidebar.get_by_text("Angemeldet als Ana Muster")).to_be_visible(timeout=30_000)
        expect(sidebar.get_by_text("Rolle: Analyse")).to_be_visible()
        expect(tab.locator(UPLOAD_PAGE)).to_be_visible()
        assert_no_exception(tab)

        sidebar.get_by_role("button", name="Abmelden").click()
        expect(sidebar.get_by_text(BOX)).to_be_visible(timeout=30_000)
        expect(sidebar.get_by_text("Angemeldet als")).to_have_count(0)
        expect(tab.locator(UPLOAD_PAGE)).to_have_count(0)


def test_oidc_login_round_trip_with_a_local_identity_provider(app_state_dir, tab, monkeypatch):
    user = {"sub": "ana", "email": "ana@example.com", "email_verified": True, "name": "Ana Muster"}
    with oidc_provider(app_state_dir, user) as issuer:
        port = browser.free_port()
        # NOTE: the redirect URI in the secrets must name the app's port before the app starts.
        monkeypatch.setattr(browser, "free_port", lambda: port)
        secrets = write_secrets(app_state_dir / "secrets.toml", app_url=f"http://127.0.0.1:{port}",
                                issuer=issuer, analyst_emails=["ana@example.com"])
        # A temporary secrets file instead of .streamlit/secrets.toml (config option secrets.files).
        with streamlit_server(app_state_dir, env={"STREAMLIT_SECRETS_FILES": str(secrets)}) as url:
            open_login_box(tab, url)
            tab.locator("[data-testid=stSidebar]").get_by_role("button", name="Anmelden (SSO)").click()
            tab.wait_for_url(f"{issuer}/oauth2/authorize**", timeout=30_000)
            tab.get_by_role("button", name="ana").click()

            tab.wait_for_url(f"{url}/**", timeout=30_000)
            sidebar = tab.locator("[data-testid=stSidebar]")
            expect(sidebar.get_by_text("Angemeldet als Ana Muster (ana@example.com)")).to_be_visible(timeout=60_000)
            expect(sidebar.get_by_text("Rolle: Analyse")).to_be_visible()
            expect(tab.locator(UPLOAD_PAGE)).to_be_visible()
            assert_no_exception(tab)

            sidebar.get_by_role("button", name="Abmelden").click()      # st.logout ends the IdP session too
            tab.wait_for_url(f"{issuer}/oauth2/end_session**", timeout=30_000)
            tab.get_by_role("button", name="End session").click()
            expect(tab.locator("[data-testid=stSidebar]").get_by_text(BOX)).to_be_visible(timeout=60_000)
            expect(tab.get_by_text("Angemeldet als")).to_have_count(0)
            expect(tab.locator(UPLOAD_PAGE)).to_have_count(0)
