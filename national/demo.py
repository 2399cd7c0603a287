"""Demo for `manage.py seed_demo` (DEBUG only): a dossier filed on the local national portal arrives
in UBND xã An Phú's "new" queue through the inbound service, as if pushed to our endpoint. The
local national portal's desk (/sandbox/national/) sends more over HTTP. Idempotent."""

from __future__ import annotations

from django.apps import apps

from accounts.models import Agency
from national.inbound import inbound_receive
from national.models import InboundDossier
from procedures.models import Procedure

DEMO_PROCEDURE, DEMO_AGENCY = "1.001193", "H99.01.01"


def seed() -> list[str]:
    if not apps.is_installed("sandbox") or InboundDossier.objects.exists():
        return []
    from applications.demo import demo_form_data
    from sandbox import national as sandbox_national

    procedure = Procedure.objects.select_related("current_version").filter(code=DEMO_PROCEDURE).first()
    if procedure is None or procedure.current_version is None or not Agency.objects.filter(eid_code=DEMO_AGENCY).exists():
        return []
    sent = sandbox_national.demo_dossier(procedure_code=DEMO_PROCEDURE, agency_code=DEMO_AGENCY,
                                         answers=demo_form_data(procedure.current_version),
                                         papers=sandbox_national.demo_papers(DEMO_PROCEDURE))
    row, filed = inbound_receive(sent.body)
    sent.taken = True
    sent.save(update_fields=["taken"])
    outcome = row.dossier.code if filed and row.dossier else row.reason
    return [f"hồ sơ nhận từ Cổng DVC quốc gia {row.national_code}: {outcome}"]
