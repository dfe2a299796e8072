"""Server-side command line: analyst accounts, batch import with the upload page's validation, history, rollback,
backup and restore.

    python -m store users add NAME [--email E] [--name N] [--password-stdin]
    python -m store users list | users disable NAME | users enable NAME
    python -m store users set-password NAME [--password-stdin]
    python -m store import FILE --dataset NAME --note TEXT --author NAME [--indicator-id ID] [--source-id ID]
                                [--unit UNIT]
    python -m store history DATASET
    python -m store rollback DATASET VERSION_ID --note TEXT --author NAME
    python -m store backup FILE              (the whole store as one zip file; consistent while the app runs)
    python -m store restore FILE [--force]   (into an empty store; --force replaces everything in one transaction)

The database is the app's: DATABASE_URL, else the SQLite file in DASHBOARD_STATE_DIR (default state/).
Exit codes: 0 success, 1 failure (one line "Fehler: …" on stderr), 2 publish conflict or invalid call.
"""
from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

import store
from loaders.errors import LoaderError
from store import accounts
from store.errors import PublishConflict, StoreError

#: Largest file the batch import reads (the upload page has its own, smaller, limit per file).
MAX_IMPORT_BYTES = 200 * 1024 * 1024
EXIT_FAILURE = 1
EXIT_CONFLICT = 2


class CommandFailed(Exception):
    """A failure with its German and English one-line message and the exit code."""

    def __init__(self, message_de: str, message_en: str, code: int = EXIT_FAILURE) -> None:
        super().__init__(message_en)
        self.message_de = message_de
        self.message_en = message_en
        self.code = code


class _OneLineParser(argparse.ArgumentParser):
    """Usage errors as one line on stderr, no usage block."""

    def error(self, message: str) -> None:  # type: ignore[override]
        _print_failure(f"Aufruf ungültig: {message} (Hilfe: python -m store --help)",
                       f"invalid call: {message} (help: python -m store --help)")
        sys.exit(2)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _print_failure(message_de: str, message_en: str) -> None:
    sys.stderr.write(f"Fehler: {_one_line(message_de)} | Error: {_one_line(message_en)}\n")


# users

def _read_password(arguments, *, confirm: bool = True) -> str:
    if arguments.password_stdin:
        line = sys.stdin.readline()
        password = line[:-1] if line.endswith("\n") else line
        return password[:-1] if password.endswith("\r") else password
    try:
        first = getpass.getpass("Passwort / password: ")
        if confirm and getpass.getpass("Passwort wiederholen / repeat password: ") != first:
            raise CommandFailed("Die beiden Passwörter stimmen nicht überein; nichts geändert.",
                                "The two passwords do not match; nothing changed.")
    except EOFError:
        raise CommandFailed("Kein Passwort eingegeben (Eingabe beendet).",
                            "No password entered (input ended).") from None
    return first


def users_add(opened, arguments) -> None:
    password = _read_password(arguments)
    account = accounts.add_user(opened, arguments.username, password, email=arguments.email or "",
                                display_name=arguments.name or "")
    print(f"Konto „{account.username}“ (Rolle {account.role}) angelegt. / "
          f"Account “{account.username}” (role {account.role}) created.")


def users_list(opened, arguments) -> None:
    rows = accounts.list_users(opened)
    if not rows:
        print("Keine Konten. / No accounts.")
        return
    header = ("username", "role", "status", "created (UTC)", "email", "name")
    table = [header] + [(account.username, account.role, "disabled" if account.disabled else "active",
                         account.created_at.strftime("%Y-%m-%d %H:%M"), account.email, account.display_name)
                        for account in rows]
    widths = [max(len(row[index]) for row in table) for index in range(len(header))]
    for row in table:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())


def users_disable(opened, arguments) -> None:
    accounts.disable_user(opened, arguments.username)
    name = accounts.normalize_username(arguments.username)
    print(f"Konto „{name}“ deaktiviert. / Account “{name}” disabled.")


def users_enable(opened, arguments) -> None:
    accounts.enable_user(opened, arguments.username)
    name = accounts.normalize_username(arguments.username)
    print(f"Konto „{name}“ wieder aktiviert. / Account “{name}” enabled again.")


