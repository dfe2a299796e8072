"""Local analyst accounts on SQLite and PostgreSQL: argon2id hashes, same message for every failed login,
rate limits per user name and per client shared by replicas, disabled accounts, rehash; OIDC roles; first-start hint."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

import store
from store import accounts
from store.accounts import LoginFailed, LoginRateLimited
from store.schema import users

PASSWORD = "Erfurt-Domplatz-2016"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
#: Cheap argon2id parameters, so the many logins of these tests stay fast; one test keeps the defaults.
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)




@pytest.fixture
def cheap_hashes(monkeypatch):
    monkeypatch.setattr(accounts, "HASHER", CHEAP)


@pytest.fixture
def anna(opened, cheap_hashes):
    accounts.add_user(opened, "Anna", PASSWORD, email="Anna.Analyst@thueringen.example", display_name="Anna A.")
    return opened


def login(opened, username="anna", password=PASSWORD, *, client="10.0.0.1", now=T0):
    return accounts.authenticate(opened, username, password, client_key=client, now=now)


def fail(opened, username="anna", *, client="10.0.0.1", now=T0) -> None:
    with pytest.raises(LoginFailed):
        login(opened, username, "falsches-passwort!", client=client, now=now)


def stored_hash(opened, username="anna") -> str:
    with opened.engine.connect() as connection:
        return connection.execute(select(users.c.password_hash).where(users.c.username == username)).scalar_one()


def test_password_is_stored_as_argon2id_hash_with_default_parameters_never_in_plain_text(opened):
    accounts.add_user(opened, "anna", PASSWORD)

    with opened.engine.connect() as connection:
        row = connection.execute(select(users)).one()
    assert row.password_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert all(PASSWORD not in str(value) for value in row)
    assert login(opened) == store.Actor("anna", "analyst")


def test_wrong_password_and_unknown_user_get_the_same_bilingual_message(anna):
    with pytest.raises(LoginFailed) as wrong:
        login(anna, password="Erfurt-Domplatz-2017")
    with pytest.raises(LoginFailed) as unknown:
        login(anna, username="niemand", client="10.0.0.2")

    assert (wrong.value.message_de, wrong.value.message_en) == (unknown.value.message_de, unknown.value.message_en)
    assert "Benutzername oder Passwort" in wrong.value.message("de")
    assert "user name or the password" in wrong.value.message("en")
    assert "anna" not in str(wrong.value) and "niemand" not in str(unknown.value)


def test_unknown_user_costs_one_argon2_verification_like_a_known_one(anna, monkeypatch):
    verified = []

    class CountingHasher(PasswordHasher):
        def verify(self, hash, password):
            verified.append(hash)
            return super().verify(hash, password)

    monkeypatch.setattr(accounts, "HASHER", CountingHasher(time_cost=1, memory_cost=1024, parallelism=1))
    fail(anna, "niemand")
    fail(anna, "anna", client="10.0.0.2")

    assert len(verified) == 2 and all(hash.startswith("$argon2id$") for hash in verified)


def test_user_names_are_case_insensitive_at_login(anna):
    assert login(anna, username="  ANNA ").name == "anna"


def test_five_failures_lock_the_user_name_until_the_window_has_passed(anna):
    for second in range(5):
        fail(anna, client=f"10.0.1.{second}", now=T0 + timedelta(seconds=second))

    with pytest.raises(LoginRateLimited) as locked:
        login(anna, client="10.9.9.9", now=T0 + timedelta(minutes=1))
    assert locked.value.retry_at == T0 + timedelta(minutes=15)
    assert "14 Minuten (ab 09:15 UTC)" in locked.value.message("de")
    assert "14 minutes (from 09:15 UTC)" in locked.value.message("en")

    with pytest.raises(LoginRateLimited):
        login(anna, now=T0 + timedelta(minutes=14, seconds=59))
    assert login(anna, now=T0 + timedelta(minutes=15, seconds=1)).name == "anna"


def test_an_unknown_user_name_is_locked_the_same_way_so_the_lock_reveals_nothing(anna):
    for second in range(5):
        fail(anna, "niemand", client=f"10.0.1.{second}", now=T0 + timedelta(seconds=second))
    with pytest.raises(LoginRateLimited):
        login(anna, "niemand", client="10.9.9.9", now=T0 + timedelta(minutes=1))


def test_five_failures_from_one_client_lock_that_client_for_every_user_name(anna):
    for number in range(5):
        fail(anna, f"user{number}", client="203.0.113.7", now=T0 + timedelta(seconds=number))

    with pytest.raises(LoginRateLimited):
        login(anna, client="203.0.113.7", now=T0 + timedelta(minutes=2))
    assert login(anna, client="198.51.100.1", now=T0 + timedelta(minutes=2)).name == "anna"
    assert login(anna, client="203.0.113.7", now=T0 + timedelta(minutes=15, seconds=5)).name == "anna"


def test_a_successful_login_clears_the_user_names_counter(anna):
    for second in range(4):
        fail(anna, client=f"10.0.1.{second}", now=T0 + timedelta(seconds=second))
    login(anna, client="10.0.2.1", now=T0 + timedelta(seconds=10))
    for second in range(4):
        fail(anna, client=f"10.0.3.{second}", now=T0 + timedelta(seconds=20 + second))

    assert login(anna, client="10.0.2.1", now=T0 + timedelta(seconds=30)).name == "anna"


def test_replicas_share_the_counter_through_the_database(anna, store_url):
    other_replica = store.connect(store_url)
    try:
        for second in range(5):
            fail(anna, client="10.0.0.1", now=T0 + timedelta(seconds=second))
        with pytest.raises(LoginRateLimited):
            login(other_replica, client="10.0.0.8", now=T0 + timedelta(minutes=1))
    finally:
        other_replica.close()


def test_disabled_account_is_refused_with_the_same_message_and_can_be_enabled_again(anna):
    accounts.disable_user(anna, "anna")
    with pytest.raises(LoginFailed) as refused:
        login(anna)
    assert "Benutzername oder Passwort" in refused.value.message("de")
    assert accounts.has_any_analyst(anna) is False

    accounts.enable_user(anna, "anna")
    assert login(anna, now=T0 + timedelta(seconds=1)).name == "anna"


def test_hash_is_renewed_at_login_when_the_parameters_change(anna, monkeypatch):
    old = stored_hash(anna)
    assert "t=1" in old

    monkeypatch.setattr(accounts, "HASHER", PasswordHasher(time_cost=2, memory_cost=1024, parallelism=1))
    assert login(anna).name == "anna"
    renewed = stored_hash(anna)
    assert renewed != old and "$m=1024,t=2,p=1$" in renewed
    assert login(anna, now=T0 + timedelta(seconds=1)).name == "anna"
    assert stored_hash(anna) == renewed


def test_account_rules_have_clear_messages(opened, cheap_hashes):
    with pytest.raises(accounts.InvalidAccount, match="mindestens 12 Zeichen"):
        accounts.add_user(opened, "bernd", "elf-Zeichen")
    with pytest.raises(accounts.InvalidAccount, match="at least 12 characters"):
        accounts.add_user(opened, "bernd", "elf-Zeichen")
    with pytest.raises(accounts.InvalidAccount, match="reserviert"):
        accounts.add_user(opened, "System", PASSWORD)
    with pytest.raises(accounts.InvalidAccount, match="Benutzername"):
        accounts.add_user(opened, "anna maria", PASSWORD)
    with pytest.raises(accounts.InvalidAccount, match="E-Mail"):
        accounts.add_user(opened, "bernd", PASSWORD, email="kein-at-zeichen")

    created = accounts.add_user(opened, "Bernd", PASSWORD, email="bernd@example.org")
    assert created.username == "bernd" and created.role == "analyst" and not created.disabled
    with pytest.raises(accounts.AccountExists, match="gibt es schon"):
        accounts.add_user(opened, "BERND", PASSWORD)


def test_list_users_never_shows_a_hash_and_has_any_analyst_follows_the_accounts(opened, cheap_hashes):
    assert accounts.has_any_analyst(opened) is False and accounts.list_users(opened) == []
    accounts.add_user(opened, "carla", PASSWORD, email="carla@example.org", display_name="Carla C.")
    accounts.add_user(opened, "anna", PASSWORD)

    listed = accounts.list_users(opened)
    assert [account.username for account in listed] == ["anna", "carla"]
    assert listed[1].email == "carla@example.org" and listed[1].display_name == "Carla C."
    assert not any("argon2" in str(value) for account in listed for value in vars(account).values())
    assert accounts.has_any_analyst(opened) is True


def test_set_password_replaces_the_old_one_and_unlocks_the_user_name(anna):
    for second in range(5):
        fail(anna, now=T0 + timedelta(seconds=second))
    accounts.set_password(anna, "anna", "Neues-Passwort-2026")

    with pytest.raises(LoginFailed):
        login(anna, client="10.0.0.2", now=T0 + timedelta(minutes=1))
    assert login(anna, password="Neues-Passwort-2026", client="10.0.0.2",
                 now=T0 + timedelta(minutes=1, seconds=1)).name == "anna"
    with pytest.raises(accounts.UnknownAccount):
        accounts.set_password(anna, "niemand", "Neues-Passwort-2026")


def test_analyst_actor_refuses_unknown_and_disabled_accounts(anna):
    assert accounts.analyst_actor(anna, "Anna") == store.Actor("anna", "analyst")
    with pytest.raises(accounts.UnknownAccount, match="aktives Analyse-Konto"):
        accounts.analyst_actor(anna, "mallory")
    accounts.disable_user(anna, "anna")
    with pytest.raises(accounts.AccountError, match="deaktiviert"):
        accounts.analyst_actor(anna, "anna")


def test_startup_hint_explains_the_command_only_while_no_analyst_and_no_oidc_exists(opened, cheap_hashes):
    hint = accounts.startup_hint(opened, oidc_configured=False)
    assert "python -m store users add" in hint
    assert "kein Analyse-Konto" in hint and "no analyst account" in hint
    assert accounts.startup_hint(opened, oidc_configured=True) is None

    accounts.add_user(opened, "anna", PASSWORD)
    assert accounts.startup_hint(opened, oidc_configured=False) is None


ROLES = {"analyst_emails": ["Anna.Analyst@Thueringen.example", "bernd@example.org"],
         "analyst_groups": ["tmasgff-statistik"]}


@pytest.mark.parametrize(("email", "groups", "config", "role"), [
    ("anna.analyst@thueringen.example", None, ROLES, "analyst"),
    ("  BERND@example.org ", [], ROLES, "analyst"),
    ("someone@example.org", ["presse", "tmasgff-statistik"], ROLES, "analyst"),
    ("someone@example.org", ["TMASGFF-Statistik"], ROLES, "viewer"),
    ("someone@example.org", ["presse"], ROLES, "viewer"),
    (None, None, ROLES, "viewer"),
    ("", [""], {"analyst_emails": [""], "analyst_groups": [""]}, "viewer"),
    ("anna.analyst@thueringen.example", None, {}, "viewer"),
    ("bernd@example.org", None, {"analyst_emails": "bernd@example.org"}, "analyst"),
    ("evil-bernd@example.org.attacker", None, ROLES, "viewer"),
])
def test_role_for_identity_uses_the_allow_list_and_defaults_to_viewer(email, groups, config, role):
    assert accounts.role_for_identity(email, groups, config) == role


def test_an_unverified_email_is_not_trusted_for_the_analyst_role():
    assert accounts.role_for_identity("bernd@example.org", None, ROLES, email_verified=False) == "viewer"
    assert accounts.role_for_identity("bernd@example.org", None, ROLES, email_verified=True) == "analyst"
