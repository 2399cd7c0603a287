"""Digitisation at the counter (Circular 01/2023 Art 8): who scanned and when, into the applicant's
store, and the figures for service quality (DuocSoHoa, DuocTaiSuDung, HoSoCoThanhPhanSoHoa)."""

import logging
import uuid
from datetime import timedelta

import pytest

from django.urls import reverse
from django.utils import timezone

from applications.filing import attachment_reuse, attachments_add_batch, guided_file
from applications.models import Attachment, Certification, Channel, Dossier, Status
from docstore.selectors import digitisation_figures, dossier_has_digitised_components
from tests.applications.filing.builders import make_complete, pdf_bytes, upload
from tests.docstore.builders import returned_with_result
from tests.factories import make_dossier

pytestmark = pytest.mark.django_db
SCAN = pdf_bytes() + b"% scanned at the counter\n"


def _guided(version, commune, officer, owner):
    dossier = make_dossier(version, commune, owner, status=Status.DRAFT, filed_by=officer, channel=Channel.IN_PERSON)
    return make_complete(dossier, officer)  # make_complete uploads the declaration as the officer


def test_a_scan_at_the_counter_records_who_and_when_and_goes_to_the_applicants_store(
    client, officer, citizen, commune, version, django_capture_on_commit_callbacks, caplog,
):
    dossier = _guided(version, commune, officer, citizen)
    component = version.components.get(order=2)
    client.force_login(officer)
    before = timezone.now()
    with caplog.at_level(logging.INFO, logger="applications.digitisation"), \
            django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("applications:guided-attachments", args=[dossier.pk]),
                    {"upload": component.pk, f"c{component.pk}-files": [upload("scan.pdf", SCAN)]})
    scan = Attachment.objects.get(dossier=dossier, component=component)
    assert scan.is_digitised and scan.digitised_by == officer and scan.digitised_at >= before
    assert scan.in_store
    # Handed to certification after commit; this commune has no signing key, so it stays unsigned.
    assert scan.certification == Certification.UNSIGNED and not scan.certification_error
    assert f"digitised_scan_uncertified attachment={scan.pk}" in caplog.text
    guided_file(dossier, officer=officer, submit_token=uuid.uuid4(), receive_now=False)
    client.force_login(citizen)
    page = client.get(reverse("docstore:my-documents")).content.decode()
    assert reverse("docstore:download", args=["file", scan.pk]) in page
    assert "Số hóa tại Bộ phận Một cửa" in page and commune.name in page
    # Not asked for again: offered for the same kind in the citizen's next dossier.
    from tests.applications.filing.builders import draft_for

    draft = draft_for(version, commune, citizen)
    assert f'name="item" value="{scan.pk}"' in client.get(reverse("docstore:reuse", args=[draft.pk])).content.decode()


def test_a_walk_in_without_an_account_has_the_scan_digitised_but_no_store(client, officer, commune, version):
    dossier = _guided(version, commune, officer, None)
    component = version.components.get(order=2)
    client.force_login(officer)
    client.post(reverse("applications:guided-attachments", args=[dossier.pk]),
                {"upload": component.pk, f"c{component.pk}-files": [upload("scan.pdf", SCAN)]})
    scan = Attachment.objects.get(dossier=dossier, component=component)
    assert scan.is_digitised and scan.digitised_by == officer and not scan.in_store


def test_the_guided_step_offers_no_keep_choice_and_online_uploads_are_not_digitised(
    client, officer, citizen, commune, version,
):
    dossier = _guided(version, commune, officer, citizen)
    client.force_login(officer)
    assert "-keep" not in client.get(reverse("applications:guided-attachments", args=[dossier.pk])).content.decode()
    online = make_dossier(version, commune, citizen, status=Status.DRAFT)
    online = make_complete(online, citizen)
    page = Attachment.objects.get(dossier=online)
    assert not page.is_digitised and page.digitised_at is None and not page.in_store


def _filed(dossier: Dossier, when) -> Dossier:
    Dossier.objects.filter(pk=dossier.pk).update(status=Status.SUBMITTED, code=f"T-{uuid.uuid4().hex[:10]}",
                                                 submitted_at=when)
    dossier.refresh_from_db()
    return dossier


def test_digitisation_figures_count_components_digitised_and_reused_per_agency_and_period(
    officer, other_officer, citizen, commune, other_commune, version,
):
    from tests.docstore.builders import typed_procedure

    now = timezone.now()
    first, second = version.components.order_by("order")
    # A walk-in: both components scanned (two pages of the first) → 2 components, 2 digitised.
    walk_in = _guided(version, commune, officer, None)
    attachments_add_batch(walk_in, [(first, upload("p2.pdf", SCAN)), (second, upload("b.pdf", SCAN + b"b"))],
                          by=officer, is_digitised=True)
    Attachment.objects.filter(dossier=walk_in).update(is_digitised=True, digitised_at=now, digitised_by=officer)
    _filed(walk_in, now)
    # Online: the declaration uploaded, the birth certificate reused from the store → 2 components, 1 reused.
    _dossier, result = returned_with_result(version, commune, citizen)
    online = make_complete(make_dossier(version, commune, citizen, status=Status.DRAFT), citizen)
    attachment_reuse(online, second, source=result, by=citizen)
    attachments_add_batch(online, [(None, upload("other.pdf", SCAN + b"o"))], by=citizen)  # "other papers": not a component
    _filed(online, now)
    # Outside the period, and another commune's dossier: not counted.
    _filed(make_complete(make_dossier(version, commune, citizen, status=Status.DRAFT), citizen), now - timedelta(days=40))
    elsewhere = typed_procedure(other_commune)
    _filed(_guided(elsewhere, other_commune, other_officer, None), now)
    # A draft is not filed: not counted.
    make_complete(make_dossier(version, commune, citizen, status=Status.DRAFT), citizen)

    today = timezone.localdate()
    figures = digitisation_figures([commune.pk], today - timedelta(days=7), today)
    assert figures == {"components": 4, "digitised": 2, "reused": 1, "dossiers_with_digitised": 1}
    assert dossier_has_digitised_components(walk_in.pk) is True
    assert dossier_has_digitised_components(online.pk) is False
    assert digitisation_figures([other_commune.pk], today, today)["dossiers_with_digitised"] == 0
