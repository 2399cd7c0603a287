"""Agency systems: keys (hashed, scoped, revocable), queues, a dossier, workflow actions as the back office."""

from __future__ import annotations

import pytest

from django.urls import reverse

from api.keys import api_key_issue, api_key_revoke, api_key_rotate
from api.models import ApiKey
from applications.models import Dossier, DossierEvent, Status
from tests.factories import make_dossier

pytestmark = pytest.mark.django_db


def test_a_key_is_stored_hashed_and_revocable(api, officer, commune, version):
    key, raw = api_key_issue(name="Hệ thống A", agency=commune, user=officer)
    assert raw not in str(ApiKey.objects.filter(pk=key.pk).values().get())
    assert api.get(reverse("api:agency-queues"), HTTP_X_API_KEY=raw).status_code == 200
    new, new_raw = api_key_rotate(key)
    assert api.get(reverse("api:agency-queues"), HTTP_X_API_KEY=raw).status_code == 401
    assert api.get(reverse("api:agency-queues"), HTTP_X_API_KEY=new_raw).status_code == 200
    api_key_revoke(new)
    response = api.get(reverse("api:agency-queues"), HTTP_X_API_KEY=new_raw)
    assert response.status_code == 401 and response["Content-Type"].startswith("application/problem+json")


def test_a_key_cannot_act_for_staff_of_another_agency(officer, other_commune):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        api_key_issue(name="x", agency=other_commune, user=officer)


def test_the_queue_lists_only_the_keys_agency_within_a_query_budget(
    api, officer_key, citizen, commune, other_commune, version, django_assert_max_num_queries
):
    mine = [make_dossier(version, commune, citizen) for _n in range(5)]
    version.receiving_agencies.add(other_commune)
    theirs = make_dossier(version, other_commune, citizen)
    with django_assert_max_num_queries(6):
        body = api.get(reverse("api:agency-queue", args=["new"]), HTTP_X_API_KEY=officer_key).json()
    codes = {row["code"] for row in body["results"]}
    assert codes == {d.code for d in mine} and theirs.code not in codes


def test_another_communes_key_gets_404_and_changes_nothing(api, other_officer_key, citizen, commune, version):
    dossier = make_dossier(version, commune, citizen)
    assert api.get(reverse("api:agency-dossier", args=[dossier.code]), HTTP_X_API_KEY=other_officer_key).status_code == 404
    response = api.post(reverse("api:agency-action", args=[dossier.code, "receive"]), {"version": dossier.version},
                        format="json", HTTP_X_API_KEY=other_officer_key)
    assert response.status_code == 404
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED


def test_a_stale_version_is_409_like_the_back_office(api, officer_key, citizen, commune, version):
    dossier = make_dossier(version, commune, citizen)
    url = reverse("api:agency-action", args=[dossier.code, "receive"])
    assert api.post(url, {"version": dossier.version + 1}, format="json", HTTP_X_API_KEY=officer_key).status_code == 409
    assert api.post(url, {}, format="json", HTTP_X_API_KEY=officer_key,
                    HTTP_IF_MATCH=f'"{dossier.version + 1}"').status_code == 412
    assert api.post(url, {}, format="json", HTTP_X_API_KEY=officer_key).status_code == 428


def _walk_web(client, officer, specialist, dossier):
    client.force_login(officer)
    dossier.refresh_from_db()
    client.post(reverse("applications:officer-action", args=[dossier.code, "receive"]),
                {"receive-expected_version": dossier.version, "receive-note": "Đủ giấy tờ"})
    dossier.refresh_from_db()
    client.post(reverse("applications:officer-action", args=[dossier.code, "transfer"]),
                {"transfer-expected_version": dossier.version, "transfer-specialist": specialist.pk})


def _walk_api(api, key, specialist, dossier):
    dossier.refresh_from_db()
    first = api.post(reverse("api:agency-action", args=[dossier.code, "receive"]),
                     {"version": dossier.version, "note": "Đủ giấy tờ"}, format="json", HTTP_X_API_KEY=key)
    assert first.status_code == 200, first.json()
    second = api.post(reverse("api:agency-action", args=[dossier.code, "transfer"]), {"specialist": specialist.pk},
                      format="json", HTTP_X_API_KEY=key, HTTP_IF_MATCH=first["ETag"])
    assert second.status_code == 200, second.json()


