"""What a read-only admin page must do, checked for each model of plan data: support
staff can list, search and open rows, and every write through the admin is refused."""

from __future__ import annotations

from django.db import models
from django.db.models.fields.files import FieldFile
from django.test import Client


def _row(obj: models.Model) -> dict:
    return type(obj).objects.filter(pk=obj.pk).values().get()


def _form(obj: models.Model) -> dict:
    """The row as the admin's form would post it."""
    values = {f.name: f.value_from_object(obj) for f in obj._meta.concrete_fields}
    return {
        name: value
        for name, value in values.items()
        if value is not None and not isinstance(value, FieldFile)
    }


def assert_read_only(client: Client, obj: models.Model, *, edit: dict) -> None:
    """`client` is a superuser's; `edit` is a change the admin would otherwise save."""
    meta = obj._meta
    base = f"/admin/{meta.app_label}/{meta.model_name}/"
    before = _row(obj)
    count = type(obj).objects.count()

    listing = client.get(base)
    assert listing.status_code == 200
    assert client.get(base, {"q": "anything"}).status_code == 200
    page = client.get(f"{base}{obj.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="_save"' not in html and "/delete/" not in html
    assert f'href="{base}add/"' not in listing.content.decode()

    assert client.post(f"{base}{obj.pk}/change/", {**_form(obj), **edit}).status_code == 403
    assert client.post(f"{base}add/", {**_form(obj), **edit}).status_code == 403
    assert client.post(f"{base}{obj.pk}/delete/", {"post": "yes"}).status_code == 403
    bulk = {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
    client.post(base, bulk)
    assert _row(obj) == before
    assert type(obj).objects.count() == count
