"""Filing a dossier: drafts, attachments, the completeness check and the hand-over to the workflow.

A draft is an ordinary Dossier row in the `draft` state (no code yet). Citizens and officers
filing for a walk-in citizen go through the same services; only `applications.workflow`
changes the status (submit, receive, supplement).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from applications import workflow
from applications.digitisation import digitised_scans_dispatch
from applications.documents import document_download_name
from applications.eforms import (
    address_text,
    eform_errors,
    eform_filled_components,
    eform_locked,
    form_definitions,
)
from applications.models import (
    Attachment,
    Certification,
    Channel,
    Document,
    DocumentKind,
    DocumentState,
    Dossier,
    OwnerRelation,
    ResultDelivery,
    Status,
    SupplementRequest,
)
from applications.rows import dossier_lock, dossier_sync
from applications.uploads import upload_check
from portal.lib.text import as_uuid
from procedures.models import Component, ProcedureVersion, ProfileBinding, ResultType

if TYPE_CHECKING:
    from accounts.models import Agency, User

EDITABLE_STATES = (Status.DRAFT, Status.NEEDS_COMPLETION)
# The structured address, recipient and quoted postage of a result by post (cleared otherwise).
POSTAL_DELIVERY_FIELDS = (
    "delivery_province", "delivery_commune", "delivery_street", "delivery_recipient_name",
    "delivery_recipient_phone", "postage_amount",
)
# Set by the officer when a dossier that came by post is filed.
COUNTER_FIELDS = ("post_arrived_at",)
# What a filing step may write on a dossier; everything else moves only through the workflow.
DRAFT_FIELDS = (
    "agency", "applicant_name", "applicant_id_number", "applicant_phone", "applicant_email", "applicant_address",
    "subject_name", "subject_id_number", "subject_relation", "form_data", "result_delivery", "delivery_address",
    *POSTAL_DELIVERY_FIELDS, *COUNTER_FIELDS,
)


class FilingError(Exception):
    """A refused filing action; `message` is shown to the user, `problems` lists what is missing."""

    def __init__(self, message: str, *, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []


def delivery_choices(version: ProcedureVersion, *, at_counter: bool = False) -> list[str]:
    """The ways the applicant may receive the result of this procedure version.

    Full-process procedures (Decree 42/2022 Art 11 k1) have no in-person step, so "at the counter"
    is not offered online: their result goes online or by public post. A walk-in filing at the
    one-stop shop (`at_counter`) may always come back for it there (Decree 118/2025 Art 22), and
    that is the first choice. An electronic-only result is not posted, nor one whose procedure has
    postal return switched off; a paper-only result is not
    delivered online.
    """
    options = []
    if at_counter:
        options.append(ResultDelivery.COUNTER)
    if version.result_type != ResultType.PAPER:
        options.append(ResultDelivery.ONLINE)
    if not version.is_full_process and not at_counter:
        options.append(ResultDelivery.COUNTER)
    if version.result_type != ResultType.ELECTRONIC and version.result_by_post:
        options.append(ResultDelivery.POST)
    return [str(option) for option in options]


def is_counter_filing(dossier: Dossier) -> bool:
    """Recorded by an officer at the one-stop shop: handed in at the counter or arrived by post."""
    return dossier.channel in (Channel.IN_PERSON, Channel.POST)


def dossier_delivery_choices(dossier: Dossier) -> list[str]:
    return delivery_choices(dossier.procedure_version, at_counter=is_counter_filing(dossier))


def applicant_details(dossier: Dossier) -> dict[str, Any]:
    """What e-form fields bound to the applicant (ProfileBinding) are pre-filled with: step 1 as
    typed, plus the account's date of birth and permanent address when the applicant is its holder."""
    details: dict[str, Any] = {
        ProfileBinding.FULL_NAME: dossier.applicant_name, ProfileBinding.ID_NUMBER: dossier.applicant_id_number,
        ProfileBinding.PHONE: dossier.applicant_phone, ProfileBinding.EMAIL: dossier.applicant_email,
    }
    owner = dossier.owner
    if owner is not None and (not owner.id_number or owner.id_number == dossier.applicant_id_number):
        details[ProfileBinding.DATE_OF_BIRTH] = owner.date_of_birth.isoformat() if owner.date_of_birth else None
        details[ProfileBinding.PERMANENT_ADDRESS] = owner.permanent_address or None
    return details


