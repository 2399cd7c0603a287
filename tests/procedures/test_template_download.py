import io
import zipfile
from urllib.parse import unquote

import pytest

from procedures.models import Component

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _form_component(code: str) -> Component:
    return Component.objects.exclude(template_file="").get(version__procedure__code=code)


def test_blank_form_downloads_as_docx_with_its_vietnamese_name(client, catalogue):
    component = _form_component("1.001193")

    response = client.get(f"/procedures/1.001193/components/{component.pk}/template/")

    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert 'filename="to_khai_dang_ky_khai_sinh.docx"' in disposition
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "Tờ_khai_đăng_ký_khai_sinh.docx"
    document = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).read("word/document.xml")
    assert "TỜ KHAI ĐĂNG KÝ KHAI SINH" in document.decode()
    assert "Họ, chữ đệm, tên của trẻ" in document.decode()


def test_component_without_template_gives_404(client, catalogue):
    component = Component.objects.get(version__procedure__code="1.001193", name__startswith="Giấy chứng sinh")

    assert client.get(f"/procedures/1.001193/components/{component.pk}/template/").status_code == 404


def test_template_of_another_procedure_gives_404(client, catalogue):
    component = _form_component("1.001193")

    assert client.get(f"/procedures/1.004873/components/{component.pk}/template/").status_code == 404


def test_unknown_component_gives_404(client, catalogue):
    assert client.get("/procedures/1.001193/components/999999/template/").status_code == 404


def test_missing_file_on_disk_gives_404_not_500(client, catalogue):
    component = _form_component("1.001193")
    component.template_file.storage.delete(component.template_file.name)

    assert client.get(f"/procedures/1.001193/components/{component.pk}/template/").status_code == 404
