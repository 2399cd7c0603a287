"""Issue 10 item 22: filing shows the Law 91/2025 processing notice; it is not a consent the citizen may refuse."""

import uuid

import pytest

from applications.models import Status
from tests.applications.filing.builders import draft_for, make_complete

pytestmark = pytest.mark.django_db


def test_the_review_page_informs_about_processing_under_the_agencys_legal_duty(client, citizen, commune, version):
    dossier = draft_for(version, commune, citizen)
    client.force_login(citizen)
    page = client.get(f"/dossiers/draft/{dossier.pk}/review/").content.decode()
    assert "Thông báo về xử lý dữ liệu cá nhân" in page
    assert "Bên kiểm soát dữ liệu" in page and commune.name in page  # the controller
    assert "Dữ liệu được xử lý" in page and "Mục đích và căn cứ" in page and "Quyền của bạn" in page
    assert "91/2025/QH15" in page and "không cần sự đồng ý riêng" in page
    assert 'name="consent"' not in page  # nothing to tick, nothing to refuse


def test_a_complete_dossier_is_submitted_without_any_consent_box_and_the_notice_time_is_kept(
    client, citizen, commune, version
):
    dossier = make_complete(draft_for(version, commune, citizen), citizen)
    client.force_login(citizen)
    response = client.post(f"/dossiers/draft/{dossier.pk}/review/", {"submit_token": str(uuid.uuid4())})
    dossier.refresh_from_db()
    assert response.status_code == 302
    assert dossier.status == Status.SUBMITTED and dossier.consent_at is not None


def test_the_officer_reads_the_notice_to_the_walk_in(client, officer, version):
    from applications.models import Dossier

    client.force_login(officer)
    client.post("/officer/guided/", {"action": "start", "version": version.pk, "channel": "in_person"})
    dossier = Dossier.objects.get()
    page = client.get(f"/officer/guided/{dossier.pk}/review/").content.decode()
    assert "Đọc hoặc đưa người nộp xem thông báo này" in page and 'name="consent"' not in page


def test_the_review_page_runs_a_fixed_number_of_queries(client, citizen, commune, version, django_assert_max_num_queries):
    dossier = make_complete(draft_for(version, commune, citizen), citizen)
    client.force_login(citizen)
    with django_assert_max_num_queries(18):
        assert client.get(f"/dossiers/draft/{dossier.pk}/review/").status_code == 200
