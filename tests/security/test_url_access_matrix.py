"""Every URL of the portal, tried as the wrong citizen and as the other commune's officer.

The test enumerates the project's URL patterns, so a new URL that is neither listed as public
nor given an access expectation here fails the suite: nobody can add a page and forget to
scope it.
"""

from __future__ import annotations

import pytest

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from applications.models import (
    Attachment,
    Channel,
    Document,
    DocumentKind,
    DocumentState,
    Dossier,
    SlipMailing,
    Status,
)
from feedback.models import Petition, PetitionAttachment, Rating
from notifications.models import Notification, NotificationChannel
from tests.factories import make_dossier, make_procedure
from tests.support.production import debug_off

pytestmark = pytest.mark.django_db

# Pages anyone may open (they show nothing personal, or only a masked summary).
PUBLIC = {
    "portal:home", "portal:healthz", "accounts:login", "accounts:logout", "accounts:signup", "set_language",
    "procedures:list", "procedures:detail", "procedures:component-template", "applications:track",
    "applications:verify",
    # Account recovery and activation: the same answer for every address; the links carry a
    # single-use token that is checked against its own account (see the test at the bottom).
    "accounts:signup-sent", "accounts:password-reset", "accounts:password-reset-sent",
    "accounts:password-reset-complete", "accounts:password-reset-confirm", "accounts:activate",
    # Called by the payment gateway itself; authenticated by the HMAC signature, tested in tests/payments.
    "payments:notification", "payments:return",
    # Prometheus scrape: no session opens it, only METRICS_TOKEN or METRICS_ALLOWED_IPS (404 when neither is
    # set); see the test below and tests/monitoring/test_metrics.py.
    "monitoring:metrics",
    # The simulated bank (an outside system; DEBUG only: see test_the_sandbox_does_not_exist_with_debug_off).
    "sandbox:bank", "sandbox:bank-api",
    # Sign-in with e-identity: a flow only completes in the browser session that started it (its state,
    # nonce and PKCE verifier live there); see tests/accounts/test_oidc_callback_faults.py.
    "accounts:identity-login", "accounts:identity-callback", "accounts:identity-signed-out",
    # Staff sign-in through an agency provider: the same, and only existing staff accounts complete it
    # (tests/accounts/test_staff_oidc_sign_in.py).
    "accounts:staff-identity-login", "accounts:staff-identity-callback", "accounts:staff-identity-backchannel-logout",
    # Called by the provider's server; authenticated by the signed logout token (test_oidc_backchannel_logout.py).
    "accounts:identity-backchannel-logout",
    # The simulated identity provider (DEBUG only, like the bank).
    "sandbox:idp-discovery", "sandbox:idp-authorize", "sandbox:idp-token", "sandbox:idp-jwks", "sandbox:idp-userinfo",
    "sandbox:idp-logout",
    # The simulated postal operator (DEBUG only), and the real operator's callback into the portal,
    # authenticated by its HMAC signature (tested in tests/postal).
    "sandbox:post", "sandbox:post-orders", "sandbox:post-order", "postal:callback",
    # Satisfaction rating behind a signed token (tests/feedback/test_ratings.py), the public petition
    # pages, and the petition tracking page opened by code + secret (tests/feedback/test_petitions.py).
    "feedback:rate", "feedback:rate-thanks", "feedback:petitions", "feedback:petition-new", "feedback:petition-sent",
    "feedback:track", "feedback:track-rate",
    # The REST API's public half: the catalogue, tracking (masked, rate-limited like /track/), the schema.
    "api:schema", "api:docs", "api:procedures", "api:procedure", "api:track",
    # The national portal's push of its dossiers into ours: a server-to-server call authenticated by
    # its bearer token and body signature (tests/national/test_inbound.py), never a session.
    "national:inbound",
    # The simulated national portal (DEBUG only): its desk, its sync API (token and signature checked,
    # tests/national/test_outbound_sync.py), its outbox for pull mode and the papers it serves.
    "sandbox:national", "sandbox:national-sync", "sandbox:national-outbox", "sandbox:national-outbox-ack",
    "sandbox:national-file",
    # The demo certificate authority's CRL and timestamp server (DEBUG only): public by nature, they
    # publish revocations and stamp hashes, and hold no one's data (tests/vault).
    "sandbox:ca-crl", "sandbox:ca-tsa",
    # Counts per agency only (tests/quality/test_transparency_page.py checks no dossier shows).
    "quality:transparency",
}
# Signed-in pages that list only the visitor's own things: the wrong person gets 200 but must
# not see the victim's dossier code.
SECRET = "Chủ Hồ Sơ Bí Mật"
OWN_LISTS = {
    "accounts:profile", "applications:my-dossiers", "notifications:inbox", "notifications:mark-all-read",
    "applications:officer-home", "applications:tracking-book", "applications:tracking-book-export",
    "payments:report", "applications:guided-start", "postal:handover", "feedback:officer-petitions",
    "docstore:my-documents", "postal:mail-queue",
    # The API's lists of the caller's own dossiers and the agency key's queues (tests/api covers keys).
    "api:my-dossiers", "api:agency-queues",
    # The citizen's export of their own data (a ZIP: unpacked and searched below).
    "retention:my-data-export",
}

