"""Forms of the documents pages: they parse input; services decide."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from core.forms import DateField, Form
from core.models import User
from plans.models import Plan

from .models import DocumentFormat
from .services import signatories

FORMAT_CHOICES = [(DocumentFormat.DOCX, "Word (.docx), to edit"), (DocumentFormat.PDF, "PDF")]


class SubmissionForm(Form):
    format = forms.ChoiceField(choices=FORMAT_CHOICES, initial=DocumentFormat.DOCX)
    signed_by = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, empty_label="Not signed yet"
    )
    signed_on = DateField(
        label="Date signed",
        required=False,
        subject="The date signed",
        help_text="Leave empty for today.",
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        # Ids as the page writes them by hand.
        kwargs.setdefault("auto_id", "submission-%s")
        super().__init__(*args, **kwargs)
        self.fields["signed_by"].queryset = signatories(plan)
        # Say why there is no one to choose rather than offer a list of one (in the hint:
        # an option's words are cut on a phone).
        self.no_signatory = ""
        if not self.fields["signed_by"].queryset.exists():
            self.no_signatory = (
                f"No director of {plan.local_authority} has an account yet, so no one can "
                "be chosen."
            )
        self.fields["signed_by"].label_from_instance = lambda user: (
            f"{user}, {user.job_title}" if user.job_title else str(user)
        )

    def clean(self):
        data = super().clean()
        if data.get("signed_on") and not data.get("signed_by"):
            self.add_error("signed_by", "Choose the director who signed the plan.")
        return data


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The last three months up to today."""
    today = today or timezone.localdate()
    start = today.replace(day=1)
    for _ in range(2):
        start = (start - dt.timedelta(days=1)).replace(day=1)
    return start, today


class PeriodForm(Form):
    id_prefix = "period"
    start = DateField(
        label="From", subject="The start date", error_messages={"required": "Enter the start date"}
    )
    end = DateField(
        label="To", subject="The end date", error_messages={"required": "Enter the end date"}
    )
    theme = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="The whole plan",
        label="Theme",
        help_text="For a board reading one workstream: that theme's actions only.",
        error_messages={"invalid_choice": "Choose one of the plan's themes"},
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = plan.themes.order_by("order", "id")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", "The period must end on or after the day it starts.")
        return data


class ProgressForm(PeriodForm):
    id_prefix = "progress"
    format = forms.ChoiceField(choices=FORMAT_CHOICES, initial=DocumentFormat.PDF)


class ImportForm(Form):
    file = forms.FileField(
        label="Upload the tracker (.xlsx)",
        error_messages={"required": "Select the tracker (.xlsx) to upload"},
    )
