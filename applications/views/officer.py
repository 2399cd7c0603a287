"""The officers' back office (/officer/): work queues, the dossier page and its actions, the tracking book.

Every dossier comes through applications.selectors (an officer of another commune gets 404),
every action is one workflow service, and a refused action is answered with the service's
Vietnamese message and status (403/409/400) without changing anything.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from django.contrib import messages
from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from accounts.access import staff_agency_ids, staff_required
from accounts.two_factor import export_requested, second_factor_recent_required, sensitive_dossier_action
from applications import forms_officer as forms
from applications import page_versions, workflow
from applications.access_log import dossier_access_record
from applications.deadlines import deadline_clock
from applications.models import AccessKind, Apology, Dossier, Event, Status
from applications.presentation import ACTION_LABELS, DANGER_ACTIONS
from applications.queues import QUEUES, default_queue, queue_counts, queue_dossiers, queues_for
from applications.selectors import dossier_get_for_staff, dossier_page_get_for_staff, eform_answers, people_attach
from applications.tracking_book import tracking_book_rows, tracking_book_xlsx
from portal.lib.pagination import bounded_page, page_number
from portal.lib.personal_pages import personal_page
from portal.lib.replica import replica_reads
from portal.templatetags.bs5_fields import bs5_field
from procedures.cache import cache_seconds, catalogue_cache_key, catalogue_scope
from procedures.fees import fee_quote_for_dossier
from procedures.models import ServiceLevel

PAGE_SIZE = 25
# What a row of the queue (templates/applications/officer/home.html) shows: reading only these, rather
# than every column of the dossier, its version and its procedure, halves the cost of the page's rows.
QUEUE_ROW_FIELDS = (
    "code", "applicant_name", "submitted_at", "due_current", "status", "transfer_due",
    "procedure_version__name", "procedure_version__service_level", "assigned_to__full_name",
)

# action → (form class, how to call the workflow service with the cleaned data)
ActionCall = Callable[[Dossier, object, dict], Dossier]
ACTIONS: dict[str, tuple[type[forms.ActionForm], ActionCall]] = {
    "receive": (forms.NoteForm, lambda d, u, c: workflow.dossier_receive(
        d, actor=u, expected_version=c["expected_version"], note=c["note"])),
    "request_completion": (forms.ItemsForm, lambda d, u, c: workflow.dossier_request_completion(
        d, actor=u, expected_version=c["expected_version"], items=c["items"], note=c["note"])),
    "refuse": (forms.ReasonForm, lambda d, u, c: workflow.dossier_refuse(
        d, actor=u, expected_version=c["expected_version"], reason=c["reason"])),
    "transfer": (forms.TransferForm, lambda d, u, c: workflow.dossier_transfer(
        d, actor=u, expected_version=c["expected_version"], specialist=c["specialist"])),
    "request_supplement": (forms.ItemsForm, lambda d, u, c: workflow.dossier_request_supplement(
        d, actor=u, expected_version=c["expected_version"], items=c["items"])),
    "supplement": (forms.NoteForm, lambda d, u, c: workflow.dossier_supplement(
        d, actor=u, expected_version=c["expected_version"], note=c["note"])),
    "request_payment": (forms.PaymentForm, lambda d, u, c: workflow.dossier_request_payment(
        d, actor=u, expected_version=c["expected_version"], amount=c["amount"], note=c["note"])),
    "submit_for_approval": (forms.NoteForm, lambda d, u, c: workflow.dossier_submit_for_approval(
        d, actor=u, expected_version=c["expected_version"], note=c["note"])),
    "send_back": (forms.RequiredNoteForm, lambda d, u, c: workflow.dossier_send_back(
        d, actor=u, expected_version=c["expected_version"], note=c["note"])),
    "approve": (forms.ApproveForm, lambda d, u, c: workflow.dossier_approve(
        d, actor=u, expected_version=c["expected_version"], result_summary=c["result_summary"])),
    "declare_not_eligible": (forms.ReasonForm, lambda d, u, c: workflow.dossier_declare_not_eligible(
        d, actor=u, expected_version=c["expected_version"], reason=c["reason"])),
    "apologise": (forms.ApologyForm, lambda d, u, c: workflow.dossier_apologise(
        d, actor=u, expected_version=c["expected_version"], reason=c["reason"], new_due=c["new_due"])),
    "extend": (forms.ExtensionForm, lambda d, u, c: workflow.dossier_extend(
        d, actor=u, expected_version=c["expected_version"], days=c["days"], reason=c["reason"])),
    "request_stop": (forms.StopRequestForm, lambda d, u, c: workflow.dossier_request_stop(
        d, actor=u, expected_version=c["expected_version"], reason=c["reason"])),
    "stop": (forms.NoteForm, lambda d, u, c: workflow.dossier_stop(
        d, actor=u, expected_version=c["expected_version"], note=c["note"])),
    "decline_stop": (forms.DeclineStopForm, lambda d, u, c: workflow.dossier_decline_stop(
        d, actor=u, expected_version=c["expected_version"], reason=c["reason"])),
    "return_result": (forms.ReturnResultForm, lambda d, u, c: workflow.dossier_return_result(
        d, actor=u, expected_version=c["expected_version"], method=c["method"])),
    "record_in_person_step": (forms.InPersonStepForm, lambda d, u, c: workflow.dossier_record_in_person_step(
        d, actor=u, kind=c["kind"], note=c["note"])),
}


# --- Queues --------------------------------------------------------------------------------------


def _cached_procedure_choices(filter_form: forms.QueueFilterForm, agency_ids: list[int]) -> None:
    """The filter's procedure options, from the catalogue cache when it holds them.

    The options are the same for every member of staff of these agencies and change with the catalogue
    only; their query (a subquery over versions and receiving agencies) cost more to compile than any
    other of the queue page's. Cached under the catalogue's generation (procedures/cache.py), which
    every catalogue write bumps. Only the rendering uses these choices: a submitted procedure is still
    checked against the field's queryset."""
    field = filter_form.fields["procedure"]
    seconds = cache_seconds()
    if not seconds:
        return
    key = catalogue_cache_key("officer-queue-procedures", sorted(agency_ids))
    options = cache.get(key)
    if options is None:
        options = [(procedure.pk, field.label_from_instance(procedure)) for procedure in field.queryset]
        cache.set(key, options, seconds)
    field.choices = [("", field.empty_label), *options]


