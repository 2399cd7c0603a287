"""Import the national procedure list (CSDL quốc gia về TTHC) into the catalogue, matched by national code.

The national list gives, per procedure: MaTTHC (code "D.DDDDDD", kept as text), TenTTHC (name),
MaLinhVuc / TenLinhVuc (sector), CapThucHien (implementing level: "Cấp Tỉnh" / "Cấp Xã"…) and
MucDo (online service level: "Toàn trình" / "Một phần", Decree 42/2022 Art 11), as JSON
(``{"data": [ {...}, ... ]}`` or a bare list) or CSV with those column names.

- A code we have: its sector and implementing level follow the national list; a published version
  is never rewritten (its name is law as published), so a different name is only reported.
- A code we do not have: a new procedure, unpublished, with a draft version named as the national
  list names it, for an administrator to complete (components, time limit, agencies) and publish.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from procedures.models import (
    ImplementingLevel,
    Procedure,
    ProcedureVersion,
    Sector,
    ServiceLevel,
    VersionStatus,
)
from procedures.services import procedure_search_text

CODE_SHAPE = re.compile(r"^\d\.\d{6}(\.[0-9A-Za-z.]+)?$")


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)  # the national name differs from our published one
    errors: list[str] = field(default_factory=list)


def _level(text: str) -> str:
    return ImplementingLevel.PROVINCE if "tỉnh" in text.lower() else ImplementingLevel.COMMUNE


def _service_level(text: str) -> str:
    return ServiceLevel.FULL if "toàn trình" in text.lower() else ServiceLevel.PARTIAL


def parse_national_list(content: str, *, fmt: str) -> list[dict[str, Any]]:
    if fmt == "json":
        data = json.loads(content)
        rows = data.get("data", []) if isinstance(data, dict) else data
    else:
        rows = list(csv.DictReader(io.StringIO(content.lstrip("\ufeff"))))
    if not isinstance(rows, list):
        raise ValueError(_("Danh sách thủ tục không đúng định dạng."))
    return rows


@transaction.atomic
def national_procedures_import(rows: list[dict[str, Any]], *, effective_from: date | None = None) -> ImportReport:
    """Create or update the catalogue from the national list; all or nothing if a row is unreadable."""
    report = ImportReport()
    for index, row in enumerate(rows, start=1):
        code = str((row or {}).get("MaTTHC", "")).strip() if isinstance(row, dict) else ""
        name = str(row.get("TenTTHC", "")).strip() if isinstance(row, dict) else ""
        sector_code = str(row.get("MaLinhVuc", "")).strip() if isinstance(row, dict) else ""
        if not CODE_SHAPE.match(code) or not name or not sector_code:
            report.errors.append(_("Dòng %(n)s: thiếu hoặc sai MaTTHC, TenTTHC hoặc MaLinhVuc.") % {"n": index})
            continue
        sector, _created = Sector.objects.get_or_create(
            code=sector_code, defaults={"name": str(row.get("TenLinhVuc") or sector_code).strip()})
        level = _level(str(row.get("CapThucHien", "")))
        procedure = Procedure.objects.select_related("current_version").filter(code=code).first()
        if procedure is None:
            procedure = Procedure.objects.create(code=code, sector=sector, implementing_level=level, is_published=False)
            ProcedureVersion.objects.create(
                procedure=procedure, number=1, status=VersionStatus.DRAFT, name=name[:500],
                effective_from=effective_from or timezone.localdate(),
                service_level=_service_level(str(row.get("MucDo", ""))),
                partial_reason="" if "toàn trình" in str(row.get("MucDo", "")).lower() else name[:200],
            )
            procedure.search_text = procedure_search_text(procedure)
            procedure.save(update_fields=["search_text"])
            report.created.append(code)
            continue
        changed = []
        if procedure.sector_id != sector.pk:
            procedure.sector = sector
            changed.append("sector")
        if procedure.implementing_level != level:
            procedure.implementing_level = level
            changed.append("implementing_level")
        if changed:
            procedure.search_text = procedure_search_text(procedure)
            procedure.save(update_fields=[*changed, "search_text", "updated_at"])
            report.updated.append(code)
        else:
            report.unchanged.append(code)
        if procedure.current_version is not None and procedure.current_version.name.strip() != name:
            report.renamed.append(code)
    if report.errors:
        transaction.set_rollback(True)
    return report
