from django.apps import AppConfig
from django.core.signals import setting_changed


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Cổng Dịch vụ công"

    def ready(self) -> None:
        from portal import checks  # noqa: F401 (registers the deploy checks)
        from portal.lib.storage import reset_private_storage

        setting_changed.connect(reset_private_storage, dispatch_uid="portal.reset_private_storage")
