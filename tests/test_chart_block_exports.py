"""Every chart block offers PNG and SVG downloads, built only on click; without Chromium the buttons say why."""
import datetime as dt
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

import ui.chart_block as chart_block
from charts.export_image import NO_BROWSER
from tests.app_helpers import open_boxes
from ui.chart_block import ChartSource, caption_text, split_caption

PAGE = "app_pages/recruitment.py"


@pytest.fixture
def fake_images(monkeypatch):
    """Record what the image callables would draw, and every deferred download callable by file name."""
    drawn, deferred = [], {}
    monkeypatch.setattr(chart_block, "chart_image", lambda figure, **options: drawn.append(options) or b"image")
    original = MediaFileManager.add_deferred

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        deferred[file_name] = (data_callable, mimetype)
        return original(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return drawn, deferred


def _buttons(at, prefix: str) -> list:
    return [button for button in at.get("download_button") if button.proto.id.rsplit("-", 1)[-1].startswith(prefix)]


def test_every_chart_block_has_png_and_svg_buttons_and_builds_no_image_on_rerun(open_page, fake_images):
    drawn, deferred = fake_images
    at = open_page(PAGE)
    assert not at.exception, at.exception
    assert _buttons(at, "png_") == [], "the downloads are in the lazy box under each chart"
    open_boxes(at)
    charts = len(at.get("plotly_chart"))
    png, svg = _buttons(at, "png_"), _buttons(at, "svg_")
    assert charts >= 2 and len(png) == len(svg) == charts
    assert {b.proto.label for b in png} == {"PNG herunterladen"}
    assert {b.proto.label for b in svg} == {"SVG herunterladen"}
    assert not any(b.proto.disabled for b in png + svg)
    at.run()
    assert not at.exception, at.exception
    assert drawn == [], "rendering and reruns never build an image"

    title = next(h.value for h in at.subheader if f"{chart_block._slug(h.value)}.svg" in deferred)
    image, mime = deferred[f"{chart_block._slug(title)}.svg"]
    assert image() == b"image" and mime == "image/svg+xml"
    caption = next(c.value for c in at.caption if c.value.startswith("Quelle: "))
    assert drawn[0]["title"] == title and drawn[0]["format"] == "svg"
    assert drawn[0]["source_line"].startswith("Quelle: ") and "Lizenz" in drawn[0]["source_line"]
    assert drawn[0]["stand"].startswith("Stand: ") and drawn[0]["stand"] in caption


def test_buttons_speak_english(open_page, fake_images):
    at = open_boxes(open_page(PAGE, lang="English"))
    assert {b.proto.label for b in _buttons(at, "png_")} == {"Download PNG"}
    assert {b.proto.label for b in _buttons(at, "svg_")} == {"Download SVG"}


def test_without_chromium_the_buttons_are_disabled_and_say_why(open_page, monkeypatch):
    monkeypatch.setattr(chart_block, "unavailable_reason", lambda: NO_BROWSER)
    at = open_boxes(open_page(PAGE))
    assert not at.exception, at.exception
    buttons = _buttons(at, "png_") + _buttons(at, "svg_")
    assert buttons and all(b.proto.disabled for b in buttons)
    assert all("kein Chromium" in b.proto.help for b in buttons)
    table_buttons = _buttons(at, "csv_") + _buttons(at, "xlsx_")
    assert len(table_buttons) == len(buttons) and not any(b.proto.disabled for b in table_buttons), \
        "table downloads still work"


def test_caption_splits_into_source_line_and_stand():
    sources = pd.DataFrame({"publisher": ["TLS"], "title": ["Bevölkerung"], "licence": ["dl-de/by-2-0"]})
    for lang, stand_prefix in (("de", "Stand: "), ("en", "As of: ")):
        caption = caption_text(ChartSource(sources, dt.datetime(2026, 11, 25, 13, 5), 4), lang)
        source_line, stand = split_caption(caption)
        assert stand.startswith(stand_prefix) and "25" in stand and "TLS: Bevölkerung" in source_line
        assert "dl-de/by-2-0" in source_line and stand_prefix not in source_line
    assert split_caption("Quelle: X · Lizenz: Y") == ("Quelle: X · Lizenz: Y", "")


def test_the_click_callable_draws_caption_into_a_real_svg():
    import plotly.graph_objects as go

    caption = "Quelle: TLS: Bevölkerung · Lizenz: dl-de/by-2-0 · Stand: 25.11.2026 13:05 UTC (Version 4)"
    svg = chart_block._image(go.Figure(go.Bar(x=["a"], y=[1])), "Titel der Ansicht", caption, "svg")
    text = " ".join(" ".join(e.itertext()) for e in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text"))
    assert "Titel der Ansicht" in text and "Quelle: TLS: Bevölkerung" in text and "Stand: 25.11.2026" in text


def test_clicking_png_in_the_browser_downloads_the_chart_image(tmp_path):
    """The real path: Streamlit runs the deferred callable on click, kaleido renders with Chromium."""
    from playwright.sync_api import expect, sync_playwright

    from tests.browser import CHROMIUM_FLAGS, chromium_path, streamlit_server

    with streamlit_server(tmp_path) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        page = browser.new_context(accept_downloads=True).new_page()
        page.goto(f"{url}/rekrutierung", timeout=60_000)
        page.get_by_text("Tabelle und Downloads").first.click()
        button = page.locator("[data-testid=stDownloadButton] button", has_text="PNG herunterladen").first
        expect(button).to_be_visible(timeout=90_000)
        with page.expect_download(timeout=90_000) as download:
            button.click()
        data = Path(download.value.path()).read_bytes()
        assert download.value.suggested_filename.endswith(".png")
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", data[16:24]) == (1600, 900)
        assert page.locator("[data-testid=stException]").count() == 0
        browser.close()
