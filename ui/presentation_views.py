"""Rendering helpers of the page "Präsentation": choose a deck and a slide, show a saved view, analyst forms.

Titles, notes and author names are user text: they go into st.text / st.caption with escaped Markdown or
tables, never as HTML. Every write calls store.views with the session's Actor, which checks the role again.
"""
from __future__ import annotations

import ast
import logging
from functools import lru_cache, partial
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

import datasets
import store
from charts import export_pptx
from charts.export_image import ExportUnavailable, chart_image, unavailable_reason
from charts.format import escape_markdown
from charts.markers import statement_marker_ids
from store import views as saved
from ui import charts, data, view_save, view_state
from ui.chart_block import split_caption
from ui.i18n import day, t, timestamp
from ui.pages import DEFAULT_URL_PATH, PAGES, VIEW_PAGES
from ui.upload_views import dataset_title

log = logging.getLogger(__name__)

DECK_KEY = "presentation_deck"
SLIDE_KEY = "presentation_slide"
_FLASH = "presentation_flash"
_PENDING = "presentation_pending"
ROOT = Path(__file__).resolve().parent.parent
_BY_PATH = {page.url_path: page for page in VIEW_PAGES}
#: Pixel size of a chart image on a slide (16:9 like the slide; several charts share the slide).
SLIDE_IMAGE_SIZE = (1600, 900)


# --- a view's datasets ------------------------------------------------------------------------------------------


