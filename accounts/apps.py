from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Tài khoản và cơ quan"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from accounts.access import agency_tree_changed
        from accounts.backends import agency_staff_changed, user_changed
        from accounts.models import Agency, User

        post_save.connect(agency_tree_changed, sender=Agency, dispatch_uid="agency-tree-saved")
        post_delete.connect(agency_tree_changed, sender=Agency, dispatch_uid="agency-tree-deleted")
        post_save.connect(agency_staff_changed, sender=Agency, dispatch_uid="agency-staff-saved")
        post_save.connect(user_changed, sender=User, dispatch_uid="user-saved")
        post_delete.connect(user_changed, sender=User, dispatch_uid="user-deleted")
