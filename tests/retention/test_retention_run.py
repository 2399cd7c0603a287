"""The retention job: past the period, an ended dossier keeps what the quality figures need and loses every
personal value (searched in every text and JSON column of every table), files leave storage, stale drafts
go, a second run changes nothing, and a dossier still in progress is never touched."""

from __future__ import annotations

from datetime import timedelta

import pytest

from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone

from applications.models import (
    Attachment,
    ControlSheetEntry,
    Document,
    DocumentKind,
    DocumentState,
    Dossier,
    DossierEvent,
    Event,
    SlipMailing,
    Status,
)
from feedback.models import Petition, PetitionStatus, Rating, RatingChannel
from national.models import InboundDossier, InboundState
from notifications.models import Notification
from portal.lib.storage import private_storage
from postal.models import PostalOrder
from quality.history import history_generate
from quality.models import COUNTERS, DailySummary
from quality.summary import summary_rebuild
from retention.models import RetentionRun
from retention.services import retention_run
from tests.factories import make_dossier, make_procedure

NAME, ID_NUMBER, PHONE, EMAIL, ADDRESS = ("Trần Thị Lưu Trữ", "079123456789", "0912345678", "luutru@example.vn",
                                          "17 đường Hoa Sữa, tổ 9")
PERSONAL = (NAME, ID_NUMBER, PHONE, EMAIL, ADDRESS)


def _store(name: str) -> str:
    return private_storage().save(name, ContentFile(f"PDF of {NAME}".encode()))


def _personal_dossier(version, agency, officer, *, status: str, ended: timezone.datetime, code: str) -> Dossier:
    """A dossier holding the demo person's data in every place the portal keeps personal data."""
    dossier = make_dossier(
        version, agency, None, status=status, code=code, channel="in_person", applicant_name=NAME,
        applicant_id_number=ID_NUMBER, applicant_phone=PHONE, applicant_email=EMAIL, applicant_address=ADDRESS,
        subject_name=NAME, subject_id_number=ID_NUMBER, form_data={"child_name": NAME, "address": ADDRESS},
        delivery_address=ADDRESS, delivery_street=ADDRESS, delivery_recipient_name=NAME,
        delivery_recipient_phone=PHONE, result_summary=f"Cấp cho {NAME}", submitted_at=ended - timedelta(days=5),
        received_at=ended - timedelta(days=4),
    )
    DossierEvent.objects.create(dossier=dossier, action=Event.SUBMITTED, at=ended - timedelta(days=5),
                                to_status=Status.SUBMITTED, on_behalf_of=NAME,
                                data={"applicant_name": NAME, "applicant_phone": PHONE})
    DossierEvent.objects.create(dossier=dossier, action=Event.RECEIVED, at=ended - timedelta(days=4),
                                to_status=Status.RECEIVED, note=f"Ông bà {NAME} nộp tại quầy")
    if status == Status.RETURNED:
        DossierEvent.objects.create(dossier=dossier, action=Event.APPROVED, at=ended - timedelta(days=1),
                                    to_status=Status.APPROVED, data={"timeliness": "on_time"})
        DossierEvent.objects.create(dossier=dossier, action=Event.RESULT_RETURNED, at=ended,
                                    to_status=Status.RETURNED, data={"method": "post", "delivery_street": ADDRESS})
    ControlSheetEntry.objects.create(dossier=dossier, step="Tiếp nhận hồ sơ", from_party=f"Người nộp hồ sơ: {NAME}",
                                     to_party="Bộ phận Một cửa: cán bộ A", handed_at=ended - timedelta(days=4))
    first_event = dossier.events.order_by("pk").first()
    Notification.objects.create(event="received", channel="sms", to_address=PHONE,
                                dedupe_key=f"event:{first_event.pk}:received:sms:addr:x", body=f"{NAME} ơi")
    Attachment.objects.create(dossier=dossier, file=_store(f"attachments/{dossier.pk}/a"), original_name=f"{NAME}.pdf",
                              content_type="application/pdf", size=10, sha256="0" * 64, uploaded_by=officer)
    for kind in (DocumentKind.RECEIPT, DocumentKind.RESULT):
        Document.objects.create(dossier=dossier, kind=kind, source_key=f"t:{dossier.pk}", state=DocumentState.READY,
                                file=_store(f"documents/{kind}-{dossier.pk}.pdf"), issued_at=ended,
                                context={"applicant_name": NAME, "id": ID_NUMBER})
    Notification.objects.create(event="received", channel="email", to_address=EMAIL, dedupe_key=f"event:{dossier.pk}",
                                subject=f"Hồ sơ của {NAME}", body=f"Kính gửi {NAME}, {ADDRESS}",
                                context={"dossier_code": dossier.code, "applicant_name": NAME})
    PostalOrder.objects.create(dossier=dossier, reference=f"R{dossier.pk}", provider="sandbox", recipient_name=NAME,
                               recipient_phone=PHONE, address=ADDRESS, created_by=officer)
    SlipMailing.objects.create(dossier=dossier, document_kind=DocumentKind.RECEIPT, recipient_name=NAME,
                               address=ADDRESS)
    Rating.objects.create(dossier=dossier, agency=agency, procedure=version.procedure, channel=RatingChannel.LINK, overall=5,
                          comment=f"{NAME} rất hài lòng", created_at=ended)
    InboundDossier.objects.create(national_code=f"N{dossier.pk}", payload={"ChuHoSo": NAME, "SoDinhDanh": ID_NUMBER},
                                  state=InboundState.FILED, dossier=dossier)
    return dossier