def _filter_fields(filter_form: forms.QueueFilterForm | None, agency_ids: list[int]) -> dict[str, str]:
    """The filter form's fields as HTML (`|bs5_field`), by name; `filter_form` None: nothing filtered.

    Unfiltered, the form looks the same to every member of staff of these agencies in a language, and
    most visits to the queue are unfiltered: that HTML is cached with the catalogue (it lists the
    agencies' procedures), so the page neither builds the form, queries the procedures nor renders
    their options."""
    seconds = cache_seconds()
    key = None
    if filter_form is None:
        if seconds:
            key = catalogue_cache_key("officer-queue-filter", sorted(agency_ids), get_language())
            cached = cache.get(key)
            if cached is not None:
                return {name: mark_safe(html) for name, html in cached.items()}  # noqa: S308  # rendered below
        filter_form = forms.QueueFilterForm(None, agency_ids=agency_ids)
    _cached_procedure_choices(filter_form, agency_ids)
    fields = {name: bs5_field(filter_form[name]) for name in filter_form.fields}
    if key:
        cache.set(key, {name: str(html) for name, html in fields.items()}, seconds)
    return fields


@staff_required
@require_GET
@personal_page(page_versions.staff_agencies, catalogue_scope)  # the filter's procedures: the catalogue
def officer_home(request: HttpRequest) -> HttpResponse:
    user, now = request.user, timezone.now()
    queues = queues_for(user)
    key = request.GET.get("queue") or default_queue(user)
    if key not in {queue.key for queue in queues}:
        key = default_queue(user) if default_queue(user) in QUEUES else "all"
    page_number(request, PAGE_SIZE)  # a page the list will not serve is refused before anything is counted
    # A form is built only when a filter is in the query string (a tab or a page number alone filters
    # nothing, and renders the same fields as no query at all).
    filter_form = None
    if any(name in request.GET for name in forms.QueueFilterForm.base_fields):
        filter_form = forms.QueueFilterForm(request.GET, agency_ids=staff_agency_ids(user))
    filters = filter_form.cleaned_data if filter_form is not None and filter_form.is_valid() else {}
    dossiers = queue_dossiers(
        user, key, now, search=(filters.get("q") or "").strip(),
        procedure_id=filters["procedure"].pk if filters.get("procedure") else None,
        status=filters.get("status") or "", date_from=filters.get("date_from"), date_to=filters.get("date_to"),
        sort=filters.get("sort") or "",
    ).select_related(None).select_related("procedure_version", "assigned_to").only(*QUEUE_ROW_FIELDS)
    counts = queue_counts(user, now)
    # Unfiltered, the queue holds exactly what its tab counts (every queue's states are among the counted
    # ACTIVE ones; "all" is counted as is): no second COUNT over the same rows.
    unfiltered = not any(filters.get(name) for name in ("q", "procedure", "status", "date_from", "date_to"))
    page = bounded_page(request, dossiers, PAGE_SIZE, known_count=counts.get(key, 0) if unfiltered else None)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "applications/officer/home.html", {
        "queues": [(queue, counts.get(queue.key, 0)) for queue in queues],
        "current": QUEUES[key], "page": page, "query": query.urlencode(), "now": now,
        # Any query string opens the filter box, as a bound form did.
        "filter_form": filter_form, "filter_open": bool(request.GET),
        "filter_fields": _filter_fields(filter_form, staff_agency_ids(user)),
    })


