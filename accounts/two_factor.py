"""The staff second factor: who needs it, checking a code, recovery codes, the session's clocks.

Built on django-otp: a TOTP device (an authenticator app) and a static device (recovery codes,
each usable once) per member of staff. django-otp's OTPMiddleware marks `request.user` verified
when the session holds a device that passed; `portal.middleware.StaffSecondFactorMiddleware` sends
an unverified member of staff to enrolment or to the code form before any other page, the admin
site included, and ends a staff session after STAFF_SESSION_IDLE_MINUTES of inactivity.

A TOTP code is accepted once: the device remembers the time step of the last code it accepted and
refuses that step and older ones, so a code read over a shoulder cannot be replayed inside its
30-second window. Wrong codes are throttled three ways: django-otp's growing delay per device, and
a count per account and per client address in the shared cache; every failure is logged.
"""

from __future__ import annotations

import logging
import time
from base64 import b32encode
from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any
from urllib.parse import urlencode

import django_otp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.identity.models import ProviderMfaDevice
from accounts.models import STAFF_ROLES, User
from accounts.throttle import client_ip, shared_cache

logger = logging.getLogger("accounts.two_factor")

VERIFIED_AT_KEY = "two_factor_verified_at"
LAST_SEEN_KEY = "staff_last_seen"
PENDING_POST_KEY = "two_factor_pending_post"
NEW_CODES_KEY = "two_factor_new_codes"
# The last-seen stamp is rewritten at most this often, so a busy officer does not cost a session
# write per request; the idle limit is then exact to within this many seconds.
LAST_SEEN_RESOLUTION_SECONDS = 60
TOTP_DEVICE_NAME = "Ứng dụng xác thực"
RECOVERY_DEVICE_NAME = "Mã khôi phục"

# Workflow actions that decide a dossier or hand a result over: the second factor is asked again
# when it is older than STAFF_2FA_RECHECK_MINUTES.
SENSITIVE_ACTIONS = frozenset({"approve", "refuse", "declare_not_eligible", "return_result"})


# --- Who -------------------------------------------------------------------------------------------


def second_factor_enforced() -> bool:
    """Always in production; settings.py refuses STAFF_2FA_REQUIRED off unless DEBUG is on."""
    return settings.STAFF_2FA_REQUIRED or not settings.DEBUG


def second_factor_required_for(user: User) -> bool:
    """Every member of staff and everyone who can open the admin site."""
    if not user.is_authenticated or not second_factor_enforced():
        return False
    return user.role in STAFF_ROLES or user.is_staff or user.is_superuser


def is_verified(user: User) -> bool:
    checker = getattr(user, "is_verified", None)
    return bool(checker and checker())


# --- Devices ---------------------------------------------------------------------------------------


def totp_device_confirmed(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def has_confirmed_device(user: User) -> bool:
    """A device of our own (authenticator app or recovery codes); an agency provider's check is not one."""
    return (TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()
            or StaticDevice.objects.devices_for_user(user, confirmed=True).exists())


def totp_device_pending(user: User) -> TOTPDevice:
    """The not-yet-confirmed device whose secret enrolment shows (the same one until confirmed)."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def totp_secret_base32(device: TOTPDevice) -> str:
    """The secret as an authenticator app takes it when typed, in groups of four."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def recovery_codes_issue(user: User) -> list[str]:
    """New recovery codes; the previous ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.OTP_RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    logger.info("Recovery codes issued for user %s", user.pk)
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def totp_enrol_confirm(user: User, device: TOTPDevice) -> list[str]:
    """The first code from the app matched: the device counts, and recovery codes are issued."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    # A half-finished earlier enrolment leaves nothing behind.
    TOTPDevice.objects.filter(user=user, confirmed=False).exclude(pk=device.pk).delete()
    logger.info("Authenticator app enrolled for user %s", user.pk)
    return recovery_codes_issue(user)


@transaction.atomic
def second_factor_reset(user: User, *, by: User) -> int:
    """A lost phone: remove every device; the person enrols again at their next sign-in.

    Their open sessions lose their verified device at once (django-otp's middleware drops a
    device that no longer exists), so the next page asks for enrolment.
    """
    removed = (TOTPDevice.objects.filter(user=user).delete()[0] + StaticDevice.objects.filter(user=user).delete()[0]
               + ProviderMfaDevice.objects.filter(user=user).delete()[0])
    logger.warning("Second factor reset for user %s by user %s", user.pk, by.pk)
    return removed


# --- Checking a code ------------------------------------------------------------------------------


def _failure_window_seconds() -> int:
    return settings.OTP_FAILURE_WINDOW_MINUTES * 60


def _failure_keys(request: HttpRequest, user: User) -> tuple[str, str]:
    return f"rl:otp-account:user:{user.pk}", f"rl:otp-ip:{client_ip(request)}"


def attempts_blocked(request: HttpRequest, user: User) -> bool:
    """Too many wrong codes for this account, or from this address, within the window."""
    cache = shared_cache()
    account_key, ip_key = _failure_keys(request, user)
    return (int(cache.get(account_key) or 0) >= settings.OTP_FAILURE_ACCOUNT_LIMIT
            or int(cache.get(ip_key) or 0) >= settings.OTP_FAILURE_IP_LIMIT)


def _failure_record(request: HttpRequest, user: User, reason: str) -> None:
    cache = shared_cache()
    for key in _failure_keys(request, user):
        cache.add(key, 0, timeout=_failure_window_seconds())
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=_failure_window_seconds())
    logger.warning("Second factor failed (%s) for user %s from %s", reason, user.pk, client_ip(request))


