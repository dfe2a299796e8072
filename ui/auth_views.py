"""The login box in the sidebar (OIDC via st.login, local analyst accounts) and the first-start console hint.

Choice when OIDC is configured: the "Anmelden (SSO)" button is the way in; the local form is shown as well
only while enabled local analyst accounts exist (a fallback when the identity provider is down, created
deliberately on the server). Without OIDC the local form is the way in; with no analyst account at all it
says how one is created instead of offering a form that cannot succeed.

The password is read from a form that clears itself on submit and is passed straight to
store.accounts.authenticate; it is never put into session state under a key of ours, nor logged.
"""
from __future__ import annotations

import sys
import threading

import streamlit as st

from charts.format import escape_markdown
from store import accounts
from store.errors import StoreError
from store.models import Actor
from ui import auth
from ui.i18n import t

#: Widget key of the sidebar login box (tests open it through session state).
LOGIN_BOX_KEY = "auth_box"
_hint_lock = threading.Lock()
_hint_printed = False


def sidebar_login(store, lang: str) -> Actor:
    """Who is logged in (name, role, logout button), else the login box. Returns this session's Actor.

    Call inside `with st.sidebar:` on every rerun; the role is re-checked on the server each time.
    """
    actor = auth.current_actor(store)
    oidc = auth.oidc_configured()
    if oidc and getattr(st.user, "is_logged_in", False):
        _logged_in(_oidc_name(), actor, lang)
        return actor
    if st.session_state.get(auth.LOCAL_USER_KEY) and auth.is_analyst(actor):
        _logged_in(_local_name(store, actor), actor, lang)
        return actor
    # NOTE: lazy (opening reruns): a closed box sends one element, not the form, on every rerun of every viewer.
    with st.expander(t("auth_expander", lang), expanded=False, key=LOGIN_BOX_KEY, on_change="rerun") as box:
        if not box.open:
            return actor
        st.caption(t("auth_intro", lang))
        if oidc:
            _sso_button(lang)
        local_accounts = _has_local_analyst(store)
        if local_accounts:
            if oidc:
                st.caption(t("auth_local_heading", lang))
            _local_form(store, lang)
        elif not oidc:
            st.info(t("auth_no_account_yet", lang))
    return actor


def print_startup_hint(store) -> None:
    """Once per process: explain on the console how to create the first analyst (no analyst, no OIDC)."""
    global _hint_printed
    with _hint_lock:
        if _hint_printed:
            return
        try:
            hint = accounts.startup_hint(store, oidc_configured=auth.oidc_configured())
        except StoreError:
            return      # database unreachable: try again on a later rerun
        _hint_printed = True
    if hint:
        print(hint, file=sys.stderr, flush=True)


# logged in

def _logged_in(name: str, actor: Actor, lang: str) -> None:
    st.markdown(t("auth_logged_in_as", lang, name=f"**{escape_markdown(name)}**"))
    st.caption(t("auth_role_analyst" if auth.is_analyst(actor) else "auth_role_viewer", lang))
    st.button(t("auth_logout", lang), key="auth_logout", icon=":material/logout:", on_click=_logout)


def _logout() -> None:
    st.session_state.pop(auth.LOCAL_USER_KEY, None)
    if auth.oidc_configured() and getattr(st.user, "is_logged_in", False):
        st.logout()


def _oidc_name() -> str:
    name, email = st.user.get("name"), st.user.get("email")
    if name and email and name != email:
        return f"{name} ({email})"
    return str(name or email or st.user.get("sub") or "?")


def _local_name(store, actor: Actor) -> str:
    try:
        account = accounts.get_user(store, actor.name)
    except StoreError:
        account = None
    return (account.display_name or account.username) if account else actor.name


# logging in

def _sso_button(lang: str) -> None:
    """One button per identity provider of the secrets (a flat [auth] section: one "Anmelden (SSO)")."""
    for provider in auth.oidc_providers():
        label = t("auth_sso_button", lang) if provider is None else t("auth_sso_button_named", lang,
                                                                          provider=provider)
        if st.button(label, key=f"auth_sso_{provider}" if provider else "auth_sso", type="primary",
                     icon=":material/login:"):
            _login(provider, lang)


def _login(provider: str | None, lang: str) -> None:
    try:
        if provider is None:
            st.login()
        else:
            st.login(provider)
    except st.errors.StreamlitAuthError as error:
        st.error(t("auth_sso_failed", lang, detail=escape_markdown(str(error))))
        return
    # NOTE: stop here. When the page went on rendering after st.login, the redirect was lost now and
    # then (2 of 5 browser runs; 0 of 10 with the stop). The browser leaves for the identity provider.
    st.stop()


def _has_local_analyst(store) -> bool:
    try:
        return _any_local_analyst(store.url, store)
    except StoreError:
        return True     # show the form; authenticate then reports the database problem


@st.cache_data(ttl=30, show_spinner=False)
def _any_local_analyst(url: str, _store) -> bool:
    """Whether the login form is offered: asked at most every 30 s per database, not on every rerun (a new
    account shows the form within 30 s; logging in checks the account itself, always fresh)."""
    return accounts.has_any_analyst(_store)


def _local_form(store, lang: str) -> None:
    with st.form("auth_local_login", clear_on_submit=True, border=False, enter_to_submit=True):
        username = st.text_input(t("auth_username", lang), autocomplete="username", max_chars=64)
        password = st.text_input(t("auth_password", lang), type="password", autocomplete="current-password",
                                 max_chars=accounts.MAX_PASSWORD_LENGTH)
        submitted = st.form_submit_button(t("auth_submit", lang), icon=":material/key:")
    if not submitted:
        return
    if not username.strip() or not password:
        st.warning(t("auth_missing_input", lang))
        return
    try:
        actor = accounts.authenticate(store, username, password, client_key=auth.client_key())
    except StoreError as error:      # LoginFailed, LoginRateLimited, StoreUnavailable
        st.error(error.message(lang))
        return
    st.session_state[auth.LOCAL_USER_KEY] = actor.name
    st.rerun()
