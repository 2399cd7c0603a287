"""Retention periods are admin data beside their legal source; the most specific row wins; the job is on
the beat schedule and logs each run."""

from __future__ import annotations

import pytest

from django.conf import settings
from django.urls import reverse

from applications.models import DocumentKind
from retention.models import RetentionRule, RetentionRun
from retention.services import Rules
from retention.tasks import retention_nightly
from tests.factories import make_procedure

pytestmark = pytest.mark.django_db


def test_the_installed_rows_carry_their_legal_source():
    rows = {row.document_kind: row for row in RetentionRule.objects.filter(procedure=None, sector=None)}
    assert rows[""].years == 10 and "91/2025/QH15" in rows[""].legal_source
    assert rows[DocumentKind.RESULT].years is None and "33/2024/QH15" in rows[DocumentKind.RESULT].legal_source


def test_the_most_specific_rule_wins(commune):
    version = make_procedure(agency=commune)
    procedure = version.procedure
    RetentionRule.objects.create(sector=procedure.sector, years=20, legal_source="Ngành hộ tịch")
    assert Rules.load().years(procedure.pk, procedure.sector_id) == 20
    RetentionRule.objects.create(procedure=procedure, years=3, legal_source="Thủ tục này")
    rules = Rules.load()
    assert rules.years(procedure.pk, procedure.sector_id) == 3
    assert rules.years(procedure.pk, procedure.sector_id, DocumentKind.RESULT) is None  # archived
    assert rules.years(procedure.pk, procedure.sector_id, DocumentKind.STOP) == 3  # follows the dossier
    assert rules.shortest() == 3


def test_without_a_default_row_the_setting_applies(settings, commune):
    settings.RETENTION_DEFAULT_YEARS = 7
    RetentionRule.objects.filter(document_kind="").delete()
    version = make_procedure(agency=commune)
    assert Rules.load().years(version.procedure_id, version.procedure.sector_id) == 7


def test_the_nightly_job_is_scheduled_and_logs_its_run():
    entry = settings.CELERY_BEAT_SCHEDULE["retention-nightly"]
    assert entry["task"] == retention_nightly.name
    run_id = retention_nightly.apply(throw=True).result
    run = RetentionRun.objects.get(pk=run_id)
    assert run.finished_at is not None and run.dossiers_anonymised == 0


def test_the_admin_lists_rules_and_runs(client, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("admin:retention_retentionrule_changelist"))
    assert page.status_code == 200 and "33/2024/QH15" in page.content.decode()
    assert client.get(reverse("admin:retention_retentionrun_changelist")).status_code == 200
