"""Reading generated documents back, as a person (or a screen reader) would."""

from __future__ import annotations

import io

import pdfplumber
from docx import Document
from docx.table import Table


def squash(text: str) -> str:
    return " ".join(text.split())


def docx_blocks(data: bytes) -> list[str]:
    """Body paragraphs and table cells, in document order, whitespace squashed."""
    blocks = []
    for item in Document(io.BytesIO(data)).iter_inner_content():
        if isinstance(item, Table):
            for row in item.rows:
                blocks.extend(squash(cell.text) for cell in row.cells)
        else:
            blocks.append(squash(item.text))
    return blocks


def docx_header_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    return " ".join(p.text for s in document.sections for p in s.header.paragraphs)


def pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return squash(" ".join(page.extract_text() or "" for page in pdf.pages))


def pdf_table_rows(data: bytes) -> list[list[str]]:
    rows = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                rows.extend([squash(cell or "") for cell in row] for row in table)
    return rows


def in_order(haystack: str, needles: list[str]) -> bool:
    positions = [haystack.find(needle) for needle in needles]
    return -1 not in positions and positions == sorted(positions)
