"""Saved views and decks in the store (SQLite and PostgreSQL): save, order, pin, role checks, audit, reconnect."""
import pandas as pd
import pytest

import store
from store import views
from store.models import ANALYST, VIEWER, Actor

ANA = Actor("ana", ANALYST)
GUEST = Actor("anonym", VIEWER)


@pytest.fixture
def with_data(opened):
    opened.publish("projections", pd.DataFrame({"value": [1.0, 2.0]}), actor=ANA, note="v1", parent_version_id=None)
    return opened


def _save(connection, title, **changes):
    values = dict(actor=ANA, title=title, note="Notiz", url_path="fachkraeftebedarf",
                  query={"demand_measures": ["shortfall", "total_demand"], "lang": "English"}, mode="live",
                  pinned_versions={})
    return views.save_view(connection, **{**values, **changes})


def test_views_and_decks_are_stored_in_order_and_survive_a_reconnect(with_data, store_url):
    live = with_data.live_version("projections")
    first = _save(with_data, "  Bedarf   2030 ")
    pinned = _save(with_data, "Stand Mai 2016", mode="pinned", pinned_versions={"projections": live.version_id})
    assert first.title == "Bedarf 2030"
    assert first.query_string == "demand_measures=shortfall&demand_measures=total_demand&lang=English"
    deck = views.create_deck(with_data, actor=ANA, title="Landtag", note="Sitzung")
    deck = views.set_deck_items(with_data, deck.deck_id, [pinned.view_id, first.view_id], actor=ANA)
    assert [v.title for v in deck.views] == ["Stand Mai 2016", "Bedarf 2030"]
    with_data.close()

    reopened = store.connect(store_url)
    try:
        deck = views.get_deck(reopened, deck.deck_id)
        assert [v.view_id for v in deck.views] == [pinned.view_id, first.view_id]
        assert deck.views[0].mode == "pinned" and deck.views[0].pinned_versions == {"projections": live.version_id}
        assert deck.views[1].query == {"demand_measures": ["shortfall", "total_demand"], "lang": ["English"]}
        assert [d.title for d in views.list_decks(reopened)] == ["Landtag"]
        assert [v.title for v in views.list_views(reopened)] == ["Stand Mai 2016", "Bedarf 2030"]
        audit = reopened.audit()
        assert {"view_save", "deck_create", "deck_items"} <= set(audit["action"])
        assert set(audit.loc[audit["action"] == "view_save", "who"]) == {"ana"}
    finally:
        reopened.close()


def test_update_and_delete_keep_decks_consistent(with_data):
    first, second, third = (_save(with_data, title) for title in ("A", "B", "C"))
    deck = views.create_deck(with_data, actor=ANA, title="D", view_ids=[first.view_id, second.view_id, third.view_id])
    changed = views.update_view(with_data, second.view_id, actor=ANA, title="B2", note="neu")
    assert (changed.title, changed.note, changed.url_path) == ("B2", "neu", "fachkraeftebedarf")
    views.delete_view(with_data, first.view_id, actor=ANA)
    assert [v.title for v in views.get_deck(with_data, deck.deck_id).views] == ["B2", "C"]
    with pytest.raises(views.UnknownView):
        views.get_view(with_data, first.view_id)
    views.delete_deck(with_data, deck.deck_id, actor=ANA)
    with pytest.raises(views.UnknownDeck):
        views.get_deck(with_data, deck.deck_id)
    assert [v.title for v in views.list_views(with_data)] == ["C", "B2"]


