"""Forms of the plan page: its facts, a theme and a wider area for improvement.

Each is validated again by plans.services, which says what is wrong in the same words.
"""

from __future__ import annotations

from typing import Any

from django import forms

from core.forms import Form
from core.models import User
from core.roles import Role
from inspections.models import RepeatStatus

from .models import AreaOrigin, Plan, PlanStatus, Theme
from .themes import standard_themes

OWN_THEME = "own"


def directors_of(plan: Plan):
    """The people who may lead a plan: active directors of its council."""
    return User.objects.filter(
        is_active=True,
        groups__name=Role.DIRECTOR.value,
        organisation_id=plan.local_authority_id,
    ).order_by("first_name", "last_name", "username")


class PlanForm(Form):
    title = forms.CharField(label="Title", max_length=300)
    status = forms.ChoiceField(
        label="Status",
        choices=PlanStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the plan's status"},
    )
    lead_director = forms.ModelChoiceField(
        label="Lead director",
        queryset=User.objects.none(),
        required=False,
        empty_label="Not named",
        help_text="The director of children's services who owns the plan.",
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {"title": plan.title, "status": plan.status, "lead_director": plan.lead_director_id},
        )
        super().__init__(*args, prefix="plan", **kwargs)
        directors = directors_of(plan)
        if plan.lead_director_id:  # a lead director who has moved on stays choosable
            directors = directors | User.objects.filter(pk=plan.lead_director_id)
        self.fields["lead_director"].queryset = directors.distinct()


class ThemeForm(Form):
    """A standard theme of the national framework, or one of the council's own."""

    standard = forms.ChoiceField(
        label="Which theme?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select a theme, or your own"},
    )
    name = forms.CharField(
        label="Your own theme", max_length=300, required=False, help_text="For example Workforce."
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, prefix="theme", **kwargs)
        taken = {name.lower() for name in plan.themes.values_list("name", flat=True)}
        offered = [t.name for t in standard_themes() if t.name.lower() not in taken]
        self.fields["standard"].choices = [(name, name) for name in offered] + [
            (OWN_THEME, "Your own theme")
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("standard") == OWN_THEME:
            if not data.get("name", "").strip():
                self.add_error("name", "Enter the name of your own theme")
            data["theme_name"] = data.get("name", "")
        elif data.get("standard"):
            data["theme_name"] = data["standard"]
        return data


class WiderAreaForm(Form):
    text = forms.CharField(
        label="Area for improvement",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the area for improvement"},
    )
    origin = forms.ChoiceField(
        label="Where did it come from?",
        choices=AreaOrigin.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the area for improvement came from"},
    )
    origin_detail = forms.CharField(
        label="Which one",
        max_length=300,
        required=False,
        help_text="For example the name of the audit or the date of the visit.",
    )
    theme = forms.ModelChoiceField(
        label="Theme", queryset=Theme.objects.none(), required=False, empty_label="No theme"
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, prefix="area", **kwargs)
        self.fields["theme"].queryset = plan.themes.all()


class RepeatDecisionForm(Form):
    decision = forms.ChoiceField(
        choices=[(RepeatStatus.CONFIRMED, "Confirm"), (RepeatStatus.DISMISSED, "Dismiss")]
    )
