from django.apps import AppConfig


class PostalConfig(AppConfig):
    name = "postal"
    verbose_name = "Bưu chính công ích"

    def ready(self) -> None:
        from postal import checks  # noqa: F401 (registers the deploy check)