# The staff second factor's pages act on the visitor's own account only (no id in the URL): a
# citizen gets 403, and another officer never sees the victim's secret or recovery codes.
OWN_ACCOUNT = {"two_factor:setup", "two_factor:verify", "two_factor:recheck", "two_factor:recovery-codes"}


def _all_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace: str = "") -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                walk(pattern.url_patterns, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns)
    return names


@pytest.fixture
def world(citizen, other_citizen, officer, other_officer, commune, other_commune):
    """The victim's things: a draft, a submitted dossier with an attachment, a document, a notification."""
    version = make_procedure(agency=commune, fee=10_000)
    # A marker that appears only where the victim's personal data leaks (the code itself is in the URL,
    # which error pages may echo back in the language switcher's "next" field).
    dossier = make_dossier(version, commune, citizen, status=Status.SUPPLEMENT_REQUESTED, subject_name=SECRET,
                           form_data={"child_name": SECRET})
    draft = make_dossier(version, commune, citizen, status=Status.DRAFT)
    guided_draft = make_dossier(version, commune, None, status=Status.DRAFT, filed_by=officer,
                                channel=Channel.IN_PERSON)
    attachment = Attachment.objects.create(
        dossier=dossier, original_name="to-khai.pdf", content_type="application/pdf", size=10, sha256="0" * 64,
        file="attachments/x/none", in_store=True,
    )
    result = Document.objects.create(
        dossier=dossier, kind=DocumentKind.RESULT, source_key="matrix:result", state=DocumentState.READY,
        file="documents/result.pdf",
    )
    document = Document.objects.create(
        dossier=dossier, kind=DocumentKind.RECEIPT, source_key="matrix:1", state=DocumentState.READY,
        file="documents/none.pdf",
    )
    # A slip to mail back to the victim (issue 17: a dossier that came by post).
    mailing = SlipMailing.objects.create(dossier=dossier, document_kind=DocumentKind.RECEIPT, recipient_name=SECRET,
                                         address=SECRET)
    notification = Notification.objects.create(
        event="received", channel=NotificationChannel.IN_APP, recipient=citizen, dedupe_key="matrix:1",
        subject="Hồ sơ đã được tiếp nhận", body=dossier.code,
    )
    kwargs = {
        "code": {"code": dossier.code},
        "pk": {"pk": draft.pk},
        "guided_pk": {"pk": guided_draft.pk},
        "dossier_pk": {"pk": dossier.pk},
        "attachment": {"pk": attachment.pk},
        "document": {"code": dossier.code, "pk": document.pk},
        "notification": {"pk": notification.pk},
        "store_file": {"source": "file", "pk": attachment.pk},
        "store_result": {"source": "result", "pk": result.pk},
        "mailing": {"pk": mailing.pk},
    }
    petition = Petition.objects.create(
        code="PA261201-MATRIX", secret_hash="x", topic="agency", agency=commune, title=SECRET, content=SECRET,
        sender_name=SECRET, sender_email="victim@example.vn", received_at=timezone.now(), due_at=timezone.now(),
    )
    petition_attachment = PetitionAttachment.objects.create(
        petition=petition, file="petitions/none.pdf", original_name="x.pdf", content_type="application/pdf", size=1,
        sha256="0" * 64,
    )
    kwargs["petition"] = {"code": petition.code}
    return {"dossier": dossier, "draft": draft, "guided_draft": guided_draft, "kwargs": kwargs,
            "attachment": attachment, "petition": petition, "petition_attachment": petition_attachment}


