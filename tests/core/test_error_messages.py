"""Every required field of every page form says what to enter, the GOV.UK way ("Enter
what will be done", "Select the responsible officer"), never "This field is required."."""

from __future__ import annotations

import importlib
import inspect

import pytest
from django import forms
from django.contrib.auth import forms as auth_forms

from core.forms import DateField, Form, required_message
from tests.factories import ActionFactory, InspectionFactory, RecommendationFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGE_FORM_MODULES = [
    "actions.forms",
    "actions.documents.forms",
    "core.auth.forms",
    "core.forms",
    "inspections.forms",
    "inspections.review",
    "inspections.correction_views",
    "plans.forms",
]


def page_forms() -> list[type[forms.BaseForm]]:
    found = []
    for name in PAGE_FORM_MODULES:
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(cls, forms.BaseForm)
                and cls.__module__ == name
                and cls not in (Form,)
                and not getattr(getattr(cls, "Meta", None), "abstract", False)
                and (not issubclass(cls, forms.ModelForm) or cls._meta.model)
            ):
                found.append(cls)
    return found


def build(cls: type[forms.BaseForm]) -> forms.BaseForm:
    """The form as a page builds it: with the action, plan or person it is about."""
    action = ActionFactory()
    given = {
        "action": action,
        "recommendation": action.recommendations.first(),
        "inspection": InspectionFactory(),
        "plan": action.plan,
        "user": UserFactory(role="Policy officers"),
        "label": "Code",
        "help_text": "The 6 numbers",
    }
    parameters = inspect.signature(cls.__init__).parameters
    kwargs = {
        name: value
        for name, value in given.items()
        if name in parameters and parameters[name].kind is inspect.Parameter.KEYWORD_ONLY
    }
    if issubclass(cls, auth_forms.SetPasswordForm):
        return cls(given["user"])  # the person whose password it sets, as Django passes it
    return cls(**kwargs)


def test_the_page_forms_are_found():
    names = {cls.__name__ for cls in page_forms()}
    assert {"DraftActionForm", "AssignOwnerForm", "ReadingForm", "ImportForm"} <= names


@pytest.mark.parametrize("cls", page_forms(), ids=lambda cls: f"{cls.__module__}.{cls.__name__}")
def test_every_required_field_says_what_to_enter(cls):
    form = build(cls)
    for name, field in form.fields.items():
        if not field.required or isinstance(field.widget, forms.HiddenInput):
            continue
        message = str(field.error_messages["required"])
        assert message.startswith(("Enter ", "Select ", "Choose ")), (name, message)
        assert "?" not in message and message != "Enter a date", (name, message)


@pytest.mark.parametrize(
    ("field", "message"),
    [
        (forms.CharField(label="What will be done"), "Enter what will be done"),
        (
            forms.ModelChoiceField(label="Responsible officer", queryset=None),
            "Select the responsible officer",
        ),
        (
            DateField(label="Date", subject="The date of the reading"),
            "Enter the date of the reading",
        ),
        (forms.DecimalField(label="Baseline"), "Enter the baseline"),
        (forms.ChoiceField(label="RAG"), "Select the RAG"),
        (forms.FileField(label="File"), "Select the file"),
        (forms.CharField(label="Which deadline?"), "Enter which deadline"),
    ],
)
def test_messages_come_from_the_kind_and_the_label(field, message):
    assert required_message(field, "x") == message


def test_a_field_with_its_own_message_keeps_it():
    class Reason(Form):
        reason = forms.CharField(
            label="Why?", error_messages={"required": "Enter why the date is moving"}
        )

    assert Reason().fields["reason"].error_messages["required"] == "Enter why the date is moving"


def test_an_empty_form_on_the_action_page_names_what_to_enter(client, director):
    action = ActionFactory()
    client.force_login(director)

    moved = client.post(f"/actions/{action.pk}/move-date/", {"move_date-version": action.version})
    assigned = client.post(f"/actions/{action.pk}/assign/", {"assign-version": action.version})

    assert "Enter the new due date" in moved.content.decode()
    assert "Enter why the date is moving" in moved.content.decode()
    assert "Select the responsible officer" in assigned.content.decode()
    assert "This field is required" not in moved.content.decode() + assigned.content.decode()


def test_an_empty_reading_and_draft_name_what_to_enter(client, officer):
    action = ActionFactory()
    client.force_login(officer)

    reading = client.post(f"/actions/{action.pk}/reading/", {}).content.decode()
    drafted = client.post(f"/actions/new/{RecommendationFactory().pk}/", {"title": ""})
    drafted = drafted.content.decode()

    for message in ("Select the measure", "Enter the date of the reading", "Enter the value"):
        assert message in reading
    assert "Enter what will be done" in drafted
    assert "This field is required" not in reading + drafted


def test_password_reset_asks_for_an_email_address(client):
    response = client.post("/accounts/password-reset/", {"email": ""})
    assert "Enter your email address" in response.content.decode()
