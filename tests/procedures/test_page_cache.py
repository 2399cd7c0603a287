"""Rendered catalogue pages are cached, and every catalogue write makes them fresh again."""

from datetime import timedelta

import pytest

from django.utils import timezone

from procedures.models import Procedure, ProcedureVersion
from procedures.services import procedure_version_new_draft, procedure_version_publish

pytestmark = pytest.mark.django_db


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main"):html.index("</main>")]


def test_a_repeated_search_is_served_from_the_cache_without_catalogue_queries(
    client, catalogue, django_assert_max_num_queries
):
    first = _main(client.get("/procedures/", {"q": "khai sinh"}))

    with django_assert_max_num_queries(0):
        again = _main(client.get("/procedures/", {"q": "khai sinh"}))

    assert again == first and "Đăng ký khai sinh" in again


def test_publishing_a_version_refreshes_cached_list_detail_and_home(
    client, catalogue, django_capture_on_commit_callbacks
):
    birth = Procedure.objects.get(code="1.001193")
    for url in ("/procedures/?q=khai+sinh", "/procedures/1.001193/", "/"):
        assert "Đăng ký khai sinh (2026)" not in client.get(url).content.decode()
    draft = procedure_version_new_draft(birth)
    ProcedureVersion.objects.filter(pk=draft.pk).update(name="Đăng ký khai sinh (2026)")

    with django_capture_on_commit_callbacks(execute=True):
        procedure_version_publish(draft, effective_from=timezone.localdate())

    for url in ("/procedures/?q=khai+sinh", "/procedures/1.001193/", "/"):
        assert "Đăng ký khai sinh (2026)" in client.get(url).content.decode(), url


def test_a_future_version_does_not_show_until_it_takes_effect(client, catalogue, django_capture_on_commit_callbacks):
    birth = Procedure.objects.get(code="1.001193")
    draft = procedure_version_new_draft(birth)
    ProcedureVersion.objects.filter(pk=draft.pk).update(name="Đăng ký khai sinh (tương lai)")

    with django_capture_on_commit_callbacks(execute=True):
        procedure_version_publish(draft, effective_from=timezone.localdate() + timedelta(days=3))

    assert "(tương lai)" not in client.get("/procedures/1.001193/").content.decode()


def test_admin_edits_refresh_the_cached_pages(client, admin_user, catalogue, django_capture_on_commit_callbacks):
    birth = Procedure.objects.get(code="1.001193")
    assert client.get("/procedures/1.001193/").status_code == 200
    client.force_login(admin_user)
    data = {
        "code": birth.code, "sector": birth.sector_id, "implementing_level": "commune",
        "versions-TOTAL_FORMS": "1", "versions-INITIAL_FORMS": "1", "versions-MIN_NUM_FORMS": "0",
        "versions-MAX_NUM_FORMS": "1000", "versions-0-id": str(birth.current_version_id),
        "versions-0-procedure": str(birth.pk),
    }  # is_published unticked

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/procedures/procedure/{birth.pk}/change/", data)

    assert response.status_code == 302
    client.logout()
    assert client.get("/procedures/1.001193/").status_code == 404
