from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.urls import reverse
from django.utils.crypto import get_random_string

from accounts.models import Role, User
from accounts.roles import user_set_role
from accounts.tokens import activation_token_generator, password_reset_token_generator, user_uidb64
from notifications.models import NotificationChannel
from notifications.services import notification_queue


def _valid_minutes() -> int:
    return settings.PASSWORD_RESET_TIMEOUT // 60


def _account_message(*, event: str, user: User, channel: str, to_address: str, link: str, language: str) -> None:
    # A fresh key per request: asking twice sends twice (the outbox dedupes by cause).
    notification_queue(
        event=event, channel=channel, dedupe_key=f"{event}:{user.pk}:{channel}:{get_random_string(12)}",
        to_address=to_address, language=language, link=link, recipient=user,
        context={"recipient_name": user.full_name, "valid_minutes": _valid_minutes()},
    )


def _channel_for(user: User, *, prefer_phone: bool) -> tuple[str, str] | None:
    if prefer_phone and user.phone:
        return NotificationChannel.SMS, user.phone
    if user.email:
        return NotificationChannel.EMAIL, user.email
    if user.phone:
        return NotificationChannel.SMS, user.phone
    return None


def _is_awaiting_activation(user: User) -> bool:
    return not user.is_active and user.last_login is None


def _send_activation(user: User, *, prefer_phone: bool, language: str) -> None:
    target = _channel_for(user, prefer_phone=prefer_phone)
    if target is None:
        return
    token = activation_token_generator.make_token(user)
    link = reverse("accounts:activate", args=[user_uidb64(user), token])
    _account_message(event="account_activate", user=user, channel=target[0], to_address=target[1], link=link,
                     language=language)


def _send_reset(user: User, *, prefer_phone: bool, event: str, language: str) -> None:
    target = _channel_for(user, prefer_phone=prefer_phone)
    if target is None:
        return
    token = password_reset_token_generator.make_token(user)
    link = reverse("accounts:password-reset-confirm", args=[user_uidb64(user), token])
    _account_message(event=event, user=user, channel=target[0], to_address=target[1], link=link, language=language)


@transaction.atomic
def citizen_register(*, full_name: str, email: str | None, phone: str | None, password: str,
                     language: str = "vi") -> User | None:
    """Sign-up that tells nobody but the address's owner whether the address already has an account.

    A new address gets an inactive account and an activation link (by email, else SMS). An address
    that already belongs to an account gets a message to that account instead ("you already have an
    account; reset your password here"), or a fresh activation link if it was never activated.
    Returns the new user, or None when nothing was created. Inputs are validated by SignupForm.
    """
    existing = [
        user for user in (
            User.objects.filter(email__iexact=email).first() if email else None,
            User.objects.filter(phone=phone).first() if phone else None,
        ) if user is not None
    ]
    if existing:
        # Spend the time creating an account would (password hashing), so timing tells nothing either.
        make_password(password)
        for user in {user.pk: user for user in existing}.values():
            prefer_phone = bool(phone) and user.phone == phone and not (email and (user.email or "").lower() == email)
            if _is_awaiting_activation(user):
                _send_activation(user, prefer_phone=prefer_phone, language=language)
            elif user.is_active:
                _send_reset(user, prefer_phone=prefer_phone, event="signup_existing", language=language)
        return None
    user = User.objects.create_user(
        email=email, phone=phone, password=password, full_name=full_name, is_active=False,
        preferred_language=language,
    )
    user_set_role(user, Role.CITIZEN)
    _send_activation(user, prefer_phone=not email, language=language)
    return user


@transaction.atomic
def account_activate(*, user: User) -> User:
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def password_reset_request(*, user: User, by_phone: bool, language: str) -> None:
    """Send a single-use reset link to the address the person typed (SMS for a phone number).

    Accounts that cannot sign in (switched off by an admin) get nothing; an account still waiting
    for activation gets its activation link instead, which is what its owner needs.
    """
    if _is_awaiting_activation(user):
        _send_activation(user, prefer_phone=by_phone, language=language)
    elif user.is_active:
        _send_reset(user, prefer_phone=by_phone, event="password_reset", language=language)
