"""AppTest of the sidebar login box (ui.auth_views): local accounts, rate limit, logout, OIDC roles."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

import store
from charts.format import escape_markdown
from store import accounts
from ui.auth_views import LOGIN_BOX_KEY

PASSWORD = "richtig-langes-passwort"

#: The shape of dashboard.py's call: shared sidebar, then the login box inside `with st.sidebar:`.
#: The main area shows the Actor the app would hand to store methods.
SCRIPT = """
import streamlit as st
from ui import auth_views, data, shell

lang = shell.sidebar(data.live_versions())
with st.sidebar:
    actor = auth_views.sidebar_login(data.get_store(), lang)
st.text(f"actor={actor.name} role={actor.role}")
"""

OIDC_SECRETS = {"client_id": "streamlit-test", "client_secret": "anything",
                "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
                "cookie_secret": "a-long-random-string-of-at-least-32-bytes",
                "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}


@pytest.fixture
def app(app_state_dir):
    """app(analyst=True, oidc=None, user=None, lang="Deutsch") -> AppTest after its first run."""
    import streamlit as st

    st.cache_resource.clear()
    st.cache_data.clear()

    def _app(*, analyst: bool = True, oidc: dict | None = None, user: dict | None = None, lang: str = "Deutsch",
             open_box: bool = True):
        if analyst:
            connection = store.connect(state_dir=app_state_dir)
            accounts.add_user(connection, "ana", PASSWORD, email="ana@example.com", display_name="Ana Muster")
            connection.close()
        at = AppTest.from_string(SCRIPT, default_timeout=60)
        if oidc is not None:
            at.secrets["auth"] = OIDC_SECRETS
            at.secrets["roles"] = oidc
        at.user = user or {"is_logged_in": False}
        if open_box:                # the box is lazy: its content is sent once a user opens it
            at.session_state[LOGIN_BOX_KEY] = True
        at.run()
        if lang != "Deutsch":
            at.sidebar.radio(key="lang").set_value(lang).run()
        assert not at.exception
        return at

    yield _app
    st.cache_resource.clear()
    st.cache_data.clear()


def actor_line(at) -> str:
    return at.main.text[0].value


def sidebar_text(at) -> str:
    return "\n".join(str(element.value) for kind in ("markdown", "caption", "error", "warning", "info")
                     for element in getattr(at.sidebar, kind))


def log_in(at, username: str, password: str):
    field = {element.label: element for element in at.sidebar.text_input}
    field["Benutzername" if "Benutzername" in field else "User name"].input(username)
    field["Passwort" if "Passwort" in field else "Password"].input(password)
    at.sidebar.button[-1].click().run()
    assert not at.exception
    return at


def test_viewer_sees_collapsed_login_box_and_no_role(app):
    at = app(open_box=False)
    box = at.sidebar.expander[0]
    assert box.label == "Anmeldung für Analystinnen und Analysten"
    assert box.proto.expanded is False
    assert at.sidebar.button == [] and at.sidebar.text_input == []     # lazy: nothing sent while closed
    assert actor_line(at) == "actor=anonym role=viewer"
    at.session_state[LOGIN_BOX_KEY] = True                             # the user opens the box
    at.run()
    assert [b.label for b in at.sidebar.button] == ["Anmelden"]      # no SSO button without [auth]
    assert [field.label for field in at.sidebar.text_input] == ["Benutzername", "Passwort"]


def test_local_login_shows_name_and_gives_analyst_role_without_keeping_the_password(app):
    at = log_in(app(), "Ana", PASSWORD)          # user names are case-insensitive
    assert actor_line(at) == "actor=ana role=analyst"
    assert "Angemeldet als **Ana Muster**" in sidebar_text(at)
    assert "Rolle: Analyse" in sidebar_text(at)
    assert [b.label for b in at.sidebar.button] == ["Abmelden"]
    assert at.sidebar.expander == []
    assert PASSWORD not in repr(at.session_state)          # neither under a key nor as widget state
    assert at.session_state["_auth_local_username"] == "ana"


def test_wrong_password_gives_error_and_no_role(app):
    at = log_in(app(), "ana", "falsches-passwort-123")
    assert "Anmeldung fehlgeschlagen" in at.sidebar.error[0].value
    assert actor_line(at) == "actor=anonym role=viewer"
    assert "Angemeldet" not in sidebar_text(at)


def test_unknown_user_gets_the_same_message_as_a_wrong_password(app):
    at = app()
    wrong_password = log_in(at, "ana", "falsches-passwort-123").sidebar.error[0].value
    unknown_user = log_in(at, "niemand", "falsches-passwort-123").sidebar.error[0].value
    assert unknown_user == wrong_password


def test_english_ui_shows_english_login_error(app):
    at = log_in(app(lang="English"), "ana", "wrong-password-1234")
    assert at.sidebar.error[0].value.startswith("Login failed")
    assert at.sidebar.expander[0].label == "Login for analysts"


def test_six_wrong_attempts_hit_the_rate_limit_even_with_the_right_password_after(app):
    at = app()
    wrong = "falsches-passwort-123"
    for _ in range(accounts.MAX_FAILURES):
        assert "Anmeldung fehlgeschlagen" in log_in(at, "ana", wrong).sidebar.error[0].value
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in log_in(at, "ana", wrong).sidebar.error[0].value
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in log_in(at, "ana", PASSWORD).sidebar.error[0].value
    assert actor_line(at) == "actor=anonym role=viewer"


def test_empty_form_asks_for_both_fields_without_counting_an_attempt(app):
    at = log_in(app(), "ana", "")
    assert at.sidebar.warning[0].value == "Bitte Benutzername und Passwort eingeben."
    assert actor_line(log_in(at, "ana", PASSWORD)) == "actor=ana role=analyst"


def test_logout_makes_the_session_a_viewer_again(app):
    at = log_in(app(), "ana", PASSWORD)
    at.sidebar.button[0].click().run()
    assert actor_line(at) == "actor=anonym role=viewer"
    assert "_auth_local_username" not in at.session_state
    assert at.sidebar.expander[0].label == "Anmeldung für Analystinnen und Analysten"


def test_disabled_account_loses_the_role_on_the_next_rerun(app, app_state_dir):
    at = log_in(app(), "ana", PASSWORD)
    connection = store.connect(state_dir=app_state_dir)
    accounts.disable_user(connection, "ana")
    connection.close()
    at.run()
    assert actor_line(at) == "actor=anonym role=viewer"


def test_markup_in_display_name_is_shown_as_text(app, app_state_dir):
    connection = store.connect(state_dir=app_state_dir)
    accounts.add_user(connection, "mallory", PASSWORD, display_name="<svg><script>x</script> **fett** :red[rot]")
    connection.close()
    at = log_in(app(), "mallory", PASSWORD)
    line = at.sidebar.markdown[0]
    assert line.proto.allow_html is False
    assert r"\<svg\>\<script\>x\</script\> \*\*fett\*\* \:red\[rot\]" in line.value


def test_without_any_analyst_the_box_explains_how_to_create_one(app, app_state_dir, capsys, monkeypatch):
    from ui import auth_views

    monkeypatch.setattr(auth_views, "_hint_printed", False)
    at = app(analyst=False)
    assert at.sidebar.text_input == []
    assert "noch kein Analyse-Konto" in at.sidebar.info[0].value
    connection = store.connect(state_dir=app_state_dir)
    auth_views.print_startup_hint(connection)
    auth_views.print_startup_hint(connection)
    connection.close()
    printed = capsys.readouterr().err
    assert printed.count(accounts.ADD_USER_COMMAND) == 2          # once per process: German + English text
    assert "Es gibt noch kein Analyse-Konto" in printed


def test_oidc_configured_offers_sso_button_and_no_local_form_without_local_accounts(app):
    at = app(analyst=False, oidc={"analyst_emails": ["ana@example.com"]})
    assert [b.label for b in at.sidebar.button] == ["Anmelden (SSO)"]
    assert at.sidebar.text_input == []
    assert at.sidebar.info == []


def test_oidc_configured_keeps_local_form_while_local_accounts_exist(app):
    at = app(oidc={"analyst_emails": []})
    assert [b.label for b in at.sidebar.button] == ["Anmelden (SSO)", "Anmelden"]
    assert actor_line(log_in(at, "ana", PASSWORD)) == "actor=ana role=analyst"


@pytest.mark.parametrize("email, role", [("Ana@Example.com", "analyst"), ("bob@example.com", "viewer")])
def test_oidc_login_role_comes_from_the_allow_list(app, email, role):
    at = app(analyst=False, oidc={"analyst_emails": ["ana@example.com"]},
             user={"is_logged_in": True, "email": email, "name": "Person Muster", "tokens": {"id": "X"}})
    assert actor_line(at) == f"actor={email} role={role}"
    assert f"Angemeldet als **{escape_markdown(f'Person Muster ({email})')}**" in sidebar_text(at)
    assert ("Rolle: Analyse" if role == "analyst" else "Rolle: nur lesen") in sidebar_text(at)


def test_oidc_logout_ends_the_login(app):
    at = app(analyst=False, oidc={"analyst_emails": ["ana@example.com"]},
             user={"is_logged_in": True, "email": "ana@example.com", "name": "Ana", "tokens": {"id": "X"}})
    at.sidebar.button[0].click().run()
    assert actor_line(at) == "actor=anonym role=viewer"
    assert [b.label for b in at.sidebar.button] == ["Anmelden (SSO)"]


def test_oidc_identity_is_ignored_when_oidc_is_not_configured(app):
    at = app(user={"is_logged_in": True, "email": "ana@example.com", "name": "Ana", "tokens": {"id": "X"}})
    assert actor_line(at) == "actor=anonym role=viewer"


def test_sso_misconfiguration_is_an_error_message_not_a_traceback(app, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)      # AppTest's st.login validates .streamlit/secrets.toml of the working folder
    at = app(analyst=False, oidc={"analyst_emails": []})
    at.sidebar.button[0].click().run()
    assert not at.exception
    assert at.sidebar.error[0].value.startswith("Die Anmeldung über SSO ist falsch eingerichtet")
    assert actor_line(at) == "actor=anonym role=viewer"


def test_dashboard_shows_the_login_box_and_logs_in(app_state_dir):
    """The real entry point wires the box into its sidebar (dashboard.py calls sidebar_login)."""
    import streamlit as st

    st.cache_resource.clear()
    connection = store.connect(state_dir=app_state_dir)
    accounts.add_user(connection, "ana", PASSWORD, display_name="Ana Muster")
    connection.close()
    at = AppTest.from_file("../dashboard.py", default_timeout=120)
    at.user = {"is_logged_in": False}
    at.session_state[LOGIN_BOX_KEY] = True
    at.run()
    assert at.sidebar.expander, "dashboard.py does not call ui.auth_views.sidebar_login inside `with st.sidebar:`"
    assert at.sidebar.expander[0].label == "Anmeldung für Analystinnen und Analysten"
    log_in(at, "ana", PASSWORD)
    assert "Angemeldet als **Ana Muster**" in sidebar_text(at)
    st.cache_resource.clear()


def test_named_identity_providers_get_one_button_each(app):
    import streamlit as st

    st.cache_resource.clear()
    at = AppTest.from_string(SCRIPT, default_timeout=60)
    provider = {key: OIDC_SECRETS[key] for key in ("client_id", "client_secret", "server_metadata_url")}
    at.secrets["auth"] = {"redirect_uri": OIDC_SECRETS["redirect_uri"], "cookie_secret": OIDC_SECRETS["cookie_secret"],
                          "keycloak": provider, "microsoft": provider}
    at.secrets["roles"] = {"analyst_emails": []}
    at.user = {"is_logged_in": False}
    at.session_state[LOGIN_BOX_KEY] = True
    at.run()
    assert not at.exception
    assert [b.label for b in at.sidebar.button] == ["Anmelden mit keycloak", "Anmelden mit microsoft"]
