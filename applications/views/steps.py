"""The filing steps shared by a citizen filing online and an officer filing for a walk-in citizen.

Each step is a thin view body: bind the step's form → one filing service → redirect (PRG). The
two flows differ only in who may open the dossier, the URL names, where a submitted dossier is
shown and whether scans are marked as digitised at the counter; `Flow` carries those differences.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Agency
from applications.eforms import eform_build, eform_display
from applications.filing import (
    EDITABLE_STATES,
    FilingError,
    applicant_details,
    attachment_remove,
    attachments_add_batch,
    dossier_delivery_choices,
    dossier_eform_locked,
    dossier_missing,
    draft_save_eform,
    draft_update,
    eform_filled_components,
    is_counter_filing,
)
from applications.forms_filing import ApplicantForm, ReviewForm, UploadForm
from applications.models import Dossier, Status
from applications.selectors import supplement_request_note, supplement_request_open

STEPS = (
    ("applicant", gettext_lazy("Người nộp")),
    ("form", gettext_lazy("Tờ khai")),
    ("attachments", gettext_lazy("Giấy tờ")),
    ("review", gettext_lazy("Xem lại và nộp")),
)
OTHER = "other"  # the "Giấy tờ khác" slot: papers that match no listed component


@dataclass(frozen=True)
class Flow:
    prefix: str  # URL names: applications:<prefix>-<step>
    # Every dossier of this flow the user may open, in any state (selectors, access-scoped).
    get_dossier: Callable[[HttpRequest, int], Dossier]
    agencies: Callable[[HttpRequest, Dossier], QuerySet[Agency]]
    # Where a submitted dossier is shown: after submitting (done), and when the browser goes back
    # to a step after submitting (shown).
    done_url: Callable[[Dossier], str]
    shown_url: Callable[[Dossier], str]
    is_digitised: bool = False
    guided: bool = False

    def url(self, step: str, dossier: Dossier) -> str:
        return reverse(f"applications:{self.prefix}-{step}", args=[dossier.pk])

    def context(self, request: HttpRequest, dossier: Dossier, step: str, **extra) -> dict:
        steps = [{"key": key, "label": label, "url": self.url(key, dossier), "current": key == step}
                 for key, label in STEPS]
        return {"dossier": dossier, "version": dossier.procedure_version, "steps": steps, "step": step,
                "flow": self, "guided": self.guided, "completion": completion_request(dossier), **extra}


def completion_request(dossier: Dossier) -> dict | None:
    """The officer's Mẫu 02 guidance for a dossier sent back before receipt: its list and its note."""
    if dossier.status != Status.NEEDS_COMPLETION:
        return None
    request = supplement_request_open(dossier)
    if request is None:
        return None
    return {"request": request, "items": request.items, "note": supplement_request_note(request)}


def _open(request: HttpRequest, flow: Flow, pk: int) -> Dossier | HttpResponse:
    """The dossier if it can still be edited; a submitted one (the browser went back after
    submitting) is shown where it now lives instead of a 404."""
    dossier = flow.get_dossier(request, pk)
    if dossier.status not in EDITABLE_STATES:
        # A repeated POST (double click, retry) gets what the first one got.
        return redirect(flow.done_url(dossier) if request.method == "POST" else flow.shown_url(dossier))
    return dossier


def _next(request: HttpRequest, flow: Flow, dossier: Dossier, following: str) -> HttpResponse:
    """"Save and leave" goes to the list of drafts; otherwise on to the next step."""
    if "save_draft" in request.POST:
        messages.success(request, _("Đã lưu bản nháp. Bạn có thể quay lại hoàn thành sau."))
        return redirect_or_json(request, reverse("applications:guided-start" if flow.guided else "applications:my-dossiers"))
    return redirect_or_json(request, flow.url(following, dossier))


