"""Saved views (a page + its query parameters, live or pinned to data versions) and decks of them.

Everyone may read; only analysts write (PermissionDenied otherwise). Every write leaves a row in the
store's audit table (dataset "saved_views" or "decks", the id and title in the note).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urlencode

from sqlalchemy import delete, select

from store import db
from store.errors import PermissionDenied, StoreError, UnknownVersion
from store.models import Actor
from store.schema import audit, deck_items, decks, saved_view_charts, saved_views, versions

LIVE = "live"
PINNED = "pinned"
MODES = (LIVE, PINNED)
MAX_TITLE = 200
MAX_NOTE = 4000
MAX_QUERY_CHARS = 8000
MAX_CHARTS = 12
MAX_PARAMS_CHARS = 8000
#: A chart builder is named by its dotted path inside the charts package; nothing else is ever imported.
BUILDER_PATTERN = re.compile(r"charts(\.[a-z_][a-z0-9_]*){2}")
_VIEWS_AUDIT = "saved_views"
_DECKS_AUDIT = "decks"


class UnknownView(StoreError):
    """No saved view with that id."""


class UnknownDeck(StoreError):
    """No deck with that id."""


class InvalidView(StoreError):
    """Title, mode, page or query of a view (or a deck) does not meet the rules."""


@dataclass(frozen=True)
class ChartCall:
    """One chart of a saved view: builder path, title as shown at save time, builder parameters."""

    builder: str
    title: str
    params: dict


@dataclass(frozen=True)
class SavedView:
    view_id: int
    title: str
    note: str
    url_path: str
    query: dict[str, list[str]]         # {param: [values]}, as in the URL
    mode: str                           # "live" | "pinned"
    pinned_versions: dict[str, int]     # {dataset: version_id}: the live versions when it was saved
    author: str
    created_at: datetime
    updated_at: datetime
    charts: tuple[ChartCall, ...] = field(default=())   # what a slide of this view renders

    @property
    def query_string(self) -> str:
        """The URL query without "?" (repeated keys for lists)."""
        return urlencode([(key, value) for key, values in self.query.items() for value in values])


@dataclass(frozen=True)
class Deck:
    deck_id: int
    title: str
    note: str
    author: str
    created_at: datetime
    updated_at: datetime
    views: tuple[SavedView, ...] = field(default=())    # in slide order


# --- reading -----------------------------------------------------------------------------------------------------

def list_views(store) -> list[SavedView]:
    """Every saved view, newest first."""
    with db.unavailable_errors(store.engine), store.engine.connect() as connection:
        rows = connection.execute(select(saved_views).order_by(saved_views.c.view_id.desc())).all()
        charts = _charts_of(connection, [row.view_id for row in rows])
    return [_view(row, charts) for row in rows]


def get_view(store, view_id: int) -> SavedView:
    with db.unavailable_errors(store.engine), store.engine.connect() as connection:
        row = _view_row(connection, view_id)
        return _view(row, _charts_of(connection, [row.view_id]))


def list_decks(store) -> list[Deck]:
    """Every deck with its views in slide order, newest deck first."""
    with db.unavailable_errors(store.engine), store.engine.connect() as connection:
        deck_rows = connection.execute(select(decks).order_by(decks.c.deck_id.desc())).all()
        items = connection.execute(
            select(deck_items.c.deck_id, saved_views)
            .join_from(deck_items, saved_views, deck_items.c.view_id == saved_views.c.view_id)
            .order_by(deck_items.c.deck_id, deck_items.c.position)).all()
        charts = _charts_of(connection, {row.view_id for row in items})
    by_deck: dict[int, list[SavedView]] = {}
    for row in items:
        values = row._asdict()
        by_deck.setdefault(values.pop("deck_id"), []).append(_view_from(values, charts))
    return [_deck(row, by_deck.get(row.deck_id, [])) for row in deck_rows]


def get_deck(store, deck_id: int) -> Deck:
    """The deck with its views in slide order (UnknownDeck if there is none with that id)."""
    with db.unavailable_errors(store.engine), store.engine.connect() as connection:
        row = connection.execute(select(decks).where(decks.c.deck_id == deck_id)).one_or_none()
        if row is None:
            raise _unknown_deck(deck_id)
        items = connection.execute(
            select(saved_views)
            .join_from(deck_items, saved_views, deck_items.c.view_id == saved_views.c.view_id)
            .where(deck_items.c.deck_id == deck_id).order_by(deck_items.c.position)).all()
        charts = _charts_of(connection, {item.view_id for item in items})
    return _deck(row, [_view(item, charts) for item in items])


# --- writing -----------------------------------------------------------------------------------------------------

def save_view(store, *, actor: Actor, title: str, note: str = "", url_path: str, query: dict,
              mode: str = LIVE, pinned_versions: dict | None = None, charts=()) -> SavedView:
    """Store a new view. `pinned_versions` are the live version ids at save time ({dataset: version_id});
    `charts` the ChartCalls (or dicts with builder, title, params) the view shows, in page order."""
    _require_analyst(actor)
    values = _checked(title=title, note=note, url_path=url_path, query=query, mode=mode,
                      pinned_versions=pinned_versions or {})
    calls = _checked_charts(charts)
    now = datetime.now(timezone.utc)
    with db.unavailable_errors(store.engine), db.writer(store.engine).begin() as connection:
        _require_versions(connection, values["pinned_versions"])
        view_id = connection.execute(saved_views.insert().values(
            **_encoded(values), author=actor.name, created_at=now, updated_at=now)).inserted_primary_key[0]
        _insert_charts(connection, view_id, calls)
        _audit(connection, actor, "view_save", _VIEWS_AUDIT, f"#{view_id} {values['title']}", now)
    return SavedView(view_id=view_id, **values, author=actor.name, created_at=now, updated_at=now, charts=calls)


def update_view(store, view_id: int, *, actor: Actor, title: str | None = None, note: str | None = None,
                url_path: str | None = None, query: dict | None = None, mode: str | None = None,
                pinned_versions: dict | None = None) -> SavedView:
    """Change the given fields of a view (None = keep)."""
    _require_analyst(actor)
    now = datetime.now(timezone.utc)
    with db.unavailable_errors(store.engine), db.writer(store.engine).begin() as connection:
        old = _view(_view_row(connection, view_id), {})
        values = _checked(
            title=old.title if title is None else title, note=old.note if note is None else note,
            url_path=old.url_path if url_path is None else url_path, query=old.query if query is None else query,
            mode=old.mode if mode is None else mode,
            pinned_versions=old.pinned_versions if pinned_versions is None else pinned_versions)
        _require_versions(connection, values["pinned_versions"])
        connection.execute(saved_views.update().where(saved_views.c.view_id == view_id)
                           .values(**_encoded(values), updated_at=now))
        _audit(connection, actor, "view_update", _VIEWS_AUDIT, f"#{view_id} {values['title']}", now)
        charts = _charts_of(connection, [view_id]).get(view_id, ())
    return SavedView(view_id=view_id, **values, author=old.author, created_at=old.created_at, updated_at=now,
                     charts=charts)


def delete_view(store, view_id: int, *, actor: Actor) -> None:
    """Delete the view; it leaves every deck it was in (the other slides keep their order)."""
    _require_analyst(actor)
    now = datetime.now(timezone.utc)
    with db.unavailable_errors(store.engine), db.writer(store.engine).begin() as connection:
        old = _view(_view_row(connection, view_id), {})
        touched = connection.execute(select(deck_items.c.deck_id).where(deck_items.c.view_id == view_id)
                                     .distinct()).scalars().all()
        connection.execute(delete(deck_items).where(deck_items.c.view_id == view_id))
        connection.execute(delete(saved_view_charts).where(saved_view_charts.c.view_id == view_id))
        for deck_id in touched:
            connection.execute(decks.update().where(decks.c.deck_id == deck_id).values(updated_at=now))
        connection.execute(delete(saved_views).where(saved_views.c.view_id == view_id))
        _audit(connection, actor, "view_delete", _VIEWS_AUDIT, f"#{view_id} {old.title}", now)


def create_deck(store, *, actor: Actor, title: str, note: str = "", view_ids=()) -> Deck:
    _require_analyst(actor)
    title, note = _checked_title(title), _checked_note(note)
    now = datetime.now(timezone.utc)
    with db.unavailable_errors(store.engine), db.writer(store.engine).begin() as connection:
        deck_id = connection.execute(decks.insert().values(
            title=title, note=note, author=actor.name, created_at=now, updated_at=now)).inserted_primary_key[0]
        _replace_items(connection, deck_id, view_ids)
        _audit(connection, actor, "deck_create", _DECKS_AUDIT, f"#{deck_id} {title}", now)
    return get_deck(store, deck_id)


def update_deck(store, deck_id: int, *, actor: Actor, title: str | None = None, note: str | None = None) -> Deck:
    _require_analyst(actor)
    now = datetime.now(timezone.utc)
    with db.unavailable_errors(store.engine), db.writer(store.engine).begin() as connection:
        old = _deck_row(connection, deck_id)
        title = old.title if title is None else _checked_title(title)
        note = old.note if note is None else _checked_note(note)
        connection.execute(decks.update().where(decks.c.deck_id == deck_id)
                           .values(title=title, note=note, updated_at=now))
        _audit(connection, actor, "deck_update", _DECKS_AUDIT, f"#{deck_id} {title}", now)
    return get_deck(store, deck_id)


def set_deck_items(store, deck_id: int, view_ids, *, actor: Actor) -> Deck:
    """Replace the deck's slides by these views, in this order (one transaction)."""
    _require_analyst(actor)
    now = datetime.now(timezone.utc)
    with db.unavailable_errors(store.engine), db.writer(store.engine).begin() as connection:
        old = _deck_row(connection, deck_id)
        _replace_items(connection, deck_id, view_ids)
        connection.execute(decks.update().where(decks.c.deck_id == deck_id).values(updated_at=now))
        _audit(connection, actor, "deck_items", _DECKS_AUDIT,
               f"#{deck_id} {old.title}: " + ", ".join(f"#{v}" for v in view_ids), now)
    return get_deck(store, deck_id)


