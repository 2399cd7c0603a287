from datetime import date, timedelta

import pytest
import time_machine

from django.core.management import call_command
from django.utils import timezone

from procedures.models import Procedure, ProcedureVersion, VersionStatus
from procedures.services import (
    ProcedureError,
    procedure_popularity_increment,
    procedure_version_new_draft,
    procedure_version_publish,
    procedure_versions_activate,
)
from procedures.tasks import procedure_versions_activate as procedure_versions_activate_task

pytestmark = pytest.mark.django_db

BIRTH = "1.001193"


@pytest.fixture
def birth(catalogue) -> Procedure:
    return Procedure.objects.get(code=BIRTH)


def test_new_draft_deep_copies_the_version_in_force(birth):
    current = birth.current_version

    draft = procedure_version_new_draft(birth)

    assert draft.pk != current.pk
    assert (draft.number, draft.status, draft.published_at) == (current.number + 1, VersionStatus.DRAFT, None)
    assert draft.name == current.name and draft.cutoff_time == current.cutoff_time
    assert list(draft.components.values_list("name", "template_file")) == list(
        current.components.values_list("name", "template_file")
    )
    assert list(draft.fees.values_list("name", "amount")) == list(current.fees.values_list("name", "amount"))
    assert list(draft.form_fields.values_list("key", "field_type")) == list(
        current.form_fields.values_list("key", "field_type")
    )
    assert set(draft.receiving_agencies.all()) == set(current.receiving_agencies.all())
    assert set(draft.legal_documents.all()) == set(current.legal_documents.all())
    # the copy does not move anything off the published version
    assert current.components.count() == draft.components.count() > 0


def test_new_draft_returns_the_existing_draft_instead_of_a_second_one(birth):
    first = procedure_version_new_draft(birth)
    second = procedure_version_new_draft(birth)

    assert first.pk == second.pk
    assert birth.versions.count() == 2


def test_publishing_with_today_switches_the_public_page_and_keeps_the_old_version(client, birth):
    old = birth.current_version
    draft = procedure_version_new_draft(birth)
    ProcedureVersion.objects.filter(pk=draft.pk).update(name="Đăng ký khai sinh (sửa đổi 2026)")

    procedure_version_publish(draft, effective_from=timezone.localdate())

    birth.refresh_from_db()
    assert birth.current_version_id == draft.pk
    assert "sua doi 2026" in birth.search_text
    assert "Đăng ký khai sinh (sửa đổi 2026)" in client.get(f"/procedures/{BIRTH}/").content.decode()
    old.refresh_from_db()
    assert old.status == VersionStatus.PUBLISHED and old.components.exists()


def test_future_dated_version_takes_effect_on_its_date(client, birth):
    old = birth.current_version
    draft = procedure_version_new_draft(birth)
    ProcedureVersion.objects.filter(pk=draft.pk).update(name="Đăng ký khai sinh (mới)")
    effective = timezone.localdate() + timedelta(days=10)

    procedure_version_publish(draft, effective_from=effective)

    birth.refresh_from_db()
    assert birth.current_version_id == old.pk
    assert "Đăng ký khai sinh (mới)" not in client.get(f"/procedures/{BIRTH}/").content.decode()
    assert procedure_versions_activate(today=effective - timedelta(days=1)) == []

    assert procedure_versions_activate(today=effective) == [BIRTH]

    birth.refresh_from_db()
    assert birth.current_version_id == draft.pk
    assert procedure_versions_activate(today=effective) == []  # idempotent


def test_the_beat_task_and_command_activate_due_versions(birth):
    draft = procedure_version_new_draft(birth)
    procedure_version_publish(draft, effective_from=timezone.localdate() + timedelta(days=1))

    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert procedure_versions_activate_task.delay().get() == [BIRTH]
        call_command("activate_procedure_versions", verbosity=0)

    birth.refresh_from_db()
    assert birth.current_version_id == draft.pk


def test_publishing_twice_is_refused(birth):
    with pytest.raises(ProcedureError):
        procedure_version_publish(birth.current_version, effective_from=date(2025, 7, 1))


def test_publishing_the_first_version_makes_the_procedure_public(catalogue):
    sector = Procedure.objects.get(code=BIRTH).sector
    procedure = Procedure.objects.create(code="1.999999", sector=sector)
    version = ProcedureVersion.objects.create(
        procedure=procedure, number=1, effective_from=date(2025, 1, 1), name="Thủ tục thử", service_level="full"
    )

    procedure_version_publish(version, effective_from=date(2025, 1, 1))

    procedure.refresh_from_db()
    assert procedure.is_published and procedure.current_version_id == version.pk
    assert procedure.search_text == "1.999999 thu tuc thu ho tich"


def test_popularity_counts_filings_and_orders_the_home_page(client, settings, catalogue):
    settings.PROCEDURE_CACHE_SECONDS = 0
    marriage = Procedure.objects.get(code="1.000894")
    for _ in range(400):
        procedure_popularity_increment(procedure_id=marriage.pk)

    marriage.refresh_from_db()
    assert marriage.popularity == 495
    assert client.get("/").context["popular_procedures"][0].code == "1.000894"
