"""Write use-cases of the feedback app: a rating, and each step of a petition's handling.

Each service owns its transaction, writes a PetitionEvent for every change of a petition, and
queues its notifications (outbox rows) in the same transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import agency_subtree_ids
from accounts.models import Agency, Role, User
from applications.models import Dossier, Status
from applications.uploads import upload_check
from feedback import notifications
from feedback.models import (
    OPEN_PETITION_STATES,
    Petition,
    PetitionAction,
    PetitionAttachment,
    PetitionEvent,
    PetitionStatus,
    PetitionTopic,
    Rating,
    RatingIndex,
)
from feedback.redaction import personal_data_found
from procedures.models import Procedure
from workdays.constants import TimeUnit
from workdays.services import due_at

PETITION_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone


class FeedbackError(Exception):
    """A rule of this app refused the request; the message is for the user (Vietnamese)."""


# --- Ratings ---------------------------------------------------------------------------------------


def rating_window_end(dossier: Dossier) -> datetime | None:
    if dossier.returned_at is None:
        return None
    return dossier.returned_at + timedelta(days=settings.FEEDBACK_RATING_WINDOW_DAYS)


def rating_refusal(dossier: Dossier, *, now: datetime | None = None) -> str:
    """Why this dossier cannot be rated now ("" when it can)."""
    now = now or timezone.now()
    if dossier.status != Status.RETURNED or dossier.returned_at is None:
        return _("Hồ sơ chưa được trả kết quả nên chưa thể đánh giá.")
    if Rating.objects.filter(dossier=dossier).exists():
        return _("Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ được đánh giá một lần. Cảm ơn bạn!")
    if now > rating_window_end(dossier):
        return _("Đã quá thời hạn đánh giá (%(days)s ngày kể từ khi trả kết quả).") % {
            "days": settings.FEEDBACK_RATING_WINDOW_DAYS}
    return ""


@transaction.atomic
def rating_record(*, dossier: Dossier, scores: dict[str, int | None], overall: int, comment: str = "",
                  channel: str) -> Rating:
    """Record the one rating of a returned dossier. The dossier row is locked, so two tabs that
    send at once give one rating and one clear refusal."""
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    refusal = rating_refusal(locked)
    if refusal:
        raise FeedbackError(refusal)
    rating = Rating(
        dossier=locked, agency_id=locked.agency_id, procedure_id=locked.procedure_version.procedure_id,
        channel=channel, overall=overall, comment=(comment or "").strip(), created_at=timezone.now(),
        **{index: scores.get(index) for index in RatingIndex.values},
    )
    rating.full_clean(exclude=["dossier"])
    try:
        with transaction.atomic():
            rating.save()
    except IntegrityError as exc:  # the unique dossier: another request got there first
        raise FeedbackError(_("Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ được đánh giá một lần. Cảm ơn bạn!")) from exc
    return rating


# --- Petitions: submission and tracking -------------------------------------------------------------


def secret_hash(secret: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:petition:{secret}".encode()).hexdigest()


def _new_code(now: datetime) -> str:
    suffix = "".join(secrets.choice(PETITION_CODE_ALPHABET) for _i in range(6))
    return f"PA{timezone.localtime(now):%y%m%d}-{suffix}"


def petition_answer_due(received_at: datetime) -> datetime:
    return due_at(received_at, settings.FEEDBACK_ANSWER_WORKING_DAYS, TimeUnit.WORKING_DAYS)


@transaction.atomic
def petition_submit(*, topic: str, agency: Agency, title: str, content: str, sender_name: str,
                    sender_email: str = "", sender_phone: str = "", procedure: Procedure | None = None,
                    dossier: Dossier | None = None, submitted_by: User | None = None,
                    files: list[UploadedFile] | tuple = ()) -> tuple[Petition, str]:
    """File a petition; returns it and the secret that, with the code, opens its tracking page.

    The caller has checked that `dossier` belongs to `submitted_by`. Every file is checked before
    anything is written, so a refused file leaves nothing behind."""
    checked, total = [], 0
    for index, uploaded in enumerate(files):
        result = upload_check(uploaded, allows_docx=True, existing_count=index, existing_bytes=total)
        total += result.size
        if index + 1 > settings.FEEDBACK_MAX_ATTACHMENTS:
            raise FeedbackError(_("Chỉ gửi kèm tối đa %(n)s tệp.") % {"n": settings.FEEDBACK_MAX_ATTACHMENTS})
        checked.append((uploaded, result))
    if topic == PetitionTopic.DOSSIER and dossier is None:
        raise FeedbackError(_("Vui lòng chọn hồ sơ của bạn."))
    now = timezone.now()
    secret = secrets.token_urlsafe(9)
    for _attempt in range(5):
        code = _new_code(now)
        if not Petition.objects.filter(code=code).exists():
            break
    petition = Petition.objects.create(
        code=code, secret_hash=secret_hash(secret), topic=topic, agency=dossier.agency if dossier else agency,
        procedure=dossier.procedure_version.procedure if dossier else procedure, dossier=dossier,
        title=title.strip(), content=content.strip(), sender_name=sender_name.strip(),
        sender_email=sender_email.strip(), sender_phone=sender_phone.strip(), submitted_by=submitted_by,
        received_at=now, due_at=petition_answer_due(now),
    )
    for uploaded, result in checked:
        attachment = PetitionAttachment(petition=petition, original_name=result.safe_name,
                                        content_type=result.content_type, size=result.size, sha256=result.sha256)
        attachment.file.save(result.safe_name, uploaded, save=True)
    _event(petition, PetitionAction.SUBMITTED, submitted_by, now)
    notifications.petition_received(petition)
    return petition, secret


def petition_find(code: str, secret: str) -> Petition | None:
    """The petition whose code and secret both match (constant-time on the secret)."""
    petition = (Petition.objects.select_related("agency", "procedure")
                .filter(code=(code or "").strip().upper()).first())
    if petition is None or not hmac.compare_digest(petition.secret_hash, secret_hash((secret or "").strip())):
        return None
    return petition


# --- Petitions: handling by staff -------------------------------------------------------------------


def _event(petition: Petition, action: str, actor: User | None, now: datetime, note: str = "") -> PetitionEvent:
    return PetitionEvent.objects.create(petition=petition, action=action, actor=actor, at=now, note=note)


def _lock(petition: Petition) -> Petition:
    return Petition.objects.select_for_update().get(pk=petition.pk)


def petition_handlers(petition: Petition) -> list[User]:
    """Staff who may be given this petition: the agency's sub-tree, officers, specialists and leaders."""
    return list(User.objects.filter(
        agency_id__in=agency_subtree_ids(petition.agency_id), is_active=True,
        role__in=(Role.OFFICER, Role.SPECIALIST, Role.LEADER),
    ).order_by("full_name", "pk"))