def delete_deck(store, deck_id: int, *, actor: Actor) -> None:
    """Delete the deck (its views stay)."""
    _require_analyst(actor)
    now = datetime.now(timezone.utc)
    with db.unavailable_errors(store.engine), db.writer(store.engine).begin() as connection:
        old = _deck_row(connection, deck_id)
        connection.execute(delete(deck_items).where(deck_items.c.deck_id == deck_id))
        connection.execute(delete(decks).where(decks.c.deck_id == deck_id))
        _audit(connection, actor, "deck_delete", _DECKS_AUDIT, f"#{deck_id} {old.title}", now)


# --- helpers -----------------------------------------------------------------------------------------------------

def _replace_items(connection, deck_id: int, view_ids) -> None:
    view_ids = [int(view_id) for view_id in view_ids]
    if view_ids:
        known = set(connection.execute(select(saved_views.c.view_id)
                                       .where(saved_views.c.view_id.in_(set(view_ids)))).scalars())
        missing = [view_id for view_id in view_ids if view_id not in known]
        if missing:
            raise _unknown_view(missing[0])
    connection.execute(delete(deck_items).where(deck_items.c.deck_id == deck_id))
    if view_ids:
        connection.execute(deck_items.insert(), [{"deck_id": deck_id, "position": position, "view_id": view_id}
                                                 for position, view_id in enumerate(view_ids, start=1)])


