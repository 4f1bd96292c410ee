"""Word building blocks shared by the submission and the progress report.

Real Word structure throughout: built-in heading styles (navigation pane, contents),
tables with a repeating header row, and a draft watermark in every page header.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell

from .formatting import DRAFT_MARK, DRAFT_NOTICE

FONT = "Arial"
RED = RGBColor(0xD4, 0x35, 0x1C)
DARK = RGBColor(0x0B, 0x0C, 0x0C)

# A diagonal text watermark, the shape Word itself writes for Design > Watermark.
_WATERMARK = (
    '<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">'
    "<w:r><w:pict>"
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e">'
    '<v:path textpathok="t" o:connecttype="custom"/>'
    '<v:textpath on="t" fitshape="t"/></v:shapetype>'
    '<v:shape id="DraftWatermark" o:spid="_x0000_s1025" type="#_x0000_t136" '
    'style="position:absolute;margin-left:0;margin-top:0;width:480pt;height:80pt;'
    "rotation:315;z-index:-251654144;mso-position-horizontal:center;"
    "mso-position-horizontal-relative:margin;mso-position-vertical:center;"
    'mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="#d9d9d9" '
    'stroked="f"><v:fill opacity=".6"/>'
    '<v:textpath style="font-family:&quot;Arial&quot;;font-size:1pt;font-weight:bold" '
    'string="{text}"/></v:shape>'
    "</w:pict></w:r></w:p>"
)


def new_document(*, title: str, subject: str, author: str) -> DocumentType:
    doc = Document()
    props = doc.core_properties
    props.title, props.subject, props.author = title, subject, author
    props.language = "en-GB"
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10.5)
    _set_language(normal.element)
    for name, size in (("Title", 26), ("Heading 1", 18), ("Heading 2", 14), ("Heading 3", 12)):
        style = styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.color.rgb = DARK
        # The theme font would win over the style's font without this.
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    return doc


def _set_language(style_element) -> None:
    rpr = style_element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-GB")
    rpr.append(lang)


def landscape_section(doc: DocumentType) -> Section:
    """A new landscape section (plan tables need the width); headers carry over."""
    section = doc.add_section()
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(1.5))
    return section


def header_and_footer(doc: DocumentType, *, footer_text: str, draft: bool) -> None:
    """Footer with page numbers; when draft, a notice and a diagonal watermark on every page."""
    section = doc.sections[0]
    header = section.header
    paragraph = header.paragraphs[0]
    if draft:
        run = paragraph.add_run(DRAFT_NOTICE.upper())
        run.bold, run.font.color.rgb = True, RED
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        text = DRAFT_MARK.upper().replace('"', "")
        header._element.append(parse_xml(_WATERMARK.replace("{text}", text)))
    footer = section.footer.paragraphs[0]
    footer.text = f"{footer_text} — page "
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")
    doc.styles["Footer"].font.size = Pt(9)


def _field(paragraph, instruction: str) -> None:
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = instruction
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, text, separate, shown, end):
        run._r.append(element)


def table(
    container, headers: Sequence[str], widths_cm: Sequence[float], *, caption: str = ""
) -> Table:
    """A bordered table whose first row is a header row repeated on every page."""
    result = container.add_table(rows=1, cols=len(headers))
    result.style = "Table Grid"
    result.alignment = WD_TABLE_ALIGNMENT.LEFT
    result.autofit = False
    if caption:
        tbl_pr = result._tbl.tblPr
        element = OxmlElement("w:tblCaption")
        element.set(qn("w:val"), caption[:250])
        tbl_pr.append(element)
    for column, width in zip(result.columns, widths_cm, strict=True):
        column.width = Cm(width)
    _cell_margins(result)
    row = result.rows[0]
    tr_pr = row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    for cell, text, width in zip(row.cells, headers, widths_cm, strict=True):
        cell.width = Cm(width)
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        _shade(cell, "E8E8E8")
    result._widths = widths_cm
    return result


def add_row(result: Table, values: Sequence[str | list[str]]) -> None:
    """A row; a list value becomes one paragraph per item in the cell."""
    row = result.add_row()
    # Row.cells walks the whole table each time (quadratic on long tables): not used.
    cells = [_Cell(tc, result) for tc in row._tr.tc_lst]
    for cell, value, width in zip(cells, values, result._widths, strict=True):
        cell.width = Cm(width)
        lines = value if isinstance(value, list) else [value]
        cell.text = lines[0] if lines else ""
        for line in lines[1:]:
            cell.add_paragraph(line)


def key_value_table(container, rows: Sequence[tuple[str, str]], widths_cm=(5.0, 12.0)) -> Table:
    result = container.add_table(rows=0, cols=2)
    result.style = "Table Grid"
    result.autofit = False
    for column, width in zip(result.columns, widths_cm, strict=True):
        column.width = Cm(width)
    _cell_margins(result)
    for key, value in rows:
        cells = result.add_row().cells
        cells[0].width, cells[1].width = Cm(widths_cm[0]), Cm(widths_cm[1])
        cells[0].text = ""
        cells[0].paragraphs[0].add_run(key).bold = True
        _shade(cells[0], "F3F2F1")
        cells[1].text = value
    return result


def _cell_margins(result: Table, top_bottom_twips: int = 40, sides_twips: int = 80) -> None:
    margins = OxmlElement("w:tblCellMar")
    for side, size in (
        ("top", top_bottom_twips),
        ("left", sides_twips),
        ("bottom", top_bottom_twips),
        ("right", sides_twips),
    ):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(size))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    result._tbl.tblPr.append(margins)


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def draft_notice(doc: DocumentType, gaps: int) -> None:
    paragraph = doc.add_paragraph()
    run = paragraph.add_run(f"{DRAFT_NOTICE}. ")
    run.bold, run.font.color.rgb = True, RED
    paragraph.add_run(
        f"{gaps} item{'s' if gaps != 1 else ''} of the plan "
        f"{'are' if gaps != 1 else 'is'} still unanswered; see the list at the end."
    )


def to_bytes(doc: DocumentType) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
