"""The bench's COPY writer stores the same history as the ORM writer."""

from __future__ import annotations

import pytest

from django.core.management import call_command

from applications.models import Dossier, DossierEvent
from quality.history import history_copy, history_generate
from quality.models import COUNTERS, DailySummary
from tests.quality.conftest import HISTORY_START


def _snapshot() -> dict:
    return {(row["day"], row["agency_id"], row["procedure_id"]): row
            for row in DailySummary.objects.values("day", "agency_id", "procedure_id", *COUNTERS)}


@pytest.mark.django_db
def test_copy_writes_the_same_history_as_the_orm(commune, other_commune, hamlet, versions, officer):
    arguments = {"agencies": [commune, other_commune, hamlet], "versions": versions, "actor": officer,
                 "count": 300, "start": HISTORY_START, "days": 200, "seed": 7}
    history_generate(**arguments, code_prefix="ORM")
    call_command("rebuild_quality_summary", verbosity=0)
    once = _snapshot()

    history_copy(**arguments, code_prefix="COPY")
    call_command("rebuild_quality_summary", verbosity=0)

    twice = _snapshot()
    assert twice.keys() == once.keys()
    assert all(twice[key][name] == 2 * once[key][name] for key in once for name in COUNTERS)
    assert Dossier.objects.count() == 600 and DossierEvent.objects.filter(dossier__code__startswith="COPY").exists()
    # The sequences moved past the copied ids: the ORM can still insert.
    history_generate(**dict(arguments, count=5), code_prefix="AFTER")
