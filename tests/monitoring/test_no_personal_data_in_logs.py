"""No personal data in the logs: the citizen journeys run with the JSON log captured (every logger,
DEBUG level), and the output is scanned for the demo people's ID numbers, phone numbers and e-mail
addresses, and for anything shaped like one."""

from __future__ import annotations

import json
import logging
import re

import pytest

from django.core import mail
from django.urls import reverse

from accounts.demo import IDENTITIES
from applications.models import Dossier
from tests.applications.filing.builders import VALID_ID
from tests.applications.filing.test_guided import fill_and_submit
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

# Standalone numbers only: twelve digits inside a task id (a UUID's last group) or a hex token are not
# ID numbers.
ID_NUMBER = re.compile(r"(?<![\w-])\d{12}(?![\w-])")
PHONE = re.compile(r"(?<![\w+-])(?:\+84|0)\d{9}(?![\w-])")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def test_the_journeys_log_no_id_number_phone_or_email(
    client, citizen, officer, version, json_log, django_capture_on_commit_callbacks,
):
    citizen.id_number = IDENTITIES[citizen.email]["id_number"]
    citizen.save(update_fields=["id_number"])
    logging.getLogger().setLevel(logging.DEBUG)
    # Run what happens after each commit (notification sends, document renders) so their logs count too.
    with django_capture_on_commit_callbacks(execute=True):
        journeys(client, citizen, officer, version)
    logging.getLogger().setLevel(logging.INFO)

    assert mail.outbox, "the journeys sent nothing: they did not run as meant"
    assert Dossier.objects.get().code
    lines = json_log()
    assert sum(line["logger"] == "portal.access" for line in lines) >= 10
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines)
    for value in (citizen.id_number, VALID_ID, citizen.phone, "0987654321", citizen.email, "nobody@example.vn",
                  officer.email):
        assert value not in text
    assert not ID_NUMBER.findall(text)
    assert not PHONE.findall(text)
    assert not EMAIL.findall(text)


def journeys(client, citizen, officer, version) -> None:
    # Sign-in, with a wrong password first (the lockout logs), then the right one.
    client.post(reverse("accounts:login"), {"username": citizen.email, "password": "wrong"})
    client.post(reverse("accounts:login"), {"username": citizen.email, "password": PASSWORD})
    client.logout()
    # Password reset, for a known and an unknown address.
    client.post(reverse("accounts:password-reset"), {"identifier": citizen.email})
    client.post(reverse("accounts:password-reset"), {"identifier": "nobody@example.vn"})
    client.post(reverse("accounts:password-reset"), {"identifier": citizen.phone})  # by SMS
    # Filing at the counter for the citizen found by phone, and receiving at once.
    client.force_login(officer)
    client.post("/officer/guided/", {"action": "search", "identifier": citizen.id_number})
    client.post("/officer/guided/", {"action": "start", "version": version.pk, "identifier": citizen.phone,
                                     "channel": "in_person"})
    dossier = Dossier.objects.get()
    done = fill_and_submit(client, dossier)
    assert done.status_code == 302, done.content.decode()[-3000:]
    dossier.refresh_from_db()
    # Tracking by code, anonymously, then the citizen's own view.
    client.logout()
    client.get(reverse("applications:track"), {"code": dossier.code})
    client.force_login(citizen)
    client.get(reverse("applications:dossier", args=[dossier.code]))
