"""Validators shared by models, forms and the API."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

# C0 and C1 control characters (line breaks and tabs among them), and the Unicode line
# and paragraph separators: none belongs in a one-line field, and a line break in a
# title once broke every e-mail subject made from it.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def validate_single_line(value: str) -> None:
    """Refuse control characters in a field meant to hold one line of text.

    Set on the model's CharField, so ModelForms, ModelSerializers and forms built from
    the model field (`Model._meta.get_field(name).formfield()`) all apply it.
    """
    if isinstance(value, str) and _CONTROL.search(value):
        raise ValidationError(
            "Enter this on one line, without line breaks, tabs or other control characters.",
            code="control_characters",
        )