# URL name → which of the victim's objects its parameters point at.
PROTECTED: dict[str, str] = {
    "applications:apply": "procedure",
    "applications:draft-applicant": "pk",
    "applications:draft-form": "pk",
    "applications:draft-attachments": "pk",
    "applications:draft-attachment-remove": "draft_attachment",
    "applications:draft-review": "pk",
    "applications:draft-delete": "pk",
    "applications:dossier": "code",
    "applications:filed": "code",
    "applications:dossier-withdraw": "code",
    "applications:dossier-stop": "code",
    "applications:supplement-send": "code",
    "applications:supplement-upload": "code",
    "applications:supplement-attachment-remove": "code_attachment",
    "applications:attachment": "attachment",
    "applications:citizen-documents": "code",
    "applications:document-download": "document",
    "applications:staff-documents": "code",
    "applications:staff-document-download": "document",
    "applications:staff-document-print": "document",
    "applications:staff-document-issue": "code_kind",
    "applications:guided-applicant": "guided_pk",
    "applications:guided-form": "guided_pk",
    "applications:guided-attachments": "guided_pk",
    "applications:guided-attachment-remove": "guided_attachment",
    "applications:guided-review": "guided_pk",
    "applications:guided-delete": "guided_pk",
    "applications:guided-done": "dossier_pk",
    "applications:officer-dossier": "code",
    "applications:officer-action": "code_action",
    "payments:pay": "code",
    "payments:request": "code",
    "payments:counter": "code",
    "postal:order": "code",
    "postal:mail-mailed": "mailing",
    "notifications:mark-read": "notification",
    "feedback:rate-own": "code",
    "feedback:counter-rate": "code",
    "feedback:officer-petition": "petition",
    "feedback:officer-petition-action": "petition_action",
    "feedback:officer-petition-attachment": "petition_attachment",
    "api:my-dossier": "code",
    "api:my-supplement": "code",
    "api:my-payment": "code",
    "api:agency-dossier": "code",
    "api:agency-action": "code_action",
    "api:agency-queue": "queue",
    "docstore:download": "store_file",
    "docstore:delete": "store_file",
    "docstore:keep": "attachment",
    "docstore:reuse": "pk",
    "docstore:guided-reuse": "guided_pk",
}
# The same views with the other kind of store item (a state-issued result instead of a kept paper).
ALSO = [("docstore:download", "store_result"), ("docstore:delete", "store_result")]


# Leaders' and admins' quality pages: scoped to the leader's agency sub-tree, closed to everyone else.
QUALITY = {"quality:dashboard": {}, "quality:drill": {"counter": "received"}, "quality:report": {"fmt": "xlsx"},
           "quality:feedback-drill": {"counter": "ratings"}}
# Every kind of list behind a figure, each tried like the pages above.
QUALITY_CASES = [*((name, kwargs) for name, kwargs in QUALITY.items()),
                 *(("quality:drill", {"counter": counter}) for counter in ("received_reused", "received_synced")),
                 *(("quality:feedback-drill", {"counter": counter})
                   for counter in ("petitions_received", "petitions_answered", "petitions_answered_on_time"))]


def test_every_url_is_either_public_own_list_or_in_the_protected_matrix():
    unknown = _all_url_names() - PUBLIC - OWN_LISTS - OWN_ACCOUNT - set(PROTECTED) - set(QUALITY)
    assert not unknown, f"URLs without an access expectation in this test: {sorted(unknown)}"


def _url(name: str, world, kind: str | None = None) -> str:
    kind = kind or PROTECTED[name]
    kwargs = world["kwargs"]
    if kind == "procedure":
        return reverse(name, kwargs={"code": world["dossier"].procedure_version.procedure.code})
    if kind == "draft_attachment":
        return reverse(name, kwargs={"pk": world["draft"].pk, "attachment_pk": world["attachment"].pk})
    if kind == "guided_attachment":
        return reverse(name, kwargs={"pk": world["guided_draft"].pk, "attachment_pk": world["attachment"].pk})
    if kind == "code_attachment":
        return reverse(name, kwargs={"code": world["dossier"].code, "attachment_pk": world["attachment"].pk})
    if kind == "code_kind":
        return reverse(name, kwargs={"code": world["dossier"].code, "kind": "control_sheet"})
    if kind == "petition_action":
        return reverse(name, kwargs={"code": world["petition"].code, "action": "answer"})
    if kind == "petition_attachment":
        return reverse(name, kwargs={"code": world["petition"].code, "pk": world["petition_attachment"].pk})
    if kind == "queue":
        return reverse(name, kwargs={"key": "new"})
    if kind == "code_action":
        return reverse(name, kwargs={"code": world["dossier"].code, "action": "receive"})
    return reverse(name, kwargs=kwargs[kind])


