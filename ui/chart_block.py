"""The standard chart block: title, plotly chart, source caption, alt text; in a lazy box PNG/SVG export, table, downloads."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from charts.export import csv_bytes, xlsx_bytes
from charts.format import escape_markdown_inline
from charts.export_image import chart_image, unavailable_reason
from ui.i18n import STRINGS, t, timestamp

#: More sources than this are summarised in the caption; the table view and "Daten & Quellen" list all.
CAPTION_MAX_SOURCES = 4
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMAGE_MIME = {"png": "image/png", "svg": "image/svg+xml"}
#: Labels of the image downloads (de, en).
IMAGE_LABELS = {"png": ("PNG herunterladen", "Download PNG"), "svg": ("SVG herunterladen", "Download SVG")}

#: Plotly config shared by every chart: no plotly logo, SVG/PNG download at 2×.
PLOTLY_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2},
                 # NOTE: choropleths fetch world_110m.json even without a base map; static/ has an empty one.
                 "topojsonURL": "app/static/"}


@dataclass(frozen=True)
class ChartSource:
    """What the caption says: the sources (rows of the `sources` dataset) and the data version."""

    sources: pd.DataFrame
    version_created_at: object | None = None
    version_number: int | None = None


def caption_text(source: ChartSource, lang: str) -> str:
    """"Quelle: … · Lizenz … · Stand …" — generated from the source rows, never typed per chart."""
    named = [f"{row.publisher}: {row.title}" for row in source.sources.itertuples()]
    titles = "; ".join(named[:CAPTION_MAX_SOURCES])
    if len(named) > CAPTION_MAX_SOURCES:
        titles += " " + t("caption_more_sources", lang, count=len(named) - CAPTION_MAX_SOURCES)
    licences = "; ".join(dict.fromkeys(source.sources["licence"]))
    when = timestamp(source.version_created_at, lang) if source.version_created_at is not None else ""
    parts = [t("caption_source", lang, titles=titles or t("no_value", lang)),
             t("caption_licence", lang, licences=licences or t("no_value", lang))]
    if when:
        parts.append(t("caption_as_of", lang, when=when, version=source.version_number))
    return " · ".join(parts)


def split_caption(caption: str) -> tuple[str, str]:
    """(source line, Stand) of a caption made by caption_text: the Stand part is the one that starts like
    "Stand: …" / "As of: …"; everything else is the source line."""
    prefixes = tuple(template.split("{")[0] for template in STRINGS["caption_as_of"])
    parts = caption.split(" · ")
    stand = [part for part in parts if part.startswith(prefixes)]
    return " · ".join(part for part in parts if part not in stand), " · ".join(stand)


def _image(figure: go.Figure, title: str, caption: str, format: str) -> bytes:
    """Run only when the button is clicked (deferred download)."""
    source_line, stand = split_caption(caption)
    return chart_image(figure, title=title, source_line=source_line, stand=stand, format=format)


def image_downloads(figure: go.Figure, *, key: str, title: str, caption: str, lang: str) -> None:
    """PNG and SVG buttons; the image (title, source line and Stand drawn in) is built only on click. Without
    Chromium on the server the buttons are disabled and their help text says why."""
    unavailable = unavailable_reason()
    row = st.container(horizontal=True, gap="small")
    for format in ("png", "svg"):
        label = IMAGE_LABELS[format][1 if lang == "en" else 0]
        if unavailable is not None:
            row.download_button(label, b"", disabled=True, help=unavailable.reason(lang), key=f"{format}_{key}")
            continue
        row.download_button(label, partial(_image, figure, title, caption, format),
                            file_name=f"{_slug(title)}.{format}", mime=IMAGE_MIME[format], key=f"{format}_{key}",
                            on_click="ignore")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "daten"


def chart_block(figure: go.Figure, *, key: str, title: str, table: pd.DataFrame, source: ChartSource | str,
                alt: str, lang: str, notes: list[str] | None = None, table_view=None) -> None:
    """Render one chart block. `table` is exactly the data shown in the figure; `source` is a
    ChartSource or its ready caption text; `table_view` optionally the same table prebuilt for display
    (e.g. a pyarrow Table, cheaper to send on every rerun)."""
    st.subheader(title)
    st.plotly_chart(figure, key=f"chart_{key}", config={**PLOTLY_CONFIG, "toImageButtonOptions": {
        **PLOTLY_CONFIG["toImageButtonOptions"], "filename": _slug(title)}}, alt=alt)
    caption = source if isinstance(source, str) else caption_text(source, lang)
    # NOTE: captions render Markdown; source titles, notes and alt text carry data text → shown verbatim.
    # One caption element, a line each (source · licence · Stand, every note, the alt text): one element per
    # line cost ~0.1 ms each on every rerun.
    st.caption("  \n".join(escape_markdown_inline(line) for line in [caption, *(notes or []), alt]))
    # NOTE: lazy: the image downloads, the table and its downloads are sent only while the expander is open
    # (opening it reruns); a closed one costs one element instead of nine, and no table serialisation.
    with st.expander(t("show_table", lang), key=f"table_{key}", on_change="rerun") as table_box:
        if not table_box.open:
            return
        image_downloads(figure, key=key, title=title, caption=caption, lang=lang)
        st.dataframe(table if table_view is None else table_view, hide_index=True, width="stretch")
        left, right = st.columns(2)
        # NOTE: callables are run only when clicked (deferred), so a rerun never pays for the export.
        left.download_button(t("download_csv", lang), partial(csv_bytes, table), file_name=f"{_slug(title)}.csv",
                             mime="text/csv", key=f"csv_{key}", on_click="ignore")
        right.download_button(t("download_xlsx", lang), partial(xlsx_bytes, table),
                              file_name=f"{_slug(title)}.xlsx", mime=XLSX_MIME, key=f"xlsx_{key}",
                              on_click="ignore")
