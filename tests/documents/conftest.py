"""Builders for document tests: a received dossier with its receive event, as the workflow makes them."""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from applications.models import Dossier, DossierEvent, Status
from tests.factories import make_dossier, make_procedure

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def received_dossier(commune, citizen, officer) -> Dossier:
    version = make_procedure(agency=commune, name="Đăng ký khai sinh")
    return make_dossier(
        version, commune, citizen, status=Status.RECEIVED,
        applicant_phone="0912000001", applicant_address="Thôn Đông, xã An Phú",
        received_at=datetime(2026, 1, 5, 8, 30, tzinfo=HCM), due_current=datetime(2026, 1, 8, 17, 0, tzinfo=HCM),
        due_original=datetime(2026, 1, 8, 17, 0, tzinfo=HCM),
    )


def add_event(dossier: Dossier, action: str, actor=None, *, note: str = "", data: dict | None = None,
              from_status: str = "", to_status: str = "") -> DossierEvent:
    return DossierEvent.objects.create(
        dossier=dossier, action=action, actor=actor, at=dossier.received_at or datetime(2026, 1, 5, 8, 30, tzinfo=HCM),
        note=note, data=data or {}, from_status=from_status, to_status=to_status or dossier.status,
    )


def pdf_text(path: str | Path) -> str:
    """The PDF's text in reading order, whitespace collapsed (table cells wrap lines)."""
    raw = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return " ".join(raw.split())


def pdf_bytes_text(pdf: bytes, tmp_path: Path) -> str:
    target = tmp_path / "doc.pdf"
    target.write_bytes(pdf)
    return pdf_text(target)