def _state(world) -> tuple:
    dossier, draft = world["dossier"], world["draft"]
    dossier.refresh_from_db()
    draft.refresh_from_db()
    return (dossier.status, dossier.version, dossier.events.count(), draft.form_data, draft.status,
            Attachment.objects.count(), Attachment.objects.filter(in_store=True).count(), Document.objects.count(),
            Notification.objects.filter(read_at__isnull=True).count(),
            tuple(Petition.objects.values_list("status", "assigned_to", "answer", "published_at")), Rating.objects.count(),
            SlipMailing.objects.filter(state="to_mail").count())


# Any citizen may start filing a published procedure, so "apply" is tried by the officer only.
CASES = [(name, None, intruder) for name in sorted(PROTECTED) for intruder in ("other_citizen", "other_officer")
         if (name, intruder) != ("applications:apply", "other_citizen")]
CASES += [(name, kind, intruder) for name, kind in ALSO for intruder in ("other_citizen", "other_officer")]


@pytest.mark.parametrize("name, kind, intruder", CASES)
def test_the_wrong_person_gets_nothing_and_changes_nothing(client, world, request, name, kind, intruder):
    client.force_login(request.getfixturevalue(intruder))
    url = _url(name, world, kind)
    before = _state(world)
    for response in (client.get(url), client.post(url, {"note": "x", "reason": "x", "expected_version": 0})):
        # (401: the API, which takes no staff session: agency systems use keys.)
        assert response.status_code in (401, 403, 404, 405), f"{url} as {intruder}: {response.status_code}"
        assert SECRET not in response.content.decode(errors="ignore")
    assert _state(world) == before


@pytest.mark.parametrize("name", sorted(OWN_LISTS - {"notifications:mark-all-read", "applications:tracking-book-export"}))
@pytest.mark.parametrize("intruder", ["other_citizen", "other_officer"])
def test_lists_never_show_someone_elses_dossier(client, world, request, name, intruder):
    client.force_login(request.getfixturevalue(intruder))
    response = client.get(reverse(name))
    assert response.status_code in (200, 401, 403)
    assert world["dossier"].code not in response.content.decode(errors="ignore")


def test_marking_all_read_touches_only_ones_own_notifications(client, world, other_citizen):
    client.force_login(other_citizen)
    client.post(reverse("notifications:mark-all-read"))
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


@pytest.mark.parametrize("who", ["citizen", "officer", "admin_user"])
def test_no_session_opens_the_metrics(client, settings, request, who):
    client.force_login(request.getfixturevalue(who))
    settings.METRICS_TOKEN, settings.METRICS_ALLOWED_IPS = "", []
    assert client.get(reverse("monitoring:metrics")).status_code == 404
    settings.METRICS_TOKEN = "scrape-token"
    assert client.get(reverse("monitoring:metrics")).status_code == 403


def test_anonymous_visitors_are_sent_to_login_for_every_protected_url(client, world):
    for name, kind in [(name, None) for name in sorted(PROTECTED)] + ALSO:
        response = client.get(_url(name, world, kind))
        assert response.status_code in (302, 401, 403, 404, 405), name
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("accounts:login")), name


SANDBOX_URLS = ["/sandbox/bank/", "/sandbox/bank/api/transaction", "/payments/sandbox/ipn/", "/payments/return/sandbox/",
                "/sandbox/idp/.well-known/openid-configuration", "/sandbox/idp/authorize", "/sandbox/idp/token",
                "/sandbox/idp/jwks", "/sandbox/idp/userinfo", "/sandbox/idp/logout",
                "/sandbox/post/", "/sandbox/post/api/orders", "/postal/sandbox/callback/",
                "/sandbox/national/", "/sandbox/national/api/dossiers/sync", "/sandbox/national/api/dossiers/outbox",
                "/sandbox/ca/crl", "/sandbox/ca/tsa"]


