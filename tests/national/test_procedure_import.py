"""The national procedure list (tests/national/data/national_procedures.json and .csv, the sample of
the published format) is imported into the catalogue, matched by national code."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest

from django.core.management import CommandError, call_command

from procedures.models import ImplementingLevel, Procedure, ServiceLevel, VersionStatus
from tests.factories import make_procedure

DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.django_db


def test_the_list_creates_new_codes_as_drafts_and_updates_known_ones_by_code(commune):
    known = make_procedure(code="1.001193", name="Đăng ký khai sinh", agency=commune).procedure
    out = StringIO()

    call_command("import_national_procedures", str(DATA / "national_procedures.json"), stdout=out)

    assert Procedure.objects.filter(code="1.001193").count() == 1
    known.refresh_from_db()
    assert known.sector.code == "HT" and known.is_published and known.current_version.name == "Đăng ký khai sinh"
    permit = Procedure.objects.get(code="1.004873")
    assert permit.implementing_level == ImplementingLevel.PROVINCE and permit.sector.name == "Xây dựng"
    assert not permit.is_published and permit.versions.get().status == VersionStatus.DRAFT
    copy = Procedure.objects.get(code="2.000815")
    assert copy.versions.get().service_level == ServiceLevel.PARTIAL and "Thêm mới 2" in out.getvalue()


def test_importing_twice_changes_nothing_and_csv_reads_the_same_columns(commune):
    call_command("import_national_procedures", str(DATA / "national_procedures.json"), stdout=StringIO())
    out = StringIO()

    call_command("import_national_procedures", str(DATA / "national_procedures.csv"), stdout=out)

    assert Procedure.objects.count() == 3 and "Thêm mới 0" in out.getvalue()


def test_a_list_with_an_unreadable_row_imports_nothing(tmp_path):
    bad = tmp_path / "list.json"
    bad.write_text('{"data": [{"MaTTHC": "1.001193", "TenTTHC": "Đăng ký khai sinh", "MaLinhVuc": "HT"},'
                   ' {"MaTTHC": "2000815", "TenTTHC": "Sai mã", "MaLinhVuc": "CT"}]}', encoding="utf-8")

    with pytest.raises(CommandError, match="Dòng 2"):
        call_command("import_national_procedures", str(bad), stdout=StringIO())

    assert not Procedure.objects.exists()