def step_applicant(request: HttpRequest, flow: Flow, pk: int) -> HttpResponse:
    dossier = _open(request, flow, pk)
    if isinstance(dossier, HttpResponse):
        return dossier
    form = ApplicantForm(
        request.POST or None, version=dossier.procedure_version, agencies=flow.agencies(request, dossier),
        initial=ApplicantForm.initial_from(dossier), at_counter=is_counter_filing(dossier),
        verified_applicant=(dossier.owner if not is_counter_filing(dossier) and dossier.owner is not None
                            and dossier.owner.identity_verified_at else None),
    )
    if request.method == "POST" and form.is_valid():
        try:
            draft_update(dossier, form.draft_values())
        except FilingError as exc:
            form.add_error(None, exc.message)
        else:
            return _next(request, flow, dossier, "form")
    return render(request, "applications/citizen/step_applicant.html", flow.context(request, dossier, "applicant", form=form))


def step_form(request: HttpRequest, flow: Flow, pk: int) -> HttpResponse:
    dossier = _open(request, flow, pk)
    if isinstance(dossier, HttpResponse):
        return dossier
    version = dossier.procedure_version
    if request.method == "POST":
        form = eform_build(version, data=request.POST, locked=dossier_eform_locked(dossier))
        if form.is_valid():
            try:
                draft_save_eform(dossier, form.to_json())
            except FilingError as exc:
                form.add_error(None, exc.message)
            else:
                for warning in form.warnings():
                    messages.warning(request, warning)
                return _next(request, flow, dossier, "attachments")
    else:
        form = eform_build(version, stored=dossier.form_data, details=applicant_details(dossier),
                           locked=dossier_eform_locked(dossier))
    return render(request, "applications/citizen/step_form.html", flow.context(request, dossier, "form", form=form))


def _slot_forms(request: HttpRequest, flow: Flow, dossier: Dossier) -> list[tuple[object, UploadForm]]:
    """One upload field per component, then the "Giấy tờ khác" slot (component None). The applicant
    filing online may keep each paper in their store; at the counter scans go there by themselves."""
    data = (request.POST, request.FILES) if request.method == "POST" else ()
    offer_keep = not flow.is_digitised and dossier.owner_id is not None
    slots: list[tuple[object, UploadForm]] = [
        (component, UploadForm(*data, component=component, prefix=f"c{component.pk}", offer_keep=offer_keep))
        for component in dossier.procedure_version.components.select_related("document_type").order_by("order", "pk")
    ]
    slots.append((None, UploadForm(*data, component=None, prefix=OTHER, offer_keep=offer_keep)))
    return slots


def _rows(flow: Flow, dossier: Dossier, slots: list[tuple[object, UploadForm]]) -> list[dict]:
    attachments = list(dossier.attachments.filter(supplement_request__isnull=True))
    by_eform = eform_filled_components(dossier.procedure_version)
    rows = []
    for component, form in slots:
        key = component.pk if component is not None else None
        pages = [
            {"attachment": a, "remove_url": reverse(f"applications:{flow.prefix}-attachment-remove",
                                                    args=[dossier.pk, a.pk])}
            for a in attachments if a.component_id == key
        ]
        rows.append({"component": component, "form": form, "pages": pages, "slot": key or OTHER,
                     "by_eform": key in by_eform})
    return rows


def step_attachments(request: HttpRequest, flow: Flow, pk: int) -> HttpResponse:
    """Every slot is in one form: "Tải lên" and "Lưu và tiếp tục" both store the files chosen
    anywhere on the page (all or nothing), so a chosen file is never dropped silently."""
    dossier = _open(request, flow, pk)
    if isinstance(dossier, HttpResponse):
        return dossier
    slots = _slot_forms(request, flow, dossier)
    status = 200
    if request.method == "POST":
        if all(form.is_valid() for _component, form in slots):
            items = [(component, f) for component, form in slots for f in form.cleaned_data["files"]]
            pressed = request.POST.get("upload", "")
            if not items and pressed:
                form = next((form for component, form in slots if str(getattr(component, "pk", OTHER)) == pressed),
                            slots[-1][1])
                form.add_error("files", _("Vui lòng chọn tệp để tải lên."))
            else:
                response = _store_and_go(request, flow, dossier, items, pressed, slots)
                if response is not None:
                    return response
        status = 400
    context = flow.context(request, dossier, "attachments", rows=_rows(flow, dossier, slots))
    return render(request, "applications/citizen/step_attachments.html", context, status=status)


