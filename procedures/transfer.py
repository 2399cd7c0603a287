"""Move the whole catalogue as JSON (`manage.py export_procedures` / `import_procedures`).

Format (version 1):

    {"format": "dvc-catalogue", "format_version": 1,
     "sectors": [{"code", "name", "order"}],
     "legal_documents": [{"number", "title", "issued_on": "YYYY-MM-DD" | null, "issuer"}],
     "document_types": [{"code", "name", "validity_months": <int> | null, "order"}],
     "procedures": [{"code", "sector": <sector code>, "implementing_level", "is_published",
                     "current_version": <number> | null,
                     "versions": [{"number", "status", "effective_from", ..., "receiving_agencies": [<eid>],
                                   "legal_documents": [<number>], "components": [...], "fees": [...],
                                   "form_fields": [...]}]}]}

A version's "result_document_type" and a component's "document_type" are document-type codes (or
null), so matching a citizen's stored papers survives a move; files without "document_types" still import.

Blank templates travel inside the file: a component's "template" is {"name": "to-khai.docx",
"content_base64": "..."} or null, so one file restores everything.

Import validates every record first; any error (reported as "procedures[3].versions[0].fees[1].amount:
phải là số nguyên không âm") and nothing is written. Rows are matched by natural key (sector code,
legal document number, procedure code, version number): existing sectors, documents and procedures are
updated, existing versions are kept as they are (they may bind dossiers) and new versions are added.
"""

from __future__ import annotations

import base64
import binascii
import os
from datetime import date, datetime, time
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Model, Prefetch
from django.utils.dateparse import parse_date, parse_datetime, parse_time

from accounts.models import Agency
from procedures.cache import catalogue_changed
from procedures.models import (
    CONTACT_BINDINGS,
    Component,
    DocumentType,
    Fee,
    FeeBasis,
    FeeChannel,
    FeeCondition,
    FeeKind,
    FieldType,
    FiledFor,
    FormField,
    ImplementingLevel,
    LegalDocument,
    Procedure,
    ProcedureVersion,
    ProfileBinding,
    ResultType,
    Sector,
    ServiceLevel,
    VersionStatus,
)
from procedures.services import procedure_refresh
from workdays.constants import TimeUnit

FORMAT = "dvc-catalogue"
FORMAT_VERSION = 1

VERSION_TEXT = [
    "decision_number", "name", "partial_reason", "competent_authority", "coordinating_agencies", "steps",
    "conditions", "result_name", "result_template", "extension_basis",
]
VERSION_FLAGS = [
    "channel_in_person", "channel_online", "channel_post", "for_citizen", "for_business", "for_organisation",
    "payment_online", "result_by_post",
]
COMPONENT_FIELDS = ["order", "name", "originals", "copies", "is_required", "notes", "allows_docx", "filled_by_eform"]
FEE_FIELDS = [
    "order", "kind", "name", "amount", "basis", "channel", "page_from", "page_to", "cap", "condition",
    "condition_field", "condition_days", "is_exemptible", "exemption_text", "legal_basis", "effective_from",
    "effective_to",
]
FORM_FIELD_FIELDS = [
    "section", "order", "key", "label", "label_en", "help_text", "help_text_en", "field_type", "is_required",
    "choices", "min_length", "max_length", "min_value", "max_value", "pattern", "pattern_message", "prefill",
    "editable_when_verified",
]


