"""Forms of the inspection pages: the facts of a report (checked on import, corrected
later) and the deadline override."""

from __future__ import annotations

from typing import Any

from django import forms

from core.forms import DateField, Form

from .models import InspectionType


def received_date_field(**kwargs: Any) -> DateField:
    """The date the council received the report, from which the plan deadline counts."""
    return DateField(
        label=kwargs.pop("label", "Date the report was received"),
        required=False,
        subject="The date the report was received",
        help_text="The plan deadline counts from this date. Left empty, it counts from "
        "the publication date, if the report prints one.",
        **kwargs,
    )


class InspectionFactsForm(Form):
    """The inspection's own facts, as the import review shows them and the correction
    page changes them: one definition of their fields, words and rules."""

    inspection_type = forms.ChoiceField(label="Inspection type", choices=InspectionType.choices)
    inspection_start = DateField(
        label="Inspection started", required=False, subject="The date the inspection started"
    )
    inspection_end = DateField(
        label="Inspection ended", required=False, subject="The date the inspection ended"
    )
    publication_date = DateField(label="Published", required=False, subject="The publication date")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("inspection_start"), data.get("inspection_end")
        if start and end and end < start:
            self.add_error("inspection_end", "The inspection cannot end before it started.")
        return data


class DeadlineOverrideForm(Form):
    which = forms.ChoiceField(
        label="Which deadline?",
        choices=[("plan", "The plan"), ("draft_plan", "The draft plan")],
        widget=forms.RadioSelect,
        initial="plan",
    )
    new_date = DateField(
        label="New due date",
        required=False,
        subject="The new due date",
        help_text="Leave empty to go back to the date stated in the report or the 70 working days.",
    )
    reason = forms.CharField(
        label="Why is the deadline changing?",
        widget=forms.Textarea,
        error_messages={"required": "Enter why the deadline is changing"},
    )