def test_the_sandbox_does_not_exist_with_debug_off(client, citizen, other_officer):
    with debug_off():
        assert not {name for name in _all_url_names() if name.startswith("sandbox:")}
        for visitor in (None, citizen, other_officer):
            if visitor is not None:
                client.force_login(visitor)
            for url in SANDBOX_URLS:
                response = client.get(url)
                if visitor is None and "/return/" in url:  # the return page asks for a login first
                    assert response["Location"].startswith(reverse("accounts:login"))
                else:
                    assert response.status_code == 404, (url, visitor)
    assert {"sandbox:bank", "sandbox:bank-api", "sandbox:idp-discovery", "sandbox:idp-token"} <= _all_url_names()


def test_another_communes_officer_cannot_start_guided_filing_in_a_citizens_account_by_its_id(
    client, world, citizen, other_officer, other_commune
):
    """Issue 11: officer.b posted account ids as the hidden `citizen` field and read each citizen's
    name, email and phone. Only an exact identifier posted with the start opens an account."""
    version = make_procedure(agency=other_commune)
    client.force_login(other_officer)
    drafts_before = Dossier.objects.filter(owner=citizen).count()
    response = client.post(reverse("applications:guided-start"), {
        "action": "start", "version": version.pk, "citizen": citizen.pk, "channel": "in_person",
    })
    page = client.get(response["Location"]).content.decode() if response.status_code == 302 else ""
    for leak in (citizen.full_name, citizen.email, citizen.phone, SECRET):
        assert leak not in page
    assert Dossier.objects.filter(owner=citizen).count() == drafts_before


# The lifecycle actions added on the officer-action URL: a stop request recorded at the counter, the
# leader's stop decision, and the legal extension. Each is tried as every intruder.
LIFECYCLE_ACTIONS = ["request_stop", "stop", "decline_stop", "extend"]


@pytest.mark.parametrize("action", LIFECYCLE_ACTIONS)
@pytest.mark.parametrize("intruder", ["other_citizen", "other_officer", "other_specialist", "other_leader"])
def test_the_lifecycle_actions_refuse_the_wrong_person(client, world, request, action, intruder):
    client.force_login(request.getfixturevalue(intruder))
    url = reverse("applications:officer-action", kwargs={"code": world["dossier"].code, "action": action})
    before = _state(world)
    payload = {f"{action}-expected_version": world["dossier"].version, f"{action}-reason": "x", f"{action}-days": 1}
    response = client.post(url, payload)
    assert response.status_code in (403, 404), f"{url} as {intruder}: {response.status_code}"
    assert SECRET not in response.content.decode(errors="ignore")
    assert _state(world) == before


@pytest.mark.parametrize("name", ["accounts:password-reset-confirm", "accounts:activate"])
def test_a_token_link_works_only_for_the_account_it_was_made_for(client, world, citizen, other_citizen, name):
    from accounts.tokens import activation_token_generator, password_reset_token_generator, user_uidb64

    other_citizen.is_active = name != "accounts:activate"
    other_citizen.save()
    generator = password_reset_token_generator if name == "accounts:password-reset-confirm" else activation_token_generator
    token = generator.make_token(citizen)
    url = reverse(name, kwargs={"uidb64": user_uidb64(other_citizen), "token": token})
    password_before = other_citizen.password

    response = client.get(url, follow=True)
    client.post(response.redirect_chain[-1][0] if response.redirect_chain else url,
                {"new_password1": "mat-khau-cua-ke-gian-2026", "new_password2": "mat-khau-cua-ke-gian-2026"})

    other_citizen.refresh_from_db()
    assert other_citizen.password == password_before
    assert other_citizen.is_active == (name != "accounts:activate")
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("name", sorted(OWN_ACCOUNT))
@pytest.mark.parametrize("intruder", ["other_citizen", "other_officer"])
def test_the_second_factor_pages_never_show_someone_elses_secret(client, world, officer, request, name, intruder):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.two_factor import recovery_codes_issue, totp_device_pending, totp_secret_base32

    TOTPDevice.objects.filter(user=officer).delete()
    secret = totp_secret_base32(totp_device_pending(officer))
    codes = recovery_codes_issue(officer)
    client.force_login(request.getfixturevalue(intruder))
    for response in (client.get(reverse(name), follow=True), client.post(reverse(name), {"otp_token": codes[0]})):
        assert response.status_code in (200, 302, 400, 403), (name, intruder, response.status_code)
        page = response.content.decode()
        assert secret not in page and secret.replace(" ", "") not in page
        assert not any(code in page for code in codes[1:])  # (the one typed is echoed in its field)
    if intruder == "other_citizen":
        assert client.get(reverse(name)).status_code == 403
    # The victim's recovery code opened nothing for the intruder and is still there for its owner.
    assert officer.staticdevice_set.get().token_set.filter(token=codes[0]).exists()