def _insert_charts(connection, view_id: int, calls: tuple[ChartCall, ...]) -> None:
    if calls:
        connection.execute(saved_view_charts.insert(), [
            {"view_id": view_id, "position": position, "builder": call.builder, "title": call.title,
             "params": json.dumps(call.params, ensure_ascii=False, sort_keys=True)}
            for position, call in enumerate(calls, start=1)])


def _charts_of(connection, view_ids) -> dict[int, tuple[ChartCall, ...]]:
    view_ids = set(view_ids)
    if not view_ids:
        return {}
    rows = connection.execute(select(saved_view_charts).where(saved_view_charts.c.view_id.in_(view_ids))
                              .order_by(saved_view_charts.c.view_id, saved_view_charts.c.position)).all()
    found: dict[int, list[ChartCall]] = {}
    for row in rows:
        found.setdefault(row.view_id, []).append(ChartCall(row.builder, row.title, json.loads(row.params)))
    return {view_id: tuple(calls) for view_id, calls in found.items()}


def _require_versions(connection, pinned: dict[str, int]) -> None:
    """Every pinned version exists and belongs to its dataset."""
    if not pinned:
        return
    found = dict(connection.execute(select(versions.c.version_id, versions.c.dataset)
                                    .where(versions.c.version_id.in_(set(pinned.values())))).all())
    for dataset, version_id in pinned.items():
        if found.get(version_id) != dataset:
            raise UnknownVersion(f"Datensatz „{dataset}“ hat keine Version mit der Nummer {version_id}.",
                                 f"Dataset “{dataset}” has no version with id {version_id}.")


