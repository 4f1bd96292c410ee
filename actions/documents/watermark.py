"""The diagonal "draft — incomplete" watermark of PDF pages, drawn as outlines.

Drawn as shapes rather than text on purpose: text would be read out by screen readers
and mixed into the page's copied or extracted text, line by line, between the words of
the plan. The notice itself is also printed as real text in every page header.
"""

from __future__ import annotations

import base64
import functools
from pathlib import Path

from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.pens.transformPen import TransformPen
from fontTools.ttLib import TTFont

from .formatting import DRAFT_MARK

FONT_FILES = (
    Path("/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
)


def _outline(text: str, font_path: Path) -> tuple[str, float, float]:
    """An SVG path of `text` set in the font, with its width and height in font units."""
    font = TTFont(str(font_path))
    glyph_set = font.getGlyphSet()
    cmap = font.getBestCmap()
    ascent = font["hhea"].ascent
    pen = SVGPathPen(glyph_set)
    x = 0.0
    for char in text:
        name = cmap.get(ord(char), ".notdef")
        # Font units have y up; SVG has y down: flip around the baseline.
        glyph_set[name].draw(TransformPen(pen, (1, 0, 0, -1, x, ascent)))
        x += glyph_set[name].width
    return pen.getCommands(), x, float(ascent)


@functools.cache
def data_uri(text: str = DRAFT_MARK.upper()) -> str | None:
    """A data: URI of an SVG page background, or None when the font is not installed."""
    font_path = next((p for p in FONT_FILES if p.exists()), None)
    if font_path is None:
        return None
    path, width, height = _outline(text, font_path)
    page_w, page_h = 2100, 2970  # A4 in tenths of a millimetre
    scale = page_w * 0.9 / width
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {page_w} {page_h}">'
        f'<g transform="translate({page_w / 2} {page_h / 2}) rotate(-50) '
        f'scale({scale:.4f}) translate({-width / 2} {-height / 2})">'
        f'<path d="{path}" fill="#000" fill-opacity="0.08"/></g></svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
