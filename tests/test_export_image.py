"""Chart images for presenters: exact size, title + source line + Stand drawn in, maps offline, input untouched."""
import copy
import io
import json
import struct
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import plotly.graph_objects as go
import plotly.utils
import pytest
from PIL import Image

from charts.export_image import _BROWSER, chart_image, export_figure
from tests.browser import chromium_path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ("Quelle: Thüringer Landesamt für Statistik: Bevölkerung <b>nach</b> Kreisen & Geschlecht · "
          "Lizenz: dl-de/by-2-0")
STAND = "Stand: 25.11.2026 13:05 UTC (Version 3)"


def _figure() -> go.Figure:
    figure = go.Figure([go.Bar(x=["2015", "2016"], y=[29_000, 6_500], name="Asylerstanträge"),
                        go.Scatter(x=["2015", "2016"], y=[13_000, 15_000], name="Zugänge")])
    figure.update_layout(title="Titel im Browser", separators=",.", template="plotly_white",
                         legend={"orientation": "h", "y": -0.15, "x": 0})
    return figure


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", "not a PNG"
    return struct.unpack(">II", data[16:24])


def _svg_text(data: bytes) -> str:
    """Every text node of the SVG, in document order (plotly draws wrapped lines as separate tspans)."""
    texts = ET.fromstring(data).iter("{http://www.w3.org/2000/svg}text")
    return " ".join(" ".join(element.itertext()) for element in texts)


def _dump(figure_dict: dict) -> str:
    return json.dumps(figure_dict, cls=plotly.utils.PlotlyJSONEncoder, sort_keys=True)


def _run(script: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(script)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={"PATH": "/usr/bin:/bin", "HOME": "/tmp", "PYTHONPATH": str(ROOT), **env})


def test_png_has_exactly_the_requested_pixel_size_on_white():
    png = chart_image(_figure(), title="Asyl", source_line=SOURCE, stand=STAND, format="png")
    assert _png_size(png) == (1600, 900)
    scaled = chart_image(_figure(), title="Asyl", source_line=SOURCE, stand=STAND, format="png", width=800,
                         height=450, scale=2.5)
    assert _png_size(scaled) == (2000, 1125)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.getpixel((2, 2)) == image.getpixel((1597, 897)) == (255, 255, 255)


def test_svg_draws_title_source_line_and_stand_as_written():
    title = ("Asylerstanträge in Thüringen 2015–2016 – ein sehr langer Titel, der im Bild umbrechen muss, "
             "weil er breiter als die Folie ist")
    svg = chart_image(_figure(), title=title, source_line=SOURCE, stand=STAND, format="svg", width=1000, height=600)
    root = ET.fromstring(svg)
    assert (root.get("width"), root.get("height")) == ("1000", "600")
    text = " ".join(_svg_text(svg).split())
    assert " ".join(title.split()[:6]) in text and "breiter als die Folie ist" in text
    assert "Titel im Browser" not in text
    for words in ("Thüringer Landesamt für Statistik", "<b>nach</b>", "& Geschlecht", "25.11.2026 13:05 UTC"):
        assert words in text, f"{words!r} is not drawn (markup in data must show as text)"
    assert "Asylerstanträge" in text and "Zugänge" in text, "the legend is kept"


def test_footer_sits_below_plot_and_legend_within_the_image():
    layout = export_figure(_figure(), title="T", source_line=SOURCE * 3, stand=STAND, width=1600, height=900)["layout"]
    footer = layout["annotations"][-1]
    plot_px = 900 - layout["margin"]["t"] - layout["margin"]["b"]
    assert footer["yref"] == "paper" and footer["y"] < layout["legend"]["y"] < 0
    assert -footer["y"] * plot_px <= layout["margin"]["b"], "the footer starts inside the image"
    assert footer["text"].count("<br>") >= 1, "a long source line is wrapped"


def test_input_figure_and_its_shared_dict_stay_unchanged():
    from ui.charts import PrebuiltFigure

    shared = PrebuiltFigure(_figure())
    before = _dump(shared.to_dict())
    chart_image(shared, title="Neu", source_line=SOURCE, stand=STAND, format="svg")
    assert _dump(shared.to_dict()) == before
    plain = _figure()
    plain_before = _dump(plain.to_dict())
    export_figure(plain, title="Neu", source_line=SOURCE, stand=STAND)
    assert _dump(plain.to_dict()) == plain_before


def test_repeated_exports_reuse_one_browser():
    chart_image(_figure(), title="A", source_line="Q", stand="S", format="png", width=400, height=300)
    browser = _BROWSER._kaleido
    chart_image(_figure(), title="B", source_line="Q", stand="S", format="svg", width=400, height=300)
    assert browser is not None and _BROWSER._kaleido is browser


def test_district_map_exports_with_the_network_blocked(tmp_path):
    """Choropleths make plotly.js load world_110m.json; it must come from static/, not a CDN."""
    wrapper = tmp_path / "chromium-offline"
    wrapper.write_text(f'#!/bin/sh\nexec {chromium_path()} --proxy-server=http://127.0.0.1:9 '
                       f'"--host-resolver-rules=MAP * ~NOTFOUND" "$@"\n')
    wrapper.chmod(0o755)
    out = tmp_path / "map.png"
    result = _run(f"""
        import pandas as pd
        from charts.maps import choropleth
        from charts.export_image import chart_image
        values = pd.DataFrame({{"region_code": ["16051", "16052", "16053"], "value": [100.0, 200.0, 300.0]}})
        figure = choropleth(values, period="2024-12-31", lang="de", title="Karte", unit="Personen")
        image = chart_image(figure, title="Karte", source_line="Quelle: BKG", stand="Stand: 2024", format="png",
                            width=800, height=600)
        open({str(out)!r}, "wb").write(image)
    """, BROWSER_PATH=str(wrapper))
    assert result.returncode == 0, result.stderr[-2000:]
    image = Image.open(out).convert("RGB")
    assert image.size == (800, 600)
    colours = {colour for _, colour in image.getcolors(maxcolors=1_000_000)}
    assert len(colours) > 50, "the districts are drawn (not an empty image)"


def test_without_chromium_the_export_says_why_in_german_and_english():
    result = _run("""
        from charts.export_image import ExportUnavailable, chart_image, unavailable_reason
        import plotly.graph_objects as go
        reason = unavailable_reason()
        assert reason is not None
        try:
            chart_image(go.Figure(), title="T", source_line="Q", stand="S", format="png")
        except ExportUnavailable as error:
            print(error.reason("de")); print(error.reason("en"))
    """, BROWSER_PATH="/nonexistent")
    assert result.returncode == 0, result.stderr[-2000:]
    german, english = result.stdout.strip().splitlines()
    assert "kein Chromium" in german and "Chromium is not installed" in english


def test_a_browser_that_fails_to_start_gives_a_reason_not_a_hang(tmp_path):
    broken = tmp_path / "chromium-broken"
    broken.write_text("#!/bin/sh\nexit 1\n")
    broken.chmod(0o755)
    result = _run("""
        from charts.export_image import ExportUnavailable, chart_image
        import plotly.graph_objects as go
        try:
            chart_image(go.Figure(), title="T", source_line="Q", stand="S", format="svg")
        except ExportUnavailable as error:
            print(error.reason("en"))
    """, BROWSER_PATH=str(broken))
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("Image export failed")


def test_only_png_and_svg():
    with pytest.raises(ValueError):
        chart_image(_figure(), title="T", source_line="Q", stand="S", format="pdf")
