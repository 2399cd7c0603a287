"""Blank forms (tờ khai) generated as minimal DOCX files, so the demo ships downloadable templates
without binary files in the repository. A DOCX is a zip of three XML parts; Word, LibreOffice and
Google Docs open it."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _paragraph(text: str, *, bold: bool = False, center: bool = False, size: int = 26) -> str:
    props = ('<w:jc w:val="center"/>' if center else "")
    run_props = f'<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman"/>{"<w:b/>" if bold else ""}' \
        f'<w:sz w:val="{size}"/>'
    return (
        f"<w:p><w:pPr>{props}</w:pPr><w:r><w:rPr>{run_props}</w:rPr>"
        f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'
    )


def blank_form_docx(title: str, lines: list[str], *, footer: str = "") -> bytes:
    """A one-page form: the national motto, the title, then one dotted line per entry."""
    body = [
        _paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, center=True),
        _paragraph("Độc lập - Tự do - Hạnh phúc", bold=True, center=True),
        _paragraph(""),
        _paragraph(title.upper(), bold=True, center=True, size=28),
        _paragraph("Kính gửi: Ủy ban nhân dân xã ..................................................", center=True),
        _paragraph(""),
    ]
    body += [_paragraph(f"{line}: " + "." * max(10, 80 - len(line))) for line in lines]
    body += [
        _paragraph(""),
        _paragraph("Tôi cam đoan những nội dung khai trên đây là đúng sự thật và chịu trách nhiệm trước pháp luật "
                   "về cam đoan của mình."),
        _paragraph("Làm tại: .................., ngày ..... tháng ..... năm ........"),
        _paragraph("Người yêu cầu (ký, ghi rõ họ, chữ đệm, tên)", bold=True, center=True),
    ]
    if footer:
        body.append(_paragraph(footer, size=20))
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{_NS}"><w:body>'
        + "".join(body)
        + "</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()
