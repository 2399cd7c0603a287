"""Checks on uploaded papers before anything is stored.

The type comes from the file's first bytes, never from its name or the browser's header: a
renamed executable is refused whatever it is called. Sizes and counts come from settings. Last,
ClamAV scans the file (portal/lib/clamav.py): infected is refused; a scanner that is down or slow
leaves the file to be stored in quarantine ("quarantined"), with no scanner configured "unscanned".
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from portal.lib.clamav import ScannerUnavailable, scan_file, scanner_enabled

logger = logging.getLogger(__name__)

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png", DOCX: ".docx"}
# Shown inline in the browser; everything else downloads.
INLINE_TYPES = {PDF, JPEG, PNG}

# Signatures of things that run: Windows PE, ELF, Mach-O, Java classes, shell/script shebangs.
_EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xcf\xfa\xed\xfe",
                     b"\xce\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!")
_SCRIPT_HINTS = (b"<script", b"<?php", b"<html", b"<!doctype", b"<svg")
_UNSAFE_NAME_CHARS = re.compile(r"[^\w.\- ()]+", re.UNICODE)
_NAME_MAX = 120
_HEAD_BYTES = 2048


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    size: int
    sha256: str
    safe_name: str
    scan_status: str = "unscanned"


CLEAN, QUARANTINED, UNSCANNED = "clean", "quarantined", "unscanned"  # applications.models.ScanStatus


def malware_scan(uploaded_file: UploadedFile, *, sha256: str) -> str:
    """CLEAN, QUARANTINED (the scanner could not give a verdict now) or UNSCANNED (scanning is off);
    ValidationError when the file is infected."""
    if not scanner_enabled():
        return UNSCANNED
    try:
        result = scan_file(uploaded_file)
    except ScannerUnavailable as exc:
        logger.warning("malware scan unavailable, file %s goes to quarantine: %s", sha256[:16], exc)
        return QUARANTINED
    if result.infected:
        logger.warning("malware refused at upload: %s (file %s)", result.signature, sha256[:16])
        raise ValidationError(_("Tệp có chứa mã độc (virus) nên không được nhận. Vui lòng quét virus trên máy của "
                                "bạn và tải lên bản sạch của giấy tờ."), code="infected")
    return CLEAN


def _head(uploaded_file: UploadedFile) -> bytes:
    uploaded_file.seek(0)
    head = uploaded_file.read(_HEAD_BYTES)
    uploaded_file.seek(0)
    return head


def _is_docx(uploaded_file: UploadedFile) -> bool:
    """A Word document is a zip holding [Content_Types].xml and a word/ folder, without macros."""
    try:
        uploaded_file.seek(0)
        with zipfile.ZipFile(uploaded_file) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        uploaded_file.seek(0)
    has_word = any(name.startswith("word/") for name in names)
    has_macros = any(name.lower().endswith("vbaproject.bin") for name in names)
    return "[Content_Types].xml" in names and has_word and not has_macros


def sniff_content_type(uploaded_file: UploadedFile, *, allows_docx: bool = False) -> str | None:
    """The accepted type the content really is, or None."""
    head = _head(uploaded_file)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if allows_docx and head.startswith(b"PK\x03\x04") and _is_docx(uploaded_file):
        return DOCX
    return None


def looks_executable(uploaded_file: UploadedFile) -> bool:
    head = _head(uploaded_file)
    lowered = head[:512].lstrip().lower()
    return head.startswith(_EXECUTABLE_MAGIC) or lowered.startswith(_SCRIPT_HINTS)


def sanitise_filename(name: str, content_type: str) -> str:
    """A display name safe in headers and on disk, with the extension of the real content type.

    "../../etc/passwd" → "passwd.pdf"; "Giấy khai sinh.exe" (a PDF inside) → "Giấy khai sinh.pdf".
    """
    base = PurePath(unicodedata.normalize("NFC", name or "").replace("\\", "/")).name
    stem = base.rsplit(".", 1)[0] if "." in base.strip(".") else base
    stem = _UNSAFE_NAME_CHARS.sub("_", stem).strip(" ._") or _("tep")
    return stem[:_NAME_MAX] + EXTENSIONS[content_type]


def _sha256(uploaded_file: UploadedFile) -> str:
    digest = hashlib.sha256()
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    return digest.hexdigest()


def allowed_types_text(allows_docx: bool) -> str:
    return "PDF, JPG, PNG" + (", DOCX" if allows_docx else "")


def upload_check(
    uploaded_file: UploadedFile, *, allows_docx: bool, existing_count: int = 0, existing_bytes: int = 0
) -> CheckedUpload:
    """Refuse (ValidationError, Vietnamese) anything empty, too big, too many, or of the wrong type.

    `existing_count` and `existing_bytes` are what the dossier already holds (including files
    accepted earlier in the same request)."""
    size = uploaded_file.size or 0
    if size == 0:
        raise ValidationError(_("Tệp rỗng, không có nội dung."), code="empty")
    if size > settings.UPLOAD_MAX_FILE_BYTES:
        raise ValidationError(
            _("Tệp quá lớn: tối đa %(limit)s mỗi tệp.") % {"limit": filesizeformat(settings.UPLOAD_MAX_FILE_BYTES)},
            code="file_too_large",
        )
    if existing_count + 1 > settings.UPLOAD_MAX_FILES_PER_DOSSIER:
        raise ValidationError(
            _("Hồ sơ đã có tối đa %(limit)s tệp.") % {"limit": settings.UPLOAD_MAX_FILES_PER_DOSSIER},
            code="too_many_files",
        )
    if existing_bytes + size > settings.UPLOAD_MAX_DOSSIER_BYTES:
        raise ValidationError(
            _("Tổng dung lượng hồ sơ vượt quá %(limit)s.") % {"limit": filesizeformat(settings.UPLOAD_MAX_DOSSIER_BYTES)},
            code="dossier_too_large",
        )
    content_type = sniff_content_type(uploaded_file, allows_docx=allows_docx)
    if content_type is None:
        if looks_executable(uploaded_file):
            raise ValidationError(
                _("Tệp là chương trình hoặc mã chạy được, không phải giấy tờ. Hệ thống không nhận loại tệp này."),
                code="executable",
            )
        raise ValidationError(
            _("Loại tệp không được chấp nhận. Chỉ nhận: %(types)s (kiểm tra theo nội dung tệp, không theo tên).")
            % {"types": allowed_types_text(allows_docx)},
            code="file_type",
        )
    sha256 = _sha256(uploaded_file)
    return CheckedUpload(
        content_type=content_type, size=size, sha256=sha256,
        safe_name=sanitise_filename(uploaded_file.name or "", content_type),
        scan_status=malware_scan(uploaded_file, sha256=sha256),
    )
