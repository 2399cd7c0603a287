"""The verification page validates an uploaded PDF's signatures and says in Vietnamese who signed
what and when; pdfsig (poppler) agrees with it."""

from __future__ import annotations

import subprocess

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile

from applications import workflow
from applications.models import Document, DocumentKind, Status
from tests.factories import make_dossier, make_procedure
from tests.vault.conftest import VIETNAMESE_NAME, sample_pdf
from vault import pki
from vault.models import SigningKey
from vault.services import Purpose, sign_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_result(demo_ca, commune, citizen, leader, django_capture_on_commit_callbacks) -> Document:
    version = make_procedure(agency=commune, name="Đăng ký khai sinh")
    dossier = make_dossier(version, commune, citizen, status=Status.PENDING_APPROVAL)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.dossier_approve(dossier, actor=leader, expected_version=dossier.version)
    return Document.objects.get(dossier=dossier, kind=DocumentKind.RESULT)


def _pdfsig_valid(data: bytes, tmp_path) -> bool:
    path = tmp_path / "upload.pdf"
    path.write_bytes(data)
    output = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    return "Signature is Valid" in output


def _check(client, document: Document, data: bytes, django_assert_max_num_queries) -> str:
    with django_assert_max_num_queries(6):
        response = client.post(f"/verify/{document.verify_token}/",
                               {"file": SimpleUploadedFile("ket-qua.pdf", data, content_type="application/pdf")})
    assert response.status_code == 200
    return response.content.decode()


def test_the_signed_result_is_valid_and_says_who_signed_it(
    client, signed_result, tmp_path, django_assert_max_num_queries,
):
    data = signed_result.file.read()

    page = _check(client, signed_result, data, django_assert_max_num_queries)

    assert "Chữ ký số hợp lệ." in page and "Trùng khớp" in page
    assert f"Người ký: {VIETNAMESE_NAME} (UBND xã An Phú)" in page
    assert "PAdES B-LT" in page
    assert _pdfsig_valid(data, tmp_path)
    assert VIETNAMESE_NAME in client.get(f"/verify/{signed_result.verify_token}/").content.decode()


def test_a_result_modified_after_signing_fails_here_and_in_pdfsig(
    client, signed_result, tmp_path, django_assert_max_num_queries,
):
    data = bytearray(signed_result.file.read())
    at = data.index(b"/MediaBox") + 11  # a digit of the page size, in the signed revision
    data[at:at + 1] = b"6" if data[at:at + 1] != b"6" else b"7"

    page = _check(client, signed_result, bytes(data), django_assert_max_num_queries)

    assert "Chữ ký số không hợp lệ." in page and "đã bị thay đổi sau khi ký" in page
    assert "Không trùng khớp" in page
    assert not _pdfsig_valid(bytes(data), tmp_path)


def test_a_pdf_signed_by_an_unknown_ca_is_reported_untrusted(
    client, signed_result, commune, settings, tmp_path, django_assert_max_num_queries,
):
    # Signed by a CA this portal does not trust: another demo CA in another folder.
    settings.VAULT_DEMO_DIR = tmp_path / "stranger"
    stranger = pki.demo_ca_create(settings.VAULT_DEMO_DIR, crl_url="http://127.0.0.1:9/crl")
    key = SigningKey.objects.get(agency=commune, purpose="one_stop")
    key.pkcs12_path = str(pki.certificate_issue(stranger, file_stem="stranger", common_name="Người lạ",
                                                organization="Không rõ"))
    key.secret_file = str(stranger.password_file)
    key.save()
    settings.VAULT_TRUST_DEMO_CA = False  # signing needs the stranger trusted; verification then does not
    settings.VAULT_TRUST_ROOTS = [str(stranger.root_path)]
    data = sign_pdf(sample_pdf(), agency=commune, purpose=Purpose.SLIP)
    settings.VAULT_TRUST_ROOTS = []
    settings.VAULT_TRUST_DEMO_CA = True
    settings.VAULT_DEMO_DIR = tmp_path / "vault-demo"

    page = _check(client, signed_result, data, django_assert_max_num_queries)

    assert "không do tổ chức chứng thực được tin cậy cấp" in page and "Người lạ" in page
    assert "Chữ ký số không hợp lệ." in page


def test_an_unsigned_pdf_says_so(client, signed_result, django_assert_max_num_queries):
    page = _check(client, signed_result, sample_pdf(), django_assert_max_num_queries)

    assert "Tệp không có chữ ký số." in page
