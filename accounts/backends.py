from __future__ import annotations

from collections.abc import Callable
from typing import Any

from axes.exceptions import AxesBackendPermissionDenied

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest

from accounts.models import User
from accounts.throttle import account_lookup, login_ip_failure_record, login_ip_is_blocked
from portal.lib.personal_pages import person_pages_changed


class ClientIpThrottleBackend:
    """Refuses every sign-in from an address that failed too often, whichever accounts it tried.

    Placed after axes (which locks the account) and before the password check, so a blocked
    address costs no password hashing. Setting `axes_locked_out` makes the axes middleware answer
    with the same 429 lock-out page. It has no get_user(): it never logs anyone in.
    """

    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None,
                     **kwargs):  # type: ignore[no-untyped-def]
        if request is not None and login_ip_is_blocked(request):
            request.axes_locked_out = True  # type: ignore[attr-defined]
            raise AxesBackendPermissionDenied("too many failed sign-ins from this address")
        return None


class EmailOrPhoneBackend(ModelBackend):
    """Sign in with an email address or a Vietnamese phone number and a password."""

    def get_user(self, user_id: int) -> User | None:
        # Every signed-in request loads its user; staff pages show and scope by the agency, so it comes
        # in the same query (a LEFT JOIN: citizens have none). With Redis the row is read through it
        # (see user_cache_key): a catalogue page signed in then needs no database round trip at all.
        seconds = settings.USER_CACHE_SECONDS
        found: dict[str, Any] = {}
        if seconds:
            # One round trip for the user and for what other apps read of this user on every page
            # (the notification bell): see USER_READ_ALONG.
            along = [key_of(user_id) for key_of in USER_READ_ALONG]
            found = cache.get_many([user_cache_key(user_id), *along])
        user = found.get(user_cache_key(user_id))
        if user is None:
            rows = User._default_manager.select_related("agency")
            if seconds:
                # The personal identification number stays out of the cache: a page that shows it
                # (profile, filing) reads it from the database when it asks for it.
                rows = rows.defer("id_number")
            try:
                user = rows.get(pk=user_id)
            except User.DoesNotExist:
                return None
            if seconds:
                cache.set(user_cache_key(user_id), user, seconds)
        user.cache_read_along = {key: value for key, value in found.items() if key != user_cache_key(user_id)}
        return user if self.user_can_authenticate(user) else None

    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs):
        if not username or password is None:
            return None
        user = account_lookup(username)
        if user is None:
            # Run the hasher anyway so that timing does not reveal which accounts exist.
            User().set_password(password)
        elif user.check_password(password) and self.user_can_authenticate(user):
            return user
        if request is not None:
            login_ip_failure_record(request)
        return None


# Functions user id → cache key, registered by other apps in their ready(): the values are read in the
# same round trip as the cached user and left in `user.cache_read_along` (a missing key is absent,
# and the app reads it the usual way). Saves a Redis round trip per signed-in page.
USER_READ_ALONG: list[Callable[[Any], str]] = []


def user_cache_key(user_id: Any) -> str:
    """The cached copy of a signed-in user's row (with its agency), read on every request.

    Dropped whenever the row or its agency is saved or deleted (accounts/apps.py), at once and again
    after the commit, so a sign-in page rendered in between cannot put the old row back. It still
    lives at most USER_CACHE_SECONDS: a write that bypasses save() (a queryset update, SQL by hand)
    or a save during a Redis outage (the cache degrades, it cannot delete) shows within that time.
    """
    return f"accounts:user:{user_id}"


def user_changed(instance: User, **_signal_kwargs: object) -> None:
    _forget_users([instance.pk])


def device_changed(instance: Any, **_signal_kwargs: object) -> None:
    person_pages_changed([instance.user_id])


def agency_staff_changed(instance: Any, **_signal_kwargs: object) -> None:
    """An agency's name or place in the tree is read from its staff's cached rows."""
    _forget_users(list(User._default_manager.filter(agency_id=instance.pk).values_list("pk", flat=True)))


def _forget_users(user_ids: list[Any]) -> None:
    person_pages_changed(user_ids)  # their kept pages show the name, the role, the agency
    if not settings.USER_CACHE_SECONDS or not user_ids:
        return
    keys = [user_cache_key(pk) for pk in user_ids]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))
