"""Local analyst accounts (argon2id hashes), rate-limited login, and the OIDC allow-list for roles."""
from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, exists, select, text
from sqlalchemy.exc import IntegrityError

from store import db
from store.errors import StoreError
from store.models import ANALYST, SYSTEM, VIEWER, Actor
from store.schema import login_attempts, users

#: argon2id with the library's defaults (RFC 9106 low-memory profile). Stored hashes made with other
#: parameters are re-hashed at the next successful login.
HASHER = PasswordHasher()
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
#: Failed logins allowed per user name and per client within LOCKOUT_WINDOW before both are locked.
MAX_FAILURES = 5
LOCKOUT_WINDOW = timedelta(minutes=15)
#: Names no account may take: "system" is the author of the bundled versions.
RESERVED_USERNAMES = frozenset({SYSTEM.name})
USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+$")
#: PostgreSQL advisory lock held while a login attempt is counted (exact limits across replicas).
_LOGIN_LOCK_KEY = 160_051_2017
#: The command that creates an analyst account (shown by startup_hint and the docs).
ADD_USER_COMMAND = "python -m store users add NAME --email E-MAIL"


class AccountError(StoreError):
    """Base of the account errors; `message(lang)` gives the German or English text."""


class UnknownAccount(AccountError):
    """No account with that user name."""


class AccountExists(AccountError):
    """An account with that user name exists already."""


class InvalidAccount(AccountError):
    """User name, e-mail, display name or password does not meet the rules."""


class LoginFailed(AccountError):
    """Wrong user name or password, or a disabled account — deliberately indistinguishable."""


class LoginRateLimited(AccountError):
    """Too many failed attempts for this user name or client; `retry_at` says when to try again."""

    def __init__(self, message_de: str, message_en: str, *, retry_at: datetime) -> None:
        super().__init__(message_de, message_en)
        self.retry_at = retry_at


@dataclass(frozen=True)
class Account:
    """An account as listed (never with its hash)."""

    username: str
    email: str
    display_name: str
    role: str
    created_at: datetime
    password_changed_at: datetime
    disabled: bool

    @property
    def actor(self) -> Actor:
        return Actor(self.username, self.role)


# managing accounts

def normalize_username(username: str) -> str:
    return (username or "").strip().lower()


def add_user(store, username: str, password: str, *, email: str = "", display_name: str = "") -> Account:
    """Create an enabled analyst account. Raises InvalidAccount or AccountExists."""
    username = _checked_username(username)
    email = _checked_email(email)
    display_name = _checked_display_name(display_name)
    _check_password(password)
    now = datetime.now(timezone.utc)
    values = dict(username=username, email=email, display_name=display_name,
                  password_hash=HASHER.hash(password), role=ANALYST, created_at=now,
                  password_changed_at=now, disabled=False)
    try:
        with db.unavailable_errors(store.engine), db.writer(store.engine).begin() as connection:
            if _account_row(connection, username) is not None:
                raise _exists(username)
            connection.execute(users.insert().values(**values))
    except IntegrityError:
        raise _exists(username) from None
    values.pop("password_hash")
    return Account(**values)


def set_password(store, username: str, password: str) -> None:
    """Replace the password (and clear the user name's failed-login counter)."""
    username = normalize_username(username)
    _check_password(password)
    password_hash = HASHER.hash(password)
    with db.unavailable_errors(store.engine), db.writer(store.engine).begin() as connection:
        changed = connection.execute(users.update().where(users.c.username == username).values(
            password_hash=password_hash, password_changed_at=datetime.now(timezone.utc)))
        if changed.rowcount != 1:
            raise _unknown(username)
        connection.execute(delete(login_attempts).where(login_attempts.c.scope == "user",
                                                        login_attempts.c.key == _user_key(username)))


def disable_user(store, username: str) -> None:
    """The account can no longer log in or be named as author; its versions and audit rows stay."""
    _set_disabled(store, username, True)


def enable_user(store, username: str) -> None:
    _set_disabled(store, username, False)


def list_users(store) -> list[Account]:
    """Every account, sorted by user name."""
    columns = [users.c[name] for name in Account.__dataclass_fields__]
    with db.unavailable_errors(store.engine), store.engine.connect() as connection:
        rows = connection.execute(select(*columns).order_by(users.c.username)).all()
    return [_account(row) for row in rows]


