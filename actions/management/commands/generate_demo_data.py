import time

from django.core.management.base import BaseCommand, CommandParser

from bench import generator


class Command(BaseCommand):
    help = "Generate realistic volumes of plans for benchmarks (bulk inserts; no sign-in)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--councils", type=int, default=10)
        parser.add_argument("--actions", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, councils: int, actions: int, seed: int, **options) -> None:
        started = time.perf_counter()
        counts = generator.generate(councils=councils, actions=actions, seed=seed)
        for name, value in counts.items():
            self.stdout.write(f"{name}: {value}")
        self.stdout.write(f"seconds: {time.perf_counter() - started:.1f}")