@lru_cache(maxsize=None)
def datasets_of_page(file: str) -> tuple[str, ...]:
    """The datasets a page's charts read: every "charts.module.function" literal in the page script whose
    function declares its datasets (charts.base.uses). Empty if none are found."""
    import importlib

    found: list[str] = []
    try:
        tree = ast.parse((ROOT / file).read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return ()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("charts."):
            module_name, _, function_name = node.value.rpartition(".")
            try:
                function = getattr(importlib.import_module(module_name), function_name)
            except (ImportError, AttributeError, ValueError):
                continue
            found.extend(getattr(function, "datasets", ()))
    return tuple(dict.fromkeys(found))


# --- deck and slide ---------------------------------------------------------------------------------------------


def load_decks() -> list[saved.Deck]:
    """Every deck with its views (fresh on every rerun: an analyst's change shows on the next one)."""
    return saved.list_decks(data.get_store())


def _labels(decks: list[saved.Deck]) -> dict[int, str]:
    titles = [deck.title for deck in decks]
    return {deck.deck_id: deck.title if titles.count(deck.title) == 1 else f"{deck.title} (#{deck.deck_id})"
            for deck in decks}


def _reset_slide() -> None:
    st.session_state[SLIDE_KEY] = 1


def choose_deck(decks: list[saved.Deck], lang: str) -> saved.Deck | None:
    """URL-bound deck choice (the URL holds the deck's title); an unknown deck in the URL gives a notice."""
    if not decks:
        st.info(t("presentation_no_decks", lang))
        return None
    labels = _labels(decks)
    requested = st.query_params.get_all(DECK_KEY)
    if requested and requested[-1] not in labels.values():
        st.warning(t("presentation_unknown_deck", lang), icon=":material/link_off:")
    chosen = st.selectbox(t("presentation_deck", lang), list(labels), format_func=labels.get, key=DECK_KEY,
                          bind="query-params", on_change=_reset_slide)
    return next(deck for deck in decks if deck.deck_id == chosen)


def _step(delta: int, total: int) -> None:
    st.session_state[SLIDE_KEY] = min(max(int(st.session_state.get(SLIDE_KEY, 1)) + delta, 1), total)


def choose_slide(deck: saved.Deck, lang: str) -> int | None:
    """URL-bound slide number (1-based) with previous/next buttons; an unknown slide gives a notice."""
    total = len(deck.views)
    if total == 0:
        st.info(t("presentation_empty_deck", lang))
        return None
    requested = st.query_params.get_all(SLIDE_KEY)
    if requested and not (requested[-1].isdigit() and 1 <= int(requested[-1]) <= total):
        st.warning(t("presentation_unknown_slide", lang), icon=":material/link_off:")
    current = st.session_state.get(SLIDE_KEY, 1)
    if not isinstance(current, int) or not 1 <= current <= total:
        st.session_state[SLIDE_KEY] = 1
    left, middle, right = st.columns([1, 2, 1], vertical_alignment="bottom")
    slide = middle.number_input(t("presentation_slide", lang), min_value=1, max_value=total, step=1,
                                key=SLIDE_KEY, bind="query-params")
    left.button(t("presentation_prev", lang), key="presentation_prev", icon=":material/arrow_back:",
                on_click=_step, args=(-1, total), disabled=slide <= 1, width="stretch")
    right.button(t("presentation_next", lang), key="presentation_next", icon=":material/arrow_forward:",
                 on_click=_step, args=(1, total), disabled=slide >= total, width="stretch")
    _keyboard(slide, total)
    return int(slide)


def _slide_url(number: int) -> str:
    """This page's URL with another slide number (every other parameter kept)."""
    pairs = [(key, value) for key in st.query_params for value in st.query_params.get_all(key) if key != SLIDE_KEY]
    pairs.append((SLIDE_KEY, str(number)))
    base = str(getattr(st.context, "url", "") or "").split("?", 1)[0]
    return f"{base}?{urlencode(pairs)}"


def presenting() -> bool:
    """Presentation mode (ui.view_state): the page then shows the slide only, no analyst tools."""
    return view_state.presenting()


def _keyboard(slide: int, total: int) -> None:
    view_state.keyboard_navigation(_slide_url(slide - 1) if slide > 1 else None,
                                   _slide_url(slide + 1) if slide < total else None)


# --- one slide --------------------------------------------------------------------------------------------------


def _mode_text(mode: str, lang: str) -> str:
    return t(f"presentation_mode_{mode}", lang)


def _link_query(view: saved.SavedView) -> dict[str, list[str]]:
    """The view's query; a pinned view's link also names the view, so its page shows the pinned data."""
    if view.mode == saved.PINNED:
        return {**view.query, view_save.VIEW_KEY: [str(view.view_id)]}
    return view.query


def _view_versions(view: saved.SavedView) -> dict:
    """The versions a view's charts read: its pinned ones (a pinned view), else this rerun's live ones."""
    if view.mode == saved.PINNED:
        return data.versions_for(view.pinned_versions)[0]
    return data.live_versions()


def show_slide(deck: saved.Deck, slide: int, lang: str) -> None:
    view = deck.views[slide - 1]
    st.caption(t("presentation_slide_of", lang, number=slide, total=len(deck.views)))
    with st.container(border=True):
        st.header(escape_markdown(view.title), anchor=False)
        if view.note:
            st.text(view.note)
        show_charts(view, lang)
        page = _BY_PATH.get(view.url_path)
        if page is None:
            st.warning(t("presentation_unknown_page", lang))
        else:
            st.page_link(page.file, label=t("presentation_open_view", lang, page=t(page.title_key, lang)),
                         icon=":material/open_in_new:", query_params=_link_query(view))
        st.caption(escape_markdown(t("presentation_view_meta", lang, author=view.author,
                                     when=timestamp(view.updated_at, lang), mode=_mode_text(view.mode, lang))))
        if view.mode == saved.PINNED:
            show_pinned(view, page, lang)


def show_charts(view: saved.SavedView, lang: str) -> None:
    """The view's charts as saved (builder, title, parameters), drawn from its pinned versions if pinned."""
    if not view.charts:
        st.info(t("presentation_no_charts", lang))
        return
    with data.showing(_view_versions(view)):
        for index, call in enumerate(view.charts):
            try:
                charts.render(call.builder, key=f"slide_{view.view_id}_{index}", title=call.title, lang=lang,
                              record=False, **call.params)
            except Exception:       # a chart saved by an older app version: say so, never a traceback
                log.exception("saved view %s: chart %s cannot be drawn", view.view_id, call.builder)
                st.warning(t("presentation_chart_failed", lang))


def pinned_lines(view: saved.SavedView, page, lang: str) -> list[str]:
    """One line per dataset the page reads: the pinned version (number, date) and a newer live one, if any."""
    relevant = datasets_of_page(page.file) if page is not None else ()
    names = [name for name in view.pinned_versions if not relevant or name in relevant]
    live = data.live_versions()
    lines = []
    for name in names:
        title = dataset_title(name, lang) if name in datasets.NAMES else name
        try:
            version = data.get_store().version(name, view.pinned_versions[name])
        except store.UnknownVersion:
            lines.append(t("presentation_pinned_missing", lang, dataset=title))
            continue
        lines.append(t("presentation_pinned_line", lang, dataset=title, number=version.number,
                       when=timestamp(version.created_at, lang)))
        newest = live.get(name)
        if newest is not None and newest.version_id != version.version_id:
            lines.append(t("presentation_pinned_newer", lang, dataset=title, number=newest.number,
                           when=timestamp(newest.created_at, lang)))
    return lines


def show_pinned(view: saved.SavedView, page, lang: str) -> None:
    lines = pinned_lines(view, page, lang)
    st.subheader(t("presentation_pinned_as_of", lang), anchor=False)
    st.markdown("\n".join(f"- {escape_markdown(line)}" for line in lines))
    st.caption(t("presentation_pinned_live_note", lang))


def deck_download(deck: saved.Deck, lang: str) -> None:
    """The deck as PPTX: texts and charts are prepared now (cached), the images are drawn only when clicked."""
    if not deck.views:
        return
    slides = export_slides(deck, lang)
    st.download_button(t("presentation_download_pptx", lang), partial(deck_bytes, slides, deck.title, lang),
                       file_name=f"praesentation-{deck.deck_id}.pptx", key="presentation_pptx", on_click="ignore",
                       icon=":material/slideshow:",
                       mime="application/vnd.openxmlformats-officedocument.presentationml.presentation")


def view_url(view: saved.SavedView) -> str:
    """The absolute link of a saved view ("/page?query" while the app's address is unknown)."""
    base = view_state.app_root(str(getattr(st.context, "url", "") or ""), [page.url_path for page in PAGES])
    path = "" if view.url_path == DEFAULT_URL_PATH else view.url_path
    query = urlencode([(key, value) for key, values in _link_query(view).items() for value in values])
    return f"{base}/{path}" + (f"?{query}" if query else "")


def export_slide(view: saved.SavedView, *, page_title: str, stand_lines: list[str], url: str, lang: str,
                 chart_parts: tuple = (), statements: str = ""):
    """A slide of the deck before its images exist: (export_pptx.Slide without images, the charts to draw as
    (figure, title, source line, Stand)).
    Title; source line = the charts' sources and Stand (or the page and mode without charts); speaker notes =
    the view's note, the statements and claims its charts show, and its link."""
    sources = list(dict.fromkeys(f"{source} · {stand}".strip(" ·") for _figure, _title, source, stand in chart_parts))
    if sources:
        source_line = "\n".join(sources)
    elif view.mode == saved.PINNED:
        source_line = f"{t('presentation_pinned_as_of', lang)}: " + "; ".join(stand_lines)
    else:
        source_line = f"{page_title} · {_mode_text(view.mode, lang)}"
    notes = "\n\n".join(part for part in (view.note, statements, url) if part)
    return export_pptx.Slide(title=view.title, images=(), source_line=source_line, notes=notes), chart_parts


def _chart_parts(view: saved.SavedView, lang: str) -> tuple[tuple, str]:
    """The view's charts ready for export (built with its versions, cached) and the statement ids they show."""
    parts, statement_ids = [], []
    with data.showing(_view_versions(view)):
        for call in view.charts:
            try:
                result = charts.result(call.builder, lang=lang, **call.params)
                source_line, stand = split_caption(charts.caption(call.builder, result, lang))
            except Exception:       # as on the slide: an unusable old chart is left out, never a traceback
                log.exception("saved view %s: chart %s cannot be exported", view.view_id, call.builder)
                continue
            parts.append((result.figure, call.title, source_line, stand))
            statement_ids += statement_marker_ids(result.figure)
            statement_ids += [str(call.params[key]) for key in ("statement_id",) if call.params.get(key)]
            if call.params.get("claim_id"):
                claims, _ = data.dataset("claims")
                statement_ids += claims.loc[claims["claim_id"] == call.params["claim_id"], "statement_id"].tolist()
        statements = statement_notes(list(dict.fromkeys(statement_ids)), lang)
    return tuple(parts), statements


def statement_notes(statement_ids: list[str], lang: str) -> str:
    """Speaker-note text: each statement (date, institution, title, quote, link) and the claims it makes."""
    if not statement_ids:
        return ""
    statements, _ = data.dataset("policy_statements")
    claims, _ = data.dataset("claims")
    chosen = statements[statements["statement_id"].isin(statement_ids)].sort_values(["date", "statement_id"])
    lines = [f"{t('presentation_notes_statements', lang)}:"]
    for row in chosen.itertuples():
        lines.append(f"- {day(row.date, lang)} · {row.institution}: {row.title}")
        if isinstance(row.quote, str) and row.quote:
            lines.append(f"  „{row.quote}“")
        texts = claims.loc[claims["statement_id"] == row.statement_id, "text"].dropna().tolist()
        if texts:
            lines.append(f"  {t('presentation_notes_claims', lang)}: " + "; ".join(texts))
        if isinstance(row.source_url, str) and row.source_url:
            lines.append(f"  {row.source_url}")
    return "\n".join(lines)


def export_slides(deck: saved.Deck, lang: str) -> list:
    """Every slide of the deck as (Slide without images, its charts) — see export_slide."""
    slides = []
    for view in deck.views:
        page = _BY_PATH.get(view.url_path)
        parts, statements = _chart_parts(view, lang)
        slides.append(export_slide(
            view, page_title=t(page.title_key, lang) if page else view.url_path, url=view_url(view), lang=lang,
            stand_lines=pinned_lines(view, page, lang) if view.mode == saved.PINNED else [],
            chart_parts=parts, statements=statements))
    return slides


def deck_bytes(slides: list, deck_title: str, lang: str) -> bytes:
    """Run when the download is clicked: draw every chart image (title, source and Stand in the image), then
    the PPTX. Without Chromium the slides say that no image is available instead of failing."""
    finished = []
    for slide, chart_parts in slides:
        images = []
        if unavailable_reason() is None:
            for figure, title, source_line, stand in chart_parts:
                width, height = SLIDE_IMAGE_SIZE
                try:
                    images.append(chart_image(figure, title=title, source_line=source_line, stand=stand,
                                              format="png", width=width, height=height))
                except ExportUnavailable:
                    log.exception("deck export: image of %r failed", title)
        finished.append(export_pptx.Slide(title=slide.title, images=tuple(images), source_line=slide.source_line,
                                          notes=slide.notes))
    return export_pptx.deck_pptx(finished, deck_title=deck_title, lang=lang)


# --- analysts: save views, manage decks --------------------------------------------------------------------------


def start(lang: str) -> None:
    """At the top of the page, before any widget: apply what the last write asked for, show its message."""
    for key, value in st.session_state.pop(_PENDING, {}).items():
        if value is None:
            st.session_state.pop(key, None)
        else:
            st.session_state[key] = value
    message = st.session_state.pop(_FLASH, None)
    if message:
        st.success(message)


def _done(message: str, pending: dict) -> None:
    """After a write: remember the message and the widget changes for the next run (widgets of this run are
    already drawn and cannot be changed any more), then rerun."""
    st.session_state[_FLASH] = message
    st.session_state[_PENDING] = pending
    st.rerun()


def save_hint(lang: str) -> None:
    """Views are saved on their own page (sidebar), where their charts and settings are on screen."""
    st.subheader(t("presentation_save", lang), anchor=False)
    st.caption(t("presentation_save_help", lang))


def _view_label(all_views: list[saved.SavedView]):
    titles = {view.view_id: f"#{view.view_id} {view.title}" for view in all_views}
    return lambda view_id: titles.get(view_id, f"#{view_id}")


def views_table(all_views: list[saved.SavedView], lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        t("presentation_col_id", lang): pd.array([v.view_id for v in all_views], dtype="Int64"),
        t("presentation_col_title", lang): pd.Series([v.title for v in all_views], dtype="str"),
        t("presentation_col_page", lang): pd.Series([t(_BY_PATH[v.url_path].title_key, lang)
                                                     if v.url_path in _BY_PATH else v.url_path for v in all_views],
                                                    dtype="str"),
        t("presentation_col_mode", lang): pd.Series([_mode_text(v.mode, lang) for v in all_views], dtype="str"),
        t("presentation_col_author", lang): pd.Series([v.author for v in all_views], dtype="str"),
        t("presentation_col_updated", lang): pd.Series([timestamp(v.updated_at, lang) for v in all_views],
                                                       dtype="str"),
    })


