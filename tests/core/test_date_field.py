"""The one date field of the service: GOV.UK date input, day/month/year boxes."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms

from core.forms import DateField
from core.templatetags.govuk import govuk_field


class ReceivedForm(forms.Form):
    received = DateField(
        label="Date the report was received",
        error_messages={"required": "Enter the date the report was received"},
    )
    other = DateField(label="Other date", required=False, subject="Other date")


def post(day: str = "", month: str = "", year: str = "") -> dict[str, str]:
    return {"received_day": day, "received_month": month, "received_year": year}


def test_initial_date_is_shown_in_three_boxes() -> None:
    html = govuk_field(ReceivedForm(initial={"received": dt.date(2025, 7, 29)})["received"])

    assert 'name="received_day" type="text" inputmode="numeric" value="29"' in html
    assert 'name="received_month" type="text" inputmode="numeric" value="7"' in html
    assert 'name="received_year" type="text" inputmode="numeric" value="2025"' in html
    assert "govuk-date-input__input govuk-input--width-2" in html
    assert "govuk-input--width-4" in html
    assert '<legend class="govuk-fieldset__legend' in html


def test_three_parts_give_the_date() -> None:
    form = ReceivedForm(post("29", "07", "2025"))

    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"received": dt.date(2025, 7, 29), "other": None}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (post(), "Enter the date the report was received"),
        (post("29", "", "2025"), "Date must include a month"),
        (post("", "", "2025"), "Date must include a day and month"),
        (post("31", "2", "2025"), "Date must be a real date"),
        (post("1", "13", "2025"), "Date must be a real date"),
        (post("x", "2", "2025"), "Date must be a real date"),
        (post("1", "2", "25"), "Year must include 4 numbers"),
    ],
)
def test_wrong_dates_give_the_govuk_message(data: dict[str, str], message: str) -> None:
    form = ReceivedForm(data)

    assert not form.is_valid()
    assert form.errors["received"] == [message]


def test_typed_values_survive_a_failed_post() -> None:
    form = ReceivedForm(post("29", "", "2025"))
    form.is_valid()
    html = govuk_field(form["received"])

    assert 'value="29"' in html and 'value="2025"' in html
    assert "Date must include a month" in html
    # Only the missing box is marked as wrong.
    assert html.count("govuk-input--error") == 1
    assert 'govuk-input--width-2 govuk-input--error" id="id_received_month"' in html


def test_subject_names_the_date_in_messages() -> None:
    form = ReceivedForm({**post("1", "2", "2025"), "other_day": "30", "other_month": "2"})

    assert not form.is_valid()
    assert form.errors["other"] == ["Other date must include a year"]


def test_an_untouched_optional_date_has_not_changed() -> None:
    form = ReceivedForm(post("1", "2", "2025"), initial={"received": dt.date(2025, 2, 1)})

    assert not form.has_changed()
