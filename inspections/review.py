"""The review step of an import: the parser's result as editable forms, and back.

The officer corrects what the parser found before anything is saved; whatever they
confirm becomes a ParsedReport again and goes through the same import service as the
command line and the API.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django import forms
from django.db.models import Count
from django.utils import timezone

from core.errors import DomainError
from core.forms import DateField, Form, show_refusal, sized
from core.models import Organisation, User
from core.words import counted
from plans.models import Plan, PlanStatus
from plans.services import open_plans

from .authorities import authorities_for
from .forms import InspectionFactsForm, received_date_field
from .importing import errors as importing_errors
from .importing.result import ParsedJudgement, ParsedRecommendation, ParsedReport
from .models import FrameworkKind, Grade, GradeScale, InspectionType, Timescale
from .services import expected_deadlines, unsaved_inspection

NEW_PLAN = "new"
HOLD_AS_HISTORY = "history"


class DestinationField(forms.ChoiceField):
    """The plan a report feeds, chosen among the plans offered. A plan of another council
    the officer may import for is accepted here too, so that the form can say whose plans
    to choose from instead of "not one of the choices" (PlanForm.clean refuses it)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.also_known: set[str] = set()

    def valid_value(self, value: Any) -> bool:
        return str(value) in self.also_known or super().valid_value(value)


