"""Decks as PPTX: a title slide plus one slide per view, each with its source line and speaker notes."""
import io

import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from charts.export_pptx import SLIDE_HEIGHT, SLIDE_WIDTH, Slide, deck_pptx, png_size


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (0, 114, 178)).save(out, format="PNG")
    return out.getvalue()


def _texts(slide) -> str:
    return "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


VIEWS = [
    Slide("Asylerstanträge 2015–2024", (_png(1600, 900),), "Quelle: BAMF · Lizenz: dl-de/by-2-0 · Stand: 25.11.2026",
          "Staatskanzlei, 18.05.2016: „280.000 Fachkräfte bis 2025“\nAussage: Fachkräftebedarf 280.000 (2025)"),
    Slide("Schutzsuchende nach Kreisen", (_png(800, 800),), "Quelle: Destatis 12531 · Stand: 31.12.2024",
          "TMMJV, 2024: Zahl der Schutzsuchenden sinkt\nAussage: sinkend"),
    Slide("Ohne Bild", (), "Quelle: TLS · Stand: 2023", "keine Aussage"),
]


def test_deck_has_a_title_slide_and_one_slide_per_view_with_source_and_notes():
    deck = Presentation(io.BytesIO(deck_pptx(VIEWS, deck_title="Landtag, Ausschuss 12.03.")))
    assert len(deck.slides) == len(VIEWS) + 1
    assert (deck.slide_width, deck.slide_height) == (SLIDE_WIDTH, SLIDE_HEIGHT)
    assert abs(deck.slide_width / deck.slide_height - 16 / 9) < 0.01
    cover, *views = deck.slides
    assert cover.shapes.title.text == "Landtag, Ausschuss 12.03."
    for view, slide in zip(VIEWS, views):
        assert slide.shapes.title.text == view.title
        assert view.source_line in _texts(slide), "the source line is visible on every view slide"
        assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text == view.notes
    for view in VIEWS:
        assert view.source_line in _texts(cover), "the title slide lists every source"


def test_chart_images_are_fitted_inside_the_slide_with_their_aspect_ratio():
    deck = Presentation(io.BytesIO(deck_pptx(VIEWS[:2], deck_title="D")))
    for view, slide in zip(VIEWS, list(deck.slides)[1:]):
        pictures = [shape for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1
        picture = pictures[0]
        assert picture.left >= 0 and picture.top >= slide.shapes.title.top + slide.shapes.title.height - 10
        assert picture.left + picture.width <= SLIDE_WIDTH and picture.top + picture.height <= SLIDE_HEIGHT
        width_px, height_px = png_size(view.images[0])
        assert picture.width / picture.height == pytest.approx(width_px / height_px, rel=0.01)
        assert picture.image.blob == view.images[0]
        assert picture._element.nvPicPr.cNvPr.get("descr") == view.title


def test_a_view_without_image_says_so_in_the_deck_language():
    deck = Presentation(io.BytesIO(deck_pptx(VIEWS[2:], deck_title="D", lang="en")))
    assert "No image is available" in _texts(deck.slides[1])


def test_text_from_data_with_markup_or_control_characters_is_kept_as_text():
    tricky = Slide("<b>Titel</b> & \x07Co", (_png(10, 10),), "Quelle: =HYPERLINK(\"x\") <script>", "Notiz\x0b zwei")
    deck = Presentation(io.BytesIO(deck_pptx([tricky], deck_title="A & B <i>")))
    assert deck.slides[0].shapes.title.text == "A & B <i>"
    assert deck.slides[1].shapes.title.text == "<b>Titel</b> &  Co"
    assert 'Quelle: =HYPERLINK("x") <script>' in _texts(deck.slides[1])


def test_empty_deck_is_only_the_title_slide():
    deck = Presentation(io.BytesIO(deck_pptx([], deck_title="Leer")))
    assert len(deck.slides) == 1


@pytest.mark.parametrize("count", [2, 3, 5])
def test_several_charts_of_one_view_share_its_slide_without_overlapping(count):
    images = tuple(_png(1600, 900) for _ in range(count))
    deck = Presentation(io.BytesIO(deck_pptx([Slide("Mehrere", images, "Quelle: TLS")], deck_title="D")))
    assert len(deck.slides) == 2, "one slide per view, however many charts it has"
    slide = deck.slides[1]
    pictures = [shape for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == count
    boxes = [(p.left, p.top, p.left + p.width, p.top + p.height) for p in pictures]
    for left, top, right, bottom in boxes:
        assert left >= 0 and right <= SLIDE_WIDTH and top >= slide.shapes.title.top + slide.shapes.title.height - 10
        assert bottom <= SLIDE_HEIGHT
    for index, a in enumerate(boxes):
        for b in boxes[index + 1:]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], "images overlap"
    assert "Quelle: TLS" in _texts(slide)
