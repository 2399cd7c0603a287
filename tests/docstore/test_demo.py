"""seed_demo gives citizen@example.vn a returned result and a kept paper in "Giấy tờ của tôi"."""

import pytest

from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from applications.documents import document_generate
from applications.models import Attachment, Document, DocumentKind, DocumentState
from procedures.models import Procedure
from tests.applications.filing.builders import draft_for

pytestmark = pytest.mark.django_db


def test_the_demo_citizen_has_a_result_and_a_kept_paper_and_the_marriage_procedure_offers_the_result(client):
    call_command("seed_demo", verbosity=0)
    # What the documents worker does after commit (no worker runs inside this test's transaction).
    for pk in Document.objects.filter(kind=DocumentKind.RESULT, state=DocumentState.PENDING).values_list("pk", flat=True):
        document_generate(document_id=pk)
    citizen = User.objects.get(email="citizen@example.vn")
    kept = Attachment.objects.get(dossier__owner=citizen, in_store=True)
    client.force_login(citizen)
    page = client.get(reverse("docstore:my-documents")).content.decode()
    assert "Giấy xác nhận tình trạng hôn nhân" in page and "Kết quả do cơ quan nhà nước cấp" in page
    assert "Giấy chứng sinh" in page and reverse("docstore:download", args=["file", kept.pk]) in page
    assert client.get(reverse("docstore:download", args=["file", kept.pk])).status_code == 200

    marriage = Procedure.objects.get(code="1.000894").current_version
    draft = draft_for(marriage, marriage.receiving_agencies.order_by("pk").first(), citizen)
    offers = client.get(reverse("docstore:reuse", args=[draft.pk])).content.decode()
    assert "Dùng giấy tờ này" in offers and "Giấy xác nhận tình trạng hôn nhân" in offers
