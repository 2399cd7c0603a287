from __future__ import annotations

from axes.exceptions import AxesBackendPermissionDenied

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from accounts.models import User
from accounts.throttle import account_lookup, login_ip_failure_record, login_ip_is_blocked


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
        # in the same query (a LEFT JOIN: citizens have none).
        try:
            user = User._default_manager.select_related("agency").get(pk=user_id)
        except User.DoesNotExist:
            return None
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
