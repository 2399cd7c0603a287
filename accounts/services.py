from __future__ import annotations

from django.db import transaction

from accounts.models import Role, User
from accounts.roles import user_set_role


@transaction.atomic
def citizen_register(*, full_name: str, email: str | None, phone: str | None, password: str) -> User:
    """Create a citizen account (stand-alone mode). Inputs are already validated by SignupForm."""
    user = User.objects.create_user(email=email, phone=phone, password=password, full_name=full_name)
    user_set_role(user, Role.CITIZEN)
    return user
