"""The filing steps shared by a citizen filing online and an officer filing for a walk-in citizen.

Each step is a thin view body: bind the step's form → one filing service → redirect (PRG). The
two flows differ only in who may open the draft, the URL names and whether scans are marked
as digitised at the counter; `Flow` carries those differences.
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
    attachment_remove,
    attachments_add,
    delivery_choices,
    dossier_missing,
    draft_update,
)
from applications.forms_filing import ApplicantForm, ReviewForm, UploadForm
from applications.models import Dossier
from portal.lib.text import as_uuid

STEPS = (
    ("applicant", gettext_lazy("Người nộp")),
    ("form", gettext_lazy("Tờ khai")),
    ("attachments", gettext_lazy("Giấy tờ")),
    ("review", gettext_lazy("Xem lại và nộp")),
)


@dataclass(frozen=True)
class Flow:
    prefix: str  # URL names: applications:<prefix>-<step>
    get_dossier: Callable[[HttpRequest, int], Dossier]
    agencies: Callable[[HttpRequest, Dossier], QuerySet[Agency]]
    # Every dossier the user may see, and where a submitted one is shown (for a retried submit).
    scope: Callable[[HttpRequest], QuerySet[Dossier]]
    done_url: Callable[[Dossier], str]
    is_digitised: bool = False
    guided: bool = False

    def url(self, step: str, dossier: Dossier) -> str:
        return reverse(f"applications:{self.prefix}-{step}", args=[dossier.pk])

    def context(self, request: HttpRequest, dossier: Dossier, step: str, **extra) -> dict:
        steps = [{"key": key, "label": label, "url": self.url(key, dossier), "current": key == step}
                 for key, label in STEPS]
        return {"dossier": dossier, "version": dossier.procedure_version, "steps": steps, "step": step,
                "flow": self, "guided": self.guided, **extra}


def _next(request: HttpRequest, flow: Flow, dossier: Dossier, following: str) -> HttpResponse:
    """"Save and leave" goes to the list of drafts; otherwise on to the next step."""
    if "save_draft" in request.POST:
        messages.success(request, _("Đã lưu bản nháp. Bạn có thể quay lại hoàn thành sau."))
        return redirect("applications:guided-start" if flow.guided else "applications:my-dossiers")
    return redirect(flow.url(following, dossier))


def step_applicant(request: HttpRequest, flow: Flow, pk: int) -> HttpResponse:
    dossier = flow.get_dossier(request, pk)
    form = ApplicantForm(
        request.POST or None, version=dossier.procedure_version, agencies=flow.agencies(request, dossier),
        initial=ApplicantForm.initial_from(dossier),
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
    dossier = flow.get_dossier(request, pk)
    version = dossier.procedure_version
    if request.method == "POST":
        form = eform_build(version, data=request.POST)
        if form.is_valid():
            try:
                draft_update(dossier, {"form_data": form.to_json()})
            except FilingError as exc:
                form.add_error(None, exc.message)
            else:
                for warning in form.warnings():
                    messages.warning(request, warning)
                return _next(request, flow, dossier, "attachments")
    else:
        form = eform_build(version, stored=dossier.form_data)
    return render(request, "applications/citizen/step_form.html", flow.context(request, dossier, "form", form=form))


def _upload_forms(flow: Flow, dossier: Dossier, bound: UploadForm | None = None) -> list[dict]:
    attachments = list(dossier.attachments.filter(supplement_request__isnull=True))
    rows = []
    for component in dossier.procedure_version.components.order_by("order", "pk"):
        form = bound if bound is not None and bound.component == component else UploadForm(
            component=component, prefix=f"c{component.pk}"
        )
        pages = [
            {"attachment": a, "remove_url": reverse(f"applications:{flow.prefix}-attachment-remove", args=[dossier.pk, a.pk])}
            for a in attachments if a.component_id == component.pk
        ]
        rows.append({"component": component, "form": form, "pages": pages})
    return rows


def step_attachments(request: HttpRequest, flow: Flow, pk: int) -> HttpResponse:
    dossier = flow.get_dossier(request, pk)
    bound = None
    if request.method == "POST" and "component" in request.POST:
        component = get_object_or_404(
            dossier.procedure_version.components, pk=request.POST.get("component", "").strip() or 0
        )
        bound = UploadForm(request.POST, request.FILES, component=component, prefix=f"c{component.pk}")
        if bound.is_valid():
            try:
                stored = attachments_add(
                    dossier, component, bound.cleaned_data["files"], by=request.user, is_digitised=flow.is_digitised
                )
            except (ValidationError, FilingError) as exc:
                bound.add_error("files", exc.message if isinstance(exc, FilingError) else exc.messages)
            else:
                messages.success(request, _("Đã tải lên %(count)s tệp cho «%(name)s».") % {
                    "count": len(stored), "name": component.name})
                return redirect_or_json(request, flow.url("attachments", dossier) + f"#component-{component.pk}")
    elif request.method == "POST":
        return _next(request, flow, dossier, "review")
    context = flow.context(request, dossier, "attachments", rows=_upload_forms(flow, dossier, bound))
    return render(request, "applications/citizen/step_attachments.html", context, status=400 if bound else 200)


def redirect_or_json(request: HttpRequest, url: str) -> HttpResponse:
    """static/js/upload.js posts with XMLHttpRequest (to show progress) and navigates itself."""
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        return JsonResponse({"redirect": url})
    return redirect(url)


def step_attachment_remove(request: HttpRequest, flow: Flow, pk: int, attachment_pk: int) -> HttpResponse:
    dossier = flow.get_dossier(request, pk)
    attachment = get_object_or_404(dossier.attachments, pk=attachment_pk, supplement_request__isnull=True)
    try:
        attachment_remove(attachment, by=request.user)
    except FilingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã xóa tệp «%(name)s».") % {"name": attachment.original_name})
    return redirect(flow.url("attachments", dossier))


def review_context(flow: Flow, request: HttpRequest, dossier: Dossier, form: ReviewForm, problems: list[str]) -> dict:
    version = dossier.procedure_version
    attachments = dossier.attachments.filter(supplement_request__isnull=True).select_related("component")
    return flow.context(
        request, dossier, "review", form=form, problems=problems, answers=eform_display(version, dossier.form_data),
        attachments=attachments, delivery_offered=delivery_choices(version),
    )


def step_review(
    request: HttpRequest, flow: Flow, pk: int, form_class: type[ReviewForm], on_valid: Callable[[Dossier, ReviewForm],
                                                                                                HttpResponse],
) -> HttpResponse:
    if request.method == "POST":
        # A double click or a retried POST after success: show the result of the first one.
        token = as_uuid(request.POST.get("submit_token"))
        done = token and flow.scope(request).filter(pk=pk, submit_token=token).exclude(status__in=EDITABLE_STATES).first()
        if done:
            return redirect(flow.done_url(done))
    dossier = flow.get_dossier(request, pk)
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
