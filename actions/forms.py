"""Forms for the action page: one per transition, validated again by the services.

Each says what to enter when a required field is empty, in the GOV.UK way: the base Form
derives the message from the label (core.forms.required_message); a field whose label
is a question says it itself.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Model

from core.forms import DateField, Form, sized
from core.models import Organisation, User
from inspections.models import Inspection, Recommendation, Timescale
from plans.models import Plan, Theme, WiderArea
from plans.selectors import oldest_report_first

from . import services
from .models import Action, Measure, Rag
from .permissions import plan_organisations, possible_owners


def model_field(model: type[Model], name: str, **kwargs: Any) -> forms.Field:
    """The form field of a model's field: its length, whether it may be blank and its
    validators (one line only, for instance) come from the model, as on the API."""
    return model._meta.get_field(name).formfield(**kwargs)


class VersionedForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class AnswersFields(Form):
    """What an action answers: items of any of its plan's sources (ticked, grouped by
    source on the page), a wider area for improvement, and the theme it is filed under."""

    recommendations = forms.ModelMultipleChoiceField(
        label="Which items does it answer?",
        queryset=Recommendation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Tick every item it answers, from any of the plan's reports and letters.",
    )
    wider_area = forms.ModelChoiceField(
        label="Does it answer a wider area for improvement?",
        queryset=WiderArea.objects.none(),
        widget=forms.RadioSelect,
        required=False,
        blank=True,
        empty_label="No wider area",
    )
    theme = forms.ModelChoiceField(
        label="Theme",
        queryset=Theme.objects.none(),
        required=False,
        empty_label="As the items' national framework reference says, if any",
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["recommendations"].queryset = Recommendation.objects.filter(
            inspection__plan=plan
        ).select_related("inspection")
        self.fields["wider_area"].queryset = plan.wider_areas.all()
        self.fields["theme"].queryset = plan.themes.all()

    def items_by_source(self) -> list[tuple[Inspection, list[Recommendation]]]:
        """The plan's sources, oldest first, each with its items to tick, each item with
        `.ticked` as the page shows it (posted, or initial)."""
        value = self["recommendations"].value() or []
        ticked = {int(pk) for pk in value if str(pk).isdigit()}
        items = self.fields["recommendations"].queryset.order_by(
            *oldest_report_first("inspection__"), "order"
        )
        groups: dict[int, tuple[Inspection, list[Recommendation]]] = {}
        for item in items:
            item.ticked = item.pk in ticked
            groups.setdefault(item.inspection_id, (item.inspection, []))[1].append(item)
        return list(groups.values())


class DraftActionForm(AnswersFields):
    title = model_field(Action, "title", label="What will be done")
    description = forms.CharField(label="Details", widget=forms.Textarea, required=False)
    due_date = DateField(
        label="Due date",
        subject="The due date",
        error_messages={"required": "Enter the due date"},
    )
    expected_outcome = forms.CharField(
        label="What difference will it make?", widget=forms.Textarea, required=False
    )
    resources = forms.CharField(label="Resources required", widget=forms.Textarea, required=False)
    risks = forms.CharField(
        label="Risks of failure to achieve", widget=forms.Textarea, required=False
    )

    def __init__(
        self, *args: Any, plan: Plan, preticked: Recommendation | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, plan=plan, **kwargs)
        if preticked is not None:
            self.fields["recommendations"].initial = [preticked.pk]
        # The default is shown, not applied behind the officer's back: they see the date
        # the action will have and change it if the plan needs another.
        field = self.fields["due_date"]
        field.initial = services.default_due_date(recommendations=[preticked] if preticked else [])
        if preticked is None:
            field.help_text = (
                "A suggestion for work without a timescale. "
                "Change it to fit the items you tick, or if the plan needs another."
            )
        elif preticked.timescale == Timescale.NONE:
            field.help_text = (
                "The recommendation gives no timescale: this date is a suggestion. "
                "Change it if the plan needs another."
            )
        else:
            field.help_text = (
                "Suggested from the recommendation's timescale "
                f"({preticked.get_timescale_display().lower()}). "
                "Change it if the plan needs another."
            )


class AnswersForm(AnswersFields, VersionedForm):
    def __init__(self, *args: Any, action: Action, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "recommendations": [r.pk for r in action.recommendations.all()],
                "wider_area": action.wider_area_id,
                "theme": action.theme_id,
                "version": action.version,
            },
        )
        super().__init__(*args, plan=action.plan, prefix="answers", **kwargs)


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
        authority_id = action.plan.local_authority_id
        self.fields["organisation"].queryset = plan_organisations(authority_id)


class AssignOwnerForm(VersionedForm):
    owner = forms.ModelChoiceField(label="Responsible officer", queryset=User.objects.none())

    def __init__(self, *args, action: Action, **kwargs):
        super().__init__(*args, **kwargs)
        authority_id = action.plan.local_authority_id
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
    reason = forms.CharField(
        label="Why is the date moving?",
        widget=forms.Textarea,
        error_messages={"required": "Enter why the date is moving"},
    )


class ProgressForm(VersionedForm):
    text = forms.CharField(label="Progress made", widget=forms.Textarea)


class EvidenceForm(Form):
    description = forms.CharField(
        label="What does the evidence show?",
        widget=forms.Textarea,
        error_messages={"required": "Enter what the evidence shows"},
    )
    file = forms.FileField(
        label="File",
        required=False,
        help_text="PDF, Word, Excel, PowerPoint, PNG, JPEG or text, up to 20 MB.",
    )
    link = forms.URLField(label="Or a link", required=False, assume_scheme="https")


class MeasureForm(Form):
    name = model_field(
        Measure,
        "name",
        label="How will we know? (measure)",
        error_messages={"required": "Enter the measure"},
    )
    unit = sized(model_field(Measure, "unit", label="Unit", help_text="For example %"), 10)
    baseline = sized(forms.DecimalField(label="Baseline", max_digits=12, decimal_places=2), 10)
    baseline_date = DateField(label="Baseline date", required=False, subject="The baseline date")
    target = sized(forms.DecimalField(label="Target", max_digits=12, decimal_places=2), 10)
    direction = forms.ChoiceField(
        label="Which direction is better?",
        choices=Measure.Direction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select which direction is better"},
    )


class ReadingForm(Form):
    measure = forms.ModelChoiceField(label="Measure", queryset=Measure.objects.none())
    date = DateField(
        label="Date of the reading",
        subject="The date of the reading",
        error_messages={"required": "Enter the date of the reading"},
    )
    value = sized(forms.DecimalField(label="Value", max_digits=12, decimal_places=2), 10)
    note = forms.CharField(label="Note", widget=forms.Textarea, required=False)

    def __init__(self, *args, action: Action, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = action.measures.all()


class CompleteForm(VersionedForm):
    note = forms.CharField(
        label="What was done?",
        widget=forms.Textarea,
        error_messages={"required": "Enter what was done"},
    )

    def __init__(self, *args: Any, action: Action, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["note"]
        field.required = services.completion_note_needed(action)
        field.help_text = (
            "Nothing has been recorded on this action yet: say what was delivered."
            if field.required
            else "Kept with the action's progress."
        )


class ImpactForm(VersionedForm):
    summary = forms.CharField(
        label="What difference has the action made?",
        widget=forms.Textarea,
        error_messages={"required": "Enter the difference the action has made"},
    )


class SignOffForm(VersionedForm):
    justification = forms.CharField(
        label="Justification",
        widget=forms.Textarea,
        required=False,
        help_text="Needed only when a measure has not reached its target.",
    )


class ReopenForm(VersionedForm):
    reason = forms.CharField(
        label="Why is the action reopened?",
        widget=forms.Textarea,
        error_messages={"required": "Enter why the action is reopened"},
    )


class RagOverrideForm(VersionedForm):
    rag = forms.ChoiceField(
        label="RAG to show",
        choices=Rag.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the RAG to show"},
    )
    reason = forms.CharField(
        label="Why are you setting the RAG by hand?",
        widget=forms.Textarea,
        error_messages={"required": services.RAG_REASON_NEEDED},
    )

    def __init__(self, *args: Any, action: Action, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the RAGs the service accepts are offered (blue once closed and signed off).
        offered = services.rag_override_choices(action)
        self.fields["rag"].choices = [(rag.value, rag.label) for rag in offered]
        self.fields["rag"].error_messages["invalid_choice"] = services.BLUE_ONLY_WHEN_CLOSED


class ClearRagForm(VersionedForm):
    """Back to the derived RAG: nothing to ask, the override's history stays."""


class ReturnForm(Form):
    comment = forms.CharField(
        label="What needs to change?",
        widget=forms.Textarea,
        error_messages={"required": "Enter what needs to change"},
    )
