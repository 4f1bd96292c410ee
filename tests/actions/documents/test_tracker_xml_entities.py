"""A tracker workbook declaring XML entities is refused with a sentence, never a 500.

A spreadsheet saved by Excel (or by this service) never has a document type declaration;
one that declares entities is either an attempt to read the server's files (an external
entity) or to exhaust its memory (a "billion laughs" chain). Either is refused when it is
uploaded, nothing of it is kept, and a copy that reached the preview some other way is
refused there and discarded, so the page does not fail on every later visit.
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from actions.documents.snapshot import build_plan_snapshot
from actions.tracker.workbook import to_xlsx

REFUSED = "declares XML entities"

LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
        for n in range(1, 10)
    )
    + "]>"
)
EXTERNAL = '<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
DECLARATIONS = {"billion-laughs": (LAUGHS, "&lol9;"), "external-entity": (EXTERNAL, "&secret;")}


def _actions_sheet(names: list[str]) -> str:
    return next(n for n in names if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n))


def hostile_tracker(plan, declaration: str, reference: str, part: str = "sheet") -> bytes:
    """The plan's own export, with a document type declaration put into one of its parts
    and an entity reference in a cell (the sheet) or in the workbook's name list."""
    source = zipfile.ZipFile(io.BytesIO(to_xlsx(build_plan_snapshot(plan.plan))))
    names = source.namelist()
    target = _actions_sheet(names) if part == "sheet" else "xl/workbook.xml"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for name in names:
            xml = source.read(name)
            if name == target:
                text = xml.decode()
                text = re.sub(
                    r"^(<\?xml[^>]*\?>)?", lambda m: (m.group(0) or "") + declaration, text
                )
                if part == "sheet":
                    text = re.sub(r"<v>[^<]*</v>", f"<v>{reference}</v>", text, count=1)
                xml = text.encode()
            book.writestr(name, xml)
    return out.getvalue()


def upload(client, plan, data: bytes):
    buffer = io.BytesIO(data)
    buffer.name = "tracker.xlsx"
    return client.post(reverse("documents-import", args=[plan.plan.pk]), {"file": buffer})


def stored_imports() -> list[str]:
    return default_storage.listdir("imports")[1] if default_storage.exists("imports") else []


@pytest.mark.parametrize("part", ["sheet", "workbook"])
@pytest.mark.parametrize("kind", DECLARATIONS)
def test_refused_at_upload_and_nothing_kept(client, plan, lead, kind, part):
    client.force_login(lead)
    before = stored_imports()
    response = upload(client, plan, hostile_tracker(plan, *DECLARATIONS[kind], part=part))
    assert response.status_code == 400
    assert REFUSED in response.content.decode()
    assert stored_imports() == before


@pytest.mark.parametrize("kind", DECLARATIONS)
def test_a_copy_that_reaches_the_preview_is_refused_and_discarded(client, plan, lead, kind):
    """Saved before uploads were checked for declarations, say: refused, then forgotten."""
    client.force_login(lead)
    clean = upload(client, plan, to_xlsx(build_plan_snapshot(plan.plan)))
    assert clean.status_code == 302
    name = client.session[f"documents-import-plan-{plan.plan.pk}"]
    with default_storage.open(name, "wb") as handle:
        handle.write(hostile_tracker(plan, *DECLARATIONS[kind]))

    preview = client.get(clean["Location"], follow=True)
    assert preview.status_code == 200
    assert REFUSED in preview.content.decode()
    assert not default_storage.exists(name)
    again = client.get(clean["Location"], follow=True)
    assert "Upload the tracker again" in again.content.decode()


def test_a_sheet_whose_xml_breaks_off_is_refused_at_the_preview_and_discarded(client, plan, lead):
    """Its prolog is clean, so the upload is kept; reading the sheet then fails."""
    client.force_login(lead)
    source = zipfile.ZipFile(io.BytesIO(to_xlsx(build_plan_snapshot(plan.plan))))
    sheet = _actions_sheet(source.namelist())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for name in source.namelist():
            xml = source.read(name)
            book.writestr(name, xml[: len(xml) // 2] if name == sheet else xml)
    response = upload(client, plan, out.getvalue())
    assert response.status_code == 302
    name = client.session[f"documents-import-plan-{plan.plan.pk}"]

    preview = client.get(response["Location"], follow=True)
    assert "could not be read as an Excel workbook" in preview.content.decode()
    assert not default_storage.exists(name)
