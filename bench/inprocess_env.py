"""The environment of the in-process benches (Django's test Client, no server): DEBUG off, production's
security settings relaxed only where the test Client needs it, and the cache production runs on."""

from __future__ import annotations

import os


def production_like(*, broker_url: str = "") -> None:
    """Set before django.setup(). Without REDIS_URL the settings fall back to the database-table cache
    (which `check --deploy` warns about), so BENCH_REDIS_URL names a Redis database the bench may use.
    No broker (the default) runs tasks in-process."""
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "bench.settings", "DEBUG": "0", "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "testserver", "SECURE_SSL_REDIRECT": "0", "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0", "BEHIND_TLS_PROXY": "0", "SECURE_HSTS_SECONDS": "0",
        "CELERY_BROKER_URL": broker_url,
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15"),
    })
