"""Single-use, expiring links for password reset and account activation.

Both build on Django's PasswordResetTokenGenerator: the token is an HMAC over the account's state,
so it stops working as soon as that state changes (a new password, a first sign-in, activation)
and after PASSWORD_RESET_TIMEOUT seconds. Nothing is stored; nothing can be replayed.
"""

from __future__ import annotations

from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "accounts.tokens.ActivationTokenGenerator"

    def _make_hash_value(self, user: User, timestamp: int) -> str:  # type: ignore[override]
        # is_active in the hash: once the account is active the link is spent.
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"


activation_token_generator = ActivationTokenGenerator()
password_reset_token_generator = default_token_generator


def user_uidb64(user: User) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))
