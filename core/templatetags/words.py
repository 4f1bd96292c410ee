"""Template filters for the service's wording rules, defined once in `core.words`."""

from django import template

from core import words

register = template.Library()
register.filter("in_sentence", words.in_sentence)
