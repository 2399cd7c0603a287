from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: backups and restores. It may read every app; no app imports it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "ops"
    verbose_name = "Vận hành (sao lưu, khôi phục)"

    def ready(self) -> None:
        from ops import checks  # noqa: F401 (registers the deploy check)
