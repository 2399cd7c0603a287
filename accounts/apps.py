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

        # A second-factor device removed or changed (an admin's reset, a new enrolment) must stop the
        # person's kept pages at once: they were served on the strength of the device (personal_pages.py).
        from django_otp.models import Device

        from django.apps import apps

        from accounts.backends import device_changed

        for model in apps.get_models():
            if issubclass(model, Device):
                post_save.connect(device_changed, sender=model, dispatch_uid=f"device-saved-{model._meta.label}")
                post_delete.connect(device_changed, sender=model, dispatch_uid=f"device-deleted-{model._meta.label}")
