import pytest

from accounts.access import agency_subtree_ids, staff_agency_ids

pytestmark = pytest.mark.django_db


def test_an_officer_sees_only_their_commune(officer, commune, other_commune):
    assert staff_agency_ids(officer) == [commune.pk]


def test_province_staff_see_every_commune_below(province, commune, other_commune):
    assert set(agency_subtree_ids(province.pk)) == {province.pk, commune.pk, other_commune.pk}


def test_citizens_have_no_agency_scope(citizen):
    assert staff_agency_ids(citizen) == []


def test_legacy_agency_code_is_written_from_level_four_down(commune):
    assert commune.legacy_code() == "000.01.01.H99"


def test_staff_pages_refuse_citizens_with_the_vietnamese_403(client, citizen):
    client.force_login(citizen)
    response = client.get("/officer/")
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()


def test_citizen_pages_refuse_staff(client, officer):
    client.force_login(officer)
    assert client.get("/dossiers/").status_code == 403


def test_anonymous_users_are_sent_to_login(client, db):
    response = client.get("/officer/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
