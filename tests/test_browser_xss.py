"""Browser probe: script and Markdown payloads in published and uploaded data are shown as text, never run.

A synthetic indicator whose region names, breakdown labels, unit and note carry payloads (and a source whose
title, publisher, licence and note do) is published through the CLI; then headless Chromium opens the Explorer
(chart, hover, table), "Daten & Quellen" and, as analyst, the upload page with a file carrying the same payloads.
After every step: no payload ran (`window.__xss` stays undefined), no exception box, and the payload text is
on the page as text.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import pytest
from playwright.sync_api import expect, sync_playwright

import store
from tests.browser import CHROMIUM_FLAGS, ROOT, chromium_path, streamlit_server

FIXTURE = Path(__file__).parent / "fixtures" / "upload" / "synthetic-xss-labels.csv"
INDICATOR = "synthetic_xss_probe"
SOURCE = "synthetic-xss-source"
PASSWORD = "richtig-langes-passwort"
BOX = "Anmeldung für Analystinnen und Analysten"
SVG = '<svg onload="window.__xss=1">'            # region name of 16051 (with " Erfurt")
IMG = '<img src=x onerror="window.__xss=2">'      # a value of `sex`
SCRIPT = "<script>window.__xss=3</script>"        # in the unit
LINK = "[link](javascript:window.__xss=5)"        # region name of 16053 and the note
FORMULA = '=HYPERLINK("http://example.invalid","x")'   # region name of 16052
UPLOAD_NAME = "<svg onload=window.__xss=14>.csv"   # a double quote would arrive as %22
PAYLOAD_SOURCE = {
    "source_id": SOURCE, "title": '<svg onload="window.__xss=6">Quelle **fett** [link](javascript:window.__xss=7)',
    "publisher": '<img src=x onerror="window.__xss=8">Verlag',
    "url": "https://example.invalid/?q=<svg/onload=window.__xss=9>", "licence": "<script>window.__xss=10</script>CC",
    "published": "2024-01-01", "accessed": "2024-02-01", "confidence": "high",
    "note": '"><svg/onload=window.__xss=11>', "raw_path": ""}


def cli(state_dir: Path, *arguments: str, stdin: str | None = None) -> None:
    done = subprocess.run([sys.executable, "-m", "store", *arguments], input=stdin, text=True, capture_output=True,
                          cwd=ROOT, timeout=60, env={**os.environ, "DASHBOARD_STATE_DIR": str(state_dir)})
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture
def published(app_state_dir, tmp_path) -> Path:
    """The state with analyst `ana`, a payload source and the payload indicator, all through the CLI."""
    cli(app_state_dir, "users", "add", "ana", "--name", "Ana Muster", "--password-stdin", stdin=PASSWORD + "\n")
    connection = store.connect(state_dir=app_state_dir)
    sources = pd.concat([connection.read("sources"), pd.DataFrame([PAYLOAD_SOURCE])], ignore_index=True)
    connection.close()
    sources.to_csv(tmp_path / "sources.csv", index=False)
    cli(app_state_dir, "import", str(tmp_path / "sources.csv"), "--dataset", "sources", "--author", "ana",
        "--note", 'Quelle <svg onload="window.__xss=12"> **fett**')
    cli(app_state_dir, "import", str(FIXTURE), "--dataset", "indicators", "--indicator-id", INDICATOR,
        "--source-id", SOURCE, "--author", "ana", "--note", 'Probe <img src=x onerror="window.__xss=13">')
    return app_state_dir


def assert_safe(page, step: str, *texts: str) -> None:
    """Nothing ran, no exception box, every text is on the page as text (DOM text, incl. the grids' a11y cells)."""
    if os.environ.get("XSS_DEBUG"):
        page.wait_for_timeout(3000)
        page.screenshot(path=f"/tmp/xss/{step}.png", full_page=True)
        Path(f"/tmp/xss/{step}.html").write_text(page.content())
    for text in texts:
        expect(page.get_by_text(text, exact=False).first, f"{step}: {text!r} not shown").to_be_attached(
            timeout=30_000)
    assert page.evaluate("window.__xss") is None, step
    assert page.locator("[data-testid=stException]").count() == 0, step
    assert page.locator("body svg[onload], body img[onerror], body script:not([src])").count() == 0, step


def upload_bytes() -> bytes:
    """The fixture plus rows whose bad cells carry payloads, so the problem table quotes them."""
    bad = '"16051";"Erfurt";"2024";"**bold**";"<svg/onload=window.__xss=20>";"<script>window.__xss=21</script>";' \
          '"";"note"\n'
    return FIXTURE.read_bytes() + bad.encode()


def open_login_box(page) -> None:
    box = page.locator("[data-testid=stSidebar] [data-testid=stExpander]", has_text=BOX)
    expect(box).to_be_visible(timeout=60_000)
    box.get_by_text(BOX).click()


def choose(page, label: str, option: str) -> None:
    """Pick `option` (a prefix of its text) in the select box labelled `label`, and check it stuck."""
    box = page.locator("[data-testid=stSelectbox]", has=page.get_by_text(label, exact=True)).first
    for attempt in range(3):
        box.click()
        box.locator("input").fill(option)            # the list is virtualised: filter it first
        page.get_by_role("option", name=option).first.click()
        settled(page)
        try:
            expect(box.get_by_role("combobox")).to_have_value(re.compile("^" + re.escape(option)), timeout=20_000)
            return
        except AssertionError:
            # NOTE: on a loaded machine a choice made while the previous rerun still runs can be lost.
            if attempt == 2:
                raise


def settled(page) -> None:
    """Wait until the app's script run (rerun after a widget change) has finished."""
    expect(page.locator("[data-testid=stStatusWidgetRunningIcon]")).to_have_count(0, timeout=60_000)


def explorer_url(url: str, **params: str) -> str:
    return f"{url}/explorer?" + urlencode({"explorer_indicator": INDICATOR, **params})


def test_payloads_in_data_are_rendered_as_text_never_run(published):
    with streamlit_server(published) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        try:
            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            page.goto(explorer_url(url), timeout=60_000)
            chart = page.locator("[data-testid=stPlotlyChart]")
            expect(chart).to_be_visible(timeout=60_000)
            assert_safe(page, "explorer", SCRIPT, PAYLOAD_SOURCE["publisher"], PAYLOAD_SOURCE["licence"])

            page.goto(explorer_url(url, explorer_breakdown="Geschlecht", explorer_value=IMG), timeout=60_000)
            expect(chart).to_be_visible(timeout=60_000)
            chart.locator(".scatterlayer .point").first.hover(force=True)
            expect(chart.locator(".hoverlayer")).to_contain_text(SCRIPT, timeout=30_000)   # escaped hover text
            assert_safe(page, "hover", "Geschlecht = " + IMG)
            page.get_by_text("Tabelle und Downloads").click()
            expect(page.locator("[data-testid=stDataFrame]")).to_be_visible(timeout=30_000)
            assert_safe(page, "table", IMG, SCRIPT)

            page.locator("[data-testid=stSidebarNav] a:has-text('Daten & Quellen')").click()
            expect(page.get_by_role("heading", name="Daten & Quellen")).to_be_visible(timeout=60_000)
            page.get_by_text("Alle Quellen", exact=False).first.click()
            expect(page.locator("[data-testid=stDataFrame]").last).to_be_visible(timeout=30_000)
            # NOTE: the payload source is the last of ~70 rows; the grid puts only visible rows into the DOM.
            assert_safe(page, "catalogue")

            open_login_box(page)
            sidebar = page.locator("[data-testid=stSidebar]")
            sidebar.get_by_label("Benutzername").fill("ana")
            sidebar.get_by_label("Passwort", exact=True).fill(PASSWORD)
            sidebar.get_by_role("button", name="Anmelden", exact=True).click()
            expect(sidebar.get_by_text("Angemeldet als Ana Muster")).to_be_visible(timeout=30_000)
            sidebar.locator("[data-testid=stSidebarNav] a:has-text('Daten hochladen')").click()
            expect(page.get_by_role("heading", name="Daten hochladen")).to_be_visible(timeout=60_000)
            choose(page, "Datensatz", "Neuer Indikator-Datensatz")
            field = page.get_by_role("textbox", name="Kennung der neuen Kennzahl")
            field.fill("synthetic_xss_upload")
            field.press("Enter")
            settled(page)
            choose(page, "Quelle der Datei", SOURCE)
            expect(field).to_have_value("synthetic_xss_upload")
            page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(
                {"name": UPLOAD_NAME, "mimeType": "text/csv", "buffer": upload_bytes()})
            expect(page.get_by_text("5. Prüfung")).to_be_visible(timeout=60_000)
            assert_safe(page, "upload", UPLOAD_NAME)
            page.get_by_text("5. Prüfung").scroll_into_view_if_needed()
            assert_safe(page, "problems", "<svg/onload=window.__xss=20>", "value (<script>window.__xss=21</script>)")
            page.get_by_text("Neue Zeilen (").click()                      # 6. the diff's added rows
            expect(page.get_by_text("Neue Zeilen (")).to_be_visible()
            assert_safe(page, "diff", IMG, "synthetic_xss_upload")

            sidebar.locator("[data-testid=stSidebarNav] a:has-text('Versionen & Protokoll')").click()
            expect(page.get_by_role("heading", name="Versionen & Protokoll")).to_be_visible(timeout=60_000)
            audit = page.locator("[data-testid=stDataFrame]").last                # the audit log, newest first
            audit.scroll_into_view_if_needed()
            assert_safe(page, "history", "Probe " + IMG.replace("2", "13"))         # the CLI's version note
        finally:
            browser.close()