def manage(actor: store.Actor, decks: list[saved.Deck], deck: saved.Deck | None, lang: str) -> None:
    """Saved views (list, delete), a new deck, the chosen deck's slides (choose and order), delete deck."""
    connection = data.get_store()
    all_views = saved.list_views(connection)
    label = _view_label(all_views)
    ids = [view.view_id for view in all_views]
    st.subheader(t("presentation_views", lang), anchor=False)
    if not all_views:
        st.caption(t("presentation_no_views", lang))
    else:
        st.dataframe(views_table(all_views, lang), hide_index=True, width="stretch")
        with st.form("presentation_delete_view_form"):
            doomed = st.selectbox(t("presentation_delete_view", lang), ids, format_func=label,
                                  key="presentation_delete_view_id")
            if st.form_submit_button(t("presentation_delete_view_button", lang)):
                _write(lambda: saved.delete_view(connection, doomed, actor=actor),
                       t("presentation_view_deleted", lang), lang)

    st.subheader(t("presentation_new_deck", lang), anchor=False)
    with st.form("presentation_new_deck_form"):
        title = st.text_input(t("presentation_title", lang), key="presentation_new_deck_title",
                              max_chars=saved.MAX_TITLE)
        note = st.text_area(t("presentation_note", lang), key="presentation_new_deck_note", max_chars=saved.MAX_NOTE)
        chosen = st.multiselect(t("presentation_deck_views", lang), ids, format_func=label,
                                key="presentation_new_deck_views")
        if st.form_submit_button(t("presentation_create_deck", lang), type="primary"):
            _write(lambda: saved.create_deck(connection, actor=actor, title=title, note=note, view_ids=chosen),
                   t("presentation_deck_created", lang, title=" ".join(title.split())), lang, select_new=True)

    if deck is None:
        return
    st.subheader(t("presentation_edit_deck", lang, title=escape_markdown(deck.title)), anchor=False)
    current = [view.view_id for view in deck.views]
    version = f"{deck.deck_id}_{int(deck.updated_at.timestamp() * 1000)}"
    with st.form(f"presentation_items_form_{version}"):
        chosen = st.multiselect(t("presentation_deck_views", lang), ids, default=current, format_func=label,
                                key=f"presentation_items_{version}")
        if st.form_submit_button(t("presentation_save_items", lang), type="primary"):
            _write(lambda: saved.set_deck_items(connection, deck.deck_id, chosen, actor=actor),
                   t("presentation_items_saved", lang), lang, reset_slide=True)
    if st.button(t("presentation_delete_deck", lang), key="presentation_delete_deck", icon=":material/delete:"):
        _write(lambda: saved.delete_deck(connection, deck.deck_id, actor=actor),
               t("presentation_deck_deleted", lang), lang, forget_deck=True)


def _write(action, message: str, lang: str, *, select_new: bool = False, reset_slide: bool = False,
           forget_deck: bool = False) -> None:
    try:
        result = action()
    except store.StoreError as error:
        st.error(error.message(lang))
        return
    pending = {}
    if select_new:
        pending = {**dict.fromkeys(("presentation_new_deck_title", "presentation_new_deck_note",
                                    "presentation_new_deck_views")), DECK_KEY: result.deck_id}
    if reset_slide or select_new or forget_deck:
        pending[SLIDE_KEY] = 1
    if forget_deck:
        pending[DECK_KEY] = None
    _done(message, pending)
