"""Run part of a test as production would: DEBUG off, hence no `sandbox` app and no sandbox URLs.

settings.py decides INSTALLED_APPS once, at start-up, from DEBUG; the URLconf reads the app
registry when it is imported. So a test overrides both settings, then reloads the URLconf (after
clear_url_caches(), as Django's testing docs advise for state cached from settings), and reloads it
again on the way out.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.test import override_settings
from django.urls import clear_url_caches


def _reload_urlconf() -> None:
    clear_url_caches()
    importlib.reload(importlib.import_module(settings.ROOT_URLCONF))
    clear_url_caches()


@contextmanager
def debug_off() -> Iterator[None]:
    installed = [app for app in settings.INSTALLED_APPS if app != "sandbox"]
    try:
        with override_settings(DEBUG=False, INSTALLED_APPS=installed):
            _reload_urlconf()
            yield
    finally:
        _reload_urlconf()