def users_set_password(opened, arguments) -> None:
    name = accounts.normalize_username(arguments.username)
    if accounts.get_user(opened, name) is None:
        raise accounts.UnknownAccount(f"Es gibt kein Konto „{name}“.", f"There is no account “{name}”.")
    accounts.set_password(opened, name, _read_password(arguments))
    print(f"Passwort von „{name}“ geändert. / Password of “{name}” changed.")


# datasets

def _require_note(note: str) -> str:
    note = " ".join((note or "").split())
    if not note:
        raise CommandFailed("--note darf nicht leer sein: bitte sagen, was sich ändert und warum.",
                            "--note must not be empty: please say what changes and why.")
    return note


def _ensure_bundled(opened) -> None:
    """A fresh database gets the bundled data first, so an import never replaces it as version 1."""
    from store.bundled import ensure_bundled

    ensure_bundled(opened)


def _problem_line(problem) -> str:
    where = []
    if problem.line is not None:
        where.append(f"Zeile {problem.line}")
    if problem.column is not None:
        where.append(f"Spalte {problem.column}")
    value = f" [{_one_line(problem.value)}]" if problem.value not in (None, "") else ""
    prefix = ", ".join(where) + ": " if where else ""
    return f"{prefix}{_one_line(problem.message_de)} / {_one_line(problem.message_en)}{value}"


def _diff_counts(diff) -> str:
    """'+3 neu/added, −0 entfernt/removed, ~1 geändert/changed; rows 10 → 13' from the upload's DiffResult."""
    counts = getattr(diff, "counts", None) or {}
    if not counts:
        return ""
    return (f"+{counts.get('added', 0)} neu/added, −{counts.get('removed', 0)} entfernt/removed, "
            f"~{counts.get('changed', 0)} geändert/changed; Zeilen/rows {counts.get('rows_before', 0)} → "
            f"{counts.get('rows_after', 0)}")


def import_file(opened, arguments) -> int:
    from datasets import upload

    note = _require_note(arguments.note)
    actor = accounts.analyst_actor(opened, arguments.author)
    path = Path(arguments.file)
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise CommandFailed(f"Die Datei {path.name} ist zu groß ({size / 1e6:.0f} MB, höchstens "
                                f"{MAX_IMPORT_BYTES / 1e6:.0f} MB).",
                                f"The file {path.name} is too large ({size / 1e6:.0f} MB, at most "
                                f"{MAX_IMPORT_BYTES / 1e6:.0f} MB).")
        data = path.read_bytes()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise CommandFailed(f"Die Datei {path} kann nicht gelesen werden: {reason}.",
                            f"The file {path} cannot be read: {reason}.") from None
    _ensure_bundled(opened)
    live = opened.live_version(arguments.dataset)
    live_frame = opened.read(arguments.dataset, live.version_id) if live is not None else None
    live_sources = opened.read("sources") if "sources" in opened.live_versions() else None
    try:
        prepared = upload.prepare(data, path.name, target=arguments.dataset, live=live_frame,
                                  indicator_id=arguments.indicator_id, source_id=arguments.source_id,
                                  unit=arguments.unit, sources=live_sources)
        problems = list(prepared.problems)
    except LoaderError as error:
        problems = list(error.problems)
    if problems:
        for problem in problems:
            print(_problem_line(problem))
        count = len(problems)
        raise CommandFailed(f"{count} Problem{'e' if count != 1 else ''} in {path.name}; nichts gespeichert.",
                            f"{count} problem{'s' if count != 1 else ''} in {path.name}; nothing saved.")
    if not prepared.publishable:
        raise CommandFailed(f"{path.name} kann nicht veröffentlicht werden (keine Änderung gegenüber der "
                            "aktuellen Version?); nichts gespeichert.",
                            f"{path.name} cannot be published (no change against the live version?); "
                            "nothing saved.")
    version = opened.publish(arguments.dataset, prepared.candidate, actor=actor, note=note,
                             parent_version_id=live.version_id if live is not None else None)
    counts = _diff_counts(prepared.diff)
    print(f"„{arguments.dataset}“ Version {version.number} veröffentlicht (version_id {version.version_id}, "
          f"{version.rows} Zeilen). / “{arguments.dataset}” version {version.number} published "
          f"(version_id {version.version_id}, {version.rows} rows).")
    if counts:
        print(f"Änderungen / changes: {counts}")
    return 0


