"""The caption under every chart names sources, licence and Stand — generated, never typed per chart."""
import datetime as dt

import pandas as pd

from ui.chart_block import CAPTION_MAX_SOURCES, ChartSource, caption_text

synthetic_sources = pd.DataFrame({
    "publisher": [f"Herausgeber {i}" for i in range(7)],
    "title": [f"Tabelle {i}" for i in range(7)],
    "licence": ["Datenlizenz Deutschland – Namensnennung – Version 2.0"] * 6 + ["nur Zitat"],
})


def test_caption_names_source_licence_and_stand_in_german():
    text = caption_text(ChartSource(synthetic_sources.iloc[:1], dt.datetime(2026, 11, 25, 13, 5), 3), "de")
    assert text == ("Quelle: Herausgeber 0: Tabelle 0 · Lizenz: Datenlizenz Deutschland – Namensnennung – "
                    "Version 2.0 · Stand: 25.11.2026 13:05 UTC (Version 3)")


def test_caption_summarises_many_sources_and_lists_each_licence_once():
    text = caption_text(ChartSource(synthetic_sources), "en")
    assert text.count("Herausgeber") == CAPTION_MAX_SOURCES
    assert "and 3 more" in text
    assert text.count("Datenlizenz Deutschland") == 1 and "nur Zitat" in text


def test_caption_without_sources_says_not_available():
    assert caption_text(ChartSource(synthetic_sources.iloc[:0]), "de").startswith("Quelle: keine Angabe")


def test_tables_with_mixed_types_fall_back_to_streamlits_own_conversion():
    from ui.charts import _arrow_view

    mixed = pd.DataFrame({"Wert": [1.5, "keine Angabe"], "Jahr": [2015, 2016]})
    assert _arrow_view(mixed) is None
    view = _arrow_view(pd.DataFrame({"Wert": [1.5, None], 2016: ["a", "b"]}))
    assert view is not None and view.column_names == ["Wert", "2016"]


def test_data_text_in_captions_is_shown_verbatim_not_as_markdown(open_page, monkeypatch):
    """A source title like "**fett** [x](javascript:…)" must not become bold text or a link."""
    import ui.chart_block as chart_block

    captions = []
    monkeypatch.setattr(chart_block.st, "caption", lambda text, *a, **k: captions.append(text))
    chart_block.chart_block(__import__("plotly.graph_objects").graph_objects.Figure(), key="synthetic", title="T",
                            table=pd.DataFrame({"a": [1]}), source="Quelle: **fett** [x](javascript:alert(1))",
                            alt="Höchstwert 1.234", lang="de", notes=["Geschlecht = **bold**"])
    (caption,) = captions                                   # one element: a line each for source, note, alt
    assert caption.split("  \n") == [r"Quelle: \*\*fett\*\* \[x\](javascript:alert(1))", r"Geschlecht = \*\*bold\*\*",
                                     "Höchstwert 1.234"]


def test_the_table_is_sent_only_while_its_box_is_open_and_then_holds_exactly_the_drawn_data(open_page):
    """Lazy box: a closed "Tabelle und Downloads" box sends neither the table nor the downloads (every
    rerun of every viewer would pay for them); opened, it shows the chart's data and the CSV/XLSX buttons."""
    import json

    from tests.app_helpers import expander_keys, open_boxes

    at = open_page("app_pages/explorer.py")
    assert expander_keys(at, "table_") == ["table_explorer_chart_block"]
    assert at.dataframe == [] and at.get("download_button") == []
    open_boxes(at)
    assert not at.exception
    table = at.dataframe[0].value
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    drawn = sum(len(trace.get("y", [])) for trace in figure["data"] if trace.get("type") in ("scatter", "bar"))
    assert len(table) == drawn > 0
    assert [b.proto.label for b in at.get("download_button")] == ["PNG herunterladen", "SVG herunterladen",
                                                                  "CSV herunterladen", "Excel herunterladen"]
