from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from actions import demo


class Command(BaseCommand):
    help = (
        "Load the sample reports, Derbyshire's plan and sample plans, and create one demo "
        "user per role."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never in production)."
        )

    def handle(self, *args, force: bool, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError("Demo users have known passwords: run with DEBUG on, or --force.")
        result = demo.load()
        for name, outcome in result["reports"]:
            self.stdout.write(f"  {name}: {outcome}")
        self.stdout.write(f"Sample actions created: {result['actions']}")
        self.stdout.write("Derbyshire's plan:")
        for name, outcome in result["story"]:
            self.stdout.write(f"  {name}: {outcome}")
        self.stdout.write(
            self.style.SUCCESS(
                "Demo users: " + ", ".join(result["people"]) + f" — password: {result['password']}"
            )
        )
