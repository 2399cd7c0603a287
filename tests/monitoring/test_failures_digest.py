"""The administrators' daily digest of what failed for good: through the outbox, once a day, with links."""

from __future__ import annotations

import pytest

from django.core import mail

from applications.models import Document, DocumentKind, DocumentState
from monitoring.tasks import failures_digest
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_nothing_failed_nothing_sent(admin_user):
    assert failures_digest.apply(throw=True).result == 0
    assert not Notification.objects.filter(event="failures_digest").exists()


def test_the_digest_counts_each_failure_links_the_admin_lists_and_is_sent_once_a_day(
    admin_user, citizen, django_capture_on_commit_callbacks,
):
    Notification.objects.create(event="x", channel="sms", dedupe_key="f1", state="failed")
    Document.objects.create(kind=DocumentKind.RECEIPT, source_key="t1", state=DocumentState.FAILED)

    with django_capture_on_commit_callbacks(execute=True):
        assert failures_digest.apply(throw=True).result == 2  # in-app and e-mail
        failures_digest.apply(throw=True)

    rows = Notification.objects.filter(event="failures_digest")
    assert rows.count() == 2 and {row.recipient for row in rows} == {admin_user}
    [sent] = [message for message in mail.outbox if admin_user.email in message.to]
    assert "Thông báo gửi lỗi: 1" in sent.body and "Văn bản không tạo được: 1" in sent.body
    assert "/admin/notifications/notification/?state__exact=failed" in sent.body
    assert "/admin/applications/document/?state__exact=failed" in sent.body
    assert "/admin/national/nationalsync/?state__exact=dead" in sent.body
    assert not Notification.objects.filter(event="failures_digest", recipient=citizen).exists()


def test_the_admin_opens_the_failed_documents_list(client, admin_user):
    Document.objects.create(kind=DocumentKind.RECEIPT, source_key="t2", state=DocumentState.FAILED)
    client.force_login(admin_user)
    response = client.get("/admin/applications/document/?state__exact=failed")
    assert response.status_code == 200 and str(DocumentKind.RECEIPT.label) in response.content.decode()
