"""Presentation mode (URL-bound toggle, ?present=1 alias, constant CSS, exit hint) and theme contrast (WCAG AA)."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from ui.view_state import PRESENT_COLOURS, PRESENTATION_CSS, contrast_ratio

CONFIG = Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml"
AA = 4.5


@pytest.fixture
def app(open_link):
    return open_link


def _styles(at) -> list[str]:
    return [element.proto.body for element in at.get("html")]


def _hint_shown(at) -> bool:
    return any(caption.value.startswith("Präsentation beenden: Esc") for caption in at.caption)


@pytest.mark.parametrize("value", ["1", "true"])
def test_present_in_the_link_turns_presentation_mode_on(app, value):
    at = app(present=value)
    assert not at.exception, at.exception
    assert at.sidebar.toggle(key="present").value is True
    assert at.query_params["present"] == "true"          # ?present=1 is rewritten to what the toggle accepts
    assert PRESENTATION_CSS["light"] in _styles(at)
    assert _hint_shown(at)
    assert at.get("plotly_chart"), "charts stay on screen"
    assert not at.toast, "an alias is not an invalid value"


def test_presentation_mode_is_off_by_default_and_the_toggle_switches_it(app):
    at = app()
    assert at.sidebar.toggle(key="present").value is False
    assert not _hint_shown(at) and not any("stSidebar" in style for style in _styles(at))
    at.sidebar.toggle(key="present").set_value(True).run()
    assert not at.exception, at.exception
    assert _hint_shown(at) and PRESENTATION_CSS["light"] in _styles(at)


def test_presentation_mode_survives_a_page_change(app):
    at = app(present="1", lang="en")
    at.switch_page("app_pages/demand.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Skilled-labour demand"
    assert at.sidebar.toggle(key="present").value is True
    assert any(caption.value.startswith("Leave the presentation: Esc") for caption in at.caption)


def test_presentation_css_hides_sidebar_header_and_toolbar_and_enlarges_type():
    for css in PRESENTATION_CSS.values():
        for selector in ('[data-testid="stSidebar"]', '[data-testid="stHeader"]', '[data-testid="stToolbar"]',
                         '[data-testid="stExpandSidebarButton"]'):
            assert selector in css
        assert "display: none" in css and "font-size: 20px" in css and "2.6rem" in css


@pytest.mark.parametrize("theme", sorted(PRESENT_COLOURS))
def test_presentation_colours_meet_wcag_aa(theme):
    text, background = PRESENT_COLOURS[theme]
    assert contrast_ratio(text, background) >= 7.0          # AAA even; the colours are in the CSS
    assert f"color: {text}" in PRESENTATION_CSS[theme] and f"background: {background}" in PRESENTATION_CSS[theme]


@pytest.mark.parametrize("name", ["light", "dark"])
def test_light_and_dark_themes_meet_wcag_aa(name):
    theme = tomllib.loads(CONFIG.read_text(encoding="utf-8"))["theme"][name]
    text, primary = theme["textColor"], theme["primaryColor"]
    for background in (theme["backgroundColor"], theme["secondaryBackgroundColor"]):
        assert contrast_ratio(text, background) >= AA, (name, text, background)
    assert contrast_ratio(primary, theme["backgroundColor"]) >= AA      # links, selected options, focus rings
    assert contrast_ratio("#ffffff", primary) >= AA                     # white label on a primary button


def test_existing_theme_keys_are_kept():
    assert tomllib.loads(CONFIG.read_text(encoding="utf-8"))["theme"]["primaryColor"] == "#0b5cad"
