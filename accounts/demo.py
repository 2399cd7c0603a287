"""Demo agencies and accounts for `manage.py seed_demo`. Idempotent: existing rows are kept."""

from __future__ import annotations

from base64 import b32decode
from datetime import date

from django_otp.plugins.otp_totp.models import TOTPDevice

from django.conf import settings

from accounts.models import Agency, AgencyKind, Role, User
from accounts.roles import roles_sync, user_set_role

DEMO_PASSWORD = "demo-password-2026"

# A fictional province (H99 is not a real code: real codes are imported from provincial decisions).
AGENCIES = [
    # (eid_code, name, short_name, kind, parent_eid, head's title, head's name)
    ("H99", "Ủy ban nhân dân tỉnh Hòa An (dữ liệu mẫu)", "UBND tỉnh Hòa An", AgencyKind.PROVINCE, None, "", ""),
    ("H99.01.01", "Ủy ban nhân dân xã An Phú", "UBND xã An Phú", AgencyKind.COMMUNE, "H99", "Chủ tịch",
     "Hoàng Văn Đức"),
    ("H99.01.02", "Ủy ban nhân dân xã Bình Minh", "UBND xã Bình Minh", AgencyKind.COMMUNE, "H99", "Chủ tịch",
     "Bùi Thị Hoa"),
]

USERS = [
    # (email, full name, role, agency eid or None, phone)
    ("citizen@example.vn", "Nguyễn Văn An", Role.CITIZEN, None, "0912000001"),
    ("citizen2@example.vn", "Trần Thị Bình", Role.CITIZEN, None, "0912000002"),
    ("officer@example.vn", "Lê Thị Cúc", Role.OFFICER, "H99.01.01", None),
    ("specialist@example.vn", "Phạm Văn Dũng", Role.SPECIALIST, "H99.01.01", None),
    ("leader@example.vn", "Hoàng Văn Đức", Role.LEADER, "H99.01.01", None),
    ("officer.b@example.vn", "Vũ Thị Giang", Role.OFFICER, "H99.01.02", None),
    ("specialist.b@example.vn", "Đặng Văn Hải", Role.SPECIALIST, "H99.01.02", None),
    ("leader.b@example.vn", "Bùi Thị Hoa", Role.LEADER, "H99.01.02", None),
    ("admin@example.vn", "Quản trị viên", Role.ADMIN, "H99", None),
]

# The demo citizens' profile details, pre-filled into e-forms and used to find them at the counter.
# They are also the parents in the demo e-form answers (applications/demo.py), so a demo dossier's
# requester, its printed result and the account that filed it name the same person. The ID numbers are
# fictitious but valid: province 037, G digit and year matching the birth date and sex.
DEMO_HOME = {"province": "Ninh Bình", "commune": "Xã An Phú", "detail": "Thôn Đông"}
IDENTITIES = {
    "citizen@example.vn": {"id_number": "037094001234", "date_of_birth": date(1994, 3, 15),
                           "permanent_address": DEMO_HOME},
    "citizen2@example.vn": {"id_number": "037196002345", "date_of_birth": date(1996, 7, 20),
                            "permanent_address": DEMO_HOME},
}


def seed() -> list[str]:
    roles_sync()
    agencies: dict[str, Agency] = {}
    for eid, name, short, kind, parent, head_title, head_name in AGENCIES:
        agencies[eid], _ = Agency.objects.get_or_create(
            eid_code=eid,
            defaults={
                "name": name, "short_name": short, "kind": kind,
                "parent": agencies.get(parent) if parent else None,
                "address": f"Trụ sở {short}", "phone": "0270 3800 000",
                "head_title": head_title, "head_name": head_name,
            },
        )
    created = []
    for email, full_name, role, agency_eid, phone in USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=DEMO_PASSWORD, full_name=full_name, phone=phone, role=role,
                agency=agencies[agency_eid] if agency_eid else None, **IDENTITIES.get(email, {}),
            )
            created.append(email)
        if role == Role.ADMIN and not user.is_superuser:
            user.is_superuser = True
            user.save(update_fields=["is_superuser"])
        user_set_role(user, role)
    return created


# --- The demo staff accounts' authenticator app (DEBUG only) ------------------------------------------

# A published secret, so that `make run` users can sign in as an officer straight away: type it into
# any authenticator app (Google/Microsoft Authenticator, FreeOTP…; 6 digits, 30 s). A device whose
# secret is in the README protects nothing, so it is only ever made with DEBUG on.
DEMO_TOTP_SECRET = "DVCDEMOSTAFFTOTPSECRETKEY2345672"
DEMO_TOTP_DEVICE_NAME = "Ứng dụng xác thực (dữ liệu mẫu)"


class DemoSecretRefused(Exception):
    """Known-secret devices are never made outside development."""


def staff_demo_devices_give() -> list[str]:
    """A confirmed TOTP device with DEMO_TOTP_SECRET for each demo staff account that has no device yet
    (an account that enrolled its own app keeps it). Refused unless DEBUG is on."""
    if not settings.DEBUG:
        raise DemoSecretRefused("DEBUG is off: no second-factor device with a published secret is made")
    key = b32decode(DEMO_TOTP_SECRET).hex()
    given = []
    for email, _full_name, role, _agency, _phone in USERS:
        user = User.objects.filter(email=email).first()
        if user is None or role == Role.CITIZEN or TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            continue
        TOTPDevice.objects.create(user=user, name=DEMO_TOTP_DEVICE_NAME, key=key, confirmed=True)
        given.append(email)
    return given
