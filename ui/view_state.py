"""The view in the URL: share link, link aliases, notice about invalid link values, presentation mode.

Every widget that shapes a view is bound to the URL (``bind="query-params"``), so the address bar already is
the link. This module adds what Streamlit 1.67 does not do by itself: aliases (``?present=1``, ``?lang=en``),
a notice when a link held values the widgets rejected (Streamlit drops them silently), the "Link kopieren"
control, and presentation mode (CSS, keyboard navigation).
"""
from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st
from streamlit.errors import StreamlitAPIException

from ui import sections
from ui.i18n import LANGUAGES, t

PRESENT_KEY = "present"
#: Widget key of the "Link kopieren" box in the sidebar.
LINK_BOX_KEY = "link_box"

#: URL aliases, matched case-insensitively, mapped to the value the bound widget accepts.
_BOOLEAN_ALIASES = {"1": "true", "0": "false", "true": "true", "false": "false", "yes": "true", "no": "false",
                    "ja": "true", "nein": "false", "on": "true", "off": "false"}
ALIASES: dict[str, dict[str, str]] = {
    PRESENT_KEY: _BOOLEAN_ALIASES,
    "markers": _BOOLEAN_ALIASES,
    "lang": {"de": "Deutsch", "deutsch": "Deutsch", "german": "Deutsch",
             "en": "English", "english": "English", "englisch": "English"},
}
#: Defaults of the sidebar widgets as they would be written in a URL: Streamlit removes such a value from the
#: URL without it being invalid, so it must not trigger the notice.
SIDEBAR_DEFAULTS: dict[str, list[str]] = {"lang": ["Deutsch"], "markers": ["true"], PRESENT_KEY: ["false"]}

#: Presentation colours (text, background) per Streamlit theme type; a test checks WCAG AA (≥ 4.5:1).
PRESENT_COLOURS = {"light": ("#000000", "#ffffff"), "dark": ("#ffffff", "#000000")}

_PENDING = "_view_state_pending"          # link parameters of the session's first run not yet seen by a widget
_KEYS_REGISTERED = "_view_state_keys"     # a page registered its own keyboard navigation in this run


# --------------------------------------------------------------------------------------------- pure helpers

def normalise_query(query: dict[str, list[str]]) -> dict[str, list[str]]:
    """Replace known aliases (``present=1``, ``lang=en`` …) by the value the bound widget accepts."""
    result = {key: list(values) for key, values in query.items()}
    for key, aliases in ALIASES.items():
        values = result.get(key)
        if values:
            canonical = aliases.get(values[-1].strip().lower())
            if canonical is not None:
                result[key] = [canonical]
    return result


def build_url(base: str | None, query: dict[str, list[str]]) -> str:
    """``base?k=v&k=w`` with every value of every key, percent-encoded; ``?…`` alone when no base is known."""
    pairs = [(key, value) for key, values in query.items() for value in values]
    text = urlencode(pairs)
    base = base or ""
    return f"{base}?{text}" if text else (base or "?")


def app_root(url: str | None, url_paths: list[str]) -> str:
    """The app's root URL (without trailing slash) from the URL of the page on screen."""
    root = (url or "").split("?", 1)[0].rstrip("/")
    for path in sorted(url_paths, key=len, reverse=True):
        if path and root.endswith("/" + path):
            return root[: -len(path) - 1]
    return root


def page_url(root: str, url_path: str, query: dict[str, list[str]]) -> str:
    """Absolute URL of a page ("" = the default page, served at the root)."""
    return build_url(f"{root}/{url_path}" if url_path else f"{root}/", query)


