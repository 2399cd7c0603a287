"""Dossiers filed on the national portal, received (pushed to our endpoint or pulled on a schedule).

Each national dossier code (MaHoSo) gets one InboundDossier row. Receiving it files a dossier
through the same services as a web filing (applications.filing: draft, checked attachments,
completeness, workflow.dossier_submit), in the agency's "new" queue with the channel "national
portal" and the national code kept beside ours. Whatever cannot be filed (unknown procedure or
agency, missing or invalid data, a refused file) is parked with the reason, never dropped: an
administrator corrects it and processes it again. The same MaHoSo twice gives one dossier.

Body fields (national names): MaHoSo, MaTTHC, MaDonVi (the receiving agency's electronic code),
KenhThucHien, NgayNopHoSo, ChuHoSo {HoTen, DinhDanhCHS, LoaiDinhDanh, SoDienThoai, Email, DiaChi},
TaiKhoanDuocXacThucVoiVNeID, DuLieuToKhai (e-form answers), TaiLieuNop [{TenTaiLieu, ThuTuThanhPhan,
TenTepDinhKem, NoiDungBase64 | DuongDanTaiTep, DuocSoHoa}], DanhSachLePhi [{TenPhiLePhi, SoTien}],
DuocThanhToanTrucTuyen.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import re
import urllib.error
import urllib.request
import uuid
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Agency, Role, User
from applications.filing import FilingError, attachments_add_batch, dossier_file, draft_create, draft_save_eform
from applications.models import Channel, Dossier, ResultDelivery
from applications.page_versions import dossier_pages_changed
from national.models import InboundDossier, InboundState
from national.protocol import SIGNATURE_HEADER, signature
from procedures.models import Procedure

logger = logging.getLogger(__name__)

_DIGITS = re.compile(r"^\d{9}$|^\d{12}$")
# Names derived from MaHoSo: a retried filing finds the same submit token.
_TOKEN_NAMESPACE = uuid.UUID("5f0c7c1e-0d7c-4b6e-9a53-6b1f8f1e2a10")


class InboundProblem(Exception):
    """Why a national dossier cannot be filed (shown in the admin's error list)."""


def national_actor(agency: Agency) -> User:
    """The account recorded as filing national dossiers at `agency`: an officer of that agency that
    cannot sign in (inactive, no usable password), so the workflow's checks apply to it unchanged."""
    email = f"dvcqg.{agency.pk}@national.invalid"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create(
            email=email, full_name=_("Cổng Dịch vụ công quốc gia"), role=Role.OFFICER, agency=agency,
            is_active=False, password=make_password(None),
        )
    return user


def _text(value: Any, limit: int) -> str:
    return str(value or "").strip()[:limit]


def _fetch(url: str) -> bytes:
    """A paper the national portal serves by URL; only from the national portal itself."""
    allowed = settings.NATIONAL_FILE_URL_PREFIX
    if not allowed or not url.startswith(allowed):
        raise InboundProblem(_("Đường dẫn tệp không thuộc Cổng Dịch vụ công quốc gia: %(url)s") % {"url": url[:200]})
    try:
        with urllib.request.urlopen(url, timeout=settings.NATIONAL_PORTAL_TIMEOUT) as response:  # noqa: S310
            data = response.read(settings.UPLOAD_MAX_FILE_BYTES + 1)
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise InboundProblem(_("Không tải được tệp từ Cổng Dịch vụ công quốc gia: %(error)s") % {"error": error}) from error
    return data


def _files(payload: dict, version) -> list[tuple[Any, SimpleUploadedFile, bool]]:
    components = {component.order: component for component in version.components.all()}
    by_name = {component.name.strip().lower(): component for component in components.values()}
    items = []
    for index, paper in enumerate(payload.get("TaiLieuNop") or [], start=1):
        if not isinstance(paper, dict):
            raise InboundProblem(_("Tài liệu nộp thứ %(n)s không hợp lệ.") % {"n": index})
        name = _text(paper.get("TenTepDinhKem"), 200) or f"tai-lieu-{index}"
        if paper.get("NoiDungBase64"):
            try:
                data = base64.b64decode(str(paper["NoiDungBase64"]), validate=True)
            except (binascii.Error, ValueError) as error:
                raise InboundProblem(_("Tệp «%(name)s» không đúng định dạng base64.") % {"name": name}) from error
        elif paper.get("DuongDanTaiTep"):
            data = _fetch(str(paper["DuongDanTaiTep"]))
        else:
            raise InboundProblem(_("Tài liệu «%(name)s» không có nội dung tệp.") % {"name": name})
        component = components.get(paper.get("ThuTuThanhPhan")) or by_name.get(
            _text(paper.get("TenTaiLieu"), 500).lower())
        items.append((component, SimpleUploadedFile(name, data), bool(paper.get("DuocSoHoa"))))
    return items


def _file(payload: dict, national_code: str) -> Dossier:
    """File the national dossier (inside a savepoint: any problem leaves nothing behind)."""
    procedure = Procedure.objects.select_related("current_version").filter(
        code=_text(payload.get("MaTTHC"), 40)).first()
    if procedure is None or procedure.current_version is None:
        raise InboundProblem(_("Thủ tục có mã «%(code)s» không có trong danh mục đang áp dụng.")
                             % {"code": _text(payload.get("MaTTHC"), 40)})
    agency = Agency.objects.filter(eid_code=_text(payload.get("MaDonVi"), 35)).first()
    if agency is None:
        raise InboundProblem(_("Không tìm thấy cơ quan có mã định danh «%(code)s».")
                             % {"code": _text(payload.get("MaDonVi"), 35)})
    applicant = payload.get("ChuHoSo")
    if not isinstance(applicant, dict):
        raise InboundProblem(_("Thiếu thông tin chủ hồ sơ (ChuHoSo)."))
    id_number = _text(applicant.get("DinhDanhCHS"), 12)
    if not _DIGITS.match(id_number):
        raise InboundProblem(_("Số định danh chủ hồ sơ (DinhDanhCHS) phải gồm 12 chữ số (hoặc 9 chữ số)."))
    if Dossier.objects.filter(national_code=national_code).exists():
        raise InboundProblem(_("Đã có hồ sơ mang mã quốc gia này."))
    version = procedure.current_version
    actor = national_actor(agency)
    owner = User.objects.filter(id_number=id_number, role=Role.CITIZEN).first()
    files = _files(payload, version)
    try:
        dossier = draft_create(
            version, agency, owner=owner, filed_by=actor, channel=Channel.NATIONAL,
            applicant_name=_text(applicant.get("HoTen"), 150), applicant_id_number=id_number,
            applicant_phone=_text(applicant.get("SoDienThoai"), 15), applicant_email=_text(applicant.get("Email"), 254),
            applicant_address=_text(applicant.get("DiaChi"), 255), result_delivery=ResultDelivery.ONLINE,
        )
        Dossier.objects.filter(pk=dossier.pk).update(national_code=national_code)
        answers = payload.get("DuLieuToKhai")
        if isinstance(answers, dict) and answers:
            draft_save_eform(dossier, answers)
        stored = []
        for digitised in (False, True):
            chosen = [(component, upload) for component, upload, flag in files if flag == digitised]
            if chosen:
                stored += attachments_add_batch(dossier, chosen, by=actor, is_digitised=digitised)
        try:
            dossier = dossier_file(dossier, actor=actor, submit_token=uuid.uuid5(_TOKEN_NAMESPACE, national_code))
        except Exception:
            for attachment in stored:
                attachment.file.delete(save=False)
            raise
    except FilingError as error:
        problems = "; ".join(str(problem) for problem in error.problems)
        raise InboundProblem(f"{error.message} {problems}".strip()) from error
    except ValidationError as error:
        raise InboundProblem(" ".join(error.messages)) from error
    # What the national portal verified and collected (TaiKhoanDuocXacThucVoiVNeID); our filing
    # cannot know it, since the applicant signed in there.
    verified = str(payload.get("TaiKhoanDuocXacThucVoiVNeID", "0")) == "1"
    fees = [fee for fee in payload.get("DanhSachLePhi") or [] if isinstance(fee, dict)]
    total = sum(int(fee.get("SoTien") or 0) for fee in fees)
    Dossier.objects.filter(pk=dossier.pk).update(
        applicant_eid_verified=verified, fee_amount=total if fees else None,
        fee_note=_("Phí, lệ phí khai trên Cổng DVC quốc gia; thanh toán trực tuyến: %(paid)s") % {
            "paid": _("đã thanh toán") if str(payload.get("DuocThanhToanTrucTuyen")) == "1" else _("chưa")}
        if fees else "",
    )
    dossier_pages_changed(dossier.pk)  # an update sends no signal
    dossier.refresh_from_db()
    return dossier


def inbound_receive(payload: Any) -> tuple[InboundDossier, bool]:
    """File one national dossier, or park it with the reason. Idempotent on MaHoSo: the second
    call returns the first one's row. The flag says whether this call filed the dossier.

    Raises InboundProblem only when the body has no MaHoSo (then there is nothing to key it on)."""
    if not isinstance(payload, dict) or not _text(payload.get("MaHoSo"), 60):
        raise InboundProblem(_("Thiếu mã hồ sơ quốc gia (MaHoSo)."))
    code = _text(payload["MaHoSo"], 60)
    with transaction.atomic():
        row = InboundDossier.objects.select_for_update().filter(national_code=code).first()
        if row is None:
            try:
                with transaction.atomic():
                    row = InboundDossier.objects.create(national_code=code, payload=payload, state=InboundState.PARKED)
            except IntegrityError:
                # The same dossier arrived twice at once: wait for the first one's outcome.
                row = InboundDossier.objects.select_for_update().get(national_code=code)
            if row.state == InboundState.FILED:
                return row, False
        elif row.state == InboundState.FILED:
            return row, False
        else:
            row.payload = payload
            row.attempts += 1
        row = _process(row)
        return row, row.state == InboundState.FILED


def _process(row: InboundDossier) -> InboundDossier:
    payload = row.payload
    row.procedure_code = _text(payload.get("MaTTHC"), 60)
    row.agency_code = _text(payload.get("MaDonVi"), 60)
    row.processed_at = timezone.now()
    try:
        with transaction.atomic():
            row.dossier = _file(payload, row.national_code)
    except InboundProblem as problem:
        row.state, row.reason = InboundState.PARKED, str(problem)
        logger.info("national dossier parked: %s", problem)
    else:
        row.state, row.reason = InboundState.FILED, ""
    row.save()
    return row


def inbound_reprocess(row: InboundDossier) -> InboundDossier:
    """An administrator processes a parked dossier again (after fixing its data or the catalogue)."""
    with transaction.atomic():
        locked = InboundDossier.objects.select_for_update().get(pk=row.pk)
        if locked.state == InboundState.FILED:
            return locked
        locked.attempts += 1
        return _process(locked)


def inbound_pull() -> int:
    """Pull mode (NATIONAL_INBOUND_MODE=pull): ask the national portal for dossiers not yet taken,
    file each, then acknowledge the codes handled (filed or parked). Returns how many were handled."""
    if settings.NATIONAL_INBOUND_MODE != "pull":
        return 0
    base = settings.NATIONAL_PORTAL_URL.rstrip("/")
    headers = {"Authorization": f"Bearer {settings.NATIONAL_PORTAL_TOKEN}"}
    request = urllib.request.Request(base + "/dossiers/outbox", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=settings.NATIONAL_PORTAL_TIMEOUT) as response:  # noqa: S310
            items = json.loads(response.read().decode()).get("items", [])
    except (urllib.error.URLError, TimeoutError, OSError, ValueError, AttributeError) as error:
        logger.warning("national pull failed: %s", error)
        return 0
    handled = []
    for item in items:
        try:
            handled.append(inbound_receive(item)[0].national_code)
        except InboundProblem:
            continue
    if handled:
        body = json.dumps({"MaHoSo": handled}).encode()
        ack = urllib.request.Request(base + "/dossiers/outbox/ack", data=body, method="POST", headers={
            **headers, "Content-Type": "application/json", SIGNATURE_HEADER: signature(settings.NATIONAL_PORTAL_SECRET, body)})
        try:
            urllib.request.urlopen(ack, timeout=settings.NATIONAL_PORTAL_TIMEOUT).close()  # noqa: S310
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            logger.warning("national pull acknowledgement failed (the codes will come again): %s", error)
    return len(handled)
