"""A subscription may be limited only to a local authority whose plans its owner sees.

Any other limit would receive nothing, and accepting it would tell that the organisation
exists: an organisation the owner cannot see and an id that exists nowhere get the same
400 answer, word for word. The admin page applies the same rule to the owner it names.
"""

from __future__ import annotations

import pytest

from actions.webhooks.access import NOT_AN_ORGANISATION_SEEN
from actions.webhooks.models import Subscription
from core.models import Organisation
from tests.factories import InspectionFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "https://dashboard.example.gov.uk/hooks"


def create(client, organisation):
    return client.post(
        "/api/v1/webhooks/", {"name": "Dashboard", "url": URL, "organisation": organisation}
    )


def test_an_authority_whose_plans_are_unseen_and_one_that_does_not_exist_answer_alike(
    client_for, reader
):
    elsewhere = OrganisationFactory(name="Elsewhere Council")
    InspectionFactory(local_authority=elsewhere)
    client = client_for(reader)

    unseen = create(client, elsewhere.pk)
    missing = create(client, 999_999)

    assert unseen.status_code == missing.status_code == 400
    assert unseen.json()["errors"] == missing.json()["errors"]
    assert unseen.json()["errors"][0]["field"] == "organisation"
    assert unseen.json()["errors"][0]["message"] == NOT_AN_ORGANISATION_SEEN
    assert unseen.json()["detail"] == missing.json()["detail"]
    assert not Subscription.objects.exists()


def test_a_partner_that_is_not_a_council_is_refused(client_for, reader):
    trust = OrganisationFactory(name="Testshire NHS Trust", kind=Organisation.Kind.OTHER)
    trust.partner_of.add(reader.organisation)
    response = create(client_for(reader), trust.pk)
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == NOT_AN_ORGANISATION_SEEN


def test_the_own_council_and_a_council_one_is_a_partner_of_are_accepted(client_for, reader):
    assert create(client_for(reader), reader.organisation.pk).status_code == 201

    trust = OrganisationFactory(name="Testshire NHS Trust", kind=Organisation.Kind.OTHER)
    nurse = UserFactory(role="Readers", username="nurse", organisation=trust)
    trust.partner_of.add(reader.organisation)
    response = create(client_for(nurse), reader.organisation.pk)
    assert response.status_code == 201
    assert response.json()["organisation"] == reader.organisation.pk


def test_the_admin_page_refuses_an_authority_the_owner_cannot_see(admin_client, reader):
    elsewhere = OrganisationFactory(name="Elsewhere Council")
    response = admin_client.post(
        "/admin/webhooks/subscription/add/",
        {
            "name": "Dashboard",
            "owner": reader.pk,
            "url": URL,
            "event_types": ["*"],
            "organisation": elsewhere.pk,
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert NOT_AN_ORGANISATION_SEEN in response.content.decode().replace("&#x27;", "'")
    assert not Subscription.objects.exists()