# --- The dossier page -------------------------------------------------------------------------------


def _action_forms(dossier: Dossier, user, available: list[str], bound: dict | None) -> list[dict]:
    """One form per action allowed now, each with its own prefix so field ids never clash."""
    result = []
    for action in available:
        if action not in ACTIONS:
            continue
        form_class, _call = ACTIONS[action]
        kwargs = {"prefix": action, "initial": {"expected_version": dossier.version}}
        if form_class is forms.TransferForm:
            kwargs["agency_ids"] = staff_agency_ids(user)
        if action == "request_payment":
            quote = fee_quote_for_dossier(dossier)
            kwargs["initial"]["amount"] = quote.total or None
        if action == "return_result":
            kwargs["initial"]["method"] = dossier.result_delivery
        if action == "extend":
            kwargs["initial"]["days"] = workflow.extension_days_left(dossier)
        form = bound[action] if bound and action in bound else form_class(**kwargs)
        result.append({"action": action, "label": ACTION_LABELS.get(action, action), "form": form,
                       "danger": action in DANGER_ACTIONS, "open": bool(bound and action in bound)})
    return result


def _attachments(dossier: Dossier) -> list:
    """The dossier's attachments with what the page shows of them.

    Joining the digitising officer and both kinds of reused paper (and their dossiers and agency) for
    every attachment made one very wide query whose compilation cost more than the rest of the page's
    queries together; few attachments were digitised or reused, so those relations are fetched only
    when some attachment names them (one query each, whatever the number of attachments)."""
    attachments = list(dossier.attachments.select_related("component"))
    wanted = [lookup for lookup, attname in (
        ("digitised_by", "digitised_by_id"),
        ("reused_from__dossier", "reused_from_id"),
        ("reused_from_document__dossier__agency", "reused_from_document_id"),
    ) if any(getattr(attachment, attname) is not None for attachment in attachments)]
    if wanted:
        prefetch_related_objects(attachments, *wanted)
    return attachments


def _detail_context(request: HttpRequest, dossier: Dossier, *, bound: dict | None = None,
                    error: str = "") -> dict:
    user = request.user
    events = list(dossier.events.all())
    people_attach(dossier, events)  # the dossier's people and the actors: one query
    pauses = list(dossier.pauses.all())
    supplement_requests = list(dossier.supplement_requests.all())
    apology = Apology.objects.filter(dossier=dossier).first()
    extensions = list(dossier.extensions.all())
    available = workflow.dossier_actions_available(dossier, user)
    stop_request = next((event for event in reversed(events) if event.action == Event.STOP_REQUESTED), None)
    version = dossier.procedure_version
    fee_prompt = 0
    if version.service_level == ServiceLevel.FULL and dossier.status == Status.RECEIVED and dossier.fee_amount is None:
        # Full process with fees: payment comes before processing (see workflow's docstring).
        fee_prompt = fee_quote_for_dossier(dossier).total
    return {
        "dossier": dossier, "version": version, "events": events, "pauses": pauses,
        "clock": deadline_clock(dossier, pauses, rescheduled=apology is not None, extensions=extensions),
        "apology": apology, "extensions": extensions,
        "stop_request": stop_request if dossier.status == Status.STOP_REQUESTED else None,
        "supplement_requests": supplement_requests, "control_sheet": list(dossier.control_sheet.all()),
        "attachments": _attachments(dossier),
        "documents": list(dossier.documents.all()), "answers": eform_answers(version, dossier.form_data),
        "actions": _action_forms(dossier, user, available, bound), "error": error, "fee_prompt": fee_prompt,
        "is_partial": version.service_level == ServiceLevel.PARTIAL,
        "can_request_payment": "request_payment" in available,
        "can_send_by_post": "send_by_post" in available,
    }


