"""Pages of the feedback app.

Public: the rating page behind a signed link (no account), the petition form, its tracking page
(code + secret) and the published answers. Staff: the petition queue of their agency's sub-tree,
a petition's page and its actions, and the counter "tablet" rating page for a walk-in.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import citizen_required, signed_in_user, staff_required
from accounts.models import Role
from accounts.throttle import client_ip, rate_limit_hit
from applications.models import Dossier, Status
from applications.notifications import RATING_LINK_PURPOSE
from applications.selectors import dossier_get_for_citizen, dossier_get_for_staff, dossiers_for_citizen
from applications.uploads import INLINE_TYPES, PDF
from feedback import forms, services
from feedback.models import OPEN_PETITION_STATES, PetitionAttachment, PetitionStatus, RatingChannel
from feedback.redaction import personal_data_remove
from feedback.selectors import petition_get_for_staff, petitions_for_staff, petitions_published
from notifications.services import absolute_url
from portal.lib.pagination import bounded_page
from portal.lib.pdf import qr_data_uri
from portal.lib.signed_links import signed_link_token, signed_link_value

logger = logging.getLogger(__name__)

LOOKUP_WINDOW_SECONDS = 10 * 60
PETITION_IP_WINDOW_SECONDS = 60 * 60
PETITION_ACCOUNT_WINDOW_SECONDS = 24 * 60 * 60
SENT_SESSION_KEY = "feedback_petition_sent"
PAGE_SIZE = 20


def _lookup_allowed(request: HttpRequest, scope: str) -> bool:
    return rate_limit_hit(scope=scope, key=client_ip(request), limit=settings.FEEDBACK_LOOKUP_RATE_LIMIT,
                          window_seconds=LOOKUP_WINDOW_SECONDS)


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "feedback/too_many.html", status=429)


# --- Satisfaction rating ---------------------------------------------------------------------------


def _dossier_for_rating(code: str) -> Dossier | None:
    return (Dossier.objects.select_related("procedure_version", "agency")
            .only("code", "status", "returned_at", "agency_id", "agency__name", "procedure_version__name",
                  "procedure_version__procedure_id")
            .filter(code=code).first())


def _rating_page(request: HttpRequest, dossier: Dossier, *, action: str, channel: str, tablet: bool,
                 qr: str = "") -> HttpResponse:
    """The rating form for `dossier`: shows the procedure and the agency only, never a name."""
    refusal = services.rating_refusal(dossier)
    form = forms.RatingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not refusal:
        # The counter tablet serves every walk-in from one address, behind a staff sign-in.
        if not tablet and not _lookup_allowed(request, "rating"):
            return _too_many(request)
        if form.is_valid():
            try:
                services.rating_record(dossier=dossier, scores=form.scores(), overall=form.cleaned_data["overall"],
                                       comment=form.cleaned_data["comment"], channel=channel)
            except services.FeedbackError as exc:
                refusal = str(exc)
            else:
                return redirect(reverse("feedback:rate-thanks") + ("?tablet=1" if tablet else ""))
    response = render(request, "feedback/rate.html", {
        "dossier": dossier, "form": form, "refusal": refusal, "action": action, "tablet": tablet,
        "window_days": settings.FEEDBACK_RATING_WINDOW_DAYS, "qr": qr,
    })
    response["Cache-Control"] = "no-store"
    # The signed link must not leak to other sites ("no-referrer" would make the form post Origin: null).
    response["Referrer-Policy"] = "same-origin"
    return response


@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, token: str) -> HttpResponse:
    """The page the result notification links to: no account needed; the signed token names the dossier."""
    code = signed_link_value(RATING_LINK_PURPOSE, token,
                             max_age_seconds=(settings.FEEDBACK_RATING_WINDOW_DAYS + 30) * 24 * 3600)
    dossier = _dossier_for_rating(code) if code else None
    if dossier is None:
        return render(request, "feedback/rate_invalid.html", status=404)
    return _rating_page(request, dossier, action=request.path, channel=RatingChannel.LINK, tablet=False)


@citizen_required
@require_GET
def rate_own(request: HttpRequest, code: str) -> HttpResponse:
    """From the citizen's own dossier page: the same signed page."""
    dossier = dossier_get_for_citizen(signed_in_user(request), code)
    return redirect("feedback:rate", token=signed_link_token(RATING_LINK_PURPOSE, dossier.code))


@staff_required
@require_http_methods(["GET", "POST"])
def counter_rate(request: HttpRequest, code: str) -> HttpResponse:
    """Tablet mode at the one-stop shop: the officer opens it and hands the tablet to the walk-in."""
    dossier = dossier_get_for_staff(signed_in_user(request), code)
    if dossier.status != Status.RETURNED:
        raise Http404(_("Hồ sơ chưa được trả kết quả."))
    # At the hand-over the citizen may rather scan the signed link with their own phone.
    link = absolute_url(reverse("feedback:rate", args=[signed_link_token(RATING_LINK_PURPOSE, dossier.code)]))
    return _rating_page(request, dossier, action=request.path, channel=RatingChannel.COUNTER, tablet=True,
                        qr=qr_data_uri(link))