class CatalogueError(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


# --- Export --------------------------------------------------------------------------------


def _iso(value: date | datetime | time | None) -> str | None:
    if value is None:
        return None
    return value.strftime("%H:%M") if isinstance(value, time) else value.isoformat()


def _template(component: Component) -> dict | None:
    if not component.template_file:
        return None
    with component.template_file.open("rb") as handle:
        content = handle.read()
    return {"name": os.path.basename(component.template_file.name), "content_base64": base64.b64encode(content).decode()}


def _version_export(version: ProcedureVersion) -> dict:
    data: dict[str, Any] = {
        "number": version.number, "status": version.status, "effective_from": _iso(version.effective_from),
        "published_at": _iso(version.published_at), "service_level": version.service_level,
        "result_type": version.result_type, "filed_for": version.filed_for,
        "processing_time_value": version.processing_time_value,
        "processing_time_unit": version.processing_time_unit, "cutoff_time": _iso(version.cutoff_time),
        "extension_max_days": version.extension_max_days,
    }
    data.update({name: getattr(version, name) for name in VERSION_TEXT + VERSION_FLAGS})
    data["receiving_agencies"] = [agency.eid_code for agency in version.receiving_agencies.all()]
    data["legal_documents"] = [document.number for document in version.legal_documents.all()]
    data["result_document_type"] = version.result_document_type.code if version.result_document_type else None
    data["components"] = [
        {**{name: getattr(c, name) for name in COMPONENT_FIELDS}, "template": _template(c),
         "document_type": c.document_type.code if c.document_type else None}
        for c in version.components.all()
    ]
    data["fees"] = [
        {name: _iso(v) if isinstance(v, date) else v for name in FEE_FIELDS for v in [getattr(fee, name)]}
        for fee in version.fees.all()
    ]
    data["form_fields"] = [{name: getattr(f, name) for name in FORM_FIELD_FIELDS} for f in version.form_fields.all()]
    return data


def catalogue_export() -> dict:
    """The whole catalogue as JSON-ready data (see the module docstring)."""
    versions = ProcedureVersion.objects.order_by("number").select_related("result_document_type").prefetch_related(
        "receiving_agencies", "legal_documents", Prefetch("components", Component.objects.select_related("document_type")),
        "fees", "form_fields",
    )
    procedures = Procedure.objects.select_related("sector", "current_version").prefetch_related(
        Prefetch("versions", queryset=versions)
    )
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "sectors": [{"code": s.code, "name": s.name, "order": s.order} for s in Sector.objects.all()],
        "legal_documents": [
            {"number": d.number, "title": d.title, "issued_on": _iso(d.issued_on), "issuer": d.issuer}
            for d in LegalDocument.objects.order_by("number")
        ],
        "document_types": [
            {"code": t.code, "name": t.name, "validity_months": t.validity_months, "order": t.order}
            for t in DocumentType.objects.order_by("code")
        ],
        "procedures": [
            {
                "code": p.code, "sector": p.sector.code, "implementing_level": p.implementing_level,
                "is_published": p.is_published,
                "current_version": p.current_version.number if p.current_version else None,
                "versions": [_version_export(v) for v in p.versions.all()],
            }
            for p in procedures
        ],
    }


# --- Validation ----------------------------------------------------------------------------

NON_NEGATIVE_INT = "phải là số nguyên không âm"
REQUIRED_TEXT = "bắt buộc, phải là chuỗi ký tự không rỗng"


