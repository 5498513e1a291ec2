"""Production settings for bench/load.py: static files collected into a scratch folder."""

import os
from pathlib import Path

from partyorg.settings import *  # noqa: F403

STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
