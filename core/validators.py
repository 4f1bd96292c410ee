"""Validators shared by models, forms and the API."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.utils.deconstruct import deconstructible


@deconstructible(path="core.validators.SingleLineValidator")
class SingleLineValidator(RegexValidator):
    """Refuse control characters in a field meant to hold one line of text.

    C0 and C1 control characters (line breaks and tabs among them) and the Unicode line and
    paragraph separators: none belongs in a one-line field, and a line break in a title
    once broke every e-mail subject made from it. A regular expression that the whole value
    must match, so the API's schema declares it as the field's `pattern` too.

    Set on the model's CharField, so ModelForms, ModelSerializers and forms built from
    the model field (`Model._meta.get_field(name).formfield()`) all apply it.
    """

    regex = r"^[^\x00-\x1f\x7f-\x9f\u2028\u2029]*\Z"
    message = "Enter this on one line, without line breaks, tabs or other control characters."
    code = "control_characters"


validate_single_line = SingleLineValidator()