def _rows(dossier: Dossier) -> tuple:
    dossier.refresh_from_db()
    events = [(e.action, e.actor_id, e.actor_role, e.from_status, e.to_status, e.note, e.is_public)
              for e in DossierEvent.objects.filter(dossier=dossier).order_by("at", "pk")]
    sheet = [(c.step, c.from_user_id, c.to_user_id) for c in dossier.control_sheet.order_by("pk")]
    return (dossier.status, dossier.version, dossier.assigned_to_id, dossier.received_at is not None,
            dossier.due_current is not None, events, sheet, sorted(dossier.documents.values_list("kind", flat=True)))


def test_the_api_walks_the_same_path_as_the_back_office(api, client, officer_key, officer, specialist, citizen, commune,
                                                       version):
    by_web = make_dossier(version, commune, citizen)
    by_api = make_dossier(version, commune, citizen)
    _walk_web(client, officer, specialist, by_web)
    _walk_api(api, officer_key, specialist, by_api)
    assert _rows(by_web)[0] == Status.PROCESSING
    assert _rows(by_web) == _rows(by_api)


def test_a_role_the_key_lacks_is_refused_by_the_workflow(api, officer_key, citizen, commune, version, specialist):
    dossier = make_dossier(version, commune, citizen, status=Status.PENDING_APPROVAL, assigned_to=specialist)
    response = api.post(reverse("api:agency-action", args=[dossier.code, "approve"]), {"version": dossier.version},
                        format="json", HTTP_X_API_KEY=officer_key)
    assert response.status_code == 403 and response["Content-Type"].startswith("application/problem+json")


def test_anonymous_and_staff_sessions_get_nothing(api, client, officer, citizen, commune, version):
    dossier = make_dossier(version, commune, citizen)
    assert api.get(reverse("api:agency-dossier", args=[dossier.code])).status_code == 401
    client.force_login(officer)  # a staff browser session is not an API credential
    assert client.get(reverse("api:agency-dossier", args=[dossier.code])).status_code == 401
    assert client.get(reverse("api:my-dossiers")).status_code == 401


def test_each_key_has_its_own_rate_limit(api, settings, officer_key, other_officer_key):
    settings.API_RATE_KEY = "2/minute"
    url = reverse("api:agency-queues")
    assert [api.get(url, HTTP_X_API_KEY=officer_key).status_code for _n in range(3)] == [200, 200, 429]
    assert api.get(url, HTTP_X_API_KEY=other_officer_key).status_code == 200


def test_the_admin_shows_a_new_key_once_and_rotates_it(client, admin_user, officer, commune):
    client.force_login(admin_user)
    response = client.post(reverse("admin:api_apikey_add"), {"name": "Hệ thống B", "agency": commune.pk,
                                                               "user": officer.pk}, follow=True)
    shown = [str(m) for m in response.context["messages"]]
    key = ApiKey.objects.get()
    raw = next(word for message in shown for word in message.split() if word.startswith("dvc_"))
    assert key.prefix in raw and raw not in str(ApiKey.objects.values().get())
    client.post(reverse("admin:api_apikey_changelist"), {"action": "rotate", "_selected_action": [key.pk]})
    key.refresh_from_db()
    assert key.revoked_at is not None and ApiKey.objects.filter(revoked_at__isnull=True).count() == 1


def test_a_queue_count_says_when_it_is_capped(api, officer_key, citizen, commune, version, settings):
    settings.LIST_MAX_ROWS = 2
    for _n in range(3):
        make_dossier(version, commune, citizen)
    queues = {q["key"]: q for q in api.get(reverse("api:agency-queues"), HTTP_X_API_KEY=officer_key).json()}

    assert queues["all"]["count"] == 3 and queues["all"]["capped"] is True
    assert all(q["capped"] is False for key, q in queues.items() if q["count"] <= 2)