def _audit(connection, actor: Actor, action: str, kind: str, note: str, now: datetime) -> None:
    connection.execute(audit.insert().values(at=now, actor=actor.name, role=actor.role, action=action,
                                             dataset=kind, version_id=None, rows=None, sha256=None,
                                             note=note[:MAX_TITLE + 200]))


def _checked(*, title, note, url_path, query, mode, pinned_versions) -> dict:
    return {"title": _checked_title(title), "note": _checked_note(note), "url_path": _checked_path(url_path),
            "query": _checked_query(query), "mode": _checked_mode(mode),
            "pinned_versions": _checked_versions(pinned_versions)}


def _checked_title(title) -> str:
    title = " ".join(str(title or "").split())
    if not title or len(title) > MAX_TITLE:
        raise InvalidView(f"Der Titel muss 1 bis {MAX_TITLE} Zeichen haben.",
                          f"The title must have 1 to {MAX_TITLE} characters.")
    return title


def _checked_note(note) -> str:
    note = str(note or "").strip()
    if len(note) > MAX_NOTE:
        raise InvalidView(f"Die Notiz darf höchstens {MAX_NOTE} Zeichen haben.",
                          f"The note may have at most {MAX_NOTE} characters.")
    return note


def _checked_path(url_path) -> str:
    url_path = str(url_path or "").strip().strip("/")
    if len(url_path) > 128 or not all(c.isalnum() or c in "-_" for c in url_path):
        raise InvalidView("Die Seite der Ansicht ist ungültig.", "The page of the view is not valid.")
    return url_path


def _checked_query(query) -> dict[str, list[str]]:
    if not isinstance(query, dict):
        raise InvalidView("Die Parameter der Ansicht sind ungültig.", "The parameters of the view are not valid.")
    checked = {}
    for key, values in query.items():
        values = [values] if isinstance(values, str) else list(values)
        if not isinstance(key, str) or not key or not all(isinstance(v, str) for v in values):
            raise InvalidView("Die Parameter der Ansicht sind ungültig.",
                              "The parameters of the view are not valid.")
        checked[key] = values
    if len(json.dumps(checked)) > MAX_QUERY_CHARS:
        raise InvalidView("Die Parameter der Ansicht sind zu lang.", "The parameters of the view are too long.")
    return checked


