"""Dossiers filed on the national portal arrive over HTTP, are filed like a web filing, land in the
agency's "new" queue once however often they are sent, and what cannot be filed is parked for the admin."""

from __future__ import annotations

import base64
import json

import pytest

from django.urls import reverse

from applications.models import Attachment, Channel, Dossier, Status
from national.inbound import InboundProblem, inbound_receive
from national.models import InboundDossier, InboundState
from national.protocol import SIGNATURE_HEADER, signature
from sandbox import national as sandbox_national
from sandbox.models import NationalPortalDossier, NationalPortalPush
from tests.factories import make_procedure

PDF = sandbox_national.DEMO_PDF


def national_dossier(version, agency, **changes) -> dict:
    body = {
        "MaHoSo": "G22.99-261201-000123", "MaTTHC": version.procedure.code, "MaDonVi": agency.eid_code,
        "KenhThucHien": 2, "NgayNopHoSo": "20261201090000",
        "ChuHoSo": {"HoTen": "Trần Thị Bình", "DinhDanhCHS": "001090000123", "LoaiDinhDanh": 1,
                    "SoDienThoai": "0912345678", "Email": "binh@example.vn", "DiaChi": "Thôn Phú Lộc"},
        "TaiKhoanDuocXacThucVoiVNeID": 1,
        "DuLieuToKhai": {"child_name": "Trần Văn An", "birth_date": "2026-11-20"},
        "TaiLieuNop": [{"TenTaiLieu": "Tờ khai đăng ký khai sinh", "ThuTuThanhPhan": 1, "TenTepDinhKem": "to-khai.pdf",
                        "NoiDungBase64": base64.b64encode(PDF).decode(), "DuocSoHoa": 1}],
        "DanhSachLePhi": [{"TenPhiLePhi": "Lệ phí", "SoTien": 8000}], "DuocThanhToanTrucTuyen": 1,
    }
    body.update(changes)
    return body


def post_signed(client, body: dict, *, token: str = "test-inbound-token", secret: str = "test-inbound-secret"):
    raw = json.dumps(body).encode()
    return client.post(reverse("national:inbound"), raw, content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {token}", **{"HTTP_" + SIGNATURE_HEADER.upper().replace("-", "_"):
                                                                signature(secret, raw)})


@pytest.fixture
def inbound_keys(settings):
    settings.NATIONAL_INBOUND_TOKEN = "test-inbound-token"
    settings.NATIONAL_INBOUND_SECRET = "test-inbound-secret"


@pytest.fixture
def version(commune):
    return make_procedure(agency=commune, time_value=3)


@pytest.mark.django_db
def test_a_national_dossier_becomes_one_dossier_in_the_agencys_new_queue(client, inbound_keys, version, commune,
                                                                         officer):
    body = national_dossier(version, commune)

    first = post_signed(client, body)
    again = post_signed(client, body)

    assert first.status_code == 201 and again.status_code == 200
    dossier = Dossier.objects.get()
    assert first.json()["MaHoSoTinh"] == again.json()["MaHoSoTinh"] == dossier.code
    assert dossier.status == Status.SUBMITTED and dossier.channel == Channel.NATIONAL
    assert dossier.national_code == body["MaHoSo"] and dossier.agency == commune
    assert dossier.applicant_eid_verified and dossier.fee_amount == 8000
    assert dossier.form_data["child_name"] == "Trần Văn An"
    attachment = Attachment.objects.get(dossier=dossier)
    assert attachment.is_digitised and attachment.content_type == "application/pdf"
    assert attachment.file.open().read() == PDF
    with pytest.raises(ValueError):  # private storage: no public media URL
        attachment.file.storage.url(attachment.file.name)
    client.force_login(officer)
    queue = client.get(reverse("applications:officer-home") + "?queue=new")
    assert dossier.code in queue.content.decode()


