"""The page registry: file, title key, icon and URL path of every page, in navigation order."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import streamlit as st

from ui.i18n import t
from ui.sections import DEMAND, MIGRATION, TabSet


@dataclass(frozen=True)
class PageDef:
    file: str           # below the repository root, in app_pages/
    title_key: str      # key in ui.i18n strings
    icon: str
    url_path: str       # stable: shared links depend on it
    analyst_only: bool = False   # listed only for analysts; the page and the store check the role again
    tabs: TabSet | None = None   # the page's lazy tabs (ui/sections.py): presentation keys step through them


DEFAULT_URL_PATH = "ueberblick"

PAGES = [
    PageDef("app_pages/overview.py", "page_overview", ":material/dashboard:", "ueberblick"),
    PageDef("app_pages/demand.py", "page_demand", ":material/engineering:", "fachkraeftebedarf", tabs=DEMAND),
    PageDef("app_pages/migration.py", "page_migration", ":material/flight_land:", "zuwanderung-asyl", tabs=MIGRATION),
    PageDef("app_pages/recruitment.py", "page_recruitment", ":material/handshake:", "rekrutierung"),
    PageDef("app_pages/statements.py", "page_statements", ":material/campaign:", "aussagen"),
    PageDef("app_pages/catalogue.py", "page_catalogue", ":material/dataset:", "daten"),
    PageDef("app_pages/explorer.py", "page_explorer", ":material/query_stats:", "explorer"),
    PageDef("app_pages/presentation.py", "page_presentation", ":material/slideshow:", "praesentation"),
    PageDef("app_pages/upload.py", "page_upload", ":material/upload_file:", "daten-hochladen", analyst_only=True),
    PageDef("app_pages/history.py", "page_history", ":material/history:", "versionen", analyst_only=True),
]

#: Pages whose view can be saved (and shown as a slide): every page for everyone except the deck player.
VIEW_PAGES = [page for page in PAGES if not page.analyst_only and page.url_path != "praesentation"]


@lru_cache(maxsize=4)
def present(root: Path) -> tuple[PageDef, ...]:
    """The pages whose file exists below `root`, checked once per process (not on every rerun)."""
    return tuple(page for page in PAGES if (root / page.file).exists())


_NAVIGATION_KEY = "_navigation_pages"


def tab_stops(defs, lang: str) -> dict[str, tuple[str, list[str]]]:
    """URL path -> (tab parameter, tab labels in `lang`) of every page in `defs` that has tabs."""
    return {p.url_path: (p.tabs.key, p.tabs.labels(lang)) for p in defs if p.tabs}


def navigation(defs, default: str, lang: str | None = None) -> list[tuple[PageDef, st.Page]]:
    """(PageDef, st.Page) for `st.navigation`, titles and icons when `lang` is given. The start page comes a
    second time, last and hidden, under its own name (/ueberblick): Streamlit serves the default page only at /
    and would answer its name with "Page not found". Both run the same script with the same widgets and links.

    Built once per session and (pages, start page, language): an `st.Page` resolves its file on the disk
    (a `stat` per path component), ten of them cost ~0.7 ms of every rerun. Kept per session, not per process:
    `st.navigation` marks the page it returns as the one that may run, a flag that sessions must not share."""
    built = st.session_state.setdefault(_NAVIGATION_KEY, {})
    key = (tuple(defs), default, lang)
    if key not in built:
        built[key] = _navigation(defs, default, lang)
    return built[key]


def _navigation(defs, default: str, lang: str | None) -> list[tuple[PageDef, st.Page]]:
    def page(p: PageDef, **where) -> st.Page:
        return st.Page(p.file, title=t(p.title_key, lang) if lang else None, icon=p.icon if lang else None, **where)

    start = next(p for p in defs if p.url_path == default)
    return [(p, page(p, url_path=f"{p.url_path}-start" if p is start else p.url_path, default=p is start))
            for p in defs] + [(start, page(start, url_path=default, visibility="hidden"))]