# The API's agency URLs, tried with the other commune's key (the session cases above cover citizens).
API_AGENCY_URLS = ["api:agency-dossier", "api:agency-action", "api:agency-queue"]


@pytest.mark.parametrize("name", API_AGENCY_URLS)
def test_another_communes_api_key_gets_nothing_and_changes_nothing(client, world, other_officer, other_commune, name):
    from api.keys import api_key_issue

    raw = api_key_issue(name="Bình Minh", agency=other_commune, user=other_officer)[1]
    url = _url(name, world)
    before = _state(world)
    for response in (client.get(url, HTTP_X_API_KEY=raw),
                     client.post(url, {"version": world["dossier"].version}, content_type="application/json",
                                 HTTP_X_API_KEY=raw)):
        assert response.status_code in (200, 404, 405), (url, response.status_code)
        assert SECRET not in response.content.decode()  # (the problem's "instance" echoes the path, code included)
    assert _state(world) == before
@pytest.mark.parametrize(("name", "kwargs"), QUALITY_CASES, ids=[f"{name}-{kwargs}" for name, kwargs in QUALITY_CASES])
def test_quality_pages_are_for_leaders_of_the_agency_only(client, world, request, name, kwargs, other_leader, commune):
    # given: the victim's dossier was received this year with a reused paper and delivered to the national
    # portal, it was rated, and a petition about the commune was received and answered on time
    from datetime import timedelta

    from django.utils import timezone

    from applications.models import DossierEvent, Event
    from feedback.models import PetitionStatus
    from national.models import NationalSync, SyncState
    from quality.summary import summary_rebuild

    now = timezone.now()
    received = DossierEvent.objects.create(dossier=world["dossier"], action=Event.RECEIVED, at=now,
                                           to_status="received")
    Attachment.objects.filter(dossier=world["dossier"]).update(is_reused=True)
    NationalSync.objects.create(dossier=world["dossier"], event=received, version=1, status_code=2,
                                state=SyncState.DELIVERED, next_attempt_at=now)
    Rating.objects.create(dossier=world["dossier"], agency=commune, procedure=world["dossier"].procedure_version.procedure,
                          channel="link", overall=5, created_at=now, conduct=2)
    Petition.objects.filter(pk=world["petition"].pk).update(status=PetitionStatus.ANSWERED, answered_at=now, answer=SECRET,
                                                            due_at=now + timedelta(days=1))
    summary_rebuild()
    url = reverse(name, kwargs=kwargs) + "?period=year"
    # then: anonymous → login; a citizen and an officer → 403; another commune's leader sees nothing of it
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    for intruder in ("other_citizen", "other_officer"):
        client.force_login(request.getfixturevalue(intruder))
        assert client.get(url).status_code == 403, intruder
    client.force_login(other_leader)
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode(errors="ignore")
    assert world["dossier"].code not in body and SECRET not in body
    if name == "quality:dashboard":
        assert {key: value for key, _label, value, _previous in response.context["counters"]}["received"] == 0
        assert {key: value for key, _label, value, _previous in response.context["feedback"]}["ratings"] == 0
    if name in ("quality:drill", "quality:feedback-drill"):
        assert response.context["page"].paginator.count == 0
        # The commune's own leader sees the row the other one does not (the case above proves something).
        client.force_login(request.getfixturevalue("leader"))
        assert client.get(url).context["page"].paginator.count == 1


@pytest.mark.parametrize("intruder", ["other_citizen", "other_officer", None])
def test_the_personal_data_export_holds_only_the_visitors_own_data(client, world, request, intruder):
    import io
    import zipfile

    if intruder is None:
        response = client.get(reverse("retention:my-data-export"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
        return
    client.force_login(request.getfixturevalue(intruder))
    response = client.get(reverse("retention:my-data-export"))
    if intruder == "other_officer":
        assert response.status_code == 403
        return
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        text = "".join(archive.read(name).decode(errors="ignore") for name in archive.namelist())
    assert world["dossier"].code not in text and SECRET not in text
