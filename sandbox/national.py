"""The simulated national public-service portal (DEBUG only): the other side of national.protocol.

It checks the bearer token, the body signature and the required fields of every push, keeps one
record per SyncId, answers like the national side, and can be switched down (503), slow, 500 or
garbage. It also files demo dossiers and sends them to the province's inbound endpoint (or serves
them to a puller)."""

from __future__ import annotations

import base64
import json
import secrets
import time
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from sandbox.models import NationalPortalDossier, NationalPortalPush, NationalPortalSwitch

REQUIRED = ("SyncId", "PhienBan", "MaHoSo", "MaTTHC", "TrangThaiHoSo", "NgayNopHoSo", "QuaTrinhXuLy",
            "HoSoCoThanhPhanSoHoa", "DuocThanhToanTrucTuyen", "TaiKhoanDuocXacThucVoiVNeID")
# A one-page PDF: the demo dossier's scanned paper.
DEMO_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def switch() -> NationalPortalSwitch:
    row = NationalPortalSwitch.objects.first()
    return row or NationalPortalSwitch.objects.create()


def switch_set(mode: str, slow_seconds: float | None = None) -> None:
    row = switch()
    row.mode = mode
    if slow_seconds is not None:
        row.slow_seconds = slow_seconds
    row.save()


def fault() -> tuple[int, str] | None:
    """The answer a switched-off portal gives instead of handling the call (None: behave)."""
    state = switch()
    if state.mode == NationalPortalSwitch.Mode.DOWN:
        return 503, "Service Unavailable"
    if state.mode == NationalPortalSwitch.Mode.ERROR:
        return 500, '{"error_code": "500", "message": "Lỗi hệ thống"}'
    if state.mode == NationalPortalSwitch.Mode.GARBAGE:
        return 200, "<html>Bảo trì hệ thống</html>"
    if state.mode == NationalPortalSwitch.Mode.SLOW:
        time.sleep(state.slow_seconds)
    return None


def push_accept(body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    missing = [name for name in REQUIRED if name not in body or body[name] in (None, "")]
    if missing:
        return 400, {"error_code": "400", "message": "Thiếu trường: " + ", ".join(missing)}
    if not 1 <= int(body["TrangThaiHoSo"]) <= 10 or len(str(body["NgayNopHoSo"])) != 14:
        return 400, {"error_code": "400", "message": "Trạng thái hoặc ngày không hợp lệ"}
    code = str(body["MaHoSo"])
    with transaction.atomic():
        existing = NationalPortalPush.objects.select_for_update().filter(sync_id=str(body["SyncId"])).first()
        if existing is not None:
            existing.resends += 1
            existing.save(update_fields=["resends"])
            return 200, {"error_code": "0", "SyncId": existing.sync_id, "message": "Đã nhận trước đó"}
        latest = NationalPortalPush.objects.filter(national_code=code, is_stale=False).order_by("-version").first()
        stale = latest is not None and latest.version >= int(body["PhienBan"])
        try:
            with transaction.atomic():
                NationalPortalPush.objects.create(
                    sync_id=str(body["SyncId"]), national_code=code, version=int(body["PhienBan"]),
                    status_code=int(body["TrangThaiHoSo"]), body=body, is_stale=stale,
                )
        except IntegrityError:
            pass
    return 200, {"error_code": "0", "SyncId": str(body["SyncId"]), "message": "Bỏ qua, đã có phiên bản mới hơn"
                 if stale else "Thành công"}


def demo_dossier(*, procedure_code: str, agency_code: str, id_number: str = "001090000123",
                 file_url: str | None = None, answers: dict | None = None,
                 papers: list[tuple[int, str]] | None = None) -> NationalPortalDossier:
    """A dossier "filed on the national portal" by a demo citizen, ready to send in."""
    code = "G22.99-" + timezone.localdate().strftime("%y%m%d") + "-" + secrets.token_hex(3).upper()
    documents = []
    for order, name in papers or [(1, "Tờ khai")]:
        paper: dict[str, Any] = {"TenTaiLieu": name, "ThuTuThanhPhan": order, "TenTepDinhKem": f"giay-to-{order}.pdf",
                                 "DuocSoHoa": 1}
        if file_url:
            paper["DuongDanTaiTep"] = file_url
        else:
            paper["NoiDungBase64"] = base64.b64encode(DEMO_PDF).decode()
        documents.append(paper)
    body = {
        "MaHoSo": code, "MaTTHC": procedure_code, "MaDonVi": agency_code, "KenhThucHien": 2,
        "NgayNopHoSo": timezone.localtime().strftime("%Y%m%d%H%M%S"),
        "ChuHoSo": {"HoTen": "Trần Thị Bình", "DinhDanhCHS": id_number, "LoaiDinhDanh": 1,
                    "SoDienThoai": "0912345678", "Email": "binh@example.vn", "DiaChi": "Thôn Phú Lộc, xã An Phú"},
        "TaiKhoanDuocXacThucVoiVNeID": 1,
        "TaiLieuNop": documents,
        "DanhSachLePhi": [],
        "DuocThanhToanTrucTuyen": 3,
        "DuLieuToKhai": answers or {},
    }
    return NationalPortalDossier.objects.create(national_code=code, body=body)


def send_in(dossier: NationalPortalDossier, *, url: str, token: str, secret: str, timeout: float = 10) -> int:
    """POST the dossier to the province's inbound endpoint, signed; returns the HTTP status."""
    from national.protocol import SIGNATURE_HEADER, signature

    body = json.dumps(dossier.body, ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json", "Authorization": f"Bearer {token}",
        SIGNATURE_HEADER: signature(secret, body)})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (a sandbox URL)
            status, text = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode("utf-8", "replace")
    dossier.taken = 200 <= status < 300
    dossier.answer_status, dossier.answer = status, text[:2000]
    dossier.save(update_fields=["taken", "answer_status", "answer"])
    return status


def inbound_settings() -> dict[str, Any]:
    return {"url": settings.SITE_URL + "/national/inbound/dossiers", "token": settings.NATIONAL_INBOUND_TOKEN,
            "secret": settings.NATIONAL_INBOUND_SECRET}


def demo_papers(procedure_code: str) -> list[tuple[int, str]]:
    """The scanned papers a citizen would have attached on the national portal: every required one
    that the e-form does not stand for (demo: read from the province's catalogue)."""
    from procedures.models import Procedure

    procedure = Procedure.objects.select_related("current_version").filter(code=procedure_code).first()
    if procedure is None or procedure.current_version is None:
        return [(1, "Tờ khai")]
    components = procedure.current_version.components.filter(is_required=True, filled_by_eform=False)
    return [(component.order, component.name) for component in components] or [(1, "Tờ khai")]


def demo_answers(procedure_code: str) -> dict[str, Any]:
    """The e-form answers a citizen would have typed on the national portal (demo values)."""
    from applications.demo import demo_form_data
    from procedures.models import Procedure

    procedure = Procedure.objects.select_related("current_version").filter(code=procedure_code).first()
    if procedure is None or procedure.current_version is None:
        return {}
    return demo_form_data(procedure.current_version)
