"""Shared test builders for procedures and dossiers (apps may add their own next to their tests)."""

from __future__ import annotations

import itertools
from datetime import date, time

from django.utils import timezone

from accounts.models import Agency, User
from applications.models import Dossier, DossierCodeCounter, Status
from procedures.models import (
    Component,
    Fee,
    FeeBasis,
    FeeKind,
    FormField,
    Procedure,
    ProcedureVersion,
    Sector,
    ServiceLevel,
    VersionStatus,
)
from workdays.constants import TimeUnit

_seq = itertools.count(1)


def make_procedure(
    *, code: str | None = None, name: str = "Đăng ký khai sinh", agency: Agency | None = None,
    service_level: str = ServiceLevel.FULL, time_value: int = 3, time_unit: str = TimeUnit.WORKING_DAYS,
    cutoff: time | None = None, fee: int | None = None, with_form: bool = True, published: bool = True,
) -> ProcedureVersion:
    """A published procedure with one version, two components and (optionally) a fee line."""
    n = next(_seq)
    sector, _ = Sector.objects.get_or_create(code="HT", defaults={"name": "Hộ tịch"})
    procedure = Procedure.objects.create(code=code or f"1.{n:06d}", sector=sector, is_published=published)
    version = ProcedureVersion.objects.create(
        procedure=procedure, number=1, status=VersionStatus.PUBLISHED if published else VersionStatus.DRAFT,
        effective_from=date(2025, 7, 1), name=name, service_level=service_level,
        partial_reason="" if service_level == ServiceLevel.FULL else "Xuất trình bản chính tại Bộ phận Một cửa.",
        processing_time_value=time_value, processing_time_unit=time_unit, cutoff_time=cutoff,
        steps="Bước 1: Nộp hồ sơ.\nBước 2: Nhận kết quả.", result_name="Giấy khai sinh",
    )
    if agency is not None:
        version.receiving_agencies.add(agency)
    Component.objects.create(version=version, order=1, name="Tờ khai đăng ký khai sinh", originals=1, is_required=True)
    Component.objects.create(version=version, order=2, name="Giấy chứng sinh", originals=1, is_required=False)
    if fee is not None:
        Fee.objects.create(version=version, kind=FeeKind.CHARGE, name="Lệ phí", amount=fee, basis=FeeBasis.PER_CASE)
    if with_form:
        FormField.objects.create(version=version, order=1, key="child_name", label="Họ, chữ đệm, tên của trẻ",
                                 field_type="text", is_required=True, max_length=100)
        FormField.objects.create(version=version, order=2, key="birth_date", label="Ngày sinh",
                                 field_type="date", is_required=True)
    procedure.current_version = version
    procedure.save(update_fields=["current_version"])
    return version


def make_dossier(
    version: ProcedureVersion, agency: Agency, owner: User | None, *, status: str = Status.SUBMITTED,
    code: str | None = None, **fields,
) -> Dossier:
    """A dossier put straight into `status` (for read-side tests; workflow tests use the services)."""
    n = next(_seq)
    now = timezone.now()
    if status != Status.DRAFT and code is None:
        code = f"{agency.legacy_code()}-{now:%y%m%d}-{9000 + n:04d}"
    defaults = {
        "applicant_name": owner.full_name if owner else "Khách vãng lai",
        "applicant_email": owner.email or "" if owner else "",
        "subject_name": "Nguyễn Văn Bé",
        "form_data": {"child_name": "Nguyễn Văn Bé", "birth_date": "2026-01-05"},
        "submitted_at": None if status == Status.DRAFT else now,
    }
    defaults.setdefault("filed_by", owner)
    defaults.update(fields)
    return Dossier.objects.create(
        procedure_version=version, agency=agency, owner=owner, status=status, code=code, **defaults
    )


__all__ = ["make_procedure", "make_dossier", "DossierCodeCounter"]


# A few communes after the 2025 reorganisation and an illustrative public-post tariff (admin data).
DEMO_COMMUNES = [("Lâm Đồng", "Phường Xuân Hương - Đà Lạt"), ("Lâm Đồng", "Xã Đơn Dương"),
                 ("Huế", "Phường Thuận Hóa"), ("Hà Nội", "Phường Ba Đình"), ("Cà Mau", "Phường An Xuyên")]
DEMO_POSTAGE = [("intra", 0, 250, 13_000), ("intra", 250, 2000, 20_000),
                ("inter", 0, 250, 18_000), ("inter", 250, 2000, 30_000)]


def make_postal_units(settings=None) -> None:
    """The commune list and the tariff delivery by post needs; the home province is Lâm Đồng."""
    from procedures.models import Commune, PostageRate

    if settings is not None:
        settings.POSTAL_HOME_PROVINCE = "Lâm Đồng"
    for province, name in DEMO_COMMUNES:
        Commune.objects.get_or_create(province=province, name=name)
    if not PostageRate.objects.exists():
        for zone, low, high, amount in DEMO_POSTAGE:
            PostageRate.objects.create(zone=zone, weight_from=low, weight_to=high, amount=amount,
                                       effective_from=date(2025, 7, 1))