def _checked_charts(charts) -> tuple[ChartCall, ...]:
    """ChartCalls from ChartCall objects or dicts; the builder must look like "charts.module.function"."""
    calls = []
    for chart in list(charts or ()):
        if isinstance(chart, dict):
            chart = ChartCall(chart.get("builder"), chart.get("title"), chart.get("params", {}))
        if not isinstance(chart, ChartCall) or not isinstance(chart.builder, str) \
                or not BUILDER_PATTERN.fullmatch(chart.builder) or not isinstance(chart.params, dict):
            raise InvalidView("Ein Diagramm der Ansicht ist ungültig.", "A chart of the view is not valid.")
        try:
            params_text = json.dumps(chart.params, sort_keys=True)
        except (TypeError, ValueError):
            raise InvalidView("Die Parameter eines Diagramms sind ungültig.",
                              "The parameters of a chart are not valid.") from None
        if len(params_text) > MAX_PARAMS_CHARS:
            raise InvalidView("Die Parameter eines Diagramms sind zu lang.",
                              "The parameters of a chart are too long.")
        calls.append(ChartCall(chart.builder, _checked_title(chart.title), json.loads(params_text)))
    if len(calls) > MAX_CHARTS:
        raise InvalidView(f"Eine Ansicht zeigt höchstens {MAX_CHARTS} Diagramme.",
                          f"A view shows at most {MAX_CHARTS} charts.")
    return tuple(calls)


def _checked_mode(mode) -> str:
    if mode not in MODES:
        raise InvalidView("Eine Ansicht ist entweder „live“ oder „pinned“ (angeheftet).",
                          "A view is either “live” or “pinned”.")
    return mode


def _checked_versions(pinned) -> dict[str, int]:
    try:
        return {str(dataset): int(version_id) for dataset, version_id in dict(pinned).items()}
    except (TypeError, ValueError):
        raise InvalidView("Die angehefteten Versionen sind ungültig.", "The pinned versions are not valid.") from None


def _encoded(values: dict) -> dict:
    return {**values, "query": json.dumps(values["query"], ensure_ascii=False, sort_keys=True),
            "pinned_versions": json.dumps(values["pinned_versions"], sort_keys=True)}


def _view_row(connection, view_id: int):
    row = connection.execute(select(saved_views).where(saved_views.c.view_id == int(view_id))).one_or_none()
    if row is None:
        raise _unknown_view(view_id)
    return row


def _deck_row(connection, deck_id: int):
    row = connection.execute(select(decks).where(decks.c.deck_id == int(deck_id))).one_or_none()
    if row is None:
        raise _unknown_deck(deck_id)
    return row


def _view(row, charts: dict[int, tuple[ChartCall, ...]]) -> SavedView:
    return _view_from(row._asdict(), charts)


def _view_from(values: dict, charts: dict[int, tuple[ChartCall, ...]]) -> SavedView:
    values = dict(values)
    values["charts"] = charts.get(values["view_id"], ())
    values["query"] = json.loads(values["query"])
    values["pinned_versions"] = {k: int(v) for k, v in json.loads(values["pinned_versions"]).items()}
    return SavedView(**values)


def _deck(row, views: list[SavedView]) -> Deck:
    return Deck(**row._asdict(), views=tuple(views))


def _require_analyst(actor: Actor) -> None:
    if not isinstance(actor, Actor) or not actor.may_write:
        role = getattr(actor, "role", "?")
        raise PermissionDenied(
            f"Nur Analystinnen und Analysten dürfen Ansichten und Präsentationen speichern oder ändern "
            f"(Ihre Rolle: {role}).",
            f"Only analysts may save or change views and decks (your role: {role}).")


def _unknown_view(view_id) -> UnknownView:
    return UnknownView(f"Es gibt keine gespeicherte Ansicht #{view_id}.", f"There is no saved view #{view_id}.")


def _unknown_deck(deck_id) -> UnknownDeck:
    return UnknownDeck(f"Es gibt keine Präsentation #{deck_id}.", f"There is no deck #{deck_id}.")
