"""Whose plan a report becomes: the local authorities a person may act for, and whether
the name a report prints is the council chosen.

A plan's local authority is always an existing organisation of kind local authority.
Nothing here creates one: the name printed in a report is free text (and spelt many ways:
"Wirral Metropolitan Borough Council", "London Borough of Barking and Dagenham",
"Bournemouth, Christchurch & Poole"), so it is only compared, never trusted. Only an
administrator creates organisations.
"""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet

from core.models import Organisation, User

# Words that councils' names carry or drop from one document to the next.
_IGNORED_WORDS = frozenset(
    {"council", "city", "county", "borough", "metropolitan", "district", "and", "of", "the"}
)
# Prefixes whose other words are part of the style, not the place ("London" in "London
# Borough of Hackney", but not in "City of London").
_IGNORED_PHRASES = re.compile(r"\b(?:london|royal)\s+borough\s+of\b")
_APOSTROPHES = re.compile(r"['’‘`]")
_PUNCTUATION = re.compile(r"[^\w\s]|_")


def authority_key(name: str) -> str:
    """A council's name reduced to the words that tell councils apart.

    Case, "Council", "City", "County", "Borough", "Metropolitan (Borough)", "District",
    "London Borough of", "Royal Borough of", "&"/"and", "of", "the", punctuation and
    spacing are ignored: "Wirral Metropolitan Borough Council" and "wirral" give the same
    key, "Telford & Wrekin" and "Telford and Wrekin Council" too.
    """
    text = _APOSTROPHES.sub("", name.casefold().replace("&", " and "))
    text = _PUNCTUATION.sub(" ", text)
    text = _IGNORED_PHRASES.sub(" ", text)
    return " ".join(word for word in text.split() if word not in _IGNORED_WORDS)


def same_authority(printed: str, name: str) -> bool:
    """Whether a name printed in a report names this council (see authority_key)."""
    key = authority_key(printed)
    return bool(key) and key == authority_key(name)


def local_authorities() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=Organisation.Kind.LOCAL_AUTHORITY)


def authorities_for(user: User) -> QuerySet[Organisation]:
    """The local authorities a person may import a plan for.

    Their own council, and the councils their organisation is a partner of (whose plans
    they already work on, see plans.visibility); administrators any council.
    """
    if not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    if user.is_superuser:
        return local_authorities()
    if not user.organisation_id:
        return Organisation.objects.none()
    return (
        local_authorities()
        .filter(Q(pk=user.organisation_id) | Q(partners__pk=user.organisation_id))
        .distinct()
    )


def may_act_for(user: User, authority: Organisation) -> bool:
    return authorities_for(user).filter(pk=authority.pk).exists()


def default_authority(user: User, printed: str = "") -> Organisation | None:
    """The council to offer first: the one the report names, if the person may import
    for it (an officer whose council works with partners imports their reports too), else
    the person's own."""
    choices = list(authorities_for(user))
    named = [council for council in choices if same_authority(printed, council.name)]
    if len(named) == 1:
        return named[0]
    own = [council for council in choices if council.pk == user.organisation_id]
    return own[0] if own else None


def find_authority(name: str) -> Organisation | None:
    """The one existing local authority this name names, or None (none, or several)."""
    found = [council for council in local_authorities() if same_authority(name, council.name)]
    return found[0] if len(found) == 1 else None


def mismatch_warning(printed: str, authority: Organisation) -> str | None:
    """A warning when the report does not name the chosen council (not a refusal)."""
    if same_authority(printed, authority.name):
        return None
    if not printed.strip():
        return f"The report's authority could not be read: check this is {authority}'s report."
    return (
        f"The report names “{printed.strip()}”, not {authority}. "
        f"The plan will belong to {authority}: check this is the right report."
    )