def code_check(request: HttpRequest, user: User, token: str, devices=None) -> tuple[object | None, str]:
    """Try `token` on the user's devices (confirmed ones unless `devices` is given).

    Returns (device, "") on success, or (None, reason) with reason "blocked" (too many failures for
    the account or address), "wait" (django-otp's growing per-device delay) or "wrong".
    """
    if attempts_blocked(request, user):
        logger.warning("Second factor refused (too many failures) for user %s from %s", user.pk, client_ip(request))
        return None, "blocked"
    token = "".join(token.split()).lower()
    if devices is None:
        # Digits are an app's code, anything else a recovery code: a recovery code never counts as a
        # failure (and a growing delay) on the app's device, nor the reverse.
        kind = TOTPDevice if token.isdigit() else StaticDevice
        devices = [device for device in django_otp.devices_for_user(user) if isinstance(device, kind)]
    candidates = list(devices)
    waiting = False
    for device in candidates:
        allowed, _info = device.verify_is_allowed()
        if not allowed:
            waiting = True
            continue
        with transaction.atomic():
            locked = type(device).objects.select_for_update().get(pk=device.pk)
            if locked.verify_token(token):
                shared_cache().delete(_failure_keys(request, user)[0])
                return locked, ""
    reason = "wait" if waiting else "wrong"
    _failure_record(request, user, reason)
    return None, reason


def session_verify(request: HttpRequest, device) -> None:
    """Mark the session verified by `device` (a new session key: the session gained a privilege)."""
    request.session.cycle_key()
    django_otp.login(request, device)
    request.session[VERIFIED_AT_KEY] = int(time.time())


def verified_recently(request: HttpRequest) -> bool:
    verified_at = request.session.get(VERIFIED_AT_KEY)
    if not isinstance(verified_at, int):
        return False
    age = time.time() - verified_at
    return 0 <= age <= settings.STAFF_2FA_RECHECK_MINUTES * 60


# --- The session's idle clock -----------------------------------------------------------------------


def session_idle_expired(request: HttpRequest) -> bool:
    last_seen = request.session.get(LAST_SEEN_KEY)
    return isinstance(last_seen, int) and time.time() - last_seen > settings.STAFF_SESSION_IDLE_MINUTES * 60


def session_current_for_staff(session: Mapping[str, Any], now: float) -> bool:
    """Whether a staff session's data, as stored, needs neither ending nor a write on this request:
    what a page served without the middleware (portal/lib/personal_pages.py) must be sure of."""
    last_seen = session.get(LAST_SEEN_KEY)
    expiry = session.get("_session_expiry")  # as SessionBase.get_expire_at_browser_close reads it
    at_browser_close = settings.SESSION_EXPIRE_AT_BROWSER_CLOSE if expiry is None else expiry == 0
    # session_touch writes from LAST_SEEN_RESOLUTION_SECONDS on, session_idle_expired ends it later.
    return (at_browser_close and isinstance(last_seen, int)
            and now - last_seen < min(LAST_SEEN_RESOLUTION_SECONDS, settings.STAFF_SESSION_IDLE_MINUTES * 60))


def session_touch(request: HttpRequest) -> None:
    """Staff sessions end when the browser closes, and count inactivity from now."""
    session = request.session
    if not session.get_expire_at_browser_close():
        session.set_expiry(0)
    now = int(time.time())
    last_seen = session.get(LAST_SEEN_KEY)
    if not isinstance(last_seen, int) or now - last_seen >= LAST_SEEN_RESOLUTION_SECONDS:
        session[LAST_SEEN_KEY] = now


# --- Where to send people ---------------------------------------------------------------------------


def safe_next(request: HttpRequest, url: str | None) -> str:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return ""


def url_with_next(name: str, next_url: str) -> str:
    url = reverse(name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def second_factor_entry_url(user: User, next_url: str) -> str:
    """Enrolment for someone without a device yet, the code form otherwise."""
    name = "two_factor:verify" if has_confirmed_device(user) else "two_factor:setup"
    return url_with_next(name, next_url)


# --- Re-check before sensitive actions ---------------------------------------------------------------


def export_requested(request: HttpRequest, *args, **kwargs) -> bool:
    """A report page asked for its spreadsheet (personal data leaves the portal)."""
    return request.GET.get("format") == "xlsx"


def sensitive_dossier_action(request: HttpRequest, *args, action: str = "", **kwargs) -> bool:
    return action in SENSITIVE_ACTIONS


def second_factor_recent_required(when: Callable[..., bool] | None = None) -> Callable:
    """Ask for the second factor again unless it was entered within STAFF_2FA_RECHECK_MINUTES.

    `when(request, *args, **kwargs)` narrows it to some requests of the view (one action among
    many, the export of a report page). A POST is kept in the session and offered for sending
    again after the code, so nothing typed into the form is lost.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            user = request.user
            if (not second_factor_required_for(user)  # type: ignore[arg-type]
                    or (when is not None and not when(request, *args, **kwargs))
                    or verified_recently(request)):
                return view(request, *args, **kwargs)
            if request.method == "POST":
                request.session[PENDING_POST_KEY] = {
                    "path": request.path,
                    "data": [(key, value) for key, values in request.POST.lists()
                             if key != "csrfmiddlewaretoken" for value in values],
                }
                back = safe_next(request, request.headers.get("Referer")) or request.path
                return redirect(url_with_next("two_factor:recheck", back))
            return redirect(url_with_next("two_factor:recheck", request.get_full_path()))

        return wrapped

    return decorator
