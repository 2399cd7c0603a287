from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from applications.models import Dossier, DossierEvent, Status
from tests.factories import make_dossier, make_procedure

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def dossier(commune, citizen) -> Dossier:
    return make_dossier(
        make_procedure(agency=commune), commune, citizen, status=Status.RECEIVED, applicant_phone="0912000001",
        received_at=datetime(2026, 1, 5, 8, 30, tzinfo=HCM), due_current=datetime(2026, 1, 8, 17, 0, tzinfo=HCM),
    )


def event_for(dossier: Dossier, action: str, actor=None, **data) -> DossierEvent:
    return DossierEvent.objects.create(
        dossier=dossier, action=action, actor=actor, at=datetime(2026, 1, 5, 8, 30, tzinfo=HCM), data=data,
        note=data.pop("note", "") if "note" in data else "",
    )
