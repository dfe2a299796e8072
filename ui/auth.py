"""Who is using the app: viewer by default; analyst after an OIDC login on the allow-list or a local login.

The role is decided on the server on every rerun. Pages may hide analyst widgets, but every write goes
through store methods that check the Actor's role again (store.PermissionDenied).
"""
from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

import store
from store.accounts import AccountError, analyst_actor, role_for_identity
from store.models import ANALYST, VIEWER, Actor

#: Session-state key of the locally logged-in analyst's user name. Server-side only: no widget uses it.
LOCAL_USER_KEY = "_auth_local_username"


#: Session-state key: the providers read from the secrets once per session (a lookup in st.secrets costs
#: milliseconds on every rerun; secrets change only with a restart, see docs/DEPLOY.md).
_PROVIDERS_KEY = "_oidc_providers"


def oidc_providers() -> list[str | None]:
    """The identity providers in the secrets, as st.login names them: [None] for a flat [auth] section with a
    client_id, else the names of the [auth.<name>] sections; [] without OIDC."""
    if _PROVIDERS_KEY not in st.session_state:
        st.session_state[_PROVIDERS_KEY] = _providers_in_secrets()
    return list(st.session_state[_PROVIDERS_KEY])


def _providers_in_secrets() -> list[str | None]:
    try:
        if "auth" not in st.secrets:
            return []
        section = st.secrets["auth"]
        if section.get("client_id"):
            return [None]
        return [name for name, value in section.items() if isinstance(value, Mapping)]  # secrets: AttrDict
    except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
        return []


def oidc_configured() -> bool:
    """True when secrets hold an [auth] section with a provider (st.login is then the way in)."""
    return bool(oidc_providers())


def _roles_config() -> dict:
    try:
        return dict(st.secrets.get("roles", {}))
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        return {}


def current_actor(store_connection) -> Actor:
    """The Actor of this session, re-checked against the store/allow-list on every call."""
    if oidc_configured() and getattr(st.user, "is_logged_in", False):
        email = st.user.get("email")
        groups = st.user.get("groups")
        role = role_for_identity(email, list(groups) if isinstance(groups, (list, tuple)) else None,
                                 _roles_config(), email_verified=st.user.get("email_verified"))
        return Actor(str(email or st.user.get("sub") or "oidc-user"), role)
    username = st.session_state.get(LOCAL_USER_KEY)
    if username:
        try:
            return analyst_actor(store_connection, username)   # disabled since login → viewer again
        except AccountError:
            st.session_state.pop(LOCAL_USER_KEY, None)
        except store.StoreError:
            return Actor("anonym", VIEWER)                    # database down: read-only, login kept
    return Actor("anonym", VIEWER)


def is_analyst(actor: Actor) -> bool:
    return actor.role == ANALYST


def client_key() -> str:
    """What login rate limits count per client: the remote address as Streamlit sees it."""
    return str(getattr(st.context, "ip_address", None) or "unknown")