def neighbour_urls(root: str, url_paths: list[str], current: str, default: str, query: dict[str, list[str]],
                   tabs: dict[str, tuple[str, list[str]]] | None = None,
                   open_tab: str | None = None) -> tuple[str | None, str | None]:
    """(previous, next) URL in navigation order, or None at either end. `tabs` maps a page's URL path to its
    tabs (URL parameter, labels): each tab is a stop of its own — the first tab is the page without the
    parameter, as in the page's links — so the keys walk through a page's tabs before the next page, and back
    through them in reverse. `open_tab` is the label of the current page's open tab (None: the first)."""
    tabs = tabs or {}
    if current not in url_paths:
        return None, None
    stops = [(path, label) for path in url_paths for label in [None, *tabs.get(path, ("", []))[1][1:]]]
    labels = tabs.get(current, ("", []))[1]
    index = stops.index((current, open_tab if open_tab in labels[1:] else None))

    def url(i: int) -> str | None:
        if not 0 <= i < len(stops):
            return None
        path, label = stops[i]
        where = query if label is None else {**query, tabs[path][0]: [label]}
        return page_url(root, "" if path == default else path, where)

    return url(index - 1), url(index + 1)


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of ``#rrggbb``."""
    colour = colour.lstrip("#")
    r, g, b = (int(colour[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio, 1.0 … 21.0 (AA for normal text: ≥ 4.5)."""
    lighter, darker = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _presentation_css(text: str, background: str) -> str:
    return f"""<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stSidebarCollapseButton"], [data-testid="stHeader"], [data-testid="stToolbar"],
[data-testid="stDecoration"] {{ display: none !important; }}
html {{ font-size: 20px !important; }}
.stApp, [data-testid="stMain"] {{ background: {background} !important; color: {text} !important; }}
[data-testid="stMain"] {{ font-size: 20px !important; }}
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] label,
[data-testid="stMain"] h1, [data-testid="stMain"] h2, [data-testid="stMain"] h3,
[data-testid="stMain"] [data-testid="stCaptionContainer"],
[data-testid="stMain"] [data-testid="stMarkdownContainer"] {{ color: {text} !important; opacity: 1 !important; }}
[data-testid="stMain"] h1 {{ font-size: 2.6rem !important; }}
[data-testid="stMain"] h2 {{ font-size: 2rem !important; }}
[data-testid="stMain"] h3 {{ font-size: 1.6rem !important; }}
[data-testid="stMain"] [data-testid="stCaptionContainer"] {{ font-size: 1rem !important; }}
[data-testid="stMainBlockContainer"] {{ max-width: 100% !important; padding: 1.5rem 2.5rem 3rem !important; }}
[data-testid="stPlotlyChart"] {{ width: 100% !important; }}
</style>"""


#: Constant CSS per theme type (built once from the constant colours above, no data in it).
PRESENTATION_CSS = {theme: _presentation_css(*colours) for theme, colours in PRESENT_COLOURS.items()}

#: Constant JavaScript: arrow keys / Page Up/Down go to the previous/next URL, Esc to the exit URL. The URLs come
#: in as component data (never interpolated into code); only same-origin URLs are followed.
_KEYBOARD_JS = """
export default function (component) {
  const state = window.__dashboardKeyboard || (window.__dashboardKeyboard = {});
  state.urls = component.data || {};
  if (!state.listener) {
    state.listener = (event) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      const target = event.target;
      const typing = 'input, textarea, select, [contenteditable="true"], [role="slider"], [role="listbox"], [role="combobox"]';
      if (target && target.closest && target.closest(typing)) return;
      const keys = {ArrowRight: "next", PageDown: "next", ArrowLeft: "prev", PageUp: "prev", Escape: "exit"};
      const name = keys[event.key];
      const url = name ? (state.urls || {})[name] : null;
      if (typeof url !== "string" || !url) return;
      const destination = new URL(url, window.location.href);
      if (destination.origin !== window.location.origin) return;
      event.preventDefault();
      window.location.assign(destination.href);
    };
    document.addEventListener("keydown", state.listener);
  }
  return () => {
    if (state.listener) document.removeEventListener("keydown", state.listener);
    state.listener = null;
  };
}
"""


# --------------------------------------------------------------------------------------------- streamlit glue

def current_query() -> dict[str, list[str]]:
    """Every query parameter of this run, widget-bound ones included, each with all its values, and the open
    tab of the page's sections (missing from the URL after a language switch until a tab is clicked: ui.sections)."""
    query = {key: st.query_params.get_all(key) for key in st.query_params}
    return {**sections.link_values(), **query}


def share_url(query: dict[str, list[str]] | None = None) -> str:
    """The link that reproduces the view on screen (page path included)."""
    return build_url(st.context.url, current_query() if query is None else query)


def begin_run() -> bool:
    """Call first thing in the entrypoint, before any widget. True: run again before drawing anything.

    On the session's first run: remember the link's parameters, and rewrite aliases to what the widgets
    accept, and tabs to the link's language or to the tab of a widget the link sets (ui.sections). Possible
    only before the widgets bind the keys; the widgets read the rewritten link on the rerun, which the caller
    starts once `st.navigation` has resolved the page, so a deep link keeps its page.
    On later runs: forget remembered parameters the URL no longer holds (the user navigated away).
    """
    st.session_state[_KEYS_REGISTERED] = False
    sections.start_run()
    if _PENDING not in st.session_state:
        query = current_query()
        normalised = normalise_query(query)
        link_lang = LANGUAGES.get((normalised.get("lang") or [""])[-1], "de")
        normalised = sections.normalise_link(normalised, link_lang)
        st.session_state[_PENDING] = {key: values for key, values in normalised.items()
                                      if SIDEBAR_DEFAULTS.get(key) != values}
        changed = [key for key in normalised if normalised[key] != query.get(key)]
        try:
            for key in changed:
                st.query_params[key] = normalised[key]
        except StreamlitAPIException:       # already bound (cannot happen on a first run): widgets decide
            return False
        return bool(changed)
    pending = st.session_state[_PENDING]
    for key in [key for key, values in pending.items() if st.query_params.get_all(key) != values]:
        del pending[key]
    return False


def presenting() -> bool:
    """Presentation mode: the sidebar toggle, or ``?present=true`` before the toggle exists."""
    if PRESENT_KEY in st.session_state:
        return bool(st.session_state[PRESENT_KEY])
    return st.query_params.get(PRESENT_KEY, "").strip().lower() == "true"


def present_toggle(lang: str) -> bool:
    return st.toggle(t("present_toggle", lang), key=PRESENT_KEY, bind="query-params")


def report_invalid_values(lang: str) -> list[str]:
    """Once the widgets of this run exist: name the link parameters they rejected (one notice)."""
    pending = st.session_state.get(_PENDING) or {}
    rejected = []
    for key in list(pending):
        if key not in st.session_state:        # no widget with this key so far (another page, a plain param)
            continue
        if st.query_params.get_all(key) != pending[key]:
            rejected.append(key)
        del pending[key]
    if rejected:
        names = ", ".join(f"`{key}`" for key in sorted(rejected))   # widget keys of our own, never values
        st.toast(t("invalid_query_notice", lang, names=names), icon=":material/link_off:", duration="long")
    return rejected


def link_button(lang: str) -> None:
    """The "Link kopieren" control: the exact URL of this view in a code box (with a copy icon)."""
    with st.expander(t("link_copy", lang), icon=":material/link:", key=LINK_BOX_KEY, on_change="rerun") as box:
        if not box.open:        # lazy: the link is built and sent only while the box is open
            return
        st.caption(t("link_copy_help", lang))
        st.code(share_url(), language=None, wrap_lines=True)


def exit_url() -> str:
    """This view's link without presentation mode."""
    query = {key: values for key, values in current_query().items() if key != PRESENT_KEY}
    return build_url(st.context.url, query)


def presentation_style(lang: str) -> None:
    """Constant CSS for the current theme type (sidebar, header and toolbar hidden, large type, high contrast)."""
    theme = getattr(st.context.theme, "type", None) or "light"
    st.html(PRESENTATION_CSS.get(theme, PRESENTATION_CSS["light"]))
    st.caption(t("present_exit_hint", lang))


@st.cache_resource
def _keyboard_component():
    return st.components.v2.component("dashboard_keyboard_navigation", js=_KEYBOARD_JS)


def _mount_keyboard(prev_url: str | None, next_url: str | None) -> None:
    data = {"prev": prev_url, "next": next_url, "exit": exit_url() if presenting() else None}
    _keyboard_component()(data=data, key="dashboard_keyboard_navigation")


def keyboard_navigation(prev_url: str | None, next_url: str | None) -> None:
    """Arrow keys and Page Up/Down go to these URLs (a deck registers its slides here); Esc leaves
    presentation mode. Pass URLs you built (e.g. with ``share_url``/``build_url``); other origins are ignored."""
    if st.session_state.get(_KEYS_REGISTERED):
        return
    st.session_state[_KEYS_REGISTERED] = True
    _mount_keyboard(prev_url, next_url)


def page_keyboard_navigation(url_paths: list[str], current: str, default: str, keep: tuple[str, ...],
                             tabs: dict[str, tuple[str, list[str]]] | None = None) -> None:
    """In presentation mode, unless the page registered its own: arrow keys move through the pages in
    navigation order and through the tabs of a page with tabs (`tabs`, see `neighbour_urls`), keeping the
    sidebar parameters ``keep`` (language, markers, presentation)."""
    if not presenting() or st.session_state.get(_KEYS_REGISTERED):
        return
    query = {key: values for key, values in current_query().items() if key in keep}
    root = app_root(st.context.url, url_paths)
    tab_key = (tabs or {}).get(current, (None, []))[0]
    open_tab = next(iter(sections.link_values().get(tab_key, [])), None)
    keyboard_navigation(*neighbour_urls(root, url_paths, current, default, query, tabs, open_tab))