@pytest.mark.django_db
def test_a_wrong_token_or_signature_is_refused_and_stores_nothing(client, inbound_keys, version, commune):
    body = national_dossier(version, commune)

    assert post_signed(client, body, token="guess").status_code == 401
    assert post_signed(client, body, secret="guess").status_code == 401
    assert client.post(reverse("national:inbound"), body, content_type="application/json").status_code == 401
    assert not InboundDossier.objects.exists() and not Dossier.objects.exists()


@pytest.mark.django_db
def test_an_unknown_procedure_is_parked_then_filed_from_the_admin_once_the_catalogue_has_it(
    client, inbound_keys, version, commune, admin_user
):
    body = national_dossier(version, commune, MaTTHC="2.000815")

    response = post_signed(client, body)

    assert response.status_code == 202 and "2.000815" in response.json()["LyDo"]
    row = InboundDossier.objects.get()
    assert row.state == InboundState.PARKED and not Dossier.objects.exists()
    make_procedure(code="2.000815", agency=commune)
    client.force_login(admin_user)
    listing = client.get("/admin/national/inbounddossier/")
    assert listing.status_code == 200 and "2.000815" in listing.content.decode()
    client.post("/admin/national/inbounddossier/", {"action": "reprocess", "_selected_action": [row.pk]})
    row.refresh_from_db()
    assert row.state == InboundState.FILED and row.dossier.procedure_version.procedure.code == "2.000815"


@pytest.mark.django_db
@pytest.mark.parametrize("changes, reason", [
    ({"MaDonVi": "H99.99.99"}, "H99.99.99"),
    ({"ChuHoSo": {"HoTen": "Trần Thị Bình", "DinhDanhCHS": "12ab"}}, "DinhDanhCHS"),
    ({"TaiLieuNop": [{"TenTepDinhKem": "setup.pdf", "ThuTuThanhPhan": 1,
                      "NoiDungBase64": base64.b64encode(b"MZ\x90\x00" + b"\x00" * 64).decode()}]}, "setup.pdf"),
    ({"TaiLieuNop": [{"TenTepDinhKem": "x.pdf", "ThuTuThanhPhan": 1, "NoiDungBase64": "%%%"}]}, "base64"),
    ({"TaiLieuNop": [{"TenTepDinhKem": "x.pdf", "DuongDanTaiTep": "http://169.254.169.254/latest"}]}, "169.254"),
    ({"DuLieuToKhai": {}}, "Tờ khai"),
])
def test_invalid_national_dossiers_are_parked_with_the_reason_and_leave_nothing_half_written(
    inbound_keys, version, commune, changes, reason
):
    row, filed = inbound_receive(national_dossier(version, commune, **changes))

    assert not filed and row.state == InboundState.PARKED and reason in row.reason
    assert not Dossier.objects.exists() and not Attachment.objects.exists()


@pytest.mark.django_db
def test_a_body_without_a_national_code_is_refused(inbound_keys, version, commune):
    with pytest.raises(InboundProblem):
        inbound_receive(national_dossier(version, commune, MaHoSo=""))


@pytest.mark.django_db(transaction=True)
def test_the_local_national_portal_sends_a_dossier_in_over_http_with_its_paper_by_url(national_portal, version,
                                                                                      commune):
    sent = sandbox_national.demo_dossier(
        procedure_code=version.procedure.code, agency_code=commune.eid_code,
        file_url=national_portal.url + "/sandbox/national/api/files/to-khai.pdf")
    sent.body["DuLieuToKhai"] = {"child_name": "Trần Văn An", "birth_date": "2026-11-20"}
    sent.save()
    target = sandbox_national.inbound_settings()

    status = sandbox_national.send_in(sent, url=target["url"], token=target["token"], secret=target["secret"])

    assert status == 201, sent.answer
    dossier = Dossier.objects.get(national_code=sent.national_code)
    assert dossier.channel == Channel.NATIONAL and dossier.attachments.get().file.open().read() == PDF
    assert NationalPortalDossier.objects.get().taken