def history(opened, arguments) -> None:
    header = ("live", "number", "version_id", "created (UTC)", "author", "kind", "rows", "note")
    table = [header] + [("*" if version.is_live else "", str(version.number), str(version.version_id),
                         version.created_at.strftime("%Y-%m-%d %H:%M:%S"), version.author, version.kind,
                         str(version.rows), _one_line(version.note))
                        for version in opened.history(arguments.dataset)]
    widths = [max(len(row[index]) for row in table) for index in range(len(header))]
    for row in table:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())


def rollback(opened, arguments) -> None:
    note = _require_note(arguments.note)
    actor = accounts.analyst_actor(opened, arguments.author)
    live = opened.live_version(arguments.dataset)
    if live is None:
        raise store.UnknownDataset(f"Den Datensatz „{arguments.dataset}“ gibt es nicht.",
                                   f"There is no dataset “{arguments.dataset}”.")
    old = opened.version(arguments.dataset, arguments.version_id)
    version = opened.rollback(arguments.dataset, old.version_id, actor=actor, note=note,
                              parent_version_id=live.version_id)
    print(f"„{arguments.dataset}“ auf den Inhalt von Version {old.number} zurückgesetzt: neue Version "
          f"{version.number} (version_id {version.version_id}, {version.rows} Zeilen). / “{arguments.dataset}” "
          f"rolled back to the content of version {old.number}: new version {version.number} "
          f"(version_id {version.version_id}, {version.rows} rows).")


# backup and restore

def _backup_summary(manifest: dict) -> tuple[str, str]:
    from store.backup import counts_text

    return counts_text({name: entry["rows"] for name, entry in manifest["tables"].items()})


def backup_store(opened, arguments) -> None:
    from store import backup

    manifest = backup.backup(opened, arguments.file)
    summary_de, summary_en = _backup_summary(manifest)
    print(f"Sicherung geschrieben: {arguments.file} ({summary_de}). / Backup written: {arguments.file} "
          f"({summary_en}).")


def restore_store(opened, arguments) -> None:
    from store import backup

    manifest = backup.restore(opened, arguments.file, force=arguments.force)
    summary_de, summary_en = _backup_summary(manifest)
    print(f"Wiederhergestellt aus {arguments.file} (Stand {manifest['created_at']}): {summary_de}; alle "
          f"Prüfsummen stimmen. / Restored from {arguments.file} (taken {manifest['created_at']}): {summary_en}; "
          "every checksum matches.")


# the parser

