"""Production-like settings for benches: portal.settings with DEBUG off, but static URLs built without
the collectstatic manifest (benches measure Python and the database, not static files)."""

import os

from portal.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# bench/search_throughput.py measures the catalogue both with its page cache and without it (0).
PROCEDURE_CACHE_SECONDS = int(os.environ.get("BENCH_PROCEDURE_CACHE_SECONDS", "120"))