@transaction.atomic
def petition_assign(*, petition: Petition, actor: User, assignee: User) -> Petition:
    locked = _lock(petition)
    if locked.status not in OPEN_PETITION_STATES:
        raise FeedbackError(_("Phản ánh này đã được xử lý xong."))
    if assignee not in petition_handlers(locked):
        raise FeedbackError(_("Người được giao phải là cán bộ của cơ quan xử lý."))
    locked.assigned_to = assignee
    locked.status = PetitionStatus.ASSIGNED
    locked.save(update_fields=["assigned_to", "status"])
    _event(locked, PetitionAction.ASSIGNED, actor, timezone.now(), note=assignee.full_name)
    notifications.petition_assigned(locked)
    return locked


@transaction.atomic
def petition_answer(*, petition: Petition, actor: User, answer: str) -> Petition:
    locked = _lock(petition)
    if locked.status not in OPEN_PETITION_STATES:
        raise FeedbackError(_("Phản ánh này đã được xử lý xong."))
    answer = (answer or "").strip()
    if not answer:
        raise FeedbackError(_("Vui lòng nhập nội dung trả lời."))
    now = timezone.now()
    locked.status, locked.answer, locked.answered_at, locked.answered_by = PetitionStatus.ANSWERED, answer, now, actor
    locked.save(update_fields=["status", "answer", "answered_at", "answered_by"])
    _event(locked, PetitionAction.ANSWERED, actor, now)
    notifications.petition_answered(locked)
    return locked


@transaction.atomic
def petition_dismiss(*, petition: Petition, actor: User, reason: str) -> Petition:
    """Close a petition outside the agency's remit (or a duplicate), telling the sender why."""
    locked = _lock(petition)
    if locked.status not in OPEN_PETITION_STATES:
        raise FeedbackError(_("Phản ánh này đã được xử lý xong."))
    reason = (reason or "").strip()
    if not reason:
        raise FeedbackError(_("Vui lòng nêu lý do."))
    now = timezone.now()
    locked.status, locked.answer, locked.answered_at, locked.answered_by = PetitionStatus.DISMISSED, reason, now, actor
    locked.save(update_fields=["status", "answer", "answered_at", "answered_by"])
    _event(locked, PetitionAction.DISMISSED, actor, now, note=reason)
    notifications.petition_answered(locked)
    return locked


@transaction.atomic
def petition_publish(*, petition: Petition, actor: User, public_question: str, public_answer: str) -> Petition:
    """Put the question and answer on the public page; refused while personal data can still be found."""
    locked = _lock(petition)
    if locked.status != PetitionStatus.ANSWERED:
        raise FeedbackError(_("Chỉ công khai được phản ánh đã có trả lời."))
    public_question, public_answer = (public_question or "").strip(), (public_answer or "").strip()
    if not public_question or not public_answer:
        raise FeedbackError(_("Vui lòng nhập câu hỏi và câu trả lời công khai."))
    names = (locked.sender_name,)
    if personal_data_found(public_question, names=names) or personal_data_found(public_answer, names=names):
        raise FeedbackError(_("Nội dung công khai còn thông tin cá nhân (họ tên người gửi, số điện thoại, "
                              "thư điện tử hoặc số định danh). Vui lòng xóa trước khi công khai."))
    now = timezone.now()
    locked.public_question, locked.public_answer, locked.published_at = public_question, public_answer, now
    locked.save(update_fields=["public_question", "public_answer", "published_at"])
    _event(locked, PetitionAction.PUBLISHED, actor, now)
    return locked


@transaction.atomic
def petition_rate_answer(*, petition: Petition, level: int) -> Petition:
    """The sender's satisfaction with the answer, once."""
    locked = _lock(petition)
    if locked.status != PetitionStatus.ANSWERED:
        raise FeedbackError(_("Phản ánh chưa có trả lời để đánh giá."))
    if locked.answer_rating is not None:
        raise FeedbackError(_("Bạn đã đánh giá trả lời này. Cảm ơn bạn!"))
    now = timezone.now()
    locked.answer_rating, locked.answer_rated_at = level, now
    locked.full_clean(validate_unique=False)
    locked.save(update_fields=["answer_rating", "answer_rated_at"])
    _event(locked, PetitionAction.RATED, None, now)
    return locked
