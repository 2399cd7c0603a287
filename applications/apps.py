from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "Hồ sơ"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from applications import checks  # noqa: F401 (registers the deploy check)
        from applications.models import Dossier
        from applications.queues import dossier_saved

        # Every write to a dossier changes its agency's queue badges (applications/queues.py).
        post_save.connect(dossier_saved, sender=Dossier, dispatch_uid="queue-badges-saved")
        post_delete.connect(dossier_saved, sender=Dossier, dispatch_uid="queue-badges-deleted")
