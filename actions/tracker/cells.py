"""Reading an uploaded tracker workbook into rows, and its cells into values.

Checks come before trust: size, then content (an .xlsx is a zip: entry count and
compression ratio are checked before it is opened), then a row limit per sheet.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import xml.parsers.expat
import zipfile
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from actions.documents import conf
from actions.uploads import sniff_content_type
from core.errors import DomainError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%d-%m-%Y")


@dataclasses.dataclass(frozen=True)
class CellError:
    sheet: str
    row: int
    column: str
    letter: str
    message: str

    @property
    def cell(self) -> str:
        return f"{self.letter}{self.row}" if self.row else self.letter


@dataclasses.dataclass
class Sheet:
    name: str
    headers: dict[str, int]  # column name -> 1-based index
    rows: list[tuple[int, dict[str, Any]]]

    def letter(self, column: str) -> str:
        return get_column_letter(self.headers[column]) if column in self.headers else ""


UNREADABLE = "The file could not be read as an Excel workbook."
DECLARES_ENTITIES = (
    "The file declares XML entities, which Excel never writes, so it was not read: export "
    "the tracker from this service again, or open it in Excel and save it again, and upload "
    "that copy."
)


def check_upload(data: bytes) -> None:
    if len(data) > conf.import_max_bytes():
        limit = conf.import_max_bytes() // (1024 * 1024)
        raise DomainError(f"The file must be smaller than {limit} MB.", field="file")
    if not data:
        raise DomainError("The file is empty.", field="file")
    if sniff_content_type(data[:2048], io.BytesIO(data)) != XLSX:
        raise DomainError("The file must be an Excel workbook (.xlsx).", field="file")
    _refuse_document_types(data)


class _Prolog(Exception):
    """Raised by the expat handlers to stop reading a part: `declares` says what was found."""

    def __init__(self, declares: bool) -> None:
        self.declares = declares


def _stop_at_root(*_args: Any) -> None:
    raise _Prolog(declares=False)


def _stop_at_doctype(*_args: Any) -> None:
    raise _Prolog(declares=True)


def _refuse_document_types(data: bytes) -> None:
    """Refuse a workbook with a document type declaration in any of its XML parts.

    Entities (an external one reading the server's files, or a "billion laughs" chain)
    can only be declared there, and Excel never writes one. Only each part's prolog is
    read, in pieces, by expat itself, so no encoding or spacing hides a declaration and
    nothing is expanded.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if not info.filename.endswith((".xml", ".rels", ".vml")):
                continue
            parser = xml.parsers.expat.ParserCreate()
            parser.StartDoctypeDeclHandler = _stop_at_doctype
            parser.StartElementHandler = _stop_at_root
            try:
                with archive.open(info) as part:
                    while chunk := part.read(65536):
                        parser.Parse(chunk, False)
                    parser.Parse(b"", True)
            except _Prolog as found:
                if found.declares:
                    raise DomainError(DECLARES_ENTITIES, field="file") from None
            except (xml.parsers.expat.ExpatError, zipfile.BadZipFile, OSError, ValueError):
                raise DomainError(UNREADABLE, field="file") from None


def read_workbook(data: bytes, names: list[str]) -> dict[str, Sheet]:
    """The named sheets (those present), rows keyed by header, blank rows dropped."""
    check_upload(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, SyntaxError) as exc:
        # SyntaxError: the XML parsers' ParseError (ElementTree and lxml) derive from it.
        raise DomainError(UNREADABLE, field="file") from exc
    limit = conf.import_max_rows()
    sheets = {}
    try:
        for name in names:
            if name not in book.sheetnames:
                continue
            rows = book[name].iter_rows(values_only=True)
            header = next(rows, ()) or ()
            headers = {str(h).strip(): i for i, h in enumerate(header, 1) if h not in (None, "")}
            found = []
            for number, values in enumerate(rows, 2):
                if number - 1 > limit:
                    raise DomainError(f"The {name} sheet has more than {limit} rows.", field="file")
                row = {
                    h: values[i - 1] if i - 1 < len(values) else None for h, i in headers.items()
                }
                if any(v not in (None, "") and str(v).strip() for v in row.values()):
                    found.append((number, row))
            sheets[name] = Sheet(name, headers, found)
    except (zipfile.BadZipFile, KeyError, OSError, SyntaxError) as exc:
        raise DomainError(UNREADABLE, field="file") from exc  # sheets are read lazily
    finally:
        book.close()
    return sheets


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def whole_number(value: Any) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, int | float) and float(value).is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    raise ValueError("Enter a whole number.")


def decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        result = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError("Enter a number, like 75 or 72.5.") from None
    if not result.is_finite() or abs(result) >= Decimal("1e10"):
        raise ValueError("Enter a number, like 75 or 72.5.")
    return result.quantize(Decimal("0.01"))


def date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    cleaned = re.sub(r"\s+", " ", str(value).strip())
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    raise ValueError("Enter a date like 31/03/2025.")


def same_text(a: str, b: str) -> bool:
    """Equal once runs of whitespace are ignored (spreadsheets re-wrap long text)."""
    return " ".join(a.split()) == " ".join(b.split())
