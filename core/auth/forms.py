"""Forms of the two-step verification pages."""

from __future__ import annotations

from django import forms


class CodeForm(forms.Form):
    """One code: from the authenticator app, or (where allowed) a recovery code."""

    code = forms.CharField(
        label="Code",
        max_length=32,
        strip=True,
        error_messages={"required": "Enter the code."},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "none"}
        ),
    )

    def __init__(self, *args: object, label: str, help_text: str, app_only: bool = False) -> None:
        super().__init__(*args)
        field = self.fields["code"]
        field.label = label
        field.help_text = help_text
        if app_only:
            field.widget.attrs["inputmode"] = "numeric"
