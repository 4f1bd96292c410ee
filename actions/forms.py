"""Forms for the action page: one per transition, validated again by the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Model

from core.forms import DateField
from core.models import Organisation, User

from .models import Action, Measure, Rag
from .permissions import plan_organisations, possible_owners


def model_field(model: type[Model], name: str, **kwargs: Any) -> forms.Field:
    """The form field of a model's field: its length, whether it may be blank and its
    validators (one line only, for instance) come from the model, as on the API."""
    return model._meta.get_field(name).formfield(**kwargs)


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class DraftActionForm(forms.Form):
    title = model_field(Action, "title", label="What will be done")
    description = forms.CharField(label="Details", widget=forms.Textarea, required=False)
    due_date = DateField(
        label="Due date",
        required=False,
        subject="The due date",
        help_text="Leave empty to use the default for the recommendation's timescale.",
    )
    expected_outcome = forms.CharField(
        label="What difference will it make?", widget=forms.Textarea, required=False
    )
    resources = forms.CharField(label="Resources required", widget=forms.Textarea, required=False)
    risks = forms.CharField(
        label="Risks of failure to achieve", widget=forms.Textarea, required=False
    )


class EditActionForm(VersionedForm):
    title = model_field(Action, "title", label="What will be done")
    description = forms.CharField(label="Details", widget=forms.Textarea, required=False)
    expected_outcome = forms.CharField(
        label="What difference will it make?", widget=forms.Textarea, required=False
    )
    resources = forms.CharField(label="Resources required", widget=forms.Textarea, required=False)
    risks = forms.CharField(
        label="Risks of failure to achieve", widget=forms.Textarea, required=False
    )
    organisation = forms.ModelChoiceField(
        label="Organisation", queryset=Organisation.objects.none(), required=False
    )

    def __init__(self, *args, action: Action, **kwargs):
        super().__init__(*args, **kwargs)
        authority_id = action.recommendation.inspection.local_authority_id
        self.fields["organisation"].queryset = plan_organisations(authority_id)


class AssignOwnerForm(VersionedForm):
    owner = forms.ModelChoiceField(label="Responsible officer", queryset=User.objects.none())

    def __init__(self, *args, action: Action, **kwargs):
        super().__init__(*args, **kwargs)
        authority_id = action.recommendation.inspection.local_authority_id
        self.fields["owner"].queryset = possible_owners(authority_id).select_related("organisation")
        self.fields["owner"].label_from_instance = lambda u: (
            f"{u} ({u.organisation})" if u.organisation else str(u)
        )


class MoveDueDateForm(VersionedForm):
    new_date = DateField(
        label="New due date",
        subject="The new due date",
        error_messages={"required": "Enter the new due date"},
    )
    reason = forms.CharField(label="Why is the date moving?", widget=forms.Textarea)


class ProgressForm(VersionedForm):
    text = forms.CharField(label="Progress made", widget=forms.Textarea)


class EvidenceForm(forms.Form):
    description = forms.CharField(label="What does the evidence show?", widget=forms.Textarea)
    file = forms.FileField(
        label="File",
        required=False,
        help_text="PDF, Word, Excel, PowerPoint, PNG, JPEG or text, up to 20 MB.",
    )
    link = forms.URLField(label="Or a link", required=False, assume_scheme="https")


class MeasureForm(forms.Form):
    name = model_field(Measure, "name", label="How will we know? (measure)")
    unit = model_field(Measure, "unit", label="Unit", help_text="For example %")
    baseline = forms.DecimalField(label="Baseline", max_digits=12, decimal_places=2)
    baseline_date = DateField(label="Baseline date", required=False, subject="The baseline date")
    target = forms.DecimalField(label="Target", max_digits=12, decimal_places=2)
    direction = forms.ChoiceField(
        label="Which direction is better?",
        choices=Measure.Direction.choices,
        widget=forms.RadioSelect,
    )


class ReadingForm(forms.Form):
    measure = forms.ModelChoiceField(label="Measure", queryset=Measure.objects.none())
    date = DateField(
        label="Date of the reading",
        subject="The date of the reading",
        error_messages={"required": "Enter the date of the reading"},
    )
    value = forms.DecimalField(label="Value", max_digits=12, decimal_places=2)
    note = forms.CharField(label="Note", widget=forms.Textarea, required=False)

    def __init__(self, *args, action: Action, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = action.measures.all()


class CompleteForm(VersionedForm):
    pass


class ImpactForm(VersionedForm):
    summary = forms.CharField(label="What difference has the action made?", widget=forms.Textarea)


class SignOffForm(VersionedForm):
    justification = forms.CharField(
        label="Justification",
        widget=forms.Textarea,
        required=False,
        help_text="Needed only when a measure has not reached its target.",
    )


class ReopenForm(VersionedForm):
    reason = forms.CharField(label="Why is the action reopened?", widget=forms.Textarea)


class RagOverrideForm(VersionedForm):
    rag = forms.ChoiceField(
        label="RAG set by hand",
        choices=[("", "Use the derived RAG"), *Rag.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label="Reason", widget=forms.Textarea, required=False)


class ReturnForm(forms.Form):
    comment = forms.CharField(label="What needs to change?", widget=forms.Textarea)
