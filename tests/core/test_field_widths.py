"""Text inputs are as wide as the answer they expect (GOV.UK input widths): a form's own
width for a field wins over one the page gives every field of a loop."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.template import Context, Template

from core.forms import sized
from inspections.review import RecommendationFormSet
from tests.factories import ActionFactory

LOOP_AS_THE_REVIEW_PAGE_DRAWS_IT = Template(
    '{% load govuk %}{% for field in form %}{% govuk_field field width="2" %}{% endfor %}'
)


def input_class(page: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', page).group()
    return re.search(r'class="([^"]*)"', tag).group(1)


def test_a_recommendations_section_is_wide_enough_to_read():
    formset = RecommendationFormSet(
        initial=[{"text": "Improve supervision", "section": "What needs to improve"}]
    )
    page = LOOP_AS_THE_REVIEW_PAGE_DRAWS_IT.render(Context({"form": formset.forms[0]}))

    assert "govuk-input--width-20" in input_class(page, "form-0-section")
    assert "govuk-input--width-20" in input_class(page, "form-0-addressee")
    assert "govuk-input--width-10" in input_class(page, "form-0-number")
    assert "govuk-input--width-2" in input_class(page, "form-0-ORDER")


def test_only_gov_uk_widths_are_accepted():
    with pytest.raises(ValueError, match=r"Not a GOV\.UK input width"):
        sized(forms.CharField(), 7)


@pytest.mark.django_db
def test_a_measures_numbers_and_unit_are_short_inputs(client, officer):
    action = ActionFactory()
    client.force_login(officer)

    page = client.get(action.get_absolute_url()).content.decode()

    for name in ("measure-unit", "measure-baseline", "measure-target"):
        assert "govuk-input--width-10" in input_class(page, name)
    assert "govuk-input--width" not in input_class(page, "edit-title")