@pytest.fixture
def old_history(commune, officer):
    """A year of dossiers that ended twelve years ago (past the default ten), summarised."""
    versions = [make_procedure(name="Đăng ký khai sinh", agency=commune),
                make_procedure(name="Chứng thực bản sao", agency=commune)]
    now = timezone.now()
    start = now - timedelta(days=365 * 13)
    history_generate(agencies=[commune], versions=versions, actor=officer, count=300, start=start, days=300, seed=91)
    ended = now - timedelta(days=365 * 12)
    target = _personal_dossier(versions[0], commune, officer, status=Status.RETURNED, ended=ended, code="LT-OLD-1")
    return versions, target


def _summary() -> dict:
    summary_rebuild()
    return {(row["day"], row["agency_id"], row["procedure_id"]): row
            for row in DailySummary.objects.values("day", "agency_id", "procedure_id", "sector_id", *COUNTERS)}


def _text_columns() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = current_schema()
              AND data_type IN ('character varying', 'text', 'json', 'jsonb')
        """)
        return cursor.fetchall()


def _where_found(value: str) -> list[str]:
    """Every table.column (any text or JSON column of any table) that holds `value`, by raw SQL."""
    found = []
    with connection.cursor() as cursor:
        for table, column in _text_columns():
            cursor.execute(f'SELECT 1 FROM "{table}" WHERE "{column}"::text ILIKE %s LIMIT 1', [f"%{value}%"])
            if cursor.fetchone():
                found.append(f"{table}.{column}")
    return found


@pytest.mark.django_db
def test_past_retention_the_figures_stay_and_no_personal_value_remains(old_history,
                                                                      django_capture_on_commit_callbacks):
    _versions, target = old_history
    files = list(Attachment.objects.filter(dossier=target).values_list("file", flat=True))
    receipt = Document.objects.get(dossier=target, kind=DocumentKind.RECEIPT).file.name
    result = Document.objects.get(dossier=target, kind=DocumentKind.RESULT).file.name
    assert _where_found(NAME)  # the search sees the data before
    before = _summary()
    assert sum(row["resolved"] for row in before.values()) > 50

    with django_capture_on_commit_callbacks(execute=True):  # files leave storage after the commit
        run = retention_run()

    assert _summary() == before
    for value in PERSONAL:
        assert _where_found(value) == [], value
    for name in files + [receipt]:
        assert not private_storage().exists(name)
    # The e-result issued by the state is archived (Law on Archives 33/2024), not deleted.
    assert private_storage().exists(result)
    assert run.dossiers_anonymised >= 1 and run.files_deleted >= 2 and run.documents_archived >= 1
    target.refresh_from_db()
    assert (target.status, target.channel, target.agency_id) == (Status.RETURNED, "in_person", target.agency_id)
    assert list(target.events.values_list("action", flat=True)) == [
        Event.SUBMITTED, Event.RECEIVED, Event.APPROVED, Event.RESULT_RETURNED]
    assert target.events.get(action=Event.APPROVED).data == {"timeliness": "on_time"}


def _rows() -> list:
    return list(Dossier.objects.order_by("pk").values()) + list(DossierEvent.objects.order_by("pk").values()) + list(
        Attachment.objects.order_by("pk").values()) + list(Document.objects.order_by("pk").values("pk", "file",
                                                                                               "context"))


@pytest.mark.django_db
def test_a_second_run_changes_nothing(old_history):
    retention_run()
    rows = _rows()
    second = retention_run()
    assert _rows() == rows
    assert (second.dossiers_anonymised, second.drafts_deleted, second.files_deleted) == (0, 0, 0)
    assert RetentionRun.objects.count() == 2


@pytest.mark.django_db
def test_a_dossier_in_progress_or_ended_recently_is_never_touched(commune, officer,
                                                                   django_capture_on_commit_callbacks):
    version = make_procedure(agency=commune)
    long_ago = timezone.now() - timedelta(days=365 * 15)
    in_progress = _personal_dossier(version, commune, officer, status=Status.PROCESSING, ended=long_ago,
                                    code="LT-OPEN")
    recent = _personal_dossier(version, commune, officer, status=Status.RETURNED,
                               ended=timezone.now() - timedelta(days=30), code="LT-RECENT")
    rows = _rows()

    with django_capture_on_commit_callbacks(execute=True):
        run = retention_run()

    assert _rows() == rows
    assert run.dossiers_anonymised == 0
    for dossier in (in_progress, recent):
        assert Dossier.objects.get(pk=dossier.pk).applicant_id_number == ID_NUMBER
        assert all(private_storage().exists(a.file.name) for a in dossier.attachments.all())


@pytest.mark.django_db
def test_drafts_never_submitted_are_deleted_after_the_period(commune, citizen, settings,
                                                             django_capture_on_commit_callbacks):
    settings.DRAFT_RETENTION_DAYS = 30
    version = make_procedure(agency=commune)
    stale = make_dossier(version, commune, citizen, status=Status.DRAFT)
    fresh = make_dossier(version, commune, citizen, status=Status.DRAFT)
    name = _store(f"attachments/{stale.pk}/draft")
    Attachment.objects.create(dossier=stale, file=name, original_name="x.pdf", content_type="application/pdf",
                              size=1, sha256="0" * 64)
    Dossier.objects.filter(pk=stale.pk).update(updated_at=timezone.now() - timedelta(days=31))
    Dossier.objects.filter(pk=fresh.pk).update(updated_at=timezone.now() - timedelta(days=29))

    with django_capture_on_commit_callbacks(execute=True):
        run = retention_run()

    assert list(Dossier.objects.filter(status=Status.DRAFT).values_list("pk", flat=True)) == [fresh.pk]
    assert not private_storage().exists(name)
    assert run.drafts_deleted == 1


@pytest.mark.django_db
def test_old_petitions_lose_the_senders_details(commune, settings):
    settings.PETITION_RETENTION_YEARS = 5
    long_ago = timezone.now() - timedelta(days=365 * 6)
    kwargs = {"topic": "agency", "agency": commune, "title": f"Phản ánh của {NAME}", "content": ADDRESS,
              "sender_name": NAME, "sender_email": EMAIL, "sender_phone": PHONE, "secret_hash": "x",
              "received_at": long_ago, "due_at": long_ago, "status": PetitionStatus.ANSWERED,
              "answer": f"Kính gửi {NAME}"}
    old = Petition.objects.create(code="PA-OLD", answered_at=long_ago, **kwargs)
    recent = Petition.objects.create(code="PA-NEW", answered_at=timezone.now() - timedelta(days=10), **kwargs)

    retention_run()

    old.refresh_from_db()
    recent.refresh_from_db()
    assert NAME not in f"{old.sender_name}{old.title}{old.answer}" and (old.sender_email, old.sender_phone) == ("", "")
    assert old.status == PetitionStatus.ANSWERED and old.answered_at == long_ago
    assert recent.sender_email == EMAIL


@pytest.mark.django_db
def test_the_owner_of_an_anonymised_dossier_gets_a_404_for_its_deleted_papers(client, citizen, commune, officer,
                                                                              django_capture_on_commit_callbacks):
    from django.urls import reverse

    version = make_procedure(agency=commune)
    dossier = _personal_dossier(version, commune, officer, status=Status.RETURNED,
                                ended=timezone.now() - timedelta(days=365 * 11), code="LT-OWNED")
    Dossier.objects.filter(pk=dossier.pk).update(owner=citizen)
    receipt = Document.objects.get(dossier=dossier, kind=DocumentKind.RECEIPT)
    result = Document.objects.get(dossier=dossier, kind=DocumentKind.RESULT)
    attachment = dossier.attachments.get()
    with django_capture_on_commit_callbacks(execute=True):
        retention_run()
    client.force_login(citizen)

    assert client.get(reverse("applications:document-download", args=[dossier.code, receipt.pk])).status_code == 404
    assert client.get(reverse("applications:attachment", args=[attachment.pk])).status_code == 404
    # The archived e-result still opens for its owner.
    assert client.get(reverse("applications:document-download", args=[dossier.code, result.pk])).status_code == 200