def get_user(store, username: str) -> Account | None:
    with db.unavailable_errors(store.engine), store.engine.connect() as connection:
        row = _account_row(connection, normalize_username(username))
    return None if row is None else _account(row)


def has_any_analyst(store) -> bool:
    """True when at least one enabled analyst account exists."""
    query = select(exists().where(users.c.role == ANALYST, users.c.disabled.is_(False)))
    with db.unavailable_errors(store.engine), store.engine.connect() as connection:
        return bool(connection.execute(query).scalar_one())


def analyst_actor(store, username: str) -> Actor:
    """The Actor of an existing, enabled analyst account — the server-side check for named authors.

    Raises UnknownAccount (no such account) or AccountError (disabled, or not an analyst).
    """
    account = get_user(store, username)
    rule_de = "nur ein bestehendes, aktives Analyse-Konto darf veröffentlichen oder zurücksetzen"
    rule_en = "only an existing, enabled analyst account may publish or roll back"
    if account is None:
        name = normalize_username(username)
        raise UnknownAccount(f"Es gibt kein Konto „{name}“; {rule_de}.",
                             f"There is no account “{name}”; {rule_en}.")
    if account.disabled:
        raise AccountError(f"Das Konto „{account.username}“ ist deaktiviert; {rule_de}.",
                           f"The account “{account.username}” is disabled; {rule_en}.")
    if account.role != ANALYST:
        raise AccountError(f"Das Konto „{account.username}“ hat nicht die Rolle Analyst; {rule_de}.",
                           f"The account “{account.username}” does not have the analyst role; {rule_en}.")
    return account.actor


# logging in

def authenticate(store, username: str, password: str, *, client_key: str, now: datetime | None = None) -> Actor:
    """The Actor of the account when the password is right; otherwise LoginFailed or LoginRateLimited.

    Unknown user names, wrong passwords and disabled accounts all cost one argon2 verification and
    give the same message. Each failure counts against the user name and against `client_key`
    (e.g. the client address); MAX_FAILURES within LOCKOUT_WINDOW lock either one until the window
    has passed. A successful login clears the user name's counter.
    """
    now = now or datetime.now(timezone.utc)
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    username = normalize_username(username)
    password = password if isinstance(password, str) else ""
    user_key, client_hash = _user_key(username), _client_key(client_key)
    client_attempt_id = _count_attempt(store, user_key, client_hash, now)

    with db.unavailable_errors(store.engine), store.engine.connect() as connection:
        row = connection.execute(select(users.c.password_hash, users.c.role, users.c.disabled)
                                 .where(users.c.username == username)).one_or_none()
    stored_hash = row.password_hash if row is not None else _dummy_hash()
    if not _verify(stored_hash, password) or row is None or row.disabled:
        raise _login_failed()

    # NOTE: hash before the write transaction, so SQLite's write lock is not held for an argon2 run.
    renewed_hash = HASHER.hash(password) if _needs_rehash(stored_hash) else None
    with db.unavailable_errors(store.engine), db.writer(store.engine).begin() as connection:
        connection.execute(delete(login_attempts).where(login_attempts.c.scope == "user",
                                                        login_attempts.c.key == user_key))
        connection.execute(delete(login_attempts).where(login_attempts.c.attempt_id == client_attempt_id))
        if renewed_hash is not None:
            connection.execute(users.update()
                               .where(users.c.username == username, users.c.password_hash == stored_hash)
                               .values(password_hash=renewed_hash))
    return Actor(username, row.role)


def _count_attempt(store, user_key: str, client_hash: str, now: datetime) -> int:
    """Refuse when either counter is full; else record this attempt as a failure (cleared on success).

    Recording before verifying means parallel attempts on several replicas count each other.
    Returns the id of the client row.
    """
    since = now - LOCKOUT_WINDOW
    with db.unavailable_errors(store.engine), db.writer(store.engine).begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOGIN_LOCK_KEY})
        connection.execute(delete(login_attempts).where(login_attempts.c.at <= since))
        retry_at = None
        for scope, key in (("user", user_key), ("client", client_hash)):
            recent = connection.execute(
                select(login_attempts.c.at)
                .where(login_attempts.c.scope == scope, login_attempts.c.key == key, login_attempts.c.at > since)
                .order_by(login_attempts.c.at.desc()).limit(MAX_FAILURES)).scalars().all()
            if len(recent) >= MAX_FAILURES:
                unlocked_at = recent[MAX_FAILURES - 1] + LOCKOUT_WINDOW
                retry_at = unlocked_at if retry_at is None else max(retry_at, unlocked_at)
        if retry_at is not None:
            raise _rate_limited(retry_at, now)
        connection.execute(login_attempts.insert().values(scope="user", key=user_key, at=now))
        return connection.execute(login_attempts.insert().values(scope="client", key=client_hash, at=now)
                                  ).inserted_primary_key[0]