class PlanForm(Form):
    """Whose report this is, which plan it feeds (or none: held as history), and when
    the council received it.

    Only the open plans of the council the report is for are offered: the council
    submitted with the form, else `authority` (the one the page starts with). A plan of
    another council is refused, whichever council the officer may import for it is."""

    local_authority = forms.ModelChoiceField(
        label="Council",
        queryset=Organisation.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the council whose report this is"},
        help_text="The councils you may import a report for.",
    )
    destination = DestinationField(
        label="Where does this report go?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the plan this report feeds, a new plan, or to hold it as history",
            "invalid_choice": "Choose a plan listed, a new plan, or to hold it as history",
        },
    )
    received_date = received_date_field()

    HELP = (
        "A later report usually feeds the plan the council already runs. An older report "
        "can be held as history: its items are compared with later ones to find repeats, "
        "but it feeds no plan."
    )

    def __init__(
        self, *args: Any, user: User, authority: Organisation | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.councils = authorities_for(user).order_by("name")
        self.fields["local_authority"].queryset = self.councils
        self.authority = self._submitted_authority() or authority
        self.plans = (
            {
                str(plan.pk): plan
                for plan in open_plans(self.authority)
                .select_related("local_authority")
                .annotate(source_count=Count("sources"))
            }
            if self.authority is not None
            else {}
        )
        field = self.fields["destination"]
        field.choices = [
            *((key, plan_label(plan)) for key, plan in self.plans.items()),
            (NEW_PLAN, "A new plan"),
            (HOLD_AS_HISTORY, "Hold as history (an older report kept for comparison)"),
        ]
        if self.authority is not None and self.plans:
            field.help_text = f"The open plans of {self.authority}. {self.HELP}"
        elif self.authority is not None:
            field.help_text = f"{self.authority} has no open plan yet. {self.HELP}"
        else:
            field.help_text = self.HELP
        self.elsewhere = self._plan_of_another_council()
        if self.elsewhere is not None:
            field.also_known = {str(self.elsewhere.pk)}

    def _submitted_authority(self) -> Organisation | None:
        """The council sent with the form, when it is one the officer may import for."""
        if not self.is_bound:
            return None
        key = self.data.get(self.add_prefix("local_authority"), "")
        if not str(key).isdigit():
            return None
        return self.councils.filter(pk=int(key)).first()

    def _plan_of_another_council(self) -> Plan | None:
        """The open plan sent with the form that is not among those offered, when it is
        one of another council the officer may import for (None for anything else)."""
        if not self.is_bound:
            return None
        key = str(self.data.get(self.add_prefix("destination"), ""))
        if not key.isdigit() or key in self.plans:
            return None
        return (
            Plan.objects.filter(pk=int(key), local_authority__in=self.councils)
            .exclude(status=PlanStatus.CLOSED)
            .select_related("local_authority")
            .first()
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        authority, destination = data.get("local_authority"), data.get("destination")
        plan = self.plans.get(destination or "")
        if plan is None and self.elsewhere is not None and destination == str(self.elsewhere.pk):
            plan = self.elsewhere
        if authority is not None and plan is not None and plan.local_authority_id != authority.pk:
            self.add_error("destination", wrong_council_message(plan, authority, self.plans))
        return data

    @property
    def plan(self) -> Plan | None:
        """The chosen plan (None for a new plan or a report held as history)."""
        return self.plans.get(self.cleaned_data.get("destination") or "")

    @property
    def hold_as_history(self) -> bool:
        return self.cleaned_data.get("destination") == HOLD_AS_HISTORY

    def check_received_date(self, report: ParsedReport) -> bool:
        """Whether the date of receipt can be, for the report as the officer corrected it
        (Inspection.check_received_date); if not, the reason goes on the field, before a
        deadline is worked out from it."""
        received = self.cleaned_data.get("received_date")
        try:
            unsaved_inspection(report, received_date=received).check_received_date()
        except DomainError as refusal:
            show_refusal(self, refusal)
            return False
        return True


def wrong_council_message(plan: Plan, authority: Organisation, offered: dict) -> str:
    """What to do when the plan chosen is another council's than the report's."""
    if offered:
        return (
            f"Choose one of {authority}'s plans listed, a new plan, or to hold the report as "
            f"history: the plan chosen is {plan.local_authority}'s"
        )
    return (
        f"Choose a new plan or to hold the report as history: {authority} has no open plan, "
        f"and the plan chosen is {plan.local_authority}'s"
    )


def plan_label(plan: Plan) -> str:
    sources = counted(getattr(plan, "source_count", plan.sources.count()), "source")
    return f"{plan.title} ({plan.get_status_display().lower()}, {sources})"


def default_destination(authority: Organisation | None) -> str:
    """The newest open plan of the council, else a new plan."""
    if authority is None:
        return NEW_PLAN
    newest = open_plans(authority).first()
    return str(newest.pk) if newest else NEW_PLAN


class ReportDetailsForm(InspectionFactsForm):
    lead_inspector = forms.CharField(label="Lead inspector", max_length=200, required=False)
    stated_plan_due_date = DateField(
        label="Plan due date stated in the report",
        required=False,
        subject="The plan due date",
    )
    stated_draft_plan_due_date = DateField(
        label="Draft plan due date stated in the report",
        required=False,
        subject="The draft plan due date",
    )


class JudgementForm(Form):
    area = forms.CharField(label="Area judged", max_length=300)
    section = forms.CharField(label="Section", max_length=300, required=False)
    grade_text = forms.CharField(label="Grade as printed", max_length=300)
    scale = forms.ChoiceField(label="Scale", choices=GradeScale.choices)
    grade = forms.ChoiceField(
        label="Normalised grade", choices=[("", "Not a grade"), *Grade.choices], required=False
    )


class RecommendationForm(Form):
    text = forms.CharField(
        label="Recommendation (verbatim)",
        widget=forms.Textarea,
        error_messages={"required": "Enter the recommendation's text"},
    )
    section = sized(forms.CharField(label="Section", max_length=300, required=False), 20)
    # The initial value keeps an untouched "add a recommendation" row empty, not invalid.
    timescale = forms.ChoiceField(
        label="Timescale", choices=Timescale.choices, initial=Timescale.NONE
    )
    addressee = sized(forms.CharField(label="Addressed to", max_length=300, required=False), 20)
    number = sized(forms.CharField(label="Number or paragraph", max_length=32, required=False), 10)
    priority = forms.BooleanField(label="Area for priority action", required=False)
    # The national framework cross-reference travels with the item unchanged (the text
    # keeps it as printed); the page shows it.
    framework_kind = forms.ChoiceField(
        choices=[("", "None"), *FrameworkKind.choices], required=False, widget=forms.HiddenInput
    )
    framework_number = forms.IntegerField(
        min_value=1, max_value=99, required=False, widget=forms.HiddenInput
    )
    framework_name = forms.CharField(max_length=300, required=False, widget=forms.HiddenInput)

    def framework_reference(self) -> str:
        """The cross-reference as the page shows it, e.g. "Outcome 4: Children …"."""
        return framework_reference(
            self["framework_kind"].value() or "",
            self["framework_number"].value(),
            self["framework_name"].value() or "",
        )


def framework_reference(kind: str, number: int | str | None, name: str) -> str:
    if kind not in FrameworkKind.values:
        return ""
    label = FrameworkKind(kind).label
    if number not in (None, ""):
        label = f"{label} {number}"
    return f"{label}: {name}" if name else label


JudgementFormSet = forms.formset_factory(JudgementForm, extra=0, can_delete=True)
RecommendationFormSet = forms.formset_factory(
    RecommendationForm, extra=1, can_delete=True, can_order=True
)


@dataclasses.dataclass(frozen=True)
class Summary:
    """What the page shows of a report before it is confirmed, and the deadlines it gives."""

    report: ParsedReport
    inspection_type: str
    received_date: dt.date | None
    plan_due_date: dt.date | None
    draft_plan_due_date: dt.date | None

    @property
    def no_plan_because(self) -> str | None:
        """Why no plan is due, when the report asks for none and states no date
        (Inspection.no_plan_because); None when a plan is asked for or a date is known."""
        if self.plan_due_date is not None:
            return None
        return unsaved_inspection(self.report, received_date=self.received_date).no_plan_because

    @property
    def counted_from(self) -> str:
        """Where the deadline comes from, in the words of every other page."""
        inspection = unsaved_inspection(self.report, received_date=self.received_date)
        inspection.refresh_deadlines()
        return inspection.plan_due_basis_words

    @property
    def recommendation_count(self) -> str:
        return counted(len(self.report.recommendations), "recommendation")

    @property
    def priority_count(self) -> int:
        return sum(1 for r in self.report.recommendations if r.priority)

    @property
    def judgement_count(self) -> str:
        return counted(len(self.report.judgements), "judgement")

    @property
    def deadline_passed(self) -> bool:
        """An old report, or one received long ago: its deadline is already behind us."""
        return self.plan_due_date is not None and self.plan_due_date < timezone.localdate()

    @property
    def warnings(self) -> list[str]:
        """What the officer should still check: the reader's warnings, less the call for
        a date of receipt once the deadline is known or none is asked for."""
        settled = self.plan_due_date is not None or self.no_plan_because is not None
        return [
            warning
            for warning in self.report.warnings
            if not (settled and warning == importing_errors.NO_PUBLICATION_DATE)
        ]

    @property
    def recommendations(self) -> list[tuple[ParsedRecommendation, str, str]]:
        """Each item with its cross-reference and its timescale in words ("" for none)."""
        return [
            (
                r,
                framework_reference(r.framework_kind, r.framework_number, r.framework_name),
                Timescale(r.timescale).label
                if r.timescale in Timescale.values and r.timescale != Timescale.NONE
                else "",
            )
            for r in self.report.recommendations
        ]


def summarise(report: ParsedReport, *, received_date: dt.date | None) -> Summary:
    """The report's facts and its deadlines, worked out by the import's own rule."""
    plan_due, draft_due = expected_deadlines(parsed=report, received_date=received_date)
    kind = report.inspection_type
    return Summary(
        report=report,
        inspection_type=InspectionType(kind).label if kind in InspectionType.values else kind,
        received_date=received_date,
        plan_due_date=plan_due,
        draft_plan_due_date=draft_due,
    )


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date) or value is None:
        return value
    return dt.date.fromisoformat(value) if value else None


def report_from_dict(data: dict[str, Any]) -> ParsedReport:
    """A ParsedReport from its to_dict() form (as stored while awaiting review)."""
    return ParsedReport(
        local_authority=data.get("local_authority", ""),
        inspection_type=data.get("inspection_type", "other"),
        inspection_start=_date(data.get("inspection_start")),
        inspection_end=_date(data.get("inspection_end")),
        publication_date=_date(data.get("publication_date")),
        lead_inspector=data.get("lead_inspector", ""),
        stated_plan_due_date=_date(data.get("stated_plan_due_date")),
        stated_draft_plan_due_date=_date(data.get("stated_draft_plan_due_date")),
        judgements=[ParsedJudgement(**j) for j in data.get("judgements", [])],
        recommendations=[ParsedRecommendation(**r) for r in data.get("recommendations", [])],
        warnings=list(data.get("warnings", [])),
    )


def initial_forms(report: ParsedReport) -> dict[str, Any]:
    details = {
        name: getattr(report, name)
        for name in ReportDetailsForm.base_fields
        if hasattr(report, name)
    }
    return {
        "details": details,
        "judgements": [vars(j).copy() for j in report.judgements],
        "recommendations": [
            {**vars(r), "ORDER": i + 1} for i, r in enumerate(report.recommendations)
        ],
    }


def report_from_forms(
    details: ReportDetailsForm,
    judgements: forms.BaseFormSet,
    recommendations: forms.BaseFormSet,
    *,
    printed_authority: str,
    warnings: list[str],
) -> ParsedReport:
    """The confirmed report: deleted rows dropped, recommendations in the chosen order.

    The authority stays as the report prints it; the plan's council is chosen apart.
    """
    d = details.cleaned_data
    kept_judgements = [
        form.cleaned_data
        for form in judgements.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]
    ordered = [form.cleaned_data for form in recommendations.ordered_forms]
    return ParsedReport(
        local_authority=printed_authority,
        inspection_type=d["inspection_type"],
        inspection_start=d["inspection_start"],
        inspection_end=d["inspection_end"],
        publication_date=d["publication_date"],
        lead_inspector=d["lead_inspector"],
        stated_plan_due_date=d["stated_plan_due_date"],
        stated_draft_plan_due_date=d["stated_draft_plan_due_date"],
        judgements=[
            ParsedJudgement(
                area=j["area"],
                section=j["section"],
                grade_text=j["grade_text"],
                scale=j["scale"],
                grade=j["grade"] or None,
            )
            for j in kept_judgements
        ],
        recommendations=[
            ParsedRecommendation(
                section=r["section"],
                timescale=r["timescale"],
                text=r["text"].strip(),
                addressee=r["addressee"],
                number=r["number"],
                priority=r["priority"],
                framework_kind=r["framework_kind"],
                framework_number=r["framework_number"],
                framework_name=r["framework_name"],
            )
            for r in ordered
            if r.get("text")
        ],
        warnings=warnings,
    )
