"""A deck of saved views as PPTX: a title slide, then one slide per view with chart, title, source line
and speaker notes (the statements and claims the view shows)."""
from __future__ import annotations

import io
import re
import struct
from dataclasses import dataclass

from pptx import Presentation
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.util import Emu, Inches, Pt

SLIDE_WIDTH, SLIDE_HEIGHT = Inches(13.333), Inches(7.5)      # 16:9
MARGIN = Inches(0.4)
TITLE_HEIGHT = Inches(0.9)
SOURCE_HEIGHT = Inches(0.75)
TITLE_ONLY_LAYOUT, TITLE_LAYOUT = 5, 0                     # python-pptx's default template

TEXT = {
    "de": {"no_image": "Für diese Ansicht ist kein Bild verfügbar.", "sources": "Quellen", "views": "Ansichten"},
    "en": {"no_image": "No image is available for this view.", "sources": "Sources", "views": "Views"},
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Slide:
    """One view of a deck. `images`: its chart images (PNG), laid out in a grid; empty: no chart image.
    `source_line` is the caption (source · licence · Stand), shown on the slide; `notes` becomes the speaker
    notes (statement and claim texts)."""

    title: str
    images: tuple[bytes, ...]
    source_line: str
    notes: str = ""


def _clean(text: str) -> str:
    """Text as PowerPoint accepts it (XML forbids most control characters)."""
    return _CONTROL.sub(" ", str(text or ""))


def png_size(image_png: bytes) -> tuple[int, int]:
    """(width, height) in pixels from the PNG header."""
    if image_png[:8] != b"\x89PNG\r\n\x1a\n" or image_png[12:16] != b"IHDR":
        raise ValueError("not a PNG image")
    return struct.unpack(">II", image_png[16:24])


def _text_box(slide, text: str, *, top: int, height: int, size: int, bold: bool = False) -> None:
    box = slide.shapes.add_textbox(MARGIN, top, SLIDE_WIDTH - 2 * MARGIN, height)
    frame = box.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE     # PowerPoint/LibreOffice shrink long text on open
    for index, line in enumerate(_clean(text).split("\n")):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.text = line
        paragraph.font.size = Pt(size)
        paragraph.font.bold = bold


def _set_title(slide, text: str, *, size: int = 28) -> None:
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = MARGIN, Inches(0.25), SLIDE_WIDTH - 2 * MARGIN, TITLE_HEIGHT
    title.text_frame.word_wrap = True
    title.text_frame.text = _clean(text)
    for paragraph in title.text_frame.paragraphs:
        paragraph.font.size = Pt(size)


def grid(count: int) -> tuple[int, int]:
    """(columns, rows) for `count` images on one slide: 1, 2 side by side, then 2×2, 3×2, 3×3, 4×3."""
    columns = 1 if count <= 1 else 2 if count <= 4 else 3 if count <= 9 else 4
    return columns, max(1, -(-count // columns))


def _add_pictures(slide, images: tuple[bytes, ...], title: str) -> None:
    """The images in a grid between title and source line, each fitted (aspect kept) and centred in its cell."""
    area_left, area_top = MARGIN, Inches(0.25) + TITLE_HEIGHT
    area_width = SLIDE_WIDTH - 2 * MARGIN
    area_height = SLIDE_HEIGHT - area_top - SOURCE_HEIGHT - Inches(0.3)
    columns, rows = grid(len(images))
    cell_width, cell_height = area_width // columns, area_height // rows
    for index, image_png in enumerate(images):
        column, row = index % columns, index // columns
        width_px, height_px = png_size(image_png)
        scale = min(cell_width / width_px, cell_height / height_px)
        width, height = Emu(int(width_px * scale)), Emu(int(height_px * scale))
        picture = slide.shapes.add_picture(io.BytesIO(image_png),
                                           area_left + column * cell_width + (cell_width - width) // 2,
                                           area_top + row * cell_height + (cell_height - height) // 2, width, height)
        picture._element.nvPicPr.cNvPr.set("descr", _clean(title))     # alt text for screen readers


def deck_pptx(slides: list[Slide], *, deck_title: str, lang: str = "de") -> bytes:
    """The deck as PPTX bytes: a title slide (deck title, the views and their sources), then one slide per
    view. Every slide shows its source line as text."""
    text = TEXT["en" if lang == "en" else "de"]
    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT

    cover = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY_LAYOUT])
    _set_title(cover, deck_title, size=36)
    views = "\n".join(f"{number}. {slide.title}" for number, slide in enumerate(slides, start=1))
    _text_box(cover, f"{text['views']}:\n{views}" if slides else "", top=Inches(1.4), height=Inches(3.2), size=16)
    source_lines = list(dict.fromkeys(slide.source_line for slide in slides if slide.source_line))
    if source_lines:
        _text_box(cover, f"{text['sources']}:\n" + "\n".join(source_lines), top=Inches(4.8),
                  height=SLIDE_HEIGHT - Inches(5.1), size=10)

    for view in slides:
        slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY_LAYOUT])
        _set_title(slide, view.title)
        if view.images:
            _add_pictures(slide, view.images, view.title)
        else:
            _text_box(slide, text["no_image"], top=Inches(3.2), height=Inches(0.8), size=18)
        _text_box(slide, view.source_line, top=SLIDE_HEIGHT - SOURCE_HEIGHT - Inches(0.15), height=SOURCE_HEIGHT,
                  size=10)
        slide.notes_slide.notes_text_frame.text = _clean(view.notes)

    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()