def _store_and_go(request, flow: Flow, dossier: Dossier, items: list, pressed: str, slots) -> HttpResponse | None:
    if items:
        try:
            keep = {getattr(component, "pk", None) for component, form in slots if form.cleaned_data.get("keep")}
            stored = attachments_add_batch(dossier, items, by=request.user, is_digitised=flow.is_digitised,
                                           keep=keep)
        except (ValidationError, FilingError) as exc:
            message = exc.message if isinstance(exc, FilingError) else " ".join(exc.messages)
            failed = next((form for component, form in slots if form.cleaned_data["files"]), slots[-1][1])
            failed.add_error("files", message)
            messages.error(request, _("Chưa lưu tệp nào: %(reason)s Vui lòng chọn lại tệp.") % {"reason": message})
            return None
        messages.success(request, _("Đã tải lên %(count)s tệp.") % {"count": len(stored)})
    if pressed:
        anchor = f"#component-{pressed}" if pressed != OTHER else "#component-other"
        return redirect_or_json(request, flow.url("attachments", dossier) + anchor)
    return _next(request, flow, dossier, "review")


def redirect_or_json(request: HttpRequest, url: str) -> HttpResponse:
    """static/js/upload.js posts with XMLHttpRequest (to show progress) and navigates itself."""
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        return JsonResponse({"redirect": url})
    return redirect(url)


def step_attachment_remove(request: HttpRequest, flow: Flow, pk: int, attachment_pk: int) -> HttpResponse:
    """GET asks for confirmation (a removed scan cannot be undone); POST removes."""
    dossier = _open(request, flow, pk)
    if isinstance(dossier, HttpResponse):
        return dossier
    attachment = get_object_or_404(dossier.attachments, pk=attachment_pk, supplement_request__isnull=True)
    back = flow.url("attachments", dossier)
    if request.method != "POST":
        return render(request, "applications/citizen/attachment_remove.html", flow.context(
            request, dossier, "attachments", attachment=attachment, back_url=back))
    try:
        attachment_remove(attachment, by=request.user)
    except FilingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã xóa tệp «%(name)s».") % {"name": attachment.original_name})
    return redirect(back)


def review_context(flow: Flow, request: HttpRequest, dossier: Dossier, form: ReviewForm, problems: list[str]) -> dict:
    version = dossier.procedure_version
    attachments = dossier.attachments.filter(supplement_request__isnull=True).select_related("component")
    by_eform = eform_filled_components(version)
    return flow.context(
        request, dossier, "review", form=form, problems=problems, answers=eform_display(version, dossier.form_data),
        attachments=attachments, delivery_offered=dossier_delivery_choices(dossier),
        eform_components=version.components.filter(pk__in=by_eform).order_by("order", "pk"),
    )


def step_review(
    request: HttpRequest, flow: Flow, pk: int, form_class: type[ReviewForm],
    on_valid: Callable[[Dossier, ReviewForm], HttpResponse],
) -> HttpResponse:
    # A double click or a retried POST after success finds the dossier submitted and is sent to
    # it by _open; the service is idempotent on the token for the race in between.
    dossier = _open(request, flow, pk)
    if isinstance(dossier, HttpResponse):
        return dossier
    form = form_class(request.POST or None, initial={"submit_token": uuid.uuid4()})
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            return on_valid(dossier, form)
        except FilingError as exc:
            form.add_error(None, exc.message)
            problems = exc.problems
    else:
        problems = dossier_missing(dossier, check_consent=False)
    if form.is_bound:
        # A fresh token for the next attempt: the refused one must not be reused.
        form.data = form.data.copy()
        form.data["submit_token"] = str(uuid.uuid4())
    template = "applications/citizen/step_review.html"
    return render(request, template, review_context(flow, request, dossier, form, problems),
                  status=400 if form.is_bound else 200)
