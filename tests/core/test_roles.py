from django.contrib.auth.models import Group

from core.roles import Role, roles_of
from tests.factories import UserFactory


def test_the_four_roles_exist_as_groups_after_migrating(db):
    names = set(Group.objects.values_list("name", flat=True))
    assert {"Directors", "Policy officers", "Action owners", "Readers"} <= names


def test_roles_of_a_user_come_from_their_groups(db):
    user = UserFactory(role="Directors")
    assert roles_of(user) == {Role.DIRECTOR}
