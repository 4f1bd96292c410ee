"""python manage.py export_personal_data USERNAME [--output FILE]"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.models import User
from core.privacy import export_personal_data


class Command(BaseCommand):
    help = (
        "Print (or write to --output) everything held about one person as JSON: their "
        "account, the actions they own, their progress updates, evidence metadata, the "
        "plans they lead, the wider areas and repeat decisions they recorded, audit "
        "entries and sign-in attempts. For subject access requests under UK GDPR."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--output", help="write the JSON to this file instead")

    def handle(self, *args: Any, username: str, output: str | None, **options: Any) -> None:
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise CommandError(f"No person with username {username!r}.") from exc
        text = json.dumps(export_personal_data(user), indent=2, ensure_ascii=False, default=str)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
            self.stderr.write(f"Personal data of {username} written to {output}.")
        else:
            self.stdout.write(text)