def verified_details(dossier: Dossier) -> dict[str, Any]:
    """The applicant's details verified by e-identity (ProfileBinding value → stored-shape value),
    when the dossier's verified owner files online for themselves (as step 1 locks name and number);
    empty at the counter and for an unverified account."""
    owner = dossier.owner
    if owner is None or owner.identity_verified_at is None or is_counter_filing(dossier):
        return {}
    return {
        ProfileBinding.FULL_NAME: owner.full_name, ProfileBinding.ID_NUMBER: owner.id_number,
        ProfileBinding.DATE_OF_BIRTH: owner.date_of_birth.isoformat() if owner.date_of_birth else None,
        ProfileBinding.PERMANENT_ADDRESS: owner.permanent_address or None, ProfileBinding.PHONE: owner.phone,
    }


def dossier_eform_locked(dossier: Dossier) -> dict[str, Any]:
    """The e-form answers the applicant cannot change (field key → verified value)."""
    return eform_locked(form_definitions(dossier.procedure_version), verified_details(dossier))


def applicant_defaults(owner: User | None) -> dict[str, Any]:
    """Step 1 filled in advance from the account's details, so nothing is typed twice."""
    if owner is None:
        return {}
    return {
        "applicant_name": owner.full_name, "applicant_id_number": owner.id_number or "",
        "applicant_phone": owner.phone or "", "applicant_email": owner.email or "",
        "applicant_address": owner.address or address_text(owner.permanent_address),
    }


def _ensure_editable(dossier: Dossier) -> None:
    if dossier.status not in EDITABLE_STATES:
        raise FilingError(_("Hồ sơ đã nộp, không thể sửa."))


def draft_create(
    procedure_version: ProcedureVersion, agency: Agency, *, owner: User | None, filed_by: User,
    channel: str = Channel.ONLINE, **fields: Any,
) -> Dossier:
    """A new draft for `procedure_version` at `agency`, the applicant prefilled from the owner's profile."""
    if not procedure_version.receiving_agencies.filter(pk=agency.pk).exists():
        raise FilingError(_("Cơ quan này không tiếp nhận thủ tục đã chọn."))
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise ValueError(f"Not draft fields: {sorted(unknown)}")
    defaults: dict[str, Any] = applicant_defaults(owner)
    defaults["subject_relation"] = procedure_version.filed_for or OwnerRelation.SELF
    counter = channel in (Channel.IN_PERSON, Channel.POST)
    choices = delivery_choices(procedure_version, at_counter=counter)
    if channel == Channel.POST and ResultDelivery.POST in choices:
        # It came by post: the result goes back the same way unless the applicant asked otherwise.
        defaults["result_delivery"] = ResultDelivery.POST
    elif choices:
        defaults["result_delivery"] = choices[0]
    defaults.update(fields)
    dossier = Dossier(
        procedure_version=procedure_version, agency=agency, owner=owner, filed_by=filed_by, channel=channel,
        **defaults,
    )
    _delivery_normalise(dossier)
    dossier.save(force_insert=True)
    return dossier


@transaction.atomic
def draft_update(dossier: Dossier, cleaned: dict[str, Any]) -> Dossier:
    """Write one step's validated values onto a draft (or a dossier sent back for completion)."""
    unknown = set(cleaned) - set(DRAFT_FIELDS)
    if unknown:
        raise ValueError(f"Not draft fields: {sorted(unknown)}")
    locked = dossier_lock(dossier)
    _ensure_editable(locked)
    if "agency" in cleaned and locked.code is not None and cleaned["agency"].pk != locked.agency_id:
        # The code embeds the agency and never changes (Decree 45/2020 Art 12).
        raise FilingError(_("Không thể đổi cơ quan tiếp nhận của hồ sơ đã có mã."))
    for name, value in cleaned.items():
        setattr(locked, name, value)
    _delivery_normalise(locked)
    derived = ("delivery_address", *POSTAL_DELIVERY_FIELDS, "postage_paid_by_agency")
    locked.save(update_fields=sorted({*cleaned, *derived, "updated_at"}))
    for name in {*cleaned, *derived}:
        setattr(dossier, name, getattr(locked, name))
    return dossier


