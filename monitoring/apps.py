from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Giám sát vận hành")

    def ready(self) -> None:
        # Celery signal handlers: the request id travels into tasks; beat tasks record their last run.
        from monitoring import celery_signals  # noqa: F401
