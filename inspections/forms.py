from django import forms

from core.forms import DateField, Form


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
        error_messages={"required": "Enter the reason the deadline is changing."},
    )
