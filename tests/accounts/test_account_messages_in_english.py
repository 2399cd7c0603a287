"""A person using the English UI signs up and resets a password in English: pages, errors and the messages sent."""

import re
from urllib.parse import urlsplit

import pytest

from django.core import mail
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db
NEW = "a-new-password-2026"


@pytest.fixture
def english(client):
    client.post(reverse("set_language"), {"language": "en"})
    return client


def test_a_password_reset_in_english_from_request_to_new_password(english, citizen,
                                                                   django_capture_on_commit_callbacks):
    form = english.get(reverse("accounts:password-reset")).content.decode()
    assert "Forgot password" in form and "Send password reset link" in form

    with django_capture_on_commit_callbacks(execute=True):
        sent_page = english.post(reverse("accounts:password-reset"), {"identifier": "citizen@example.vn"}, follow=True)

    page = sent_page.content.decode()
    assert "Check your inbox" in page
    assert "If an account exists for this email address, you will receive an email" in page
    [sent] = mail.outbox
    assert sent.subject == "[Cổng Dịch vụ công] Reset your password"
    assert sent.body.startswith(f"Dear {citizen.full_name},\n\nSomeone asked to reset the password of your account")
    link = urlsplit(re.search(r"https?://\S+/accounts/password-reset/\S+/\S+/", sent.body).group(0)).path

    confirm = english.get(link, follow=True)
    assert "Set a new password" in confirm.content.decode() and "Save new password" in confirm.content.decode()
    done = english.post(confirm.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}, follow=True)

    assert "Your password has been changed. Please log in with your new password." in done.content.decode()
    citizen.refresh_from_db()
    assert citizen.check_password(NEW)
    spent = english.get(link, follow=True).content.decode()
    assert "This link can no longer be used" in spent
    assert "The password reset link has already been used or has expired. Please request a new link." in spent


def test_a_sign_up_in_english_gets_the_activation_message_in_english(english, django_capture_on_commit_callbacks):
    data = {"full_name": "Mai Lý", "email": "mai@example.vn", "phone": "", "password1": NEW, "password2": NEW,
            "consent": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        sent_page = english.post(reverse("accounts:signup"), data, follow=True)

    assert "Check your inbox to activate your account" in sent_page.content.decode()
    [sent] = mail.outbox
    assert sent.subject == "[Cổng Dịch vụ công] Activate your account"
    assert "Hello Mai Lý, open the link below within" in sent.body
    link = urlsplit(re.search(r"https?://\S+/accounts/activate/\S+/", sent.body).group(0)).path

    landing = english.get(link, follow=True)

    assert "Your account has been activated. Welcome to the Public Services Portal." in landing.content.decode()
    assert User.objects.get(email="mai@example.vn").preferred_language == "en"
