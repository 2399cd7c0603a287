from __future__ import annotations

from datetime import datetime

import pytest

from accounts.models import Agency, AgencyKind
from quality.history import history_generate
from tests.factories import make_procedure
from workdays.services import local_time_zone

HISTORY_START = datetime(2026, 1, 1, 7, 0, tzinfo=local_time_zone())


@pytest.fixture
def hamlet(commune) -> Agency:
    """An agency below the commune: its figures belong to the commune's sub-tree."""
    return Agency.objects.create(eid_code="H99.01.01.01", name="Điểm tiếp nhận thôn Đông", kind=AgencyKind.UNIT,
                                 parent=commune)


@pytest.fixture
def versions(commune, other_commune, hamlet):
    first = make_procedure(name="Đăng ký khai sinh", agency=commune)
    second = make_procedure(name="Chứng thực bản sao", agency=other_commune, service_level="partial")
    third = make_procedure(name="Đăng ký kết hôn", agency=hamlet)
    return [first, second, third]


@pytest.fixture
def history(commune, other_commune, hamlet, versions, officer):
    """Several thousand dossiers over a year in three agencies (covering every outcome)."""
    history_generate(agencies=[commune, other_commune, hamlet], versions=versions, actor=officer, count=3000,
                     start=HISTORY_START, days=330, seed=766)
    return [commune, other_commune, hamlet]
