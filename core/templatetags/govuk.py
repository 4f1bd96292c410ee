"""Render Django form fields with GOV.UK Design System markup."""

from __future__ import annotations

from django import forms, template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from core.forms import DATE_PARTS, DateField, DateInput

register = template.Library()


def _kind(field: forms.BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, DateInput):
        return "date"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return "file"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "input"


def _date_boxes(field: forms.BoundField) -> list[dict]:
    """The day, month and year boxes of a date field, with their values and error state."""
    value = field.value()
    if not isinstance(value, list | tuple):
        value = field.field.widget.decompress(value)
    wrong = set()
    if field.errors:
        wrong = (
            field.field.invalid_parts(value)
            if isinstance(field.field, DateField)
            else set(DATE_PARTS)
        )
    ids = [field.auto_id, f"{field.auto_id}_month", f"{field.auto_id}_year"]
    return [
        {
            "part": part,
            "label": part.capitalize(),
            "id": ids[i],
            "name": f"{field.html_name}_{part}",
            "value": value[i] if i < len(value) and value[i] is not None else "",
            "width": 4 if part == "year" else 2,
            "error": part in wrong,
        }
        for i, part in enumerate(DATE_PARTS)
    ]


@register.simple_tag
def govuk_field(field: forms.BoundField, width: str = "") -> SafeString:
    """One field in GOV.UK markup. A text input is as wide as the form declared for its
    field (core.forms.sized), or else as the page asks for every field of a loop."""
    widget = field.field.widget
    width = getattr(field.field, "govuk_width", "") or width
    kind = _kind(field)
    if kind == "date":
        return render_to_string(
            "includes/date_field.html",
            {
                "field": field,
                "boxes": _date_boxes(field),
                "example": f"27 3 {timezone.localdate().year}",
            },
        )
    css = {
        "input": "govuk-input",
        "textarea": "govuk-textarea",
        "select": "govuk-select",
        "file": "govuk-file-upload",
        "checkbox": "govuk-checkboxes__input",
    }.get(kind, "")
    if width and kind == "input":
        css += f" govuk-input--width-{width}"
    if field.errors and css:
        css += f" {css.split()[0]}--error"
    attrs = {"class": css}
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if kind == "textarea":
        attrs["rows"] = widget.attrs.get("rows", 4)
    return render_to_string(
        "includes/field.html",
        {
            "field": field,
            "kind": kind,
            "widget_html": field.as_widget(attrs=attrs) if kind != "radios" else "",
        },
    )


@register.inclusion_tag("includes/error_summary.html")
def govuk_error_summary(*forms_: forms.Form | forms.BaseFormSet) -> dict:
    """Every error of these forms (and formsets), each linking to its field."""
    errors = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        if isinstance(form, forms.BaseFormSet):
            errors += [("#", error) for error in form.non_form_errors()]
            errors += govuk_error_summary(*form.forms)["errors"]
            continue
        for error in form.non_field_errors():
            errors.append(("#", error))
        for field in form:
            for error in field.errors:
                errors.append((f"#{_first_input_id(field)}", error))
    return {"errors": errors}


def _first_input_id(field: forms.BoundField) -> str:
    """Where an error summary's link takes the person: the field's input, or for radios
    the first radio (the group itself has no id), as the GOV.UK error summary asks."""
    if _kind(field) == "radios" and field.subwidgets:
        return field.subwidgets[0].id_for_label
    return field.auto_id
