"""Roles are a field on the user (one position per person); each role maps to a Django group
that carries the model permissions the admin site checks."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from accounts.models import Role, User

GROUP_NAMES = {
    Role.CITIZEN: "Công dân",
    Role.OFFICER: "Cán bộ Một cửa",
    Role.SPECIALIST: "Chuyên viên",
    Role.LEADER: "Lãnh đạo",
    Role.ADMIN: "Quản trị",
}

# Admins configure the catalogue, calendar, agencies, users and templates; nobody edits
# dossiers, events or payments through the admin (those move only through the workflow).
ADMIN_APPS = ("accounts", "procedures", "workdays", "notifications", "auth")
READ_ONLY_APPS = ("applications", "payments")


@transaction.atomic
def roles_sync() -> None:
    """Create the role groups and give the admin group its permissions. Idempotent."""
    groups = {role: Group.objects.get_or_create(name=name)[0] for role, name in GROUP_NAMES.items()}
    admin_perms = Permission.objects.filter(content_type__app_label__in=ADMIN_APPS) | Permission.objects.filter(
        content_type__app_label__in=READ_ONLY_APPS, codename__startswith="view_"
    )
    groups[Role.ADMIN].permissions.set(admin_perms)


@transaction.atomic
def user_set_role(user: User, role: str) -> None:
    """Give a user a role: the field, the matching group, and admin-site access for admins."""
    user.role = role
    user.is_staff = role == Role.ADMIN or user.is_superuser
    user.save(update_fields=["role", "is_staff"])
    user.groups.remove(*Group.objects.filter(name__in=GROUP_NAMES.values()))
    group, _created = Group.objects.get_or_create(name=GROUP_NAMES[Role(role)])
    user.groups.add(group)
