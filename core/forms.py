"""Forms shared by every app, and the one date field of the service.

Every date a person types is entered with the GOV.UK Design System's date input
pattern: three boxes for day, month and year. Browsers' own date pickers show
nothing when given a value they do not read, and people can type a date they know
faster than they can pick it; one definition keeps every form alike.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.forms.utils import pretty_name

from .errors import DomainError
from .models import User

DATE_PARTS = ("day", "month", "year")


class DateInput(forms.MultiWidget):
    """Day, month and year boxes, posted as ``<name>_day``, ``<name>_month``, ``<name>_year``."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        boxes = {
            part: forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"})
            for part in DATE_PARTS
        }
        super().__init__(widgets=boxes, attrs=attrs)

    def decompress(self, value: Any) -> list[str]:
        date = _as_date(value)
        if date is None:
            return ["", "", ""]
        return [str(date.day), str(date.month), str(date.year)]


def _as_date(value: Any) -> dt.date | None:
    """A date from a date, a datetime or an ISO string (as initial values come)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


class DateField(forms.Field):
    """A date entered as day, month and year, with the GOV.UK error messages.

    ``subject`` names the date in messages ("Date must include a month"); pass
    ``error_messages={"required": "Enter the date the report was received"}`` to say
    what is missing when nothing is typed.
    """

    widget = DateInput
    default_error_messages = {
        "required": "Enter a date",
        "incomplete": "{subject} must include a {missing}",
        "invalid": "{subject} must be a real date",
        "year": "Year must include 4 numbers",
    }

    def __init__(self, *, subject: str = "Date", **kwargs: Any) -> None:
        self.subject = subject
        super().__init__(**kwargs)

    def _error(self, code: str, **params: str) -> ValidationError:
        message = self.error_messages[code].format(subject=self.subject, **params)
        return ValidationError(message, code=code)

    def to_python(self, value: Any) -> dt.date | None:
        if value is None or isinstance(value, dt.date):
            return _as_date(value)
        if isinstance(value, str):
            # Only initial values and data from code arrive as one string.
            date = _as_date(value)
            if value and date is None:
                raise self._error("invalid")
            return date
        parts = [str(part or "").strip() for part in value]
        parts += [""] * (3 - len(parts))
        if not any(parts):
            return None
        missing = [name for name, part in zip(DATE_PARTS, parts, strict=False) if not part]
        if missing:
            raise self._error("incomplete", missing=_join(missing))
        if not all(part.isdigit() for part in parts):
            raise self._error("invalid")
        day, month, year = (int(part) for part in parts)
        if len(parts[2]) != 4:
            raise self._error("year")
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise self._error("invalid") from None

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return _as_date(initial) != self.to_python(data)
        except ValidationError:
            return True

    def invalid_parts(self, value: Any) -> set[str]:
        """The boxes to mark as wrong: the empty ones, or all when none is empty (the
        date as a whole is wrong: not a real date, or refused by a rule)."""
        if not isinstance(value, list | tuple):
            return set(DATE_PARTS)
        filled = {name for name, part in zip(DATE_PARTS, value, strict=False) if part}
        return set(DATE_PARTS) - filled or set(DATE_PARTS)


FieldT = TypeVar("FieldT", bound=forms.Field)


def sized(field: FieldT, width: int) -> FieldT:
    """`field`, drawn as a GOV.UK text input `width` characters wide (2, 3, 4, 5, 10, 20
    or 30): the width says what kind of answer is expected. It wins over a width the page
    gives to every field of a loop (core.templatetags.govuk.govuk_field)."""
    if width not in (2, 3, 4, 5, 10, 20, 30):
        raise ValueError(f"Not a GOV.UK input width: {width}")
    field.govuk_width = str(width)  # type: ignore[attr-defined]
    return field


# Words that open a label already phrased as what to enter ("What will be done"), which
# takes no "the" after "Enter".
_WH_WORDS = ("what", "why", "how", "which", "who", "when", "where", "whether")


def _lower_first(text: str) -> str:
    """ "Responsible officer" → "responsible officer"; "RAG to show" stays as it is."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def required_message(field: forms.Field, name: str) -> str:
    """The GOV.UK error message of an empty required field, from its kind and label.

    "Select" for what is chosen (a choice, a file, a box to tick), "Enter" for what is
    typed: "Enter what will be done", "Select the responsible officer", and for a date
    its subject: "Enter the date of the reading". A label phrased as a question
    ("Why is the date moving?") does not turn into a message: give such a field its own
    ``error_messages={"required": ...}``.
    """
    if isinstance(field, DateField) and field.subject != "Date":
        return f"Enter {_lower_first(field.subject)}"
    label = str(field.label or pretty_name(name)).rstrip("?").strip()
    chosen = isinstance(field, forms.ChoiceField | forms.FileField | forms.BooleanField)
    verb = "Select" if chosen else "Enter"
    words = _lower_first(label)
    if not words.lower().startswith(_WH_WORDS) and not words.lower().startswith("the "):
        words = f"the {words}"
    return f"{verb} {words}"


def _default_required_message(field: forms.Field) -> str:
    """The "required" message the field's class gives when the form gives none."""
    defaults: dict[str, Any] = {}
    for cls in reversed(type(field).__mro__):
        defaults.update(getattr(cls, "default_error_messages", {}))
    return str(defaults.get("required", ""))


class GovukErrorMessages:
    """A form mixin: every field without its own "required" message gets the GOV.UK one
    (required_message) instead of Django's "This field is required.", which does not
    say what to enter. Put it before the form class: ``class F(GovukErrorMessages,
    forms.Form)``; Form and ModelForm below are the usual bases."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if str(field.error_messages.get("required", "")) == _default_required_message(field):
                field.error_messages["required"] = required_message(field, name)


def show_refusal(form: forms.BaseForm, error: DomainError) -> None:
    """Put a service's refusal next to the field it names, else above the form: the
    GOV.UK error pattern for a rule only the service can check."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


class Form(GovukErrorMessages, forms.Form):
    """The base of the service's page forms (GovukErrorMessages)."""


class ModelForm(GovukErrorMessages, forms.ModelForm):
    """The base of the service's page model forms (GovukErrorMessages)."""


class PasswordResetForm(GovukErrorMessages, auth_forms.PasswordResetForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages["required"] = "Enter your email address"


class SetPasswordForm(GovukErrorMessages, auth_forms.SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"


class PreferencesForm(ModelForm):
    class Meta:
        model = User
        fields = ["reminder_delivery"]
        labels = {"reminder_delivery": "How would you like your reminders?"}
        widgets = {"reminder_delivery": forms.RadioSelect}
        error_messages = {
            "reminder_delivery": {"required": "Select how you would like your reminders"}
        }
