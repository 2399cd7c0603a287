"""After signing in: the language the person chose stays, and each role lands where it works."""

import pytest

from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")


def test_a_citizen_who_chose_english_stays_in_english_after_logging_in(client, citizen):
    assert citizen.preferred_language == "vi"
    client.post(reverse("set_language"), {"language": "en"})

    response = client.post(LOGIN, {"username": "citizen@example.vn", "password": PASSWORD}, follow=True)

    assert response.wsgi_request.LANGUAGE_CODE == "en"
    assert '<html lang="en">' in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.preferred_language == "en"


def test_without_a_choice_on_this_device_the_saved_language_applies(client, citizen):
    citizen.preferred_language = "en"
    citizen.save()
    response = client.post(LOGIN, {"username": "citizen@example.vn", "password": PASSWORD})
    assert response.cookies["portal_language"].value == "en"


def test_the_language_options_are_labelled_in_their_own_language(client, db):
    for code in ("vi", "en"):
        client.cookies["portal_language"] = code
        page = client.get(LOGIN).content.decode()
        assert '<option value="vi" lang="vi"' in page and ">Tiếng Việt</option>" in page
        assert '<option value="en" lang="en"' in page and ">English</option>" in page


@pytest.mark.parametrize("persona", ["officer", "specialist", "leader"])
def test_staff_land_on_their_queue(client, request, persona):
    user = request.getfixturevalue(persona)
    response = client.post(LOGIN, {"username": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("applications:officer-home")


def test_citizens_land_on_their_dossiers(client, citizen):
    response = client.post(LOGIN, {"username": "0912000001", "password": PASSWORD})
    assert response["Location"] == reverse("applications:my-dossiers")


def test_a_citizen_returns_to_the_page_they_came_from(client, citizen):
    target = reverse("procedures:list") + "?q=khai+sinh"
    response = client.post(LOGIN, {"username": "citizen@example.vn", "password": PASSWORD, "next": target})
    assert response["Location"] == target


@pytest.mark.parametrize("next_url", ["https://evil.example/steal", "//evil.example/", "/\\evil.example",
                                      "javascript:alert(1)"])
def test_an_unsafe_next_is_ignored(client, citizen, next_url):
    response = client.post(LOGIN, {"username": "citizen@example.vn", "password": PASSWORD, "next": next_url})
    assert response["Location"] == reverse("applications:my-dossiers")


def test_an_officer_sent_to_login_from_a_page_returns_there(client, officer):
    target = reverse("payments:report")
    response = client.post(LOGIN, {"username": officer.email, "password": PASSWORD, "next": target})
    assert response["Location"] == target


def test_a_signed_in_visitor_opening_login_goes_to_their_landing(client, officer):
    client.force_login(officer)
    assert client.get(LOGIN)["Location"] == reverse("applications:officer-home")


def test_signing_out_forgets_the_language_so_the_next_person_starts_in_vietnamese(client, citizen, other_citizen):
    client.post(reverse("set_language"), {"language": "en"})
    client.post(LOGIN, {"username": "citizen@example.vn", "password": PASSWORD})

    logout = client.post(reverse("accounts:logout"))
    client.post(LOGIN, {"username": "citizen2@example.vn", "password": PASSWORD})

    assert logout.cookies["portal_language"].value == ""
    other_citizen.refresh_from_db()
    assert other_citizen.preferred_language == "vi"
    assert client.get(reverse("applications:my-dossiers")).wsgi_request.LANGUAGE_CODE == "vi"


def test_a_citizen_who_clicked_log_in_on_a_page_returns_to_it(client, citizen):
    page = reverse("procedures:list") + "?q=khai+sinh"
    form = client.get(LOGIN, HTTP_REFERER=f"http://testserver{page}").content.decode()
    assert f'name="came_from" value="{page.replace("+", "+")}"' in form

    response = client.post(LOGIN, {"username": "citizen@example.vn", "password": PASSWORD, "came_from": page})

    assert response["Location"] == page


def test_a_foreign_referer_or_came_from_is_ignored(client, citizen):
    form = client.get(LOGIN, HTTP_REFERER="https://evil.example/x").content.decode()
    assert 'name="came_from" value=""' in form
    response = client.post(LOGIN, {"username": "citizen@example.vn", "password": PASSWORD,
                                   "came_from": "https://evil.example/x"})
    assert response["Location"] == reverse("applications:my-dossiers")


def test_staff_go_to_their_queue_even_from_a_public_page(client, officer):
    response = client.post(LOGIN, {"username": officer.email, "password": PASSWORD, "came_from": "/procedures/"})
    assert response["Location"] == reverse("applications:officer-home")