def _delivery_normalise(dossier: Dossier) -> None:
    """By post: the one-line address is built from the structured one, and who pays the postage is
    the procedure's fee data. Otherwise every postal field is emptied."""
    if dossier.result_delivery != ResultDelivery.POST:
        dossier.delivery_address = ""
        for name in POSTAL_DELIVERY_FIELDS:
            setattr(dossier, name, None if name == "postage_amount" else "")
        dossier.postage_paid_by_agency = False
        return
    if dossier.delivery_commune:
        parts = (dossier.delivery_street, dossier.delivery_commune, dossier.delivery_province)
        dossier.delivery_address = ", ".join(p for p in parts if p)[:255]
    dossier.postage_paid_by_agency = dossier.procedure_version.postage_paid_by_agency


def draft_save_eform(dossier: Dossier, answers: dict[str, Any]) -> Dossier:
    """Save the e-form answers. An address given there fills an empty contact address of step 1,
    so a walk-in's address is typed once."""
    # Verified details overwrite whatever came in (the disabled fields already do; this covers any caller).
    answers = {**answers, **dossier_eform_locked(dossier)}
    values: dict[str, Any] = {"form_data": answers}
    if not dossier.applicant_address.strip():
        for definition in form_definitions(dossier.procedure_version):
            if definition.prefill == ProfileBinding.PERMANENT_ADDRESS and answers.get(definition.key):
                values["applicant_address"] = address_text(answers[definition.key])[:255]
                break
    return draft_update(dossier, values)


@transaction.atomic
def draft_delete(dossier: Dossier, *, by: User) -> None:
    """Throw a draft away, with its files. Only drafts (never a dossier that has a code)."""
    locked = dossier_lock(dossier)
    if locked.status != Status.DRAFT or locked.code is not None:
        raise FilingError(_("Chỉ xóa được bản nháp."))
    files = [attachment.file.name for attachment in locked.attachments.all()]
    locked.attachments.all().delete()
    locked.delete()
    storage = Attachment._meta.get_field("file").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in files])


def _check_can_attach(
    dossier: Dossier, component: Component | None, supplement_request: SupplementRequest | None
) -> None:
    if component is not None and component.version_id != dossier.procedure_version_id:
        raise FilingError(_("Thành phần hồ sơ không thuộc thủ tục này."))
    if supplement_request is not None:
        if (
            supplement_request.dossier_id != dossier.pk
            or supplement_request.answered_at is not None
            or dossier.status != Status.SUPPLEMENT_REQUESTED
        ):
            raise FilingError(_("Yêu cầu bổ sung này không còn mở."))
        return
    _ensure_editable(dossier)


def attachment_add(
    dossier: Dossier, component: Component | None, uploaded_file: UploadedFile, *, by: User,
    is_digitised: bool = False, supplement_request: SupplementRequest | None = None,
) -> Attachment:
    """Store one checked file as the next page of `component`. A refused file stores nothing."""
    return attachments_add(
        dossier, component, [uploaded_file], by=by, is_digitised=is_digitised, supplement_request=supplement_request
    )[0]


def attachments_add(
    dossier: Dossier, component: Component | None, uploaded_files: Iterable[UploadedFile], *, by: User,
    is_digitised: bool = False, supplement_request: SupplementRequest | None = None,
) -> list[Attachment]:
    """Several pages of one component at once, all or nothing (see attachments_add_batch)."""
    return attachments_add_batch(
        dossier, [(component, uploaded) for uploaded in uploaded_files], by=by, is_digitised=is_digitised,
        supplement_request=supplement_request,
    )


