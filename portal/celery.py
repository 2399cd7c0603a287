import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
# Every CELERY_* setting in portal/settings.py configures this app (queues, acks_late, limits, beat).
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The request id travels into tasks and the worker keeps settings.LOGGING (monitoring/celery_signals.py);
# imported here as well as in the app's ready() because the worker sets up logging before Django's apps.
import monitoring.celery_signals  # noqa: E402, F401