class _Checker:
    """Collects "path: message" errors while reading raw JSON values into clean Python values."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}")

    def records(self, data: dict, key: str, path: str = "") -> list[dict]:
        value = data.get(key, [])
        where = f"{path}.{key}" if path else key
        if not isinstance(value, list):
            self.error(where, "phải là một danh sách")
            return []
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                self.error(f"{where}[{index}]", "phải là một đối tượng JSON")
        return value

    def text(self, record: dict, key: str, path: str, model: type[Model], *, required: bool = False,
             field: str | None = None, max_length: int | None = None) -> str:
        """A string for `model`'s field `field` (default `key`), no longer than the column allows
        (or than `max_length`, when the caller knows a tighter limit)."""
        if max_length is None:
            max_length = model._meta.get_field(field or key).max_length
        value = record.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.error(f"{path}.{key}", REQUIRED_TEXT if required else "phải là chuỗi ký tự")
            return ""
        if max_length and len(value) > max_length:
            self.error(f"{path}.{key}", f"dài quá {max_length} ký tự")
        return value

    def integer(self, record: dict, key: str, path: str, *, required: bool = False, default: int | None = 0):
        value = record.get(key)
        if value is None and not required:
            return default
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.error(f"{path}.{key}", NON_NEGATIVE_INT)
            return default
        return value

    def flag(self, record: dict, key: str, path: str, default: bool) -> bool:
        value = record.get(key, default)
        if not isinstance(value, bool):
            self.error(f"{path}.{key}", "phải là true hoặc false")
            return default
        return value

    def choice(self, record: dict, key: str, path: str, choices, default: str | None = None) -> str:
        value = record.get(key, default)
        allowed = [c for c, _label in choices]
        if value not in allowed:
            self.error(f"{path}.{key}", "phải là một trong: " + ", ".join(allowed))
            return allowed[0]
        return value

    def day(self, record: dict, key: str, path: str, *, required: bool = False) -> date | None:
        value = record.get(key)
        if value is None and not required:
            return None
        parsed = parse_date(value) if isinstance(value, str) else None
        if parsed is None:
            self.error(f"{path}.{key}", "phải là ngày dạng YYYY-MM-DD")
        return parsed


def _check_kind(check: _Checker, raw: dict, key: str, path: str, kinds: set[str]) -> str | None:
    """A document-type code named by a version or a component: null, or one in the file or the database."""
    code = raw.get(key)
    if code is not None and code not in kinds:
        check.error(f"{path}.{key}", f"không có loại giấy tờ mã {code!r}")
        return None
    return code


def _check_version(
    check: _Checker, raw: dict, path: str, agencies: dict, documents: set[str], procedure_code: str,
    kinds: set[str],
) -> dict:
    version: dict[str, Any] = {
        "number": check.integer(raw, "number", path, required=True),
        "status": check.choice(raw, "status", path, VersionStatus.choices, VersionStatus.DRAFT),
        "effective_from": check.day(raw, "effective_from", path, required=True),
        "service_level": check.choice(raw, "service_level", path, ServiceLevel.choices),
        "result_type": check.choice(raw, "result_type", path, ResultType.choices, ResultType.BOTH),
        "filed_for": check.choice(raw, "filed_for", path, FiledFor.choices, FiledFor.SELF),
        "processing_time_value": check.integer(raw, "processing_time_value", path),
        "extension_max_days": check.integer(raw, "extension_max_days", path),
        "processing_time_unit": check.choice(
            raw, "processing_time_unit", path, TimeUnit.choices, TimeUnit.WORKING_DAYS
        ),
    }
    if version["number"] == 0:
        check.error(f"{path}.number", "phải lớn hơn 0")
    published_at = raw.get("published_at")
    version["published_at"] = parse_datetime(published_at) if isinstance(published_at, str) else None
    if published_at is not None and version["published_at"] is None:
        check.error(f"{path}.published_at", "phải là thời điểm ISO 8601")
    cutoff = raw.get("cutoff_time")
    version["cutoff_time"] = parse_time(cutoff) if isinstance(cutoff, str) else None
    if cutoff is not None and version["cutoff_time"] is None:
        check.error(f"{path}.cutoff_time", "phải là giờ dạng HH:MM")
    for name in VERSION_TEXT:
        version[name] = check.text(raw, name, path, ProcedureVersion, required=name == "name")
    for name in VERSION_FLAGS:
        version[name] = check.flag(raw, name, path, default=name in ("channel_in_person", "channel_online",
                                                                      "for_citizen", "payment_online",
                                                                      "result_by_post"))
    version["result_document_type"] = _check_kind(check, raw, "result_document_type", path, kinds)
    version["receiving_agencies"] = []
    for index, eid in enumerate(raw.get("receiving_agencies") or []):
        if eid not in agencies:
            check.error(f"{path}.receiving_agencies[{index}]", f"không có cơ quan mã {eid!r}")
        else:
            version["receiving_agencies"].append(agencies[eid])
    version["legal_documents"] = list(raw.get("legal_documents") or [])
    for index, number in enumerate(version["legal_documents"]):
        if number not in documents:
            check.error(f"{path}.legal_documents[{index}]", f"không có văn bản số {number!r}")
    version["components"] = [
        _check_component(check, item, f"{path}.components[{i}]", procedure_code, kinds)
        for i, item in enumerate(check.records(raw, "components", path)) if isinstance(item, dict)
    ]
    version["fees"] = [
        _check_fee(check, item, f"{path}.fees[{i}]")
        for i, item in enumerate(check.records(raw, "fees", path)) if isinstance(item, dict)
    ]
    version["form_fields"] = [
        _check_form_field(check, item, f"{path}.form_fields[{i}]")
        for i, item in enumerate(check.records(raw, "form_fields", path)) if isinstance(item, dict)
    ]
    keys = [f["key"] for f in version["form_fields"]]
    for index, key in enumerate(keys):
        if key and keys.index(key) != index:
            check.error(f"{path}.form_fields[{index}].key", f"trùng mã trường {key!r}")
    return version


def _check_component(check: _Checker, raw: dict, path: str, procedure_code: str, kinds: set[str]) -> dict:
    component = {
        "order": check.integer(raw, "order", path),
        "name": check.text(raw, "name", path, Component, required=True),
        "originals": check.integer(raw, "originals", path),
        "copies": check.integer(raw, "copies", path),
        "is_required": check.flag(raw, "is_required", path, True),
        "notes": check.text(raw, "notes", path, Component),
        "allows_docx": check.flag(raw, "allows_docx", path, False),
        "filled_by_eform": check.flag(raw, "filled_by_eform", path, False),
        "document_type": _check_kind(check, raw, "document_type", path, kinds),
        "template": None,
    }
    template = raw.get("template")
    if template is not None:
        if not isinstance(template, dict):
            check.error(f"{path}.template", "phải là đối tượng {name, content_base64} hoặc null")
            return component
        # The file is stored as <upload_to>/<procedure code>/<name>, and the whole path must fit the column.
        stored = Component._meta.get_field("template_file")
        room = stored.max_length - len(f"{stored.upload_to}{procedure_code}/")
        name = check.text(template, "name", f"{path}.template", Component, required=True, max_length=room)
        if name and (os.path.basename(name) != name or name.startswith(".")):
            check.error(f"{path}.template.name", "tên tệp không hợp lệ")
        try:
            content = base64.b64decode(template.get("content_base64", ""), validate=True)
        except (binascii.Error, TypeError, ValueError):
            check.error(f"{path}.template.content_base64", "không phải dữ liệu base64 hợp lệ")
        else:
            component["template"] = (name, content)
    return component


def _check_fee(check: _Checker, raw: dict, path: str) -> dict:
    fee = {
        "order": check.integer(raw, "order", path),
        "kind": check.choice(raw, "kind", path, FeeKind.choices),
        "name": check.text(raw, "name", path, Fee, required=True),
        "amount": check.integer(raw, "amount", path, required=True),
        "basis": check.choice(raw, "basis", path, FeeBasis.choices, FeeBasis.PER_CASE),
        "page_from": check.integer(raw, "page_from", path, default=None),
        "page_to": check.integer(raw, "page_to", path, default=None),
        "cap": check.integer(raw, "cap", path, default=None),
        "channel": check.choice(raw, "channel", path, FeeChannel.choices, FeeChannel.ANY),
        "condition": check.choice(raw, "condition", path, FeeCondition.choices, FeeCondition.ALWAYS),
        "condition_field": check.text(raw, "condition_field", path, Fee),
        "condition_days": check.integer(raw, "condition_days", path, default=None),
        "is_exemptible": check.flag(raw, "is_exemptible", path, False),
        "exemption_text": check.text(raw, "exemption_text", path, Fee),
        "legal_basis": check.text(raw, "legal_basis", path, Fee),
        "effective_from": check.day(raw, "effective_from", path),
        "effective_to": check.day(raw, "effective_to", path),
    }
    if fee["page_from"] and fee["page_to"] and fee["page_to"] < fee["page_from"]:
        check.error(f"{path}.page_to", "phải lớn hơn hoặc bằng page_from")
    if fee["condition"] == FeeCondition.LATE_REGISTRATION and not (fee["condition_field"] and fee["condition_days"]):
        check.error(f"{path}.condition", "đăng ký quá hạn cần condition_field và condition_days")
    return fee


def _check_form_field(check: _Checker, raw: dict, path: str) -> dict:
    field: dict[str, Any] = {
        "section": check.text(raw, "section", path, FormField),
        "order": check.integer(raw, "order", path),
        "key": check.text(raw, "key", path, FormField, required=True),
        "label": check.text(raw, "label", path, FormField, required=True),
        "field_type": check.choice(raw, "field_type", path, FieldType.choices),
        "is_required": check.flag(raw, "is_required", path, False),
        "prefill": check.choice(raw, "prefill", path, ProfileBinding.choices, ProfileBinding.NONE),
    }
    # A catalogue exported before the flag existed: contacts stay editable, identity details lock.
    field["editable_when_verified"] = check.flag(
        raw, "editable_when_verified", path, field["prefill"] in CONTACT_BINDINGS)
    for name in ("label_en", "help_text", "help_text_en", "pattern", "pattern_message"):
        field[name] = check.text(raw, name, path, FormField)
    for name in ("min_length", "max_length"):
        field[name] = check.integer(raw, name, path, default=None)
    for name in ("min_value", "max_value"):
        value = raw.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            check.error(f"{path}.{name}", "phải là số nguyên")
            value = None
        field[name] = value
    choices = raw.get("choices", [])
    if not isinstance(choices, list):
        check.error(f"{path}.choices", "phải là một danh sách")
        choices = []
    field["choices"] = choices
    return field


def _duplicates(check: _Checker, values: list[tuple[str, Any]], label: str) -> None:
    seen: set[Any] = set()
    for path, value in values:
        if value in seen:
            check.error(path, f"trùng {label} {value!r}")
        seen.add(value)


def _check_sector(check: _Checker, raw: dict, path: str) -> dict:
    return {
        "code": check.text(raw, "code", path, Sector, required=True),
        "name": check.text(raw, "name", path, Sector, required=True),
        "order": check.integer(raw, "order", path),
    }


def _check_document(check: _Checker, raw: dict, path: str) -> dict:
    return {
        "number": check.text(raw, "number", path, LegalDocument, required=True),
        "title": check.text(raw, "title", path, LegalDocument, required=True),
        "issued_on": check.day(raw, "issued_on", path),
        "issuer": check.text(raw, "issuer", path, LegalDocument),
    }


def _check_document_type(check: _Checker, raw: dict, path: str) -> dict:
    return {
        "code": check.text(raw, "code", path, DocumentType, required=True),
        "name": check.text(raw, "name", path, DocumentType, required=True),
        "validity_months": check.integer(raw, "validity_months", path, default=None),
        "order": check.integer(raw, "order", path),
    }


def _check_procedure(
    check: _Checker, raw: dict, path: str, sector_codes: set[str], agencies: dict, documents: set[str],
    kinds: set[str],
) -> dict:
    code = check.text(raw, "code", path, Procedure, required=True)
    sector = raw.get("sector")
    if sector not in sector_codes:
        check.error(f"{path}.sector", f"không có lĩnh vực mã {sector!r}")
    versions = [
        (f"{path}.versions[{i}]",
         _check_version(check, item, f"{path}.versions[{i}]", agencies, documents, code, kinds))
        for i, item in enumerate(check.records(raw, "versions", path)) if isinstance(item, dict)
    ]
    _duplicates(check, [(f"{where}.number", version["number"]) for where, version in versions], "số phiên bản")
    current = raw.get("current_version")
    if current is not None and current not in {version["number"] for _where, version in versions}:
        check.error(f"{path}.current_version", "phải là số của một phiên bản trong tệp")
    return {
        "code": code,
        "sector": sector,
        "versions": [version for _where, version in versions],
        "current_version": current,
        "implementing_level": check.choice(
            raw, "implementing_level", path, ImplementingLevel.choices, ImplementingLevel.COMMUNE
        ),
        "is_published": check.flag(raw, "is_published", path, False),
    }


def _each(check: _Checker, data: dict, key: str) -> list[tuple[str, dict]]:
    """(position, record) for every object in data[key]; non-objects are reported and skipped."""
    return [(f"{key}[{i}]", raw) for i, raw in enumerate(check.records(data, key)) if isinstance(raw, dict)]


def catalogue_validate(data: Any) -> dict:
    """Clean records ready to write, or CatalogueError listing every bad field by position."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CatalogueError([f"format: tệp không phải danh mục thủ tục ({FORMAT!r})"])
    if data.get("format_version") != FORMAT_VERSION:
        raise CatalogueError([f"format_version: chỉ hỗ trợ phiên bản {FORMAT_VERSION}"])
    check = _Checker()
    sectors = [(path, _check_sector(check, raw, path)) for path, raw in _each(check, data, "sectors")]
    documents = [(path, _check_document(check, raw, path)) for path, raw in _each(check, data, "legal_documents")]
    _duplicates(check, [(f"{path}.code", sector["code"]) for path, sector in sectors], "mã lĩnh vực")
    _duplicates(check, [(f"{path}.number", doc["number"]) for path, doc in documents], "số văn bản")
    kinds = [(path, _check_document_type(check, raw, path)) for path, raw in _each(check, data, "document_types")]
    _duplicates(check, [(f"{path}.code", kind["code"]) for path, kind in kinds], "mã loại giấy tờ")
    kind_codes = {k["code"] for _p, k in kinds} | set(DocumentType.objects.values_list("code", flat=True))
    sector_codes = {s["code"] for _p, s in sectors} | set(Sector.objects.values_list("code", flat=True))
    document_numbers = {d["number"] for _p, d in documents} | set(
        LegalDocument.objects.values_list("number", flat=True)
    )
    agencies = {agency.eid_code: agency for agency in Agency.objects.all()}
    procedures = [
        (path, _check_procedure(check, raw, path, sector_codes, agencies, document_numbers, kind_codes))
        for path, raw in _each(check, data, "procedures")
    ]
    _duplicates(check, [(f"{path}.code", p["code"]) for path, p in procedures], "mã thủ tục")
    if check.errors:
        raise CatalogueError(check.errors)
    return {
        "sectors": [sector for _p, sector in sectors],
        "legal_documents": [document for _p, document in documents],
        "document_types": [kind for _p, kind in kinds],
        "procedures": [procedure for _p, procedure in procedures],
    }


