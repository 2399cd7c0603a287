from django.apps import AppConfig


class NationalConfig(AppConfig):
    name = "national"
    verbose_name = "Cổng Dịch vụ công quốc gia"

    def ready(self) -> None:
        from applications.status_hooks import status_hook_register
        from national import checks  # noqa: F401 (registers the deploy check)
        from national.services import sync_record

        status_hook_register(sync_record)