@transaction.atomic
def attachments_add_batch(
    dossier: Dossier, items: list[tuple[Component | None, UploadedFile]], *, by: User,
    is_digitised: bool = False, supplement_request: SupplementRequest | None = None,
    keep: Collection[int | None] = (),
) -> list[Attachment]:
    """Pages of one or several components (None: "other papers"), all or nothing: every file is
    checked before any is stored, so a refused file leaves the dossier as it was.

    `keep` lists the components (pk, None for "other papers") whose pages the applicant keeps in
    their document store. A scan digitised at the counter (Circular 01/2023 Art 8) records who and
    when, goes to the applicant's store when they have an account, and is certified with the
    one-stop shop's signature by a task dispatched after commit (`digitisation`).

    Raises ValidationError (the message names the file) or FilingError.
    """
    locked = dossier_lock(dossier)  # serialises uploads, so the per-dossier limits hold under concurrency
    for component in {component for component, _file in items}:
        _check_can_attach(locked, component, supplement_request)
    if not items:
        _check_can_attach(locked, None, supplement_request)
    totals = Attachment.objects.filter(dossier=locked).aggregate(count=Count("pk"), size=Sum("size"))
    count, size = totals["count"] or 0, totals["size"] or 0
    checked = []
    for component, uploaded in items:
        try:
            result = upload_check(
                uploaded, allows_docx=bool(component and component.allows_docx), existing_count=count,
                existing_bytes=size,
            )
        except ValidationError as exc:
            name = (uploaded.name or "").rsplit("/", 1)[-1][:80]
            raise ValidationError(f"{name}: {' '.join(exc.messages)}", code=exc.code) from exc
        checked.append((component, uploaded, result))
        count, size = count + 1, size + result.size
    if not checked:
        raise ValidationError(_("Vui lòng chọn tệp để tải lên."), code="required")

    pages = dict(
        Attachment.objects.filter(dossier=locked, supplement_request=supplement_request)
        .values_list("component_id").annotate(page=Max("page")).values_list("component_id", "page")
    )
    stored: list[Attachment] = []
    now = timezone.now()
    try:
        for component, uploaded, result in checked:
            key = component.pk if component else None
            pages[key] = (pages.get(key) or 0) + 1
            attachment = Attachment(
                dossier=locked, component=component, supplement_request=supplement_request,
                original_name=result.safe_name, content_type=result.content_type, size=result.size,
                sha256=result.sha256, page=pages[key], is_digitised=is_digitised, uploaded_by=by,
                scan_status=result.scan_status,
                digitised_by=by if is_digitised else None, digitised_at=now if is_digitised else None,
                certification=Certification.PENDING if is_digitised else Certification.NONE,
                in_store=locked.owner_id is not None and (is_digitised or key in keep),
            )
            uploaded.seek(0)
            attachment.file.save(result.safe_name, uploaded, save=False)
            attachment.save()
            stored.append(attachment)
    except Exception:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    if is_digitised:
        digitised_scans_dispatch([attachment.pk for attachment in stored])
    return stored


