"""The review step of an import: the parser's result as editable forms, and back.

The officer corrects what the parser found before anything is saved; whatever they
confirm becomes a ParsedReport again and goes through the same import service as the
command line and the API.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from .importing.result import ParsedJudgement, ParsedRecommendation, ParsedReport
from .models import Grade, GradeScale, InspectionType, Timescale


class DateInput(forms.DateInput):
    input_type = "date"


class ReportDetailsForm(forms.Form):
    local_authority = forms.CharField(label="Local authority", max_length=200)
    inspection_type = forms.ChoiceField(label="Inspection type", choices=InspectionType.choices)
    inspection_start = forms.DateField(label="Inspection started", widget=DateInput, required=False)
    inspection_end = forms.DateField(label="Inspection ended", widget=DateInput, required=False)
    publication_date = forms.DateField(label="Published", widget=DateInput, required=False)
    received_date = forms.DateField(
        label="Report received",
        widget=DateInput,
        required=False,
        help_text="The plan deadline counts from this date; "
        "leave empty to use the publication date.",
    )
    lead_inspector = forms.CharField(label="Lead inspector", max_length=200, required=False)
    stated_plan_due_date = forms.DateField(
        label="Plan due date stated in the report", widget=DateInput, required=False
    )
    stated_draft_plan_due_date = forms.DateField(
        label="Draft plan due date stated in the report", widget=DateInput, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("inspection_start"), data.get("inspection_end")
        if start and end and end < start:
            self.add_error("inspection_end", "The inspection cannot end before it started.")
        return data


class JudgementForm(forms.Form):
    area = forms.CharField(label="Area judged", max_length=300)
    section = forms.CharField(label="Section", max_length=300, required=False)
    grade_text = forms.CharField(label="Grade as printed", max_length=300)
    scale = forms.ChoiceField(label="Scale", choices=GradeScale.choices)
    grade = forms.ChoiceField(
        label="Normalised grade", choices=[("", "Not a grade"), *Grade.choices], required=False
    )


class RecommendationForm(forms.Form):
    text = forms.CharField(label="Recommendation (verbatim)", widget=forms.Textarea)
    section = forms.CharField(label="Section", max_length=300, required=False)
    # The initial value keeps an untouched "add a recommendation" row empty, not invalid.
    timescale = forms.ChoiceField(
        label="Timescale", choices=Timescale.choices, initial=Timescale.NONE
    )
    addressee = forms.CharField(label="Addressed to", max_length=300, required=False)
    number = forms.CharField(label="Number or paragraph", max_length=32, required=False)
    priority = forms.BooleanField(label="Area for priority action", required=False)


JudgementFormSet = forms.formset_factory(JudgementForm, extra=0, can_delete=True)
RecommendationFormSet = forms.formset_factory(
    RecommendationForm, extra=1, can_delete=True, can_order=True
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
    warnings: list[str],
) -> ParsedReport:
    """The confirmed report: deleted rows dropped, recommendations in the chosen order."""
    d = details.cleaned_data
    kept_judgements = [
        form.cleaned_data
        for form in judgements.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]
    ordered = [form.cleaned_data for form in recommendations.ordered_forms]
    return ParsedReport(
        local_authority=d["local_authority"],
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
            )
            for r in ordered
            if r.get("text")
        ],
        warnings=warnings,
    )
