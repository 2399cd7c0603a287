"""Settings of the load run (bench/load.py): bench/settings.py (DEBUG off, production middleware, templates
cached, no query log) plus the simulated bank of the `sandbox` app.

The journey under load must pay through a gateway, and the only one that works offline is the sandbox
bank, which portal/settings.py installs only with DEBUG on. Turning DEBUG on for the whole run would
measure another program (Django keeps every SQL query of a request in memory, renders technical error
pages, checks templates for changes), so this module adds the one app instead. portal/settings.py is
untouched: production never imports this file, and there the sandbox stays absent.
"""

import os

from bench import settings as _bench
from bench.settings import *  # noqa: F403

INSTALLED_APPS = [app for app in _bench.INSTALLED_APPS if app != "sandbox"] + ["sandbox"]

# SANDBOX_PAYMENT_URL / SANDBOX_PAYMENT_API_URL come from the environment (portal/settings.py reads them):
# bench/load.py serves the bank from its own gunicorn on another host name, as an outside system, so a bank
# page waiting on the portal's IPN never holds one of the portal's own workers.

# bench/load.py counts the e-mails the worker sent in the files of Django's file e-mail backend.
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", "")
