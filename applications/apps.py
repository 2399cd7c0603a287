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

        # ... and the signed-in pages kept for the people who see it (applications/page_versions.py).
        from applications import page_versions
        from portal.lib.personal_pages import ON_HIT

        post_save.connect(page_versions.dossier_saved, sender=Dossier, dispatch_uid="dossier-pages-saved")
        post_delete.connect(page_versions.dossier_saved, sender=Dossier, dispatch_uid="dossier-pages-deleted")
        for model, attname in page_versions.rows_pointing_at(Dossier):
            handler = page_versions.dossier_row_saved_handler(attname)
            post_save.connect(handler, sender=model, weak=False, dispatch_uid=f"dossier-pages-{model._meta.label}-saved")
            post_delete.connect(handler, sender=model, weak=False,
                                dispatch_uid=f"dossier-pages-{model._meta.label}-deleted")
        ON_HIT["dossier_access"] = page_versions.dossier_access_on_hit
