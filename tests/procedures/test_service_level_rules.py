"""Decree 42/2022 Art 11: a procedure that cannot be filed online is information only (not "Một phần"),
and a full-process procedure must offer online filing, online payment and the result online or by post."""

from __future__ import annotations

import re

import pytest

from django.core.exceptions import ValidationError

from applications.filing import delivery_choices
from procedures.models import ProcedureVersion, ResultType, ServiceLevel, VersionStatus
from procedures.services import ProcedureError, procedure_version_publish
from tests.factories import make_procedure

pytestmark = pytest.mark.django_db


def _badges(html: str) -> list[str]:
    return [re.sub(r"\s+", " ", badge).strip() for badge in re.findall(r'class="badge[^"]*"[^>]*>([^<]+)<', html)]


@pytest.fixture
def counter_only(commune):
    version = make_procedure(agency=commune, name="Chứng thực chữ ký", service_level=ServiceLevel.PARTIAL)
    ProcedureVersion.objects.filter(pk=version.pk).update(channel_online=False)
    version.refresh_from_db()
    return version


def test_a_procedure_without_online_filing_is_labelled_information_only(client, counter_only, commune):
    code = counter_only.procedure.code
    partial = make_procedure(agency=commune, name="Đăng ký kết hôn", service_level=ServiceLevel.PARTIAL)

    detail = client.get(f"/procedures/{code}/").content.decode()
    listing = client.get("/procedures/").content.decode()

    assert counter_only.service_level_label == "Chỉ cung cấp thông tin trực tuyến"
    assert "Chỉ cung cấp thông tin trực tuyến" in _badges(detail) and "Một phần" not in _badges(detail)
    item = listing[listing.index("Chứng thực chữ ký"):]
    item = item[:item.index("</li>")]
    assert "Chỉ cung cấp thông tin trực tuyến" in item and "Một phần" not in item
    # The filter tells them apart too.
    only_info = client.get("/procedures/?service_level=info").content.decode()
    only_partial = client.get("/procedures/?service_level=partial").content.decode()
    assert "Chứng thực chữ ký" in only_info and "Đăng ký kết hôn" not in only_info
    assert "Đăng ký kết hôn" in only_partial and "Chứng thực chữ ký" not in only_partial
    assert partial.service_level_label == "Một phần"


def _draft(commune, **switches) -> ProcedureVersion:
    version = make_procedure(agency=commune, service_level=ServiceLevel.FULL, published=False)
    ProcedureVersion.objects.filter(pk=version.pk).update(**switches)
    version.refresh_from_db()
    return version


SWITCHED_OFF = {
    "online-filing": ({"channel_online": False}, "nộp hồ sơ trực tuyến"),
    "online-payment": ({"payment_online": False}, "thanh toán phí, lệ phí trực tuyến"),
    "online-or-post-result": ({"result_type": ResultType.PAPER, "result_by_post": False},
                              "trả kết quả trực tuyến hoặc qua bưu chính công ích"),
}


@pytest.mark.parametrize("case", SWITCHED_OFF)
def test_a_full_process_version_with_a_step_switched_off_cannot_be_published(case, commune):
    switches, words = SWITCHED_OFF[case]
    version = _draft(commune, **switches)

    with pytest.raises(ProcedureError) as refused:
        procedure_version_publish(version, effective_from=version.effective_from)

    assert words in str(refused.value)
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT
    with pytest.raises(ValidationError):
        version.full_clean()


def test_the_admin_publish_action_reports_why_and_publishes_nothing(client, admin_user, commune):
    version = _draft(commune, payment_online=False)
    client.force_login(admin_user)

    response = client.post("/admin/procedures/procedureversion/", {
        "action": "publish_versions", "_selected_action": [version.pk],
    }, follow=True)

    assert response.status_code == 200
    assert "Thủ tục toàn trình phải cho phép thanh toán phí, lệ phí trực tuyến." in response.content.decode()
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT


def test_paper_results_by_post_and_partial_procedures_without_online_steps_still_publish(commune):
    by_post = _draft(commune, result_type=ResultType.PAPER, result_by_post=True)
    procedure_version_publish(by_post, effective_from=by_post.effective_from)
    counter = _draft(commune, service_level=ServiceLevel.PARTIAL, channel_online=False, payment_online=False)
    procedure_version_publish(counter, effective_from=counter.effective_from)
    assert {by_post.pk, counter.pk} == set(
        ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED, pk__in=[by_post.pk, counter.pk])
        .values_list("pk", flat=True))


def test_the_admin_list_shows_the_information_only_label(client, admin_user, counter_only):
    client.force_login(admin_user)
    html = client.get("/admin/procedures/procedureversion/").content.decode()
    row = html[html.index("Chứng thực chữ ký"):]
    row = row[:row.index("</tr>")]
    assert "Chỉ cung cấp thông tin trực tuyến" in row and "Một phần" not in row


def test_postal_return_switched_off_is_not_offered_when_filing(commune):
    version = make_procedure(agency=commune, service_level=ServiceLevel.PARTIAL)
    assert "post" in delivery_choices(version)
    version.result_by_post = False
    assert delivery_choices(version) == ["online", "counter"]
