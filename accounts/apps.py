from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Tài khoản và cơ quan"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from accounts.access import agency_tree_changed
        from accounts.models import Agency

        post_save.connect(agency_tree_changed, sender=Agency, dispatch_uid="agency-tree-saved")
        post_delete.connect(agency_tree_changed, sender=Agency, dispatch_uid="agency-tree-deleted")
