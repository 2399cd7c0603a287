"""Content-based upload checks: the bytes decide, never the name."""

import pytest

from django.core.exceptions import ValidationError
from django.core.files.storage import storages

from applications.filing import FilingError, attachment_add, attachments_add
from applications.models import Attachment
from applications.uploads import DOCX, JPEG, PDF, PNG, sanitise_filename, upload_check
from tests.applications.filing.builders import ELF, EXE, docx_bytes, draft_for, image_bytes, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def stored_files() -> list[str]:
    storage = storages["private"]
    try:
        directories, _files = storage.listdir("attachments")
    except FileNotFoundError:
        return []
    return [name for directory in directories for name in storage.listdir(f"attachments/{directory}")[1]]


@pytest.mark.parametrize("name, content, expected", [
    ("scan.pdf", pdf_bytes(), PDF),
    ("anh.jpg", image_bytes("JPEG"), JPEG),
    ("anh.png", image_bytes("PNG"), PNG),
    ("anh-chup.pdf", image_bytes("PNG"), PNG),  # a mislabelled picture is still a picture
])
def test_pdf_jpeg_and_png_are_recognised_from_their_bytes(name, content, expected):
    checked = upload_check(upload(name, content), allows_docx=False)
    assert checked.content_type == expected
    assert checked.size == len(content) and len(checked.sha256) == 64


@pytest.mark.parametrize("name, content, code", [
    ("giay-khai-sinh.pdf", EXE, "executable"),
    ("scan.jpg", ELF, "executable"),
    ("ho-so.pdf", b"#!/bin/sh\nrm -rf /\n", "executable"),
    ("trang.pdf", b"<html><script>alert(1)</script></html>", "executable"),
    ("notes.pdf", b"just some text", "file_type"),
    ("empty.pdf", b"", "empty"),
])
def test_renamed_executables_scripts_and_empty_files_are_refused(name, content, code):
    with pytest.raises(ValidationError) as caught:
        upload_check(upload(name, content), allows_docx=True)
    assert caught.value.code == code


def test_docx_is_accepted_only_where_the_component_allows_it():
    assert upload_check(upload("don.docx", docx_bytes()), allows_docx=True).content_type == DOCX
    with pytest.raises(ValidationError):
        upload_check(upload("don.docx", docx_bytes()), allows_docx=False)


def test_a_macro_enabled_word_file_or_a_plain_zip_is_not_a_docx():
    with pytest.raises(ValidationError):
        upload_check(upload("don.docx", docx_bytes(macros=True)), allows_docx=True)
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", EXE)
    with pytest.raises(ValidationError):
        upload_check(upload("don.docx", buffer.getvalue()), allows_docx=True)


def test_size_and_count_limits_come_from_settings(settings):
    settings.UPLOAD_MAX_FILE_BYTES = 100
    settings.UPLOAD_MAX_DOSSIER_BYTES = 300
    settings.UPLOAD_MAX_FILES_PER_DOSSIER = 3
    with pytest.raises(ValidationError) as caught:
        upload_check(upload("big.pdf", pdf_bytes() + b"0" * 200), allows_docx=False)
    assert caught.value.code == "file_too_large"
    with pytest.raises(ValidationError) as caught:
        upload_check(upload("a.pdf", pdf_bytes()[:90]), allows_docx=False, existing_bytes=250)
    assert caught.value.code == "dossier_too_large"
    with pytest.raises(ValidationError) as caught:
        upload_check(upload("a.pdf", pdf_bytes()[:90]), allows_docx=False, existing_count=3)
    assert caught.value.code == "too_many_files"


@pytest.mark.parametrize("name, content_type, expected", [
    ("../../etc/passwd", PDF, "passwd.pdf"),
    ("C:\\Users\\An\\Giấy khai sinh.exe", PDF, "Giấy khai sinh.pdf"),
    ('a"b<c>.png', PNG, "a_b_c.png"),
    ("", JPEG, "tep.jpg"),
    ("x" * 300 + ".pdf", PDF, "x" * 120 + ".pdf"),
])
def test_file_names_are_sanitised_and_get_the_real_extension(name, content_type, expected):
    assert sanitise_filename(name, content_type) == expected


def test_an_accepted_upload_is_stored_privately_as_the_next_page(settings, version, commune, citizen):
    dossier = draft_for(version, commune, citizen)
    component = version.components.get(is_required=True)

    first = attachment_add(dossier, component, upload("trang1.pdf", pdf_bytes()), by=citizen)
    second, third = attachments_add(dossier, component, [upload("2.jpg", image_bytes("JPEG")),
                                                         upload("3.png", image_bytes("PNG"))], by=citizen)

    assert [first.page, second.page, third.page] == [1, 2, 3]
    assert first.original_name == "trang1.pdf" and first.content_type == PDF and not first.is_digitised
    assert "trang1" not in first.file.name  # random stored name
    assert first.file.storage.location == storages["private"].location  # private, outside MEDIA_ROOT
    assert not str(first.file.path).startswith(str(settings.MEDIA_ROOT))
    assert len(stored_files()) == 3


def test_a_refused_file_in_a_batch_stores_nothing(version, commune, citizen):
    dossier = draft_for(version, commune, citizen)
    component = version.components.get(is_required=True)

    with pytest.raises(ValidationError) as caught:
        attachments_add(dossier, component, [upload("ok.pdf", pdf_bytes()), upload("virus.pdf", EXE)], by=citizen)

    assert "virus.pdf" in caught.value.messages[0]
    assert Attachment.objects.count() == 0
    assert stored_files() == []


def test_too_many_files_counts_what_the_dossier_already_holds(settings, version, commune, citizen):
    settings.UPLOAD_MAX_FILES_PER_DOSSIER = 2
    dossier = draft_for(version, commune, citizen)
    component = version.components.get(is_required=True)
    attachment_add(dossier, component, upload("1.pdf", pdf_bytes()), by=citizen)

    with pytest.raises(ValidationError):
        attachments_add(dossier, component, [upload("2.pdf", pdf_bytes()), upload("3.pdf", pdf_bytes())], by=citizen)
    assert dossier.attachments.count() == 1


def test_a_component_of_another_procedure_is_refused(version, commune, citizen):
    from tests.factories import make_procedure

    other = make_procedure(agency=commune).components.first()
    dossier = draft_for(version, commune, citizen)
    with pytest.raises(FilingError):
        attachment_add(dossier, other, upload("1.pdf", pdf_bytes()), by=citizen)
    assert dossier.attachments.count() == 0