def _verify(stored_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _needs_rehash(stored_hash: str) -> bool:
    try:
        return HASHER.check_needs_rehash(stored_hash)
    except (InvalidHashError, ValueError):
        return True


_dummy_hashes: dict[tuple, str] = {}


def _dummy_hash() -> str:
    """A hash with the current parameters, verified for unknown users so they cost the same time."""
    parameters = (HASHER.time_cost, HASHER.memory_cost, HASHER.parallelism, HASHER.hash_len, HASHER.type)
    if parameters not in _dummy_hashes:
        _dummy_hashes[parameters] = HASHER.hash("no such user – keine solche Person")
    return _dummy_hashes[parameters]


def _user_key(username: str) -> str:
    return username[:128]


def _client_key(client_key: str) -> str:
    """Client keys (addresses) are stored only as a sha256 digest."""
    return hashlib.sha256(str(client_key or "").encode("utf-8", "surrogatepass")).hexdigest()


def _login_failed() -> LoginFailed:
    window = int(LOCKOUT_WINDOW.total_seconds() // 60)
    return LoginFailed(
        "Anmeldung fehlgeschlagen: Benutzername oder Passwort ist nicht richtig. "
        f"Nach {MAX_FAILURES} Fehlversuchen wird die Anmeldung für {window} Minuten gesperrt.",
        "Login failed: the user name or the password is not correct. "
        f"After {MAX_FAILURES} failed attempts, login is locked for {window} minutes.")


def _rate_limited(retry_at: datetime, now: datetime) -> LoginRateLimited:
    minutes = max(1, math.ceil((retry_at - now).total_seconds() / 60))
    when = retry_at.astimezone(timezone.utc).strftime("%H:%M UTC")
    return LoginRateLimited(
        f"Zu viele fehlgeschlagene Anmeldeversuche. Bitte in {minutes} Minute{'n' if minutes != 1 else ''} "
        f"(ab {when}) erneut versuchen.",
        f"Too many failed login attempts. Please try again in {minutes} minute{'s' if minutes != 1 else ''} "
        f"(from {when}).", retry_at=retry_at)


# roles for OIDC identities and the first-start hint

def role_for_identity(email: str | None, groups: list[str] | None, config: Mapping, *,
                      email_verified: bool | None = None) -> str:
    """ "analyst" when the e-mail (case-insensitive) or a group (exact) is on the `[roles]` allow-list,
    else "viewer". `config` is e.g. {"analyst_emails": [...], "analyst_groups": [...]}; a single string
    is read as a one-entry list. An e-mail the provider marks as not verified is not trusted.
    """
    config = config or {}
    allowed_emails = {entry.strip().casefold() for entry in _entries(config, "analyst_emails") if entry.strip()}
    allowed_groups = {entry.strip() for entry in _entries(config, "analyst_groups") if entry.strip()}
    if email and email_verified is not False and email.strip().casefold() in allowed_emails:
        return ANALYST
    if isinstance(groups, str):
        groups = [groups]
    if any(isinstance(group, str) and group.strip() in allowed_groups for group in groups or []):
        return ANALYST
    return VIEWER


def _entries(config: Mapping, key: str) -> list[str]:
    value = config.get(key) if hasattr(config, "get") else None
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [entry for entry in value if isinstance(entry, str)]


def startup_hint(store, *, oidc_configured: bool) -> str | None:
    """Console text for the first start without any analyst (German, then English); None otherwise."""
    if oidc_configured or has_any_analyst(store):
        return None
    return (
        "Hinweis: Es gibt noch kein Analyse-Konto. Alle sehen die Daten nur lesend; Hochladen, "
        "Veröffentlichen und Zurücksetzen sind gesperrt, bis ein Konto existiert.\n"
        "Konto anlegen – auf dem Server, im Projektordner, mit derselben DATABASE_URL bzw. demselben "
        "DASHBOARD_STATE_DIR wie die App:\n"
        f"    .venv/bin/{ADD_USER_COMMAND}\n"
        f"Der Befehl fragt zweimal nach dem Passwort (mindestens {MIN_PASSWORD_LENGTH} Zeichen). "
        "Alternativ die Anmeldung über OIDC einrichten ([auth] und [roles] in .streamlit/secrets.toml).\n"
        "\n"
        "Note: there is no analyst account yet. Everyone sees the data read-only; upload, publish and "
        "roll back stay locked until an account exists.\n"
        "Create one on the server, in the project folder, with the same DATABASE_URL or "
        "DASHBOARD_STATE_DIR as the app:\n"
        f"    .venv/bin/{ADD_USER_COMMAND}\n"
        f"It asks for the password twice (at least {MIN_PASSWORD_LENGTH} characters). "
        "Alternatively configure OIDC login ([auth] and [roles] in .streamlit/secrets.toml).")


# checks and rows

def _checked_username(username: str) -> str:
    name = normalize_username(username)
    if not USERNAME_PATTERN.match(name):
        raise InvalidAccount(
            f"Der Benutzername „{name}“ ist ungültig: 1 bis 64 Zeichen aus Kleinbuchstaben a–z, Ziffern "
            "und . _ -, beginnend mit einem Buchstaben oder einer Ziffer.",
            f"The user name “{name}” is not valid: 1 to 64 characters from lower-case a–z, digits and "
            ". _ -, starting with a letter or digit.")
    if name in RESERVED_USERNAMES:
        raise InvalidAccount(f"Der Benutzername „{name}“ ist reserviert.",
                             f"The user name “{name}” is reserved.")
    return name


def _checked_email(email: str) -> str:
    email = (email or "").strip()
    if email and (len(email) > 254 or not _EMAIL_PATTERN.match(email)):
        raise InvalidAccount(f"Die E-Mail-Adresse „{email[:80]}“ ist ungültig.",
                             f"The e-mail address “{email[:80]}” is not valid.")
    return email


def _checked_display_name(display_name: str) -> str:
    display_name = " ".join((display_name or "").split())
    if len(display_name) > 200 or any(ord(character) < 32 for character in display_name):
        raise InvalidAccount("Der Anzeigename ist zu lang (höchstens 200 Zeichen) oder enthält Steuerzeichen.",
                             "The display name is too long (at most 200 characters) or has control characters.")
    return display_name


def _check_password(password: str) -> None:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        length = len(password) if isinstance(password, str) else 0
        raise InvalidAccount(
            f"Das Passwort ist zu kurz ({length} Zeichen): mindestens {MIN_PASSWORD_LENGTH} Zeichen.",
            f"The password is too short ({length} characters): at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidAccount(f"Das Passwort ist zu lang: höchstens {MAX_PASSWORD_LENGTH} Zeichen.",
                             f"The password is too long: at most {MAX_PASSWORD_LENGTH} characters.")
    if not password.strip():
        raise InvalidAccount("Das Passwort besteht nur aus Leerzeichen.", "The password is only white space.")


def _set_disabled(store, username: str, disabled: bool) -> None:
    username = normalize_username(username)
    with db.unavailable_errors(store.engine), db.writer(store.engine).begin() as connection:
        changed = connection.execute(users.update().where(users.c.username == username).values(disabled=disabled))
        if changed.rowcount != 1:
            raise _unknown(username)


def _account_row(connection, username: str):
    columns = [users.c[name] for name in Account.__dataclass_fields__]
    return connection.execute(select(*columns).where(users.c.username == username)).one_or_none()


def _account(row) -> Account:
    values = row._asdict()
    values["disabled"] = bool(values["disabled"])
    return Account(**values)


def _unknown(username: str) -> UnknownAccount:
    return UnknownAccount(f"Es gibt kein Konto „{username}“.", f"There is no account “{username}”.")


def _exists(username: str) -> AccountExists:
    return AccountExists(f"Das Konto „{username}“ gibt es schon.", f"The account “{username}” exists already.")
