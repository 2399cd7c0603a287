"""The staff second factor in tests, done the way a person with an authenticator app does it.

`totp_code` computes the code an app shows for a device's secret (RFC 6238, as django-otp checks
it), picking one the device has not accepted yet: a device refuses a code from a time step it has
already seen, so two sign-ins within 30 seconds need the next step's code (or a short wait).
"""

from __future__ import annotations

import time
from binascii import unhexlify

from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.two_factor import second_factor_required_for

STAFF_DEVICE_NAME = "Ứng dụng xác thực (kiểm thử)"


def totp_code(device: TOTPDevice) -> str:
    """A code the device accepts now: inside its tolerance window and after the last step it took."""
    for _attempt in range(3):
        device.refresh_from_db()
        totp = TOTP(unhexlify(device.key.encode()), device.step, device.t0, device.digits, device.drift)
        now_t = totp.t()
        # The current step, or the next one (still inside the tolerance when the page is slow to post);
        # never the previous one, which a step boundary during the request would push out of the window.
        for t in range(now_t, now_t + device.tolerance + 1):
            if t > device.last_t:
                return str(hotp(totp.key, t, digits=device.digits)).zfill(device.digits)
        time.sleep(device.step - (time.time() - device.t0) % device.step + 0.1)
    raise AssertionError("no unused TOTP code")


def totp_code_from_secret(secret_base32: str, at: float | None = None) -> str:
    """What an authenticator app shows for a secret typed in by hand (the base32 of the setup page)."""
    from base64 import b32decode

    compact = "".join(secret_base32.split()).upper()
    key = b32decode(compact + "=" * (-len(compact) % 8))
    return str(hotp(key, int((time.time() if at is None else at) // 30), digits=6)).zfill(6)


def staff_device_give(user: User) -> TOTPDevice | None:
    """A confirmed authenticator-app device for a member of staff (None for citizens)."""
    if not second_factor_required_for(user):
        return None
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name=STAFF_DEVICE_NAME, confirmed=True)


def second_factor_pass(page, email: str) -> None:
    """After the password form in a browser: type the app's code when the portal asks for it, or
    enrol the app first (a demo account without a device) from the secret the setup page shows."""
    user = User.objects.get(email=email)
    if not second_factor_required_for(user):
        return
    page.wait_for_url(lambda url: "/accounts/two-factor/" in url)
    if "/accounts/two-factor/setup/" in page.url:
        secret = page.locator("[data-totp-secret]").inner_text()
        page.fill("input[name=otp_token]", totp_code_from_secret(secret))
        page.get_by_role("button", name="Xác nhận và bật xác thực hai lớp").click()
        page.wait_for_url(lambda url: "/accounts/two-factor/recovery-codes/" in url)
        page.get_by_role("link", name="Tiếp tục").click()
    else:
        page.fill("input[name=otp_token]", totp_code(TOTPDevice.objects.get(user=user, confirmed=True)))
        page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url(lambda url: "/accounts/two-factor/" not in url)