# --- Import --------------------------------------------------------------------------------


@transaction.atomic
def catalogue_import(data: Any) -> dict[str, int]:
    """Validate everything, then write everything in one transaction (nothing on any error)."""
    clean = catalogue_validate(data)
    counts = {"sectors": 0, "legal_documents": 0, "document_types": 0, "procedures": 0, "versions": 0}
    for record in clean["sectors"]:
        Sector.objects.update_or_create(code=record.pop("code"), defaults=record)
        counts["sectors"] += 1
    for record in clean["legal_documents"]:
        LegalDocument.objects.update_or_create(number=record.pop("number"), defaults=record)
        counts["legal_documents"] += 1
    for record in clean["document_types"]:
        DocumentType.objects.update_or_create(code=record.pop("code"), defaults=record)
        counts["document_types"] += 1
    sectors = {s.code: s for s in Sector.objects.all()}
    documents = {d.number: d for d in LegalDocument.objects.all()}
    kinds = {k.code: k for k in DocumentType.objects.all()}
    for record in clean["procedures"]:
        procedure, _created = Procedure.objects.update_or_create(
            code=record["code"],
            defaults={
                "sector": sectors[record["sector"]], "implementing_level": record["implementing_level"],
                "is_published": record["is_published"],
            },
        )
        counts["procedures"] += 1
        existing = set(procedure.versions.values_list("number", flat=True))
        for version in record["versions"]:
            if version["number"] not in existing:
                _version_create(procedure, version, documents, kinds)
                counts["versions"] += 1
        if record["current_version"] is not None and procedure.current_version_id is None:
            procedure.current_version = procedure.versions.get(number=record["current_version"])
            procedure.save(update_fields=["current_version"])
        procedure_refresh(procedure=procedure)
    catalogue_changed()
    return counts


