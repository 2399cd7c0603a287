import pytest

from procedures.models import Procedure, ProcedureVersion, VersionStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize("url", [
    "/admin/procedures/procedure/", "/admin/procedures/procedure/?q=khai+sinh",
    "/admin/procedures/procedure/?is_published__exact=1", "/admin/procedures/procedureversion/",
    "/admin/procedures/procedureversion/?status__exact=published", "/admin/procedures/sector/",
    "/admin/procedures/legaldocument/", "/admin/procedures/procedureversion/add/",
])
def test_admin_pages_load(admin_client, catalogue, url):
    assert admin_client.get(url).status_code == 200


def test_procedure_change_form_lists_its_versions(admin_client, catalogue):
    procedure = Procedure.objects.get(code="1.001193")

    response = admin_client.get(f"/admin/procedures/procedure/{procedure.pk}/change/")

    assert response.status_code == 200
    assert "Đăng ký khai sinh" in response.content.decode()


def test_published_version_is_read_only_with_its_inlines(admin_client, catalogue):
    version = Procedure.objects.get(code="1.001193").current_version

    response = admin_client.get(f"/admin/procedures/procedureversion/{version.pk}/change/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "Tờ khai đăng ký khai sinh" in html and "Họ, chữ đệm, tên của trẻ" in html
    assert 'name="name"' not in html  # read-only
    response = admin_client.post(f"/admin/procedures/procedureversion/{version.pk}/change/", {"name": "Đổi"})
    version.refresh_from_db()
    assert version.name == "Đăng ký khai sinh"


def test_draft_version_change_form_has_editable_inlines(admin_client, catalogue):
    procedure = Procedure.objects.get(code="1.001193")
    admin_client.post("/admin/procedures/procedure/", {
        "action": "create_new_version", "_selected_action": [procedure.pk],
    })
    draft = procedure.versions.get(status=VersionStatus.DRAFT)

    html = admin_client.get(f"/admin/procedures/procedureversion/{draft.pk}/change/").content.decode()

    assert 'name="name"' in html
    assert 'name="components-0-name"' in html and 'name="fees-0-amount"' in html
    assert 'name="form_fields-0-key"' in html


def test_new_version_and_publish_actions(admin_client, catalogue):
    procedure = Procedure.objects.get(code="1.004873")

    response = admin_client.post("/admin/procedures/procedure/", {
        "action": "create_new_version", "_selected_action": [procedure.pk],
    }, follow=True)
    assert response.status_code == 200
    draft = procedure.versions.get(status=VersionStatus.DRAFT)
    assert draft.number == 2

    response = admin_client.post("/admin/procedures/procedureversion/", {
        "action": "publish_versions", "_selected_action": [draft.pk],
    }, follow=True)

    assert response.status_code == 200
    draft.refresh_from_db()
    procedure.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED
    assert procedure.current_version_id == draft.pk
    assert ProcedureVersion.objects.filter(procedure=procedure).count() == 2


def test_citizens_cannot_open_the_admin(client, citizen, catalogue):
    client.force_login(citizen)

    response = client.get("/admin/procedures/procedure/")

    assert response.status_code == 302
