"""Guided filing at the counter (/officer/guided/): an officer files for a walk-in citizen.

The officer finds the citizen's account (by exact ID number or phone, sent by POST) or records
the walk-in's contact details without an account, fills the e-form, scans the papers (digitised at
receipt, Decree 118 Art 17 k1c), submits on the citizen's behalf and may receive the dossier in
the same visit. The officer sees only drafts of their own agency (and the agencies below it).
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import role_required, staff_agency_ids
from accounts.models import Agency, Role, User
from applications.filing import FilingError, draft_create, draft_delete, guided_file
from applications.forms_filing import CitizenSearchForm, GuidedReviewForm, GuidedStartForm
from applications.models import DocumentKind, Dossier
from applications.selectors import (
    citizen_find_by_identifier,
    guided_done_get_for_staff,
    guided_drafts_for_staff,
    guided_get_for_staff,
)
from applications.views import steps
from procedures.models import ProcedureVersion

officer_required = role_required(Role.OFFICER)
SEARCH_LIMIT = 10


def _agencies(request: HttpRequest, dossier: Dossier) -> QuerySet[Agency]:
    return dossier.procedure_version.receiving_agencies.filter(pk__in=staff_agency_ids(request.user), is_active=True)


GUIDED_FLOW = steps.Flow(
    prefix="guided", get_dossier=lambda request, pk: guided_get_for_staff(request.user, pk), agencies=_agencies,
    is_digitised=True, guided=True,
    done_url=lambda dossier: reverse("applications:guided-done", args=[dossier.pk]),
    shown_url=lambda dossier: reverse("applications:guided-done", args=[dossier.pk]),
)


def _versions(user: User) -> QuerySet[ProcedureVersion]:
    """Versions in force of published procedures that the officer's agencies receive."""
    return (
        ProcedureVersion.objects.filter(
            procedure__is_published=True, procedure__current_version__isnull=False,
            receiving_agencies__in=staff_agency_ids(user),
        )
        .filter(procedure__current_version=F("pk"))
        .select_related("procedure")
        .distinct()
        .order_by("procedure__code")
    )


def _start_context(request: HttpRequest, **extra) -> dict:
    context = {
        "search_form": CitizenSearchForm(),
        "start_form": GuidedStartForm(versions=_versions(request.user)),
        "drafts": guided_drafts_for_staff(request.user)[:50],
        "found": None,
        "searched": False,
    }
    context.update(extra)
    return context


@officer_required
@never_cache
@require_http_methods(["GET", "POST"])
@sensitive_post_parameters()
def guided_start(request: HttpRequest) -> HttpResponse:
    """Find the walk-in's account by an exact ID number or phone (POST), then start a draft.

    Starting looks the account up again from the identifier posted with it: no account id is
    taken from the request, so an officer cannot open a draft in (and read the contact details
    of) an account they were not shown an identifier for."""
    if request.method == "POST" and request.POST.get("action") == "search":
        search_form = CitizenSearchForm(request.POST)
        found = citizen_find_by_identifier(search_form.cleaned_data["identifier"]) if search_form.is_valid() else None
        start_form = GuidedStartForm(
            versions=_versions(request.user),
            initial={"identifier": search_form.cleaned_data["identifier"] if found else ""},
        )
        return render(request, "applications/guided/start.html", _start_context(
            request, search_form=search_form, start_form=start_form, found=found, searched=search_form.is_valid()),
            status=200 if search_form.is_valid() else 400)
    if request.method == "POST":
        start_form = GuidedStartForm(request.POST, versions=_versions(request.user))
        if start_form.is_valid():
            citizen = None
            identifier = start_form.cleaned_data["identifier"]
            if identifier:
                citizen = citizen_find_by_identifier(identifier)
                if citizen is None:
                    start_form.add_error(None, _("Không tìm thấy tài khoản công dân với số định danh hoặc số điện "
                                                 "thoại này."))
            if not start_form.errors:
                return _start_draft(request, start_form.cleaned_data["version"], citizen,
                                    start_form.cleaned_data["channel"])
        return render(request, "applications/guided/start.html", _start_context(request, start_form=start_form),
                      status=400)
    return render(request, "applications/guided/start.html", _start_context(request))


def _start_draft(request: HttpRequest, version: ProcedureVersion, citizen: User | None, channel: str) -> HttpResponse:
    officer = request.user
    scope = staff_agency_ids(officer)
    agency_ids = list(version.receiving_agencies.filter(pk__in=scope).values_list("pk", flat=True))
    agency = Agency.objects.get(pk=officer.agency_id if officer.agency_id in agency_ids else agency_ids[0])
    # filed_by records the officer on the draft from its first moment (and on the submit event).
    dossier = draft_create(version, agency, owner=citizen, filed_by=officer, channel=channel)
    return redirect(GUIDED_FLOW.url("applicant", dossier))


@officer_required
@never_cache
@require_http_methods(["GET", "POST"])
@sensitive_post_parameters()
def guided_applicant(request: HttpRequest, pk: int) -> HttpResponse:
    return steps.step_applicant(request, GUIDED_FLOW, pk)


@officer_required
@never_cache
@require_http_methods(["GET", "POST"])
@sensitive_post_parameters()
def guided_form(request: HttpRequest, pk: int) -> HttpResponse:
    return steps.step_form(request, GUIDED_FLOW, pk)


@officer_required
@never_cache
@require_http_methods(["GET", "POST"])
def guided_attachments(request: HttpRequest, pk: int) -> HttpResponse:
    return steps.step_attachments(request, GUIDED_FLOW, pk)


@officer_required
@never_cache
@require_http_methods(["GET", "POST"])
def guided_attachment_remove(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    return steps.step_attachment_remove(request, GUIDED_FLOW, pk, attachment_pk)


@officer_required
@never_cache
@require_http_methods(["GET", "POST"])
def guided_review(request: HttpRequest, pk: int) -> HttpResponse:
    def submit(dossier: Dossier, form: GuidedReviewForm) -> HttpResponse:
        dossier, receive_error = guided_file(
            dossier, officer=request.user, submit_token=form.cleaned_data["submit_token"],
            receive_now=form.cleaned_data["receive_now"], post_arrived_at=form.cleaned_data["post_arrived_at"],
        )
        if receive_error:
            messages.warning(request, _("Đã nộp hồ sơ nhưng chưa tiếp nhận được: %(reason)s") % {"reason": receive_error})
        return redirect(GUIDED_FLOW.done_url(dossier))

    return steps.step_review(request, GUIDED_FLOW, pk, GuidedReviewForm, submit)


@officer_required
@require_POST
def guided_delete(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = guided_get_for_staff(request.user, pk)
    try:
        draft_delete(dossier, by=request.user)
    except FilingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã xóa bản nháp."))
    return redirect("applications:guided-start")


@officer_required
@require_GET
def guided_done(request: HttpRequest, pk: int) -> HttpResponse:
    """What to hand the walk-in: the code, the appointment and the receipt to print."""
    dossier = guided_done_get_for_staff(request.user, pk)
    try:
        officer_url = reverse("applications:officer-dossier", args=[dossier.code])
    except NoReverseMatch:
        officer_url = ""
    documents = list(dossier.documents.order_by("created_at", "pk"))
    receipt = next((d for d in reversed(documents) if d.kind == DocumentKind.RECEIPT), None)
    return render(request, "applications/guided/done.html", {
        "dossier": dossier, "officer_url": officer_url, "receipt": receipt, "documents": documents,
    })