def test_viewers_cannot_write_anything(with_data):
    view = _save(with_data, "A")
    deck = views.create_deck(with_data, actor=ANA, title="D", view_ids=[view.view_id])
    attempts = [
        lambda: _save(with_data, "B", actor=GUEST),
        lambda: views.update_view(with_data, view.view_id, actor=GUEST, title="X"),
        lambda: views.delete_view(with_data, view.view_id, actor=GUEST),
        lambda: views.create_deck(with_data, actor=GUEST, title="E"),
        lambda: views.set_deck_items(with_data, deck.deck_id, [], actor=GUEST),
        lambda: views.update_deck(with_data, deck.deck_id, actor=GUEST, title="X"),
        lambda: views.delete_deck(with_data, deck.deck_id, actor=GUEST),
        lambda: _save(with_data, "B", actor="ana"),
    ]
    for attempt in attempts:
        with pytest.raises(store.PermissionDenied):
            attempt()
    assert [v.title for v in views.list_views(with_data)] == ["A"]
    assert [v.title for v in views.get_deck(with_data, deck.deck_id).views] == ["A"]


def test_invalid_input_is_refused_and_nothing_is_written(with_data):
    live = with_data.live_version("projections")
    with pytest.raises(views.InvalidView):
        _save(with_data, "   ")
    for changes in ({"mode": "frozen"}, {"url_path": "../etc"}, {"query": {"a": [1]}},
                    {"mode": "pinned", "pinned_versions": {"indicators": live.version_id}},
                    {"mode": "pinned", "pinned_versions": {"projections": 99999}}):
        with pytest.raises((views.InvalidView, store.UnknownVersion)):
            _save(with_data, "A", **changes)
    assert views.list_views(with_data) == []
    deck = views.create_deck(with_data, actor=ANA, title="D")
    with pytest.raises(views.UnknownView):
        views.set_deck_items(with_data, deck.deck_id, [12345], actor=ANA)
    with pytest.raises(views.UnknownDeck):
        views.set_deck_items(with_data, 777, [], actor=ANA)
    assert views.get_deck(with_data, deck.deck_id).views == ()


def test_the_charts_of_a_view_are_kept_in_page_order_and_leave_with_the_view(with_data, store_url):
    charts = [views.ChartCall("charts.demand.projection_vintages", "Prognosen im Vergleich",
                              {"measures": ["shortfall"]}),
              {"builder": "charts.demand.demand_split", "title": "Bedarf 2030", "params": {}}]
    saved = _save(with_data, "Mit Diagrammen", charts=charts)
    assert [c.builder for c in saved.charts] == ["charts.demand.projection_vintages", "charts.demand.demand_split"]
    deck = views.create_deck(with_data, actor=ANA, title="D", view_ids=[saved.view_id])
    with_data.close()

    reopened = store.connect(store_url)
    try:
        stored = views.get_deck(reopened, deck.deck_id).views[0]
        assert stored.charts == (views.ChartCall("charts.demand.projection_vintages", "Prognosen im Vergleich",
                                                 {"measures": ["shortfall"]}),
                                 views.ChartCall("charts.demand.demand_split", "Bedarf 2030", {}))
        assert views.list_views(reopened)[0].charts == stored.charts
        assert views.list_decks(reopened)[0].views[0].charts == stored.charts
        assert views.update_view(reopened, saved.view_id, actor=ANA, title="Neu").charts == stored.charts
        views.delete_view(reopened, saved.view_id, actor=ANA)
        assert _save(reopened, "Ohne").charts == ()
    finally:
        reopened.close()


@pytest.mark.parametrize("chart", [
    {"builder": "os.system", "title": "x", "params": {}},                     # only chart builders are ever named
    {"builder": "charts.demand", "title": "x", "params": {}},
    {"builder": "charts.demand.split;import os", "title": "x", "params": {}},
    {"builder": "charts.demand.demand_split", "title": " ", "params": {}},
    {"builder": "charts.demand.demand_split", "title": "x", "params": {"a": object()}},
    {"builder": "charts.demand.demand_split", "title": "x", "params": ["not", "a", "dict"]},
])
def test_a_view_with_an_invalid_chart_is_refused_and_nothing_is_written(with_data, chart):
    with pytest.raises(views.InvalidView):
        _save(with_data, "A", charts=[chart])
    assert views.list_views(with_data) == []
