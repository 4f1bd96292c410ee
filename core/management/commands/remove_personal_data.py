"""python manage.py remove_personal_data USERNAME [--no-input]"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.models import User
from core.privacy import placeholder_name, remove_personal_data


class Command(BaseCommand):
    help = (
        "Anonymise one person (UK GDPR erasure): name, e-mail and job title removed, "
        "account deactivated with no password, roles, tokens, two-step verification and "
        "sessions ended. Their actions, progress, evidence, the plans they lead, the wider "
        "areas they recorded, the repeats they decided and audit entries stay, credited "
        "to 'Former user <id>'. Export their data first if it was asked for."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive", help="do not ask to confirm"
        )

    def handle(self, *args: Any, username: str, interactive: bool, **options: Any) -> None:
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise CommandError(f"No person with username {username!r}.") from exc
        if interactive:
            answer = input(
                f"Remove the personal data of {username} ({user.get_full_name() or 'no name'})?"
                " This cannot be undone. Type 'yes' to continue: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing removed.")
        remove_personal_data(user)
        self.stdout.write(
            f"Removed. {username} is now {user.username} ({placeholder_name(user)}); "
            "the plan's history is kept."
        )
