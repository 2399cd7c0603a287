"""Our dossier in the national sync's terms (field names as the national portal defines them).

Each push carries the dossier as it stood after one status change: the national status code
(TrangThaiHoSo 1–10) and the processing history (QuaTrinhXuLy) up to that change, plus the
dossier's milestones, its papers and result documents, the flags Decision 766/QĐ-TTg scores, the
dossier version and the sync id.
"""

from __future__ import annotations

from typing import Any

from applications.models import (
    NATIONAL_STATUS,
    NATIONAL_STATUS_NAMES,
    Channel,
    DocumentKind,
    DocumentState,
    Dossier,
    OwnerRelation,
)
from national.models import NationalSync
from national.protocol import national_date
from payments.models import AttemptState

# KenhThucHien: 1 in person, 2 online, 3 by public post (a national-portal filing is online).
CHANNEL_CODES = {Channel.IN_PERSON: 1, Channel.ONLINE: 2, Channel.POST: 3, Channel.NATIONAL: 2}
# DuocThanhToanTrucTuyen: 1 paid online, 3 not.
PAID_ONLINE, NOT_PAID_ONLINE = 1, 3


def _id_kind(number: str) -> int:
    """LoaiDinhDanh: 1 for the 12-digit personal identification number, 2 for a 9-digit old ID."""
    return 2 if len(number or "") == 9 else 1


def sync_payload(sync: NationalSync) -> dict[str, Any]:
    """The body of one push. Reads the dossier's current papers and documents, but the status, the
    version and the history stop at the change the row records."""
    dossier: Dossier = sync.dossier
    version = dossier.procedure_version
    events = [event for event in dossier.events.all() if event.pk <= sync.event_id and event.to_status]
    history = [
        {
            "ThoiDiemXuLy": national_date(event.at), "NoiDungXuLy": event.get_action_display(),
            "TrangThai": NATIONAL_STATUS.get(event.to_status, 0), "ChucDanh": event.actor_role,
            "NguoiXuLy": event.actor.full_name if event.actor_id and event.actor else "",
        }
        for event in events if event.is_public
    ]
    attachments = list(dossier.attachments.all())
    results = [
        {"TenGiayTo": document.get_kind_display(), "SoKyHieu": document.number,
         "NgayBanHanh": national_date(document.issued_at), "MaXacThuc": document.verify_token}
        for document in dossier.documents.all()
        if document.kind in (DocumentKind.RESULT, DocumentKind.NOT_ELIGIBLE) and document.state == DocumentState.READY
    ]
    paid_online = any(attempt.state == AttemptState.SUCCEEDED for attempt in dossier.payment_attempts.all())
    owner_id = dossier.subject_id_number or dossier.applicant_id_number
    return {
        "SyncId": str(sync.sync_id),
        "PhienBan": sync.version,
        "MaHoSo": dossier.national_code or dossier.code,
        "MaHoSoTinh": dossier.code,
        "MaTTHC": version.procedure.code,
        "TenTTHC": version.name,
        "MaLinhVuc": version.procedure.sector.code,
        "MaDonVi": dossier.agency.eid_code,
        "KenhThucHien": CHANNEL_CODES.get(dossier.channel, 2),
        "LoaiDoiTuong": 4 if dossier.subject_relation == OwnerRelation.ORGANISATION else 1,
        "ChuHoSo": dossier.subject_name or dossier.applicant_name,
        "DinhDanhCHS": owner_id,
        "LoaiDinhDanh": _id_kind(owner_id),
        "TrangThaiHoSo": sync.status_code,
        "TenTrangThaiHoSo": NATIONAL_STATUS_NAMES.get(sync.status_code, ""),
        "NgayNopHoSo": national_date(dossier.submitted_at),
        "NgayTiepNhan": national_date(dossier.received_at),
        "NgayHenTra": national_date(dossier.due_current),
        "NgayCoKetQua": national_date(dossier.resolved_at),
        "NgayTra": national_date(dossier.returned_at),
        "ThoiDiemThayDoi": national_date(events[-1].at if events else dossier.updated_at),
        "TaiLieuNop": [
            {"TenTepDinhKem": attachment.original_name, "DuocSoHoa": int(attachment.is_digitised),
             "DuocTaiSuDung": int(attachment.is_reused), "DuocLayTuKhoDMQG": 0}
            for attachment in attachments
        ],
        "DanhSachGiayToKetQua": results,
        "QuaTrinhXuLy": history,
        "HoSoCoThanhPhanSoHoa": int(any(attachment.is_digitised for attachment in attachments)),
        "DuocThanhToanTrucTuyen": PAID_ONLINE if paid_online else NOT_PAID_ONLINE,
        "TaiKhoanDuocXacThucVoiVNeID": int(dossier.applicant_eid_verified),
    }
