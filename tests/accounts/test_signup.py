import pytest

from django.urls import reverse

from accounts.models import Role, User

pytestmark = pytest.mark.django_db
SIGNUP = reverse("accounts:signup")
GOOD = {
    "full_name": "  Lý   Thị Mai ",
    "email": "mai@example.vn",
    "phone": "",
    "password1": "mot-mat-khau-dai-2026",
    "password2": "mot-mat-khau-dai-2026",
    "consent": "on",
}


def test_citizen_signs_up_with_email_and_is_logged_in(client):
    response = client.post(SIGNUP, GOOD)
    assert response.status_code == 302
    user = User.objects.get(email="mai@example.vn")
    assert user.full_name == "Lý Thị Mai"
    assert user.role == Role.CITIZEN
    assert user.groups.filter(name="Công dân").exists()
    assert client.get("/").context["user"] == user


def test_citizen_signs_up_with_phone_only(client):
    response = client.post(SIGNUP, {**GOOD, "email": "", "phone": "0987 654 321"})
    assert response.status_code == 302
    assert User.objects.get(phone="0987654321").email is None


def test_signup_with_an_existing_email_says_so(client, citizen):
    response = client.post(SIGNUP, {**GOOD, "email": "Citizen@Example.vn"})
    assert response.status_code == 200
    assert "đã được dùng cho một tài khoản khác" in response.content.decode()
    assert User.objects.count() == 1


def test_signup_with_an_existing_phone_says_so(client, citizen):
    response = client.post(SIGNUP, {**GOOD, "email": "", "phone": "+84912000001"})
    assert "Số điện thoại này đã được dùng" in response.content.decode()
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    "change, message",
    [
        ({"email": "", "phone": ""}, "Hãy nhập thư điện tử hoặc số điện thoại"),
        ({"phone": "12345"}, "Số điện thoại không hợp lệ"),
        ({"password2": "khac-hoan-toan-2026"}, "Hai mật khẩu không khớp"),
        ({"consent": ""}, "đồng ý với việc xử lý dữ liệu cá nhân"),
        ({"password1": "123", "password2": "123"}, "Mật khẩu"),
    ],
)
def test_bad_signup_input_gets_a_clear_vietnamese_error(client, change, message):
    response = client.post(SIGNUP, {**GOOD, **change})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()