@pytest.mark.django_db(transaction=True)
def test_the_national_portals_desk_sends_a_demo_dossier_and_flips_its_switch(national_portal, commune):
    make_procedure(code="1.001193", agency=commune)
    desk = national_portal.client

    sent = desk.post(reverse("sandbox:national"), {"action": "send", "procedure_code": "1.001193",
                                                   "agency_code": commune.eid_code})
    switched = desk.post(reverse("sandbox:national"), {"action": "down"})

    assert sent.status_code == 302 and switched.status_code == 302
    dossier = Dossier.objects.get(channel=Channel.NATIONAL)
    assert NationalPortalDossier.objects.get().answer_status == 201 and dossier.status == Status.SUBMITTED
    # The submission's status change went back to the national record under the national code.
    assert NationalPortalPush.objects.filter(national_code=dossier.national_code, status_code=1).exists()
    assert dossier.national_code in desk.get(reverse("sandbox:national")).content.decode()
    assert sandbox_national.switch().mode == "down"


@pytest.mark.django_db
def test_the_demo_files_a_dossier_from_the_national_portal_once(commune):
    from national import demo

    make_procedure(code=demo.DEMO_PROCEDURE, agency=commune)

    assert demo.seed() and demo.seed() == []
    assert Dossier.objects.get(channel=Channel.NATIONAL).agency == commune


@pytest.mark.django_db(transaction=True)
def test_pull_mode_takes_the_national_portals_new_dossiers_and_acknowledges_them(national_portal, version, commune,
                                                                                settings):
    from national.inbound import inbound_pull

    settings.NATIONAL_INBOUND_MODE = "pull"
    waiting = sandbox_national.demo_dossier(procedure_code=version.procedure.code, agency_code=commune.eid_code,
                                            answers={"child_name": "Trần Văn An", "birth_date": "2026-11-20"})

    assert inbound_pull() == 1
    assert inbound_pull() == 0  # acknowledged: the national portal does not offer it again

    waiting.refresh_from_db()
    assert waiting.taken and Dossier.objects.get().national_code == waiting.national_code


@pytest.mark.django_db(transaction=True)
def test_the_same_dossier_sent_twice_at_the_same_moment_makes_one(national_portal, version, commune):
    import threading
    import urllib.error
    import urllib.request

    raw = json.dumps(national_dossier(version, commune)).encode()
    headers = {"Content-Type": "application/json", "Authorization": "Bearer test-inbound-token",
               SIGNATURE_HEADER: signature("test-inbound-secret", raw)}
    statuses: list[int] = []
    gate = threading.Barrier(3)

    def send() -> None:
        request = urllib.request.Request(national_portal.url + reverse("national:inbound"), data=raw, headers=headers)
        gate.wait()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                statuses.append(response.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)

    threads = [threading.Thread(target=send) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200, 200, 201]
    assert Dossier.objects.count() == 1 and InboundDossier.objects.count() == 1
    assert Attachment.objects.count() == 1


@pytest.mark.django_db
def test_a_national_paper_carrying_malware_is_parked_and_nothing_is_stored(clamd, inbound_keys, version, commune):
    # Papers from the national portal go through the same scan as uploads (issue 18): a PDF carrying the
    # EICAR test string is refused, the dossier is parked with the reason, and no file or row is kept.
    from tests.support.clamd import EICAR

    infected = b"%PDF-1.4\n" + EICAR + b"\n%%EOF\n"
    row, filed = inbound_receive(national_dossier(version, commune, TaiLieuNop=[
        {"TenTepDinhKem": "to-khai.pdf", "ThuTuThanhPhan": 1, "NoiDungBase64": base64.b64encode(infected).decode()},
    ]))

    assert not filed and row.state == InboundState.PARKED and "to-khai.pdf" in row.reason
    assert "mã độc" in row.reason, row.reason
    assert not Dossier.objects.exists() and not Attachment.objects.exists()