@staff_required
@require_GET
@personal_page(page_versions.dossier_by_code, catalogue_scope, on_hit="dossier_access", hit_args=page_versions.dossier_access_args)
def dossier_detail(request: HttpRequest, code: str) -> HttpResponse:
    dossier = dossier_page_get_for_staff(request.user, code)
    if dossier.status == Status.DRAFT:
        raise Http404("Không tìm thấy hồ sơ.")
    dossier_access_record(dossier_id=dossier.pk, user=request.user, kind=AccessKind.DOSSIER)
    return render(request, "applications/officer/dossier.html", _detail_context(request, dossier))


@staff_required
@second_factor_recent_required(when=sensitive_dossier_action)
@require_POST
def dossier_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404("Không có thao tác này.")
    dossier = dossier_get_for_staff(request.user, code)
    if dossier.status == Status.DRAFT:
        raise Http404("Không tìm thấy hồ sơ.")
    form_class, call = ACTIONS[action]
    kwargs = {"agency_ids": staff_agency_ids(request.user)} if form_class is forms.TransferForm else {}
    form = form_class(request.POST, prefix=action, **kwargs)
    if not form.is_valid():
        context = _detail_context(request, dossier, bound={action: form},
                                  error=_("Vui lòng kiểm tra lại thông tin đã nhập."))
        return render(request, "applications/officer/dossier.html", context, status=400)
    try:
        call(dossier, request.user, form.cleaned_data)
    except workflow.WorkflowError as refused:
        dossier.refresh_from_db()
        context = _detail_context(request, dossier, error=refused.message)
        return render(request, "applications/officer/dossier.html", context, status=refused.status)
    messages.success(request, _("Đã thực hiện: %(action)s.") % {"action": ACTION_LABELS.get(action, action)})
    return redirect("applications:officer-dossier", code=dossier.code)


# --- Tracking book (Mẫu 07) ------------------------------------------------------------------------------


def _period(form: forms.PeriodForm) -> tuple[date, date]:
    """The period of a valid PeriodForm: this month by default, at most a year."""
    today = timezone.localdate()
    start = form.cleaned_data.get("from") or today.replace(day=1)
    end = form.cleaned_data.get("to") or today
    if end < start:
        start, end = end, start
    return start, min(end, start + timedelta(days=366))


def _tracking_book_refused(request: HttpRequest, form: forms.PeriodForm) -> HttpResponse:
    """A malformed query string: the page with the form's messages, 400, nothing computed."""
    return render(request, "applications/officer/tracking_book.html", {"form": form, "rows": [], "invalid": True},
                  status=400)


@staff_required
@second_factor_recent_required(when=export_requested)
@require_GET
@cache_control(no_store=True, private=True)
@replica_reads
def tracking_book(request: HttpRequest) -> HttpResponse:
    form = forms.PeriodForm(request.GET)
    if not form.is_valid():
        return _tracking_book_refused(request, form)
    if form.cleaned_data["format"] == "xlsx":
        return tracking_book_download(request)
    start, end = _period(form)
    rows = tracking_book_rows(staff_agency_ids(request.user), start, end)
    return render(request, "applications/officer/tracking_book.html", {
        "rows": rows, "start": start, "end": end, "form": forms.PeriodForm(initial={"from": start, "to": end}),
    })


@staff_required
@second_factor_recent_required()
@require_GET
@cache_control(no_store=True, private=True)
@replica_reads
def tracking_book_download(request: HttpRequest) -> HttpResponse:
    form = forms.PeriodForm(request.GET)
    if not form.is_valid():
        return _tracking_book_refused(request, form)
    start, end = _period(form)
    rows = tracking_book_rows(staff_agency_ids(request.user), start, end)
    agency = request.user.agency
    content = tracking_book_xlsx(rows, start, end, agency_name=agency.name if agency else "")
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="so-theo-doi-ho-so-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"'
    return response
