"""Guided filing at the counter (/officer/guided/): an officer files for a walk-in citizen.

The officer finds the citizen's account (by email or phone, sent by POST) or records the
walk-in's contact details without an account, fills the e-form, scans the papers (digitised at
receipt, Decree 118 Art 17 k1c), submits on the citizen's behalf and may receive the dossier in
the same visit. The officer sees only drafts of their own agency (and the agencies below it).
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import F, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import role_required, staff_agency_ids
from accounts.models import Agency, Role, User
from applications.filing import EDITABLE_STATES, FilingError, draft_create, draft_delete, guided_file
from applications.forms_filing import CitizenSearchForm, GuidedReviewForm, GuidedStartForm
from applications.models import Channel, Dossier, Status
from applications.selectors import dossiers_for_staff
from applications.views import steps
from procedures.models import ProcedureVersion

officer_required = role_required(Role.OFFICER)
SEARCH_LIMIT = 10


def _guided_dossier(request: HttpRequest, pk: int) -> Dossier:
    dossier = (
        dossiers_for_staff(request.user)
        .filter(pk=pk, status__in=EDITABLE_STATES, channel=Channel.IN_PERSON)
        .select_related("procedure_version__procedure", "agency", "owner")
        .first()
    )
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ."))
    return dossier


def _agencies(request: HttpRequest, dossier: Dossier) -> QuerySet[Agency]:
    return dossier.procedure_version.receiving_agencies.filter(pk__in=staff_agency_ids(request.user), is_active=True)


GUIDED_FLOW = steps.Flow(
    prefix="guided", get_dossier=_guided_dossier, agencies=_agencies, is_digitised=True, guided=True,
    scope=lambda request: dossiers_for_staff(request.user),
    done_url=lambda dossier: reverse("applications:guided-done", args=[dossier.pk]),
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


def _search(identifier: str) -> list[User]:
    return list(
        User.objects.filter(role=Role.CITIZEN, is_active=True)
        .filter(Q(email__iexact=identifier) | Q(phone=identifier))
        .order_by("full_name")[:SEARCH_LIMIT]
    )


def _start_context(request: HttpRequest, **extra) -> dict:
    drafts = (
        dossiers_for_staff(request.user)
        .filter(status=Status.DRAFT, channel=Channel.IN_PERSON)
        .select_related("procedure_version__procedure", "owner")
        .order_by("-updated_at")[:50]
    )
    context = {
        "search_form": CitizenSearchForm(),
        "start_form": GuidedStartForm(versions=_versions(request.user)),
        "drafts": drafts,
        "results": None,
    }
    context.update(extra)
    return context


@officer_required
@require_http_methods(["GET", "POST"])
@sensitive_post_parameters()
def guided_start(request: HttpRequest) -> HttpResponse:
    """Find the citizen (POST search), then start a draft for a procedure, with or without an account."""
    if request.method == "POST" and request.POST.get("action") == "search":
        search_form = CitizenSearchForm(request.POST)
        results = _search(search_form.cleaned_data["identifier"]) if search_form.is_valid() else None
        return render(request, "applications/guided/start.html",
                      _start_context(request, search_form=search_form, results=results))
    if request.method == "POST":
        start_form = GuidedStartForm(request.POST, versions=_versions(request.user))
        if start_form.is_valid():
            citizen = None
            if start_form.cleaned_data["citizen"]:
                citizen = User.objects.filter(
                    pk=start_form.cleaned_data["citizen"], role=Role.CITIZEN, is_active=True
                ).first()
                if citizen is None:
                    start_form.add_error(None, _("Không tìm thấy tài khoản công dân."))
            if not start_form.errors:
                return _start_draft(request, start_form.cleaned_data["version"], citizen)
        return render(request, "applications/guided/start.html", _start_context(request, start_form=start_form),
                      status=400)
    return render(request, "applications/guided/start.html", _start_context(request))


def _start_draft(request: HttpRequest, version: ProcedureVersion, citizen: User | None) -> HttpResponse:
    officer = request.user
    scope = staff_agency_ids(officer)
    agency_ids = list(version.receiving_agencies.filter(pk__in=scope).values_list("pk", flat=True))
    agency = Agency.objects.get(pk=officer.agency_id if officer.agency_id in agency_ids else agency_ids[0])
    dossier = draft_create(version, agency, owner=citizen, filed_by=officer, channel=Channel.IN_PERSON)
    return redirect(GUIDED_FLOW.url("applicant", dossier))


@officer_required
@require_http_methods(["GET", "POST"])
@sensitive_post_parameters()
def guided_applicant(request: HttpRequest, pk: int) -> HttpResponse:
    return steps.step_applicant(request, GUIDED_FLOW, pk)


@officer_required
@require_http_methods(["GET", "POST"])
@sensitive_post_parameters()
def guided_form(request: HttpRequest, pk: int) -> HttpResponse:
    return steps.step_form(request, GUIDED_FLOW, pk)


@officer_required
@require_http_methods(["GET", "POST"])
def guided_attachments(request: HttpRequest, pk: int) -> HttpResponse:
    return steps.step_attachments(request, GUIDED_FLOW, pk)


@officer_required
@require_POST
def guided_attachment_remove(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    return steps.step_attachment_remove(request, GUIDED_FLOW, pk, attachment_pk)


@officer_required
@require_http_methods(["GET", "POST"])
def guided_review(request: HttpRequest, pk: int) -> HttpResponse:
    def submit(dossier: Dossier, form: GuidedReviewForm) -> HttpResponse:
        dossier, receive_error = guided_file(
            dossier, officer=request.user, submit_token=form.cleaned_data["submit_token"],
            consent=form.cleaned_data["consent"], receive_now=form.cleaned_data["receive_now"],
        )
        if receive_error:
            messages.warning(request, _("Đã nộp hồ sơ nhưng chưa tiếp nhận được: %(reason)s") % {"reason": receive_error})
        return redirect(GUIDED_FLOW.done_url(dossier))

    return steps.step_review(request, GUIDED_FLOW, pk, GuidedReviewForm, submit)


@officer_required
@require_POST
def guided_delete(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = _guided_dossier(request, pk)
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
    dossier = (
        dossiers_for_staff(request.user).exclude(status=Status.DRAFT)
        .select_related("procedure_version__procedure", "agency", "owner").filter(pk=pk).first()
    )
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ."))
    try:
        officer_url = reverse("applications:officer-dossier", args=[dossier.code])
    except NoReverseMatch:
        officer_url = ""
    return render(request, "applications/guided/done.html", {"dossier": dossier, "officer_url": officer_url})
