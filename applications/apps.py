from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "Hồ sơ"

    def ready(self) -> None:
        from applications import checks  # noqa: F401 (registers the deploy check)
