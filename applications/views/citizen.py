"""Citizen pages: filing online, "my dossiers", the dossier page and its actions.

Every dossier is fetched through applications.selectors, so another citizen's dossier is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import citizen_required
from applications import page_versions, workflow
from applications.deadlines import deadline_clock
from applications.filing import (
    FilingError,
    applicant_defaults,
    attachment_remove,
    attachments_add,
    dossier_file,
    draft_create,
    draft_delete,
)
from applications.forms_filing import (
    ApplicantForm,
    ReviewForm,
    StopRequestForm,
    SupplementSendForm,
    UploadForm,
    WithdrawForm,
)
from applications.models import Dossier, Status, SupplementRequest
from applications.prepared import PreparedQuery
from applications.selectors import (
    attachments_list,
    citizen_documents_list,
    citizen_events_list,
    clock_rows,
    dossier_get_for_citizen,
    drafts_for_citizen,
    drafts_of_citizen_id,
    eform_answers,
    filing_get_for_citizen,
    submitted_of_citizen_id,
    supplement_request_note,
    supplement_request_open,
)
from applications.views import steps
from portal.lib.personal_pages import personal_page
from procedures.cache import catalogue_scope
from procedures.models import Procedure

PAGE_SIZE = 20
# What templates/applications/my_dossiers.html shows of a draft and of a submitted dossier.
DRAFT_LIST_FIELDS = ("pk", "subject_name", "updated_at", "procedure_version__name")
DOSSIER_LIST_FIELDS = ("code", "subject_name", "applicant_name", "subject_id_number", "status", "submitted_at",
                       "due_current", "procedure_version__name")
RESULT_STATES = (Status.APPROVED, Status.NOT_ELIGIBLE, Status.SENT_BY_POST, Status.RETURNED)


CITIZEN_FLOW = steps.Flow(
    prefix="draft",
    get_dossier=lambda request, pk: filing_get_for_citizen(request.user, pk),
    agencies=lambda request, dossier: dossier.procedure_version.receiving_agencies.filter(is_active=True),
    done_url=lambda dossier: reverse("applications:filed", args=[dossier.code]),
    shown_url=lambda dossier: reverse("applications:dossier", args=[dossier.code]),
)


def _version_in_force(code: str):
    procedure = get_object_or_404(
        Procedure.objects.select_related("current_version"), code=code, is_published=True,
        current_version__isnull=False,
    )
    return procedure.current_version


@citizen_required
@require_http_methods(["GET", "POST"])
@sensitive_post_parameters()
def apply(request: HttpRequest, code: str) -> HttpResponse:
    """Start filing: step 1 on an empty draft. Existing drafts of this procedure can be resumed."""
    version = _version_in_force(code)
    if not version.channel_online:
        messages.error(request, _("Thủ tục này chưa nhận hồ sơ trực tuyến. Vui lòng nộp tại Bộ phận Một cửa."))
        return redirect("procedures:detail", code)
    agencies = version.receiving_agencies.filter(is_active=True)
    user = request.user
    form = ApplicantForm(request.POST or None, version=version, agencies=agencies, initial=applicant_defaults(user),
                         verified_applicant=user if user.identity_verified_at else None)
    if request.method == "POST" and form.is_valid():
        values = form.draft_values()
        agency = values.pop("agency")
        try:
            dossier = draft_create(version, agency, owner=user, filed_by=user, **values)
        except FilingError as exc:
            form.add_error("agency", exc.message)
        else:
            if "save_draft" in request.POST:
                messages.success(request, _("Đã lưu bản nháp. Bạn có thể quay lại hoàn thành sau."))
                return redirect("applications:my-dossiers")
            return redirect(CITIZEN_FLOW.url("form", dossier))
    drafts = drafts_for_citizen(user).filter(procedure_version__procedure=version.procedure)
    steps_nav = [{"key": key, "label": label, "url": "", "current": key == "applicant"} for key, label in steps.STEPS]
    return render(request, "applications/citizen/step_applicant.html", {
        "version": version, "form": form, "drafts": drafts, "steps": steps_nav, "step": "applicant", "is_new": True,
    })


@citizen_required
@never_cache
@require_http_methods(["GET", "POST"])
@sensitive_post_parameters()
def draft_applicant(request: HttpRequest, pk: int) -> HttpResponse:
    return steps.step_applicant(request, CITIZEN_FLOW, pk)


@citizen_required
@never_cache
@require_http_methods(["GET", "POST"])
@sensitive_post_parameters()
def draft_form(request: HttpRequest, pk: int) -> HttpResponse:
    return steps.step_form(request, CITIZEN_FLOW, pk)


@citizen_required
@never_cache
@require_http_methods(["GET", "POST"])
def draft_attachments(request: HttpRequest, pk: int) -> HttpResponse:
    return steps.step_attachments(request, CITIZEN_FLOW, pk)


@citizen_required
@never_cache
@require_http_methods(["GET", "POST"])
def draft_attachment_remove(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    return steps.step_attachment_remove(request, CITIZEN_FLOW, pk, attachment_pk)


@citizen_required
@never_cache
@require_http_methods(["GET", "POST"])
def draft_review(request: HttpRequest, pk: int) -> HttpResponse:
    def submit(dossier: Dossier, form: ReviewForm) -> HttpResponse:
        dossier = dossier_file(dossier, actor=request.user, submit_token=form.cleaned_data["submit_token"])
        return redirect(CITIZEN_FLOW.done_url(dossier))

    return steps.step_review(request, CITIZEN_FLOW, pk, ReviewForm, submit)


@citizen_required
@require_POST
def draft_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = filing_get_for_citizen(request.user, pk)
    try:
        draft_delete(dossier, by=request.user)
    except FilingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã xóa bản nháp."))
    return redirect("applications:my-dossiers")


@citizen_required
@require_GET
def filed(request: HttpRequest, code: str) -> HttpResponse:
    """The acknowledgement after submitting: the code and what happens next."""
    dossier = dossier_get_for_citizen(request.user, code)
    return render(request, "applications/citizen/filed.html", {"dossier": dossier})


def _submitted(user_id: int) -> QuerySet[Dossier]:
    return (submitted_of_citizen_id(user_id).select_related("procedure_version")
            .only(*DOSSIER_LIST_FIELDS).order_by("-submitted_at", "-pk"))


# The drafts and the first page (one row more, see my_dossiers) as most visits ask for them, compiled once
# per process (applications.prepared); -1 marks where the citizen's id goes.
_drafts_list = PreparedQuery(
    lambda user_id: (drafts_of_citizen_id(user_id).select_related("procedure_version")
                     .only(*DRAFT_LIST_FIELDS).order_by("-updated_at")),
    markers=(-1,),
)
_first_page = PreparedQuery(lambda user_id: _submitted(user_id)[: PAGE_SIZE + 1], markers=(-1,))


@citizen_required
@require_GET
@personal_page(page_versions.own_dossiers, catalogue_scope)  # each row names its procedure
def my_dossiers(request: HttpRequest) -> HttpResponse:
    # Only the columns the list shows (my_dossiers.html): the version rows are wide and the list needs
    # its name alone; joining the procedure and the agency, and reading every dossier column, made these
    # two queries most of the page's CPU (bench/profile_queue.py).
    drafts = _drafts_list(request.user.pk)
    paginator = Paginator(_submitted(request.user.pk), PAGE_SIZE)
    if request.GET.get("page") in (None, "", "1"):
        # The first page, as most visits ask: one more row than a page tells whether there is a second
        # one, and when there is not, its length is the count (no COUNT query).
        first = _first_page(request.user.pk)
        if len(first) <= PAGE_SIZE:
            paginator.__dict__["count"] = len(first)  # Paginator.count is a cached_property
        page = Page(first[:PAGE_SIZE], 1, paginator)
    else:
        page = paginator.get_page(request.GET.get("page"))
    return render(request, "applications/my_dossiers.html", {"drafts": drafts, "page_obj": page,
                                                             "dossiers": page.object_list})


def _open_request(dossier: Dossier) -> SupplementRequest | None:
    if dossier.status not in (Status.SUPPLEMENT_REQUESTED, Status.NEEDS_COMPLETION):
        return None
    return supplement_request_open(dossier)


def _detail_context(request: HttpRequest, dossier: Dossier, **forms) -> dict:
    request_open = _open_request(dossier)
    actions = workflow.dossier_actions_available(dossier, request.user)
    attachments = attachments_list(dossier)
    pauses, extensions = clock_rows(dossier)
    supplement_pages = [a for a in attachments if request_open and a.supplement_request_id == request_open.pk]
    version_initial = {"expected_version": dossier.version}
    context = {
        "dossier": dossier,
        "version": dossier.procedure_version,
        # The citizen's timeline shows the actor's role, never the person (presentation.actor_label): no
        # join of the wide user table.
        "events": citizen_events_list(dossier),
        "documents": citizen_documents_list(dossier),
        # What the template's dossier_clock tag computes, from rows read by prepared queries.
        "clock": deadline_clock(dossier, pauses, extensions=extensions),
        "attachments": [a for a in attachments if a not in supplement_pages],
        "answers": eform_answers(dossier.procedure_version, dossier.form_data),
        "supplement_request": request_open,
        "supplement_note": supplement_request_note(request_open) if request_open else "",
        "supplement_pages": supplement_pages,
        "upload_form": UploadForm(prefix="supplement"),
        "supplement_form": SupplementSendForm(initial=version_initial),
        "withdraw_form": WithdrawForm(initial=version_initial) if "withdraw" in actions else None,
        "stop_form": StopRequestForm(initial=version_initial) if "request_stop" in actions else None,
        "can_complete": dossier.status == Status.NEEDS_COMPLETION,
        "has_result": dossier.status in RESULT_STATES,
    }
    context.update({name: form for name, form in forms.items() if form is not None})
    return context


@citizen_required
@require_GET
@personal_page(page_versions.dossier_by_code, catalogue_scope)  # the e-form's labels: the catalogue
def dossier_detail(request: HttpRequest, code: str) -> HttpResponse:
    dossier = dossier_get_for_citizen(request.user, code)
    if dossier.status == Status.DRAFT:
        return redirect(CITIZEN_FLOW.url("applicant", dossier))
    return render(request, "applications/citizen/dossier.html", _detail_context(request, dossier))


def _run(request: HttpRequest, dossier: Dossier, action, success: str, **kwargs) -> HttpResponse:
    try:
        action(dossier, actor=request.user, **kwargs)
    except workflow.WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("applications:dossier", dossier.code)


@citizen_required
@require_POST
def dossier_withdraw(request: HttpRequest, code: str) -> HttpResponse:
    dossier = dossier_get_for_citizen(request.user, code)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return render(request, "applications/citizen/dossier.html", _detail_context(request, dossier, withdraw_form=form),
                      status=400)
    return _run(request, dossier, workflow.dossier_withdraw, _("Đã rút hồ sơ."),
                expected_version=form.cleaned_data["expected_version"], note=form.cleaned_data["note"])


@citizen_required
@require_POST
def dossier_request_stop(request: HttpRequest, code: str) -> HttpResponse:
    dossier = dossier_get_for_citizen(request.user, code)
    form = StopRequestForm(request.POST)
    if not form.is_valid():
        return render(request, "applications/citizen/dossier.html", _detail_context(request, dossier, stop_form=form),
                      status=400)
    return _run(request, dossier, workflow.dossier_request_stop,
                _("Đã gửi đề nghị dừng giải quyết hồ sơ. Cơ quan sẽ xem xét và thông báo cho bạn."),
                expected_version=form.cleaned_data["expected_version"], reason=form.cleaned_data["reason"])


@citizen_required
@require_POST
def supplement_upload(request: HttpRequest, code: str) -> HttpResponse:
    """Pages answering a supplement request, kept until the citizen sends the supplement."""
    dossier = dossier_get_for_citizen(request.user, code)
    request_open = _open_request(dossier)
    if request_open is None or dossier.status != Status.SUPPLEMENT_REQUESTED:
        messages.error(request, _("Hồ sơ không có yêu cầu bổ sung đang chờ."))
        return redirect("applications:dossier", code)
    form = UploadForm(request.POST, request.FILES, prefix="supplement")
    if form.is_valid():
        try:
            attachments_add(dossier, None, form.cleaned_data["files"], by=request.user, supplement_request=request_open)
        except (ValidationError, FilingError) as exc:
            form.add_error("files", exc.message if isinstance(exc, FilingError) else exc.messages)
        else:
            messages.success(request, _("Đã tải lên giấy tờ bổ sung. Nhấn «Gửi bổ sung» khi đã đủ."))
            return steps.redirect_or_json(request, reverse("applications:dossier", args=[code]) + "#supplement")
    return render(request, "applications/citizen/dossier.html", _detail_context(request, dossier, upload_form=form),
                  status=400)


@citizen_required
@require_http_methods(["GET", "POST"])
def supplement_attachment_remove(request: HttpRequest, code: str, attachment_pk: int) -> HttpResponse:
    """GET asks for confirmation; POST removes the page (only before the supplement is sent)."""
    dossier = dossier_get_for_citizen(request.user, code)
    attachment = get_object_or_404(dossier.attachments, pk=attachment_pk, supplement_request__isnull=False)
    back = reverse("applications:dossier", args=[code]) + "#supplement"
    if request.method != "POST":
        return render(request, "applications/citizen/attachment_remove.html", {
            "dossier": dossier, "version": dossier.procedure_version, "attachment": attachment, "back_url": back,
            "steps": [],
        })
    try:
        attachment_remove(attachment, by=request.user)
    except FilingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã xóa tệp «%(name)s».") % {"name": attachment.original_name})
    return redirect(back)


@citizen_required
@require_POST
def supplement_send(request: HttpRequest, code: str) -> HttpResponse:
    dossier = dossier_get_for_citizen(request.user, code)
    form = SupplementSendForm(request.POST)
    request_open = _open_request(dossier)
    if form.is_valid() and request_open is not None and not request_open.attachments.exists() \
            and not form.cleaned_data["note"].strip():
        form.add_error("note", _("Vui lòng tải lên giấy tờ bổ sung hoặc ghi chú nội dung bổ sung."))
    if not form.is_valid():
        return render(request, "applications/citizen/dossier.html",
                      _detail_context(request, dossier, supplement_form=form), status=400)
    return _run(request, dossier, workflow.dossier_supplement,
                _("Đã gửi bổ sung hồ sơ. Thời hạn giải quyết được tính tiếp từ hôm nay."),
                expected_version=form.cleaned_data["expected_version"], note=form.cleaned_data["note"])
