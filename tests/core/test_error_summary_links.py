"""Each link of the GOV.UK error summary takes the person to the field in error: an
element with that id is on the page, whatever kind of question it is (for radios, the
first radio, since the group itself has no id)."""

from __future__ import annotations

import re

from django import forms
from django.template import Context, Template

from core.forms import DateField

PAGE = Template(
    "{% load govuk %}{% govuk_error_summary form %}"
    "{% for field in form %}{% govuk_field field %}{% endfor %}"
)


class EveryKind(forms.Form):
    title = forms.CharField(label="Title")
    details = forms.CharField(label="Details", widget=forms.Textarea)
    due = DateField(label="Due date")
    owner = forms.ChoiceField(label="Owner", choices=[("", "Choose"), ("1", "Sam")])
    where = forms.ChoiceField(
        label="Which plan", choices=[("a", "Plan A"), ("b", "Plan B")], widget=forms.RadioSelect
    )
    agreed = forms.BooleanField(label="I agree")


def test_every_error_summary_link_lands_on_an_element_of_the_page():
    form = EveryKind(data={})
    assert not form.is_valid()
    page = PAGE.render(Context({"form": form}))
    links = re.findall(r'<li><a href="#([^"]+)">', page)
    assert len(links) == len(form.fields)
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    assert [link for link in links if link not in ids] == []
    assert "id_where_0" in links
