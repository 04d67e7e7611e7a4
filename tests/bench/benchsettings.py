"""The production settings with the baselines' URLconf: for bench_http.py's servers only."""

from awareness.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.benchurls"
