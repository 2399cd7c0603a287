"""The demo dossiers: made through the workflow, in both communes, and seeding twice changes nothing."""

from __future__ import annotations

from django.core.management import call_command

from applications.models import Dossier, DossierEvent, Status


def test_seed_demo_puts_dossiers_in_the_queues_of_both_communes_and_is_idempotent(db):
    call_command("seed_demo", verbosity=0)
    first = sorted(Dossier.objects.values_list("code", "status", "version"))
    events = DossierEvent.objects.count()
    call_command("seed_demo", verbosity=0)
    assert sorted(Dossier.objects.values_list("code", "status", "version")) == first
    assert DossierEvent.objects.count() == events

    states = set(Dossier.objects.filter(agency__eid_code="H99.01.01").values_list("status", flat=True))
    assert {Status.SUBMITTED, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED, Status.AWAITING_PAYMENT,
            Status.PENDING_APPROVAL, Status.APPROVED, Status.RETURNED} <= states
    # Bình Minh: a new, a processing and a returned dossier (the last one is rated in the demo).
    assert Dossier.objects.filter(agency__eid_code="H99.01.02").count() == 3
    # every dossier has a real code and an event per transition
    for dossier in Dossier.objects.all():
        assert dossier.code and dossier.events.count() >= 1
