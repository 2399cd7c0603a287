import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
# Every CELERY_* setting in portal/settings.py configures this app (queues, acks_late, limits, beat).
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
