"""A citizen through the API: read own dossiers, file (validated like the web form), supplement, idempotency."""

from __future__ import annotations

import pytest

from django.urls import reverse

from applications.models import Attachment, Dossier, Status
from tests.api.conftest import filing_body
from tests.factories import make_dossier

pytestmark = pytest.mark.django_db


def test_filing_through_the_api_submits_a_dossier_like_the_web_form(api, citizen, commune, version):
    api.force_authenticate(citizen)
    response = api.post(reverse("api:my-dossiers"), filing_body(version, commune), format="json")
    assert response.status_code == 201, response.json()
    dossier = Dossier.objects.get(code=response.json()["code"])
    assert dossier.status == Status.SUBMITTED and dossier.owner == citizen and dossier.consent_at is not None
    assert dossier.form_data["child_name"] == "Nguyễn Văn Bé"
    assert dossier.attachments.count() == 1
    assert response["ETag"] == f'"{dossier.version}"'
    assert [e["action"] for e in response.json()["timeline"]] == ["submitted"]


@pytest.mark.parametrize("change, field", [
    ({"answers": {"child_name": "Nguyễn Văn Bé"}}, "answers.birth_date"),
    ({"answers": {"child_name": ["x"], "birth_date": "2026-01-05"}}, "answers.child_name"),
    ({"applicant": {"agency": 999999, "applicant_name": "A", "applicant_id_number": "123", "result_delivery": "online"}},
     "applicant.applicant_id_number"),
])
def test_a_refused_filing_writes_nothing(api, citizen, commune, version, change, field):
    api.force_authenticate(citizen)
    response = api.post(reverse("api:my-dossiers"), filing_body(version, commune, **change), format="json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert field in response.json()["errors"]
    assert Dossier.objects.count() == 0 and Attachment.objects.count() == 0


def test_a_refused_file_writes_nothing(api, citizen, commune, version):
    api.force_authenticate(citizen)
    body = filing_body(version, commune)
    body["attachments"][0]["content_base64"] = "TVqQAAMAAAAEAAAA//8AAA=="  # an .exe header
    response = api.post(reverse("api:my-dossiers"), body, format="json")
    assert response.status_code == 400
    assert Dossier.objects.count() == 0 and Attachment.objects.count() == 0


def test_a_retry_with_the_same_idempotency_key_gets_the_same_dossier(api, citizen, commune, version):
    api.force_authenticate(citizen)
    body = filing_body(version, commune)
    first = api.post(reverse("api:my-dossiers"), body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = api.post(reverse("api:my-dossiers"), body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and again["Idempotent-Replayed"] == "true"
    assert Dossier.objects.count() == 1
    other = api.post(reverse("api:my-dossiers"), filing_body(version, commune, answers={"child_name": "Khác",
                     "birth_date": "2026-01-05"}), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert other.status_code == 422 and other.json()["type"] == "/api/v1/problems/idempotency-key-reused"
    assert Dossier.objects.count() == 1


def test_my_dossiers_lists_only_mine_within_a_query_budget(api, citizen, other_citizen, commune, version,
                                                          django_assert_max_num_queries):
    for _n in range(6):
        make_dossier(version, commune, citizen)
    theirs = make_dossier(version, commune, other_citizen)
    api.force_authenticate(citizen)
    with django_assert_max_num_queries(4):
        body = api.get(reverse("api:my-dossiers")).json()
    assert len(body["results"]) == 6 and theirs.code not in str(body)


def test_a_supplement_is_answered_through_the_workflow_with_a_version_check(api, citizen, commune, version,
                                                                           specialist):
    from applications import workflow

    dossier = make_dossier(version, commune, citizen, status=Status.PROCESSING, assigned_to=specialist)
    dossier = workflow.dossier_request_supplement(dossier, actor=specialist, expected_version=dossier.version,
                                                  items=["Giấy chứng sinh"])
    api.force_authenticate(citizen)
    url = reverse("api:my-supplement", args=[dossier.code])
    assert api.post(url, {"note": "x"}, format="json").status_code == 428
    stale = api.post(url, {"note": "x"}, format="json", HTTP_IF_MATCH=f'"{dossier.version + 1}"')
    assert stale.status_code == 412
    response = api.post(url, {"note": "Đã bổ sung giấy chứng sinh"}, format="json", HTTP_IF_MATCH=f'"{dossier.version}"')
    assert response.status_code == 200, response.json()
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING


def test_a_session_post_without_the_csrf_token_is_refused(citizen, commune, version):
    from rest_framework.test import APIClient

    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(citizen)
    assert browser.get(reverse("api:my-dossiers")).status_code == 200
    response = browser.post(reverse("api:my-dossiers"), filing_body(version, commune), format="json")
    assert response.status_code == 403 and response["Content-Type"].startswith("application/problem+json")
    assert Dossier.objects.count() == 0


def test_a_dossier_page_costs_the_same_queries_with_more_events(api, citizen, commune, version, officer,
                                                               django_assert_max_num_queries):
    from applications import workflow

    dossier = make_dossier(version, commune, citizen)
    api.force_authenticate(citizen)
    url = reverse("api:my-dossier", args=[dossier.code])
    with django_assert_max_num_queries(14):
        assert api.get(url).status_code == 200
    workflow.dossier_receive(dossier, actor=officer, expected_version=dossier.version)
    with django_assert_max_num_queries(14):
        body = api.get(url).json()
    assert "received" in [event["action"] for event in body["timeline"]]


def test_stored_answers_are_forgotten_after_the_configured_hours(api, citizen, commune, version, settings):
    from datetime import timedelta

    from django.utils import timezone

    from api.models import IdempotentRequest
    from api.services import idempotency_prune

    api.force_authenticate(citizen)
    api.post(reverse("api:my-dossiers"), filing_body(version, commune), format="json", HTTP_IDEMPOTENCY_KEY="old")
    assert idempotency_prune() == 0
    assert idempotency_prune(now=timezone.now() + timedelta(hours=settings.API_IDEMPOTENCY_HOURS + 1)) == 1
    assert not IdempotentRequest.objects.exists()
