from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from accounts.models import User
from accounts.phone import looks_like_phone, normalize_phone


class EmailOrPhoneBackend(ModelBackend):
    """Sign in with an email address or a Vietnamese phone number and a password."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs):
        if not username or password is None:
            return None
        identifier = username.strip()
        if looks_like_phone(identifier):
            user = User.objects.filter(phone=normalize_phone(identifier)).first()
        else:
            user = User.objects.filter(email__iexact=identifier).first()
        if user is None:
            # Run the hasher anyway so that timing does not reveal which accounts exist.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
