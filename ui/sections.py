"""Lazy page sections: tabs whose hidden tabs run and send nothing.

The pages with many charts group them in tabs, bound to the URL (``?demand_tab=Beschäftigung``): the open tab is
part of a shared link, and only its content is built and drawn (``.open``), so the browser draws two or three
charts per navigation instead of seven or nine.

Streamlit 1.67 keeps the value of a URL-bound widget while its tab is hidden and puts it back into the URL when
the tab opens again. This module adds what it does not do:
- a link that sets a widget of a later tab but names no tab (e.g. made before the tabs existed) opens that tab;
- a link whose tab label is in the other language than the link's ``lang`` opens the same tab;
- a language switch keeps the open tab (the URL holds the tab's label, which changes with the language).
  Streamlit then drops the tab from the address bar (the tabs widget's identity includes its labels) until
  the next click on a tab; "Link kopieren" and saved views still name it (`link_values`).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from ui.i18n import LANGUAGES, t


@dataclass(frozen=True)
class Section:
    label_key: str                          # ui.i18n key of the tab label
    widget_keys: tuple[str, ...] = ()       # URL-bound widgets in this tab: a link holding one opens the tab


@dataclass(frozen=True)
class TabSet:
    key: str                                # widget key and URL parameter of the open tab
    sections: tuple[Section, ...]

    def labels(self, lang: str) -> list[str]:
        return [t(section.label_key, lang) for section in self.sections]

    def index_of(self, label: str | None) -> int | None:
        """The section whose label, in any language, is `label`."""
        for lang in LANGUAGES.values():
            if label in (names := self.labels(lang)):
                return names.index(label)
        return None

    def opened_by(self, query: dict[str, list[str]]) -> int | None:
        """The first section with a widget the link sets; None: the link sets none (the first tab opens)."""
        return next((i for i, section in enumerate(self.sections)
                     if any(key in query for key in section.widget_keys)), None)


DEMAND = TabSet("demand_tab", (
    Section("demand_tab_projections", ("demand_measures",)),
    Section("demand_tab_employment", ("demand_laender",)),
    Section("demand_tab_population"),
    Section("demand_tab_sectors", ("demand_district",)),
))
MIGRATION = TabSet("migration_tab", (
    Section("migration_tab_asylum"),
    Section("migration_tab_benefits", ("migration_benefit_year", "migration_districts")),
    Section("migration_tab_protection", ("migration_measure",)),
    Section("migration_tab_inkar", ("migration_inkar_indicator", "migration_inkar_year")),
))
TAB_SETS = (DEMAND, MIGRATION)

_OPEN = "_sections_open"        # tab key -> label of the open tab, for the tabs drawn in this run


def normalise_link(query: dict[str, list[str]], lang: str) -> dict[str, list[str]]:
    """The link's tabs in the link's language (`lang`), and the tab of a widget the link sets when it names no
    tab. Pure: `ui.view_state.begin_run` rewrites the URL with it on a session's first run."""
    result = {key: list(values) for key, values in query.items()}
    for tabs in TAB_SETS:
        names = tabs.labels(lang)
        if result.get(tabs.key):
            index = tabs.index_of(result[tabs.key][-1])
            if index is not None:
                result[tabs.key] = [names[index]]
        elif (index := tabs.opened_by(result)) is not None and index > 0:
            result[tabs.key] = [names[index]]
    return result


def start_run() -> None:
    st.session_state[_OPEN] = {}


def tabs(tab_set: TabSet, lang: str):
    """st.tabs of the sections, bound to the URL; use each tab's ``.open`` to run only the open one."""
    names = tab_set.labels(lang)
    key = tab_set.key
    if key not in st.session_state and key not in st.query_params:     # first view of the page in this session
        index = tab_set.opened_by({name: st.query_params.get_all(name) for name in st.query_params})
        if index:
            st.session_state[key] = names[index]
    containers = st.tabs(names, key=key, bind="query-params")
    opened = st.session_state.get(key)
    st.session_state.setdefault(_OPEN, {})[key] = opened if opened in names[1:] else None
    return containers


def link_values() -> dict[str, list[str]]:
    """The open tab of every tab set drawn in this run (the first tab: none, as in the URL)."""
    return {key: [label] for key, label in st.session_state.get(_OPEN, {}).items() if label}


def follow_language(lang: str) -> None:
    """When the language changes to `lang` (the language radio's callback): the open tab of every page stays
    open under its new label."""
    for tab_set in TAB_SETS:
        index = tab_set.index_of(st.session_state.get(tab_set.key))
        if index is not None:
            st.session_state[tab_set.key] = tab_set.labels(lang)[index]