def _version_create(
    procedure: Procedure, record: dict, documents: dict[str, LegalDocument], kinds: dict[str, DocumentType]
) -> None:
    nested = {name: record.pop(name) for name in (
        "receiving_agencies", "legal_documents", "components", "fees", "form_fields"
    )}
    result_kind = record.pop("result_document_type")
    version = ProcedureVersion.objects.create(
        procedure=procedure, result_document_type=kinds.get(result_kind) if result_kind else None, **record
    )
    version.receiving_agencies.set(nested["receiving_agencies"])
    version.legal_documents.set([documents[number] for number in nested["legal_documents"]])
    for item in nested["components"]:
        template = item.pop("template")
        kind = item.pop("document_type")
        component = Component(version=version, document_type=kinds.get(kind) if kind else None, **item)
        if template:
            _template_attach(component, *template)
        component.save()
    Fee.objects.bulk_create([Fee(version=version, **item) for item in nested["fees"]])
    FormField.objects.bulk_create([FormField(version=version, **item) for item in nested["form_fields"]])


def _template_attach(component: Component, name: str, content: bytes) -> None:
    """Reuse an identical file already in storage (re-imports, shared blanks) instead of a renamed copy."""
    field_file = component.template_file
    name = f"{component.version.procedure.code}/{name}"  # as the demo stores them: one folder per procedure
    path = field_file.field.generate_filename(component, name)
    if field_file.storage.exists(path):
        with field_file.storage.open(path, "rb") as handle:
            if handle.read() == content:
                field_file.name = path
                return
    field_file.save(name, ContentFile(content), save=False)
