"""Demo agencies and accounts for `manage.py seed_demo`. Idempotent: existing rows are kept."""

from __future__ import annotations

from datetime import date

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
IDENTITIES = {
    "citizen@example.vn": {"id_number": "001084000999", "date_of_birth": date(1984, 3, 9), "permanent_address": {
        "province": "Hà Nội", "commune": "Phường Ba Đình", "detail": "12 Phố Đội Cấn"}},
    "citizen2@example.vn": {"id_number": "079193000456", "date_of_birth": date(1993, 7, 21), "permanent_address": {
        "province": "TP Hồ Chí Minh", "commune": "Phường Sài Gòn", "detail": "8 Lê Duẩn"}},
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
