"""The page on which a policy officer corrects an imported report's facts.

The rules live in inspections.corrections; this module only turns the page's forms into
the service's arguments and the service's refusals into messages on the page.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from core.errors import DomainError
from core.forms import Form
from plans.permissions import can
from plans.visibility import reports_seen_by

from . import corrections
from .forms import InspectionFactsForm, received_date_field
from .models import Grade, Inspection, Timescale


class ReportFactsForm(InspectionFactsForm):
    received_date = received_date_field(label="Report received")


class ReasonForm(Form):
    reason = forms.CharField(
        label="Why are you correcting these details?",
        help_text="For example, the publication date was read wrongly from the report.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter why the report's details are being corrected"},
    )


class JudgementForm(Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    area = forms.CharField(label="Area judged", max_length=300)
    grade_text = forms.CharField(label="Grade as printed", max_length=300)
    grade = forms.ChoiceField(
        label="Grade", choices=[("", "Not a grade"), *Grade.choices], required=False
    )


class RecommendationForm(Form):
    id = forms.IntegerField(widget=forms.HiddenInput)
    number = forms.CharField(label="Number or paragraph", max_length=32, required=False)
    timescale = forms.ChoiceField(label="Timescale", choices=Timescale.choices)
    addressee = forms.CharField(label="Addressed to", max_length=300, required=False)
    text = forms.CharField(
        label="Recommendation (verbatim)",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the recommendation's text"},
    )


class BaseJudgementFormSet(forms.BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["DELETE"].label = "Remove this judgement"


JudgementFormSet = forms.formset_factory(
    JudgementForm, formset=BaseJudgementFormSet, extra=1, can_delete=True
)
RecommendationFormSet = forms.formset_factory(RecommendationForm, extra=0)


def _forms(request: HttpRequest, inspection: Inspection) -> dict:
    data = request.POST if request.method == "POST" else None
    recommendations = list(inspection.recommendations.all())
    return {
        "facts": ReportFactsForm(
            data, initial=vars(corrections.ReportFacts.of(inspection)), prefix="facts"
        ),
        "judgements": JudgementFormSet(
            data,
            initial=[
                {"id": j.pk, "area": j.area, "grade_text": j.grade_text, "grade": j.grade}
                for j in inspection.judgements.all()
            ],
            prefix="judgements",
        ),
        "recommendations": RecommendationFormSet(
            data,
            initial=[
                {
                    "id": r.pk,
                    "number": r.number,
                    "timescale": r.timescale,
                    "addressee": r.addressee,
                    "text": r.text,
                }
                for r in recommendations
            ],
            prefix="recommendations",
        ),
        "reason": ReasonForm(data),
    }


def _judgements(formset: forms.BaseFormSet) -> list[corrections.JudgementFacts]:
    """The judgements as they should be: removed ones and an untouched new row left out."""
    return [
        corrections.JudgementFacts(
            id=form.cleaned_data.get("id"),
            area=form.cleaned_data["area"],
            grade_text=form.cleaned_data["grade_text"],
            grade=form.cleaned_data["grade"],
        )
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


def _recommendations(formset: forms.BaseFormSet) -> list[corrections.RecommendationFacts]:
    return [
        corrections.RecommendationFacts(
            id=form.cleaned_data["id"],
            text=form.cleaned_data["text"],
            timescale=form.cleaned_data["timescale"],
            addressee=form.cleaned_data["addressee"],
            number=form.cleaned_data["number"],
        )
        for form in formset.forms
    ]


def _error_list(page_forms: dict) -> list[tuple[str, str]]:
    """Every error on the page, each linked to its field, for the error summary."""
    errors = []
    every_form = [
        page_forms["facts"],
        *page_forms["judgements"].forms,
        *page_forms["recommendations"].forms,
        page_forms["reason"],
    ]
    for formset in (page_forms["judgements"], page_forms["recommendations"]):
        errors += [("#main-content", error) for error in formset.non_form_errors()]
    for form in every_form:
        if not form.is_bound:
            continue
        errors += [("#main-content", error) for error in form.non_field_errors()]
        for field in form:
            errors += [(f"#{field.auto_id}", error) for error in field.errors]
    return errors


def _show_refusal(page_forms: dict, error: DomainError) -> None:
    """Put the service's refusal next to the field it names, else above the form."""
    for form in (page_forms["facts"], page_forms["reason"]):
        if error.field in form.fields:
            form.add_error(error.field, error.message)
            return
    page_forms["facts"].add_error(None, error.message)


@login_required
def correct_report(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_object_or_404(
        reports_seen_by(request.user).select_related("local_authority"), pk=pk
    )
    if not can(request.user, corrections.PERMISSION, inspection):
        raise PermissionDenied("Only policy officers can correct a report's details.")
    page_forms = _forms(request, inspection)
    if request.method == "POST" and all([form.is_valid() for form in page_forms.values()]):
        facts = page_forms["facts"].cleaned_data
        try:
            corrections.correct_report(
                inspection=inspection,
                by=request.user,
                reason=page_forms["reason"].cleaned_data["reason"],
                facts=corrections.ReportFacts(**facts),
                judgements=_judgements(page_forms["judgements"]),
                recommendations=_recommendations(page_forms["recommendations"]),
            )
        except DomainError as error:
            _show_refusal(page_forms, error)
        else:
            messages.success(request, "The report's details are corrected; the reason is recorded.")
            return redirect(inspection)
    return render(
        request,
        "inspections/correct.html",
        {"inspection": inspection, **page_forms, "errors": _error_list(page_forms)},
        status=400 if request.method == "POST" else 200,
    )