@transaction.atomic
def attachment_reuse(
    dossier: Dossier, component: Component, *, source: Attachment | Document, by: User
) -> Attachment:
    """Attach a paper from the owner's document store to `component` without a new upload
    (Decree 45/2020 Art 16; DuocTaiSuDung in the national sync): a server-side copy of its bytes,
    same sha256, recorded as reused and from where.

    `source` comes from the caller's owner-scoped store selector; it is checked again here: only
    a paper of the dossier owner's own filed dossiers, or a ready result issued to them.
    Raises FilingError (nothing stored) when it does not qualify or the dossier is full.
    """
    locked = dossier_lock(dossier)
    _check_can_attach(locked, component, None)
    if component is None or locked.owner_id is None:
        raise FilingError(_("Giấy tờ này không dùng lại được cho hồ sơ này."))
    if isinstance(source, Document):
        ok = (source.kind == DocumentKind.RESULT and source.state == DocumentState.READY
              and source.dossier is not None and source.dossier.owner_id == locked.owner_id)
        name = document_download_name(source)
    else:
        ok = (source.in_store and source.dossier.owner_id == locked.owner_id
              and source.dossier.status != Status.DRAFT and source.dossier_id != locked.pk)
        name = source.original_name
    if not ok:
        raise FilingError(_("Giấy tờ này không dùng lại được cho hồ sơ này."))
    if Attachment.objects.filter(dossier=locked, component=component, sha256=source.sha256).exists():
        raise FilingError(_("Giấy tờ này đã có trong thành phần hồ sơ."))
    try:
        with source.file.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError as exc:
        raise FilingError(_("Không đọc được tệp đã lưu; vui lòng tải lên bản mới.")) from exc
    copy = ContentFile(content, name=name)
    totals = Attachment.objects.filter(dossier=locked).aggregate(count=Count("pk"), size=Sum("size"))
    try:
        result = upload_check(copy, allows_docx=component.allows_docx, existing_count=totals["count"] or 0,
                              existing_bytes=totals["size"] or 0)
    except ValidationError as exc:
        raise FilingError(" ".join(exc.messages)) from exc
    if result.sha256 != source.sha256:
        raise FilingError(_("Tệp đã lưu không còn nguyên vẹn; vui lòng tải lên bản mới."))
    page = (Attachment.objects.filter(dossier=locked, component=component, supplement_request__isnull=True)
            .aggregate(page=Max("page"))["page"] or 0) + 1
    attachment = Attachment(
        dossier=locked, component=component, original_name=result.safe_name, content_type=result.content_type,
        size=result.size, sha256=result.sha256, page=page, uploaded_by=by,
        is_reused=True, reused_from=source if isinstance(source, Attachment) else None,
        reused_from_document=source if isinstance(source, Document) else None,
    )
    copy.seek(0)
    attachment.file.save(result.safe_name, copy, save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


@transaction.atomic
def attachment_store_remove(attachment: Attachment, *, by: User) -> None:
    """Take a kept or digitised paper out of its owner's store. The dossier keeps its copy: what
    was filed stays part of the agency's record."""
    Attachment.objects.filter(pk=attachment.pk).update(in_store=False)
    attachment.in_store = False


@transaction.atomic
def attachment_store_keep(attachment: Attachment, *, by: User) -> None:
    """Keep a paper of a filed dossier in its owner's store (chosen after filing)."""
    Attachment.objects.filter(pk=attachment.pk).update(in_store=True)
    attachment.in_store = True


@transaction.atomic
def attachment_remove(attachment: Attachment, *, by: User) -> None:
    """Remove a page while the dossier is still being prepared (or the supplement not yet sent)."""
    locked = dossier_lock(attachment.dossier)
    request = attachment.supplement_request
    _check_can_attach(locked, None, request)
    name = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


def dossier_missing(dossier: Dossier, *, check_consent: bool = True) -> list[str]:
    """Everything still missing before the dossier may be submitted (empty when complete)."""
    problems = []
    if not dossier.applicant_name.strip():
        problems.append(_("Chưa khai họ và tên người nộp hồ sơ."))
    if not dossier.applicant_id_number:
        problems.append(_("Chưa khai số định danh cá nhân của người nộp hồ sơ."))
    if not (dossier.applicant_phone or dossier.applicant_email):
        problems.append(_("Cần ít nhất một cách liên hệ: số điện thoại hoặc thư điện tử."))
    if dossier.result_delivery not in dossier_delivery_choices(dossier):
        problems.append(_("Hình thức nhận kết quả không áp dụng cho thủ tục này."))
    if dossier.channel == Channel.POST and not (dossier.delivery_address or dossier.applicant_address).strip():
        problems.append(_("Hồ sơ nhận qua bưu chính cần địa chỉ của người nộp để gửi lại Giấy tiếp nhận hồ sơ "
                          "và hẹn trả kết quả."))
    if dossier.result_delivery == ResultDelivery.POST and not (
            dossier.delivery_commune and dossier.delivery_recipient_phone and dossier.postage_amount is not None):
        problems.append(_("Cần địa chỉ nhận kết quả qua bưu chính (tỉnh, xã/phường, số nhà), người nhận và số "
                          "điện thoại người nhận."))
    version = dossier.procedure_version
    if form_definitions(version):
        errors = eform_errors(version, dossier.form_data or {})
        if errors:
            problems.append(_("Tờ khai điện tử chưa đầy đủ hoặc có thông tin chưa hợp lệ."))
    attached = set(
        Attachment.objects.filter(dossier=dossier, component__isnull=False).values_list("component_id", flat=True)
    )
    by_eform = eform_filled_components(version)
    for component in version.components.filter(is_required=True).order_by("order", "pk"):
        if component.pk not in attached and component.pk not in by_eform:
            problems.append(_("Thiếu giấy tờ bắt buộc: %(name)s.") % {"name": component.name})
    if check_consent and dossier.consent_at is None:
        problems.append(_("Chưa ghi nhận việc thông báo xử lý dữ liệu cá nhân."))
    return problems


@transaction.atomic
def dossier_file(dossier: Dossier, *, actor: User, submit_token: Any, consent: bool = True) -> Dossier:
    """Check the dossier is complete, record that the processing notice was given, and submit it
    (workflow.dossier_submit).

    `consent` says the applicant was shown the processing notice (the name predates Law 91/2025:
    filing does not ask for consent, it informs; `consent_at` keeps when). Idempotent on
    `submit_token`, checked in one place (workflow.dossier_submit): a double click or a retried POST
    with the same token returns the dossier already submitted.
    """
    token = as_uuid(submit_token)
    locked = dossier_lock(dossier)
    if locked.status in EDITABLE_STATES:
        if consent and locked.consent_at is None:
            # Processing rests on the agency's legal duty (Law 91/2025 on personal data protection),
            # not on consent; what is recorded is when the applicant was informed.
            locked.consent_at = timezone.now()
            locked.save(update_fields=["consent_at", "updated_at"])
        owner = locked.owner
        # Filed by the citizen from an account verified by e-identity, for the number it verified.
        verified = (owner is not None and actor.pk == owner.pk and owner.identity_verified_at is not None
                    and bool(owner.id_number) and owner.id_number == locked.applicant_id_number)
        locked.applicant_eid_verified = verified
        locked.applicant_eid_level = owner.identity_level if verified and owner is not None else None
        locked.save(update_fields=["applicant_eid_verified", "applicant_eid_level", "updated_at"])
        fixed = dossier_eform_locked(locked)
        if fixed and any((locked.form_data or {}).get(key) != value for key, value in fixed.items()):
            # Answers saved before the account was verified: the verified details are what is filed.
            locked.form_data = {**(locked.form_data or {}), **fixed}
            locked.save(update_fields=["form_data", "updated_at"])
        problems = dossier_missing(locked)
        if problems:
            raise FilingError(_("Hồ sơ chưa đủ để nộp."), problems=problems)
    try:
        workflow.dossier_submit(locked, actor=actor, submit_token=token)
    except workflow.WorkflowError as exc:
        if locked.status not in EDITABLE_STATES:
            raise FilingError(_("Hồ sơ đã được nộp.")) from exc
        raise FilingError(exc.message) from exc
    return dossier_sync(dossier, locked)


def guided_file(
    dossier: Dossier, *, officer: User, submit_token: Any, receive_now: bool, post_arrived_at: datetime | None = None,
) -> tuple[Dossier, str | None]:
    """An officer submits a walk-in citizen's dossier and, optionally, receives it in the same visit.

    A dossier that came by post needs the envelope's arrival (`post_arrived_at`): its receipt date
    is derived from it. The submission stands even if the receipt is refused (the refusal message
    is returned), so the officer can fix what blocks the receipt from the back office.
    """
    if dossier.channel == Channel.POST and dossier.status in EDITABLE_STATES:
        if post_arrived_at is None:
            raise FilingError(_("Hồ sơ nhận qua bưu chính: vui lòng nhập ngày giờ nhận bưu gửi."))
        draft_update(dossier, {"post_arrived_at": post_arrived_at})
    dossier = dossier_file(dossier, actor=officer, submit_token=submit_token)
    if not receive_now or dossier.status != Status.SUBMITTED:
        return dossier, None
    try:
        dossier = workflow.dossier_receive(dossier, actor=officer, expected_version=dossier.version)
    except workflow.WorkflowError as exc:
        return dossier, exc.message
    return dossier, None