def build_parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(
        prog="python -m store",
        description="Analyse-Konten, Stapel-Import, Versionen, Zurücksetzen, Sicherung und Wiederherstellung in der "
                    "Datenbank der App (DATABASE_URL, sonst SQLite in DASHBOARD_STATE_DIR). / Analyst accounts, "
                    "batch import, history, rollback, backup and restore of the app's database.",
        epilog="Exit-Codes: 0 ok, 1 Fehler, 2 Konflikt beim Veröffentlichen oder ungültiger Aufruf.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_OneLineParser)

    users = commands.add_parser("users", help="Analyse-Konten verwalten / manage analyst accounts")
    user_commands = users.add_subparsers(dest="users_command", required=True, parser_class=_OneLineParser)
    add = user_commands.add_parser("add", help="Konto mit Rolle analyst anlegen / create an analyst account")
    add.add_argument("username", help="Benutzername (Kleinbuchstaben, Ziffern, . _ -)")
    add.add_argument("--email", default="", help="E-Mail-Adresse")
    add.add_argument("--name", default="", help="Anzeigename / display name")
    add.add_argument("--password-stdin", action="store_true",
                     help="Passwort als erste Zeile der Standardeingabe lesen (sonst zweimal abfragen)")
    add.set_defaults(handler=users_add)
    user_commands.add_parser("list", help="Konten auflisten / list accounts").set_defaults(handler=users_list)
    disable = user_commands.add_parser("disable", help="Konto deaktivieren / disable an account")
    disable.add_argument("username")
    disable.set_defaults(handler=users_disable)
    enable = user_commands.add_parser("enable", help="Konto wieder aktivieren / enable an account again")
    enable.add_argument("username")
    enable.set_defaults(handler=users_enable)
    password = user_commands.add_parser("set-password", help="Passwort ändern / change the password")
    password.add_argument("username")
    password.add_argument("--password-stdin", action="store_true",
                          help="Passwort als erste Zeile der Standardeingabe lesen (sonst zweimal abfragen)")
    password.set_defaults(handler=users_set_password)

    importer = commands.add_parser(
        "import", help="Datei prüfen (wie die Upload-Seite) und als neue Version veröffentlichen / "
                       "validate a file like the upload page and publish it")
    importer.add_argument("file", help="CSV, XLSX, Parquet, GENESIS-Export")
    importer.add_argument("--dataset", required=True, help="Ziel-Datensatz, z. B. indicators")
    importer.add_argument("--note", required=True, help="was sich ändert und warum / what changes and why")
    importer.add_argument("--author", required=True, help="Benutzername eines aktiven Analyse-Kontos")
    importer.add_argument("--indicator-id", default=None, help="indicator_id für eine neue Indikator-Tabelle")
    importer.add_argument("--source-id", default=None, help="source_id der Quelle der Datei")
    importer.add_argument("--unit", default=None, help="Einheit, wenn die Datei keine Einheiten-Spalte hat")
    importer.set_defaults(handler=import_file)

    versions = commands.add_parser("history", help="Versionen eines Datensatzes / versions of a dataset")
    versions.add_argument("dataset")
    versions.set_defaults(handler=history)

    back = commands.add_parser("rollback", help="alten Inhalt als neue Version veröffentlichen / "
                                                "publish an old version's content as a new version")
    back.add_argument("dataset")
    back.add_argument("version_id", type=int, help="version_id aus „history“")
    back.add_argument("--note", required=True)
    back.add_argument("--author", required=True, help="Benutzername eines aktiven Analyse-Kontos")
    back.set_defaults(handler=rollback)

    save = commands.add_parser("backup", help="die ganze Datenbank in eine Datei sichern (ZIP) / "
                                              "back up the whole store into one file (zip)")
    save.add_argument("file", help="Zieldatei, z. B. sicherung-2026-05-18.zip (wird ersetzt, wenn es sie gibt)")
    save.set_defaults(handler=backup_store)

    load = commands.add_parser("restore", help="eine Sicherung in eine leere Datenbank zurückspielen / "
                                               "restore a backup into an empty store")
    load.add_argument("file", help="Datei von „python -m store backup“")
    load.add_argument("--force", action="store_true",
                      help="auch in eine nicht leere Datenbank: ersetzt alles darin (eine Transaktion) / "
                           "replace everything in a store that holds data (one transaction)")
    load.set_defaults(handler=restore_store)
    return parser


def main(argv: list[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    opened = None
    try:
        opened = store.connect()
        return arguments.handler(opened, arguments) or 0
    except PublishConflict as error:
        _print_failure(error.message_de, error.message_en)
        return EXIT_CONFLICT
    except (StoreError, CommandFailed) as error:
        _print_failure(error.message_de, error.message_en)
        return getattr(error, "code", EXIT_FAILURE)
    except KeyboardInterrupt:
        _print_failure("Abgebrochen; nichts weiter geändert.", "Interrupted; nothing more changed.")
        return 130
    except Exception as error:  # noqa: BLE001 - the contract: one line, no traceback
        _print_failure(f"Interner Fehler ({type(error).__name__}).", f"Internal error ({type(error).__name__}).")
        return EXIT_FAILURE
    finally:
        if opened is not None:
            opened.close()


if __name__ == "__main__":
    sys.exit(main())
