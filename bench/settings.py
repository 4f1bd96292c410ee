"""The application's settings with the bare-SQL reference endpoints mounted
(bench/reference.py): for bench/bench_api.py and bench/profile_api.py only."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.reference"