@require_GET
def rate_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "feedback/rate_thanks.html", {"tablet": request.GET.get("tablet") == "1"})


# --- Petitions: public -------------------------------------------------------------------------------


@require_GET
def petition_list(request: HttpRequest) -> HttpResponse:
    """Published answers, personal data removed (what the agency chose to publish)."""
    page = bounded_page(request, petitions_published(), PAGE_SIZE)
    return render(request, "feedback/petition_list.html", {"page": page})


def _own_dossiers(request: HttpRequest):
    user = request.user
    if not user.is_authenticated or user.role != Role.CITIZEN:
        return None
    return (dossiers_for_citizen(user).exclude(status=Status.DRAFT).select_related("procedure_version")
            .order_by("-submitted_at"))


def _petition_flood_refusal(request: HttpRequest) -> str:
    """Captcha-free limits: per client IP per hour, and per account per day (shared cache)."""
    if not rate_limit_hit(scope="petition-ip", key=client_ip(request), limit=settings.FEEDBACK_PETITION_IP_LIMIT,
                          window_seconds=PETITION_IP_WINDOW_SECONDS):
        return _("Bạn đã gửi quá nhiều phản ánh trong thời gian ngắn. Vui lòng thử lại sau một giờ.")
    if request.user.is_authenticated and not rate_limit_hit(
        scope="petition-account", key=str(request.user.pk), limit=settings.FEEDBACK_PETITION_ACCOUNT_LIMIT,
        window_seconds=PETITION_ACCOUNT_WINDOW_SECONDS,
    ):
        return _("Tài khoản của bạn đã gửi quá nhiều phản ánh trong ngày. Vui lòng thử lại vào ngày mai.")
    return ""


@require_http_methods(["GET", "POST"])
def petition_new(request: HttpRequest) -> HttpResponse:
    dossiers = _own_dossiers(request)
    user = request.user if request.user.is_authenticated else None
    form = forms.PetitionForm(request.POST or None, request.FILES or None, user=user, dossiers=dossiers)
    if request.method == "POST":
        refusal = _petition_flood_refusal(request)
        if refusal:
            return render(request, "feedback/too_many.html", {"message": refusal}, status=429)
        if form.is_valid():
            data = form.cleaned_data
            try:
                petition, secret = services.petition_submit(
                    topic=data["topic"], agency=data["agency"], procedure=data["procedure"], dossier=data["dossier"],
                    title=data["title"], content=data["content"], sender_name=data["sender_name"],
                    sender_email=data["sender_email"], sender_phone=data["sender_phone"], submitted_by=user,
                    files=data["files"],
                )
            except ValidationError as exc:
                form.add_error("files", exc)
            except services.FeedbackError as exc:
                form.add_error(None, str(exc))
            else:
                request.session[SENT_SESSION_KEY] = {"code": petition.code, "secret": secret}
                return redirect("feedback:petition-sent")
    return render(request, "feedback/petition_form.html", {"form": form, "signed_in_citizen": dossiers is not None})


@require_GET
@cache_control(no_store=True, private=True)
def petition_sent(request: HttpRequest) -> HttpResponse:
    """Shows the code and the secret once (they live in the sender's session only until shown)."""
    sent = request.session.pop(SENT_SESSION_KEY, None)
    if not sent:
        return redirect("feedback:track")
    return render(request, "feedback/petition_sent.html", {"sent": sent})


