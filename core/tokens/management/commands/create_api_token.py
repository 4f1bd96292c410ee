"""Create an API token from the command line; the token is printed once."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from core.errors import DomainError
from core.models import Organisation, User
from core.tokens import services
from core.tokens.models import Scope


class Command(BaseCommand):
    help = "Create an API token for a council system and print it (it is shown only once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="The system that will use the token.")
        parser.add_argument("--user", required=True, help="Username whose permissions it carries.")
        parser.add_argument("--scope", choices=["read", "read-write"], default="read")
        parser.add_argument("--organisation", help="Limit to this local authority's plans (name).")
        parser.add_argument("--expires-days", type=int, default=None, help="Days until it expires.")

    def handle(
        self,
        *args,
        name: str,
        user: str,
        scope: str,
        organisation: str | None,
        expires_days: int | None,
        **options,
    ) -> None:
        owner = User.objects.filter(username=user).first()
        if owner is None:
            raise CommandError(f"No user with username {user!r}.")
        limit = None
        if organisation:
            limit = Organisation.objects.filter(name__iexact=organisation).first()
            if limit is None:
                raise CommandError(f"No organisation named {organisation!r}.")
        expires_at = None
        if expires_days is not None:
            if expires_days < 1:
                raise CommandError("--expires-days must be 1 or more.")
            expires_at = timezone.now() + dt.timedelta(days=expires_days)
        try:
            token, secret = services.create_token(
                name=name,
                user=owner,
                scope=Scope(scope),
                organisation=limit,
                expires_at=expires_at,
            )
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stderr.write(
            f"Created API token {token.name!r} ({token.get_scope_display()}"
            f"{', ' + limit.name if limit else ''}) for {owner.username}, expiring "
            f"{timezone.localtime(token.expires_at):%Y-%m-%d %H:%M}. It is shown only once:"
        )
        self.stdout.write(secret)