def _track_result(request: HttpRequest, form: forms.PetitionTrackForm, *, status: int = 200,
                  rating_form: forms.AnswerRatingForm | None = None, message: str = "") -> HttpResponse:
    petition = None
    if form.is_valid():
        petition = services.petition_find(form.cleaned_data["code"], form.cleaned_data["secret"])
    context = {"form": form, "searched": form.is_bound, "petition": petition, "message": message,
               "rating_form": rating_form}
    if petition is not None and rating_form is None:
        context["rating_form"] = forms.AnswerRatingForm(initial={"code": petition.code,
                                                                 "secret": form.cleaned_data["secret"]})
    response = render(request, "feedback/petition_track.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def petition_track(request: HttpRequest) -> HttpResponse:
    """Code + secret → the petition's status and answer; nothing about the sender is shown."""
    if request.method == "GET":
        return _track_result(request, forms.PetitionTrackForm())
    if not _lookup_allowed(request, "petition-track"):
        return _too_many(request)
    return _track_result(request, forms.PetitionTrackForm(request.POST))


@require_POST
def petition_rate_answer(request: HttpRequest) -> HttpResponse:
    if not _lookup_allowed(request, "petition-track"):
        return _too_many(request)
    rating_form = forms.AnswerRatingForm(request.POST)
    message = ""
    if rating_form.is_valid():
        petition = services.petition_find(rating_form.cleaned_data["code"], rating_form.cleaned_data["secret"])
        if petition is not None:
            try:
                services.petition_rate_answer(petition=petition, level=rating_form.cleaned_data["level"])
            except services.FeedbackError as exc:
                message = str(exc)
            else:
                message = _("Cảm ơn bạn đã đánh giá trả lời.")
    return _track_result(request, forms.PetitionTrackForm(request.POST), rating_form=rating_form, message=message)


# --- Petitions: staff ----------------------------------------------------------------------------------


@staff_required
@require_GET
def officer_petitions(request: HttpRequest) -> HttpResponse:
    """The queue: open petitions first, most urgent first; then the closed ones."""
    user = signed_in_user(request)
    status = request.GET.get("status", "")
    petitions = petitions_for_staff(user).select_related("agency", "assigned_to")
    if status in PetitionStatus.values:
        petitions = petitions.filter(status=status)
    petitions = petitions.annotate(
        open_first=Case(When(status__in=OPEN_PETITION_STATES, then=Value(0)), default=Value(1),
                        output_field=IntegerField()),
    ).order_by("open_first", "due_at", "-pk")
    page = bounded_page(request, petitions, PAGE_SIZE)
    return render(request, "feedback/officer_list.html", {
        "page": page, "status": status, "statuses": PetitionStatus.choices, "now": timezone.now(),
    })


def _detail(request: HttpRequest, petition, *, bound: dict | None = None, status: int = 200) -> HttpResponse:
    bound = bound or {}
    handlers = services.petition_handlers(petition)
    names = (petition.sender_name,)
    context = {
        "petition": petition, "now": timezone.now(),
        "attachments": list(petition.attachments.all()),
        "events": list(petition.events.select_related("actor")),
        "assign_form": bound.get("assign") or forms.AssignForm(handlers=handlers),
        "answer_form": bound.get("answer") or forms.AnswerForm(),
        "dismiss_form": bound.get("dismiss") or forms.DismissForm(),
        "publish_form": bound.get("publish") or forms.PublishForm(initial={
            "public_question": personal_data_remove(petition.content, names=names),
            "public_answer": personal_data_remove(petition.answer, names=names),
        }),
    }
    return render(request, "feedback/officer_detail.html", context, status=status)


@staff_required
@require_GET
def officer_petition(request: HttpRequest, code: str) -> HttpResponse:
    return _detail(request, petition_get_for_staff(signed_in_user(request), code))


ACTIONS = {
    "assign": (forms.AssignForm, gettext_lazy("Đã giao xử lý phản ánh.")),
    "answer": (forms.AnswerForm, gettext_lazy("Đã gửi trả lời; người gửi được thông báo.")),
    "dismiss": (forms.DismissForm, gettext_lazy("Đã đóng phản ánh; người gửi được thông báo.")),
    "publish": (forms.PublishForm, gettext_lazy("Đã công khai trả lời trên trang phản ánh, kiến nghị.")),
}


@staff_required
@require_POST
def officer_petition_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    user = signed_in_user(request)
    petition = petition_get_for_staff(user, code)
    if action not in ACTIONS:
        raise Http404("Không có thao tác này.")
    form_class, done = ACTIONS[action]
    form = (form_class(request.POST, handlers=services.petition_handlers(petition)) if action == "assign"
            else form_class(request.POST))
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "assign":
                services.petition_assign(petition=petition, actor=user, assignee=data["assignee"])
            elif action == "answer":
                services.petition_answer(petition=petition, actor=user, answer=data["answer"])
            elif action == "dismiss":
                services.petition_dismiss(petition=petition, actor=user, reason=data["reason"])
            else:
                services.petition_publish(petition=petition, actor=user, public_question=data["public_question"],
                                          public_answer=data["public_answer"])
        except services.FeedbackError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done)
            return redirect("feedback:officer-petition", code=petition.code)
    return _detail(request, petition, bound={action: form}, status=400)


@staff_required
@require_GET
def officer_petition_attachment(request: HttpRequest, code: str, pk: int) -> FileResponse:
    petition = petition_get_for_staff(signed_in_user(request), code)
    attachment = PetitionAttachment.objects.filter(petition=petition, pk=pk).first()
    if attachment is None:
        raise Http404("Không tìm thấy tệp.")
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("Không tìm thấy tệp.") from exc
    logger.info("petition_attachment_opened attachment=%s petition=%s user=%s", attachment.pk, petition.pk,
                request.user.pk)
    response = FileResponse(handle, content_type=attachment.content_type,
                            as_attachment=attachment.content_type not in INLINE_TYPES,
                            filename=attachment.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # A PDF opens in Chromium's viewer only without `sandbox`; everything else is sandboxed.
    response["Content-Security-Policy"] = (
        "default-src 'none'; object-src 'self'; frame-ancestors 'none'" if attachment.content_type == PDF
        else "default-src 'none'; img-src 'self'; frame-ancestors 'none'; sandbox")
    return response
