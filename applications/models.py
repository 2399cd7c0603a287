"""Dossiers (hồ sơ) and everything recorded while they move through the one-stop shop.

Only `applications.workflow` changes `Dossier.status`; every change writes a DossierEvent.
"""

from __future__ import annotations

import base64
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.lib.storage import private_storage
from workdays.constants import Timeliness


class Status(models.TextChoices):
    """Internal states. `NATIONAL_STATUS` maps each to the national sync code (TrangThaiHoSo of the national portal)."""

    DRAFT = "draft", _("Bản nháp")
    SUBMITTED = "submitted", _("Mới đăng ký")
    NEEDS_COMPLETION = "needs_completion", _("Cần bổ sung, hoàn thiện trước khi tiếp nhận")
    REFUSED = "refused", _("Không được tiếp nhận")
    WITHDRAWN = "withdrawn", _("Đã rút hồ sơ")
    RECEIVED = "received", _("Đã tiếp nhận")
    PROCESSING = "processing", _("Đang xử lý")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung giấy tờ")
    AWAITING_PAYMENT = "awaiting_payment", _("Chờ thực hiện nghĩa vụ tài chính")
    PENDING_APPROVAL = "pending_approval", _("Chờ lãnh đạo phê duyệt")
    STOP_REQUESTED = "stop_requested", _("Công dân yêu cầu dừng, rút hồ sơ")
    STOPPED = "stopped", _("Dừng xử lý")
    APPROVED = "approved", _("Đã có kết quả")
    NOT_ELIGIBLE = "not_eligible", _("Không đủ điều kiện giải quyết")
    # Handed to public post (Decree 42/2022 Art 11 k1a): returned only once the operator reports delivery.
    SENT_BY_POST = "sent_by_post", _("Đã gửi kết quả qua bưu chính")
    RETURNED = "returned", _("Đã trả kết quả")


# National TrangThaiHoSo codes and the plain names citizens see on DVCQG tracking.
NATIONAL_STATUS: dict[str, int] = {
    Status.DRAFT: 0,
    Status.SUBMITTED: 1,
    Status.NEEDS_COMPLETION: 5,
    Status.REFUSED: 3,
    Status.WITHDRAWN: 7,
    Status.RECEIVED: 2,
    Status.PROCESSING: 4,
    Status.SUPPLEMENT_REQUESTED: 5,
    Status.AWAITING_PAYMENT: 6,
    Status.PENDING_APPROVAL: 4,
    Status.STOP_REQUESTED: 7,
    Status.STOPPED: 8,
    Status.APPROVED: 9,
    Status.NOT_ELIGIBLE: 9,
    Status.SENT_BY_POST: 9,
    Status.RETURNED: 10,
}
NATIONAL_STATUS_NAMES: dict[int, str] = {
    0: "Bản nháp",
    1: "Mới đăng ký",
    2: "Được tiếp nhận",
    3: "Không được tiếp nhận",
    4: "Đang xử lý",
    5: "Yêu cầu bổ sung giấy tờ",
    6: "Yêu cầu thực hiện nghĩa vụ tài chính",
    7: "Công dân yêu cầu rút hồ sơ",
    8: "Dừng xử lý",
    9: "Đã xử lý xong",
    10: "Đã trả kết quả",
}
# The lifecycle's state sets, defined once (the workflow, the deadline clock, the queues and the
# daily digest all read these).
# States in which the legal clock runs or is paused: the dossier is in the agency's hands.
OPEN_STATES = (
    Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED, Status.AWAITING_PAYMENT,
    Status.PENDING_APPROVAL, Status.STOP_REQUESTED,
)
# The agency's time is counting. A stop request does not stop it: the dossier stays with the
# agency until the leader decides (Decree 118/2025 Art 21), unless it was asked while a pause
# (supplement, payment) was open, which stays open.
CLOCK_RUNNING_STATES = (Status.RECEIVED, Status.PROCESSING, Status.PENDING_APPROVAL, Status.STOP_REQUESTED)
# Waiting on the applicant: the clock stands still (a Pause row is open).
CLOCK_PAUSED_STATES = (Status.SUPPLEMENT_REQUESTED, Status.AWAITING_PAYMENT)
# The applicant may ask to stop while the agency holds the dossier (Decree 118/2025 Art 21).
STOPPABLE_STATES = OPEN_STATES[:-1]
FINAL_STATES = (Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED)


class Event(models.TextChoices):
    """What a DossierEvent records (`DossierEvent.action`, the notification routes, the slips).
    The label is the line the timeline shows."""

    SUBMITTED = "submitted", _("Nộp hồ sơ")
    WITHDRAWN = "withdrawn", _("Rút hồ sơ")
    RECEIVED = "received", _("Hồ sơ được tiếp nhận, có giấy hẹn trả kết quả")
    COMPLETION_REQUESTED = "completion_requested", _("Hồ sơ chưa đầy đủ: hướng dẫn bổ sung, hoàn thiện")
    REFUSED = "refused", _("Từ chối tiếp nhận hồ sơ")
    TRANSFERRED = "transferred", _("Chuyển hồ sơ đến bộ phận chuyên môn giải quyết")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung giấy tờ (tạm dừng tính thời hạn)")
    SUPPLEMENTED = "supplemented", _("Đã bổ sung giấy tờ, tiếp tục giải quyết")
    PAYMENT_REQUESTED = "payment_requested", _("Yêu cầu nộp phí, lệ phí (tạm dừng tính thời hạn)")
    PAYMENT_CONFIRMED = "payment_confirmed", _("Đã nộp phí, lệ phí")
    SUBMITTED_FOR_APPROVAL = "submitted_for_approval", _("Trình lãnh đạo phê duyệt")
    SENT_BACK = "sent_back", _("Lãnh đạo trả lại để xử lý tiếp")
    APPROVED = "approved", _("Đã có kết quả giải quyết")
    NOT_ELIGIBLE = "not_eligible", _("Hồ sơ không đủ điều kiện giải quyết")
    EXTENDED = "extended", _("Gia hạn thời gian giải quyết theo quy định để xác minh")
    APOLOGISED = "apologised", _("Xin lỗi và hẹn lại ngày trả kết quả")
    STOP_REQUESTED = "stop_requested", _("Người nộp đề nghị dừng giải quyết hồ sơ")
    STOP_DECLINED = "stop_declined", _("Không chấp thuận đề nghị dừng, tiếp tục giải quyết hồ sơ")
    STOPPED = "stopped", _("Dừng giải quyết hồ sơ")
    RESULT_RETURNED = "result_returned", _("Đã trả kết quả")
    IN_PERSON_STEP = "in_person_step", _("Thực hiện trực tiếp tại cơ quan")
    RESULT_POSTED = "result_posted", _("Gửi kết quả qua bưu chính công ích")
    POSTAL_PROGRESS = "postal_progress", _("Bưu điện cập nhật hành trình bưu gửi")
    POSTAL_DELIVERED = "postal_delivered", _("Bưu điện đã phát kết quả cho người nhận")
    POSTAL_UNDELIVERED = "postal_undelivered", _("Bưu điện không phát được kết quả, chuyển về Bộ phận Một cửa")


class InPersonStep(models.TextChoices):
    """Steps of a partial-process procedure that happen in person (Decree 42/2022 Art 11 k1b)."""

    ORIGINALS_CHECKED = "originals_checked", _("Đối chiếu bản chính tại Bộ phận Một cửa")
    SITE_CHECK = "site_check", _("Kiểm tra, xác minh thực tế")


class Channel(models.TextChoices):
    # National KenhThucHien codes 1/2/3.
    IN_PERSON = "in_person", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POST = "post", _("Bưu chính công ích")
    # Filed on the national public-service portal (dichvucong.gov.vn) and received from it.
    NATIONAL = "national", _("Cổng Dịch vụ công quốc gia")


class ResultDelivery(models.TextChoices):
    ONLINE = "online", _("Nhận kết quả trực tuyến")
    COUNTER = "counter", _("Nhận tại Bộ phận Một cửa")
    POST = "post", _("Nhận qua bưu chính công ích")


class OwnerRelation(models.TextChoices):
    SELF = "self", _("Bản thân")
    CHILD = "child", _("Con, người được giám hộ")
    AUTHORISED = "authorised", _("Người ủy quyền")
    ORGANISATION = "organisation", _("Tổ chức")


class DossierCodeCounter(models.Model):
    """Daily sequence per agency. Locked row by row: concurrent submissions never collide,
    and a number once taken is never handed out again (Decree 45/2020 Art 12)."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT)
    day = models.DateField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="dossier_counter_unique")]


class TrackingBookCounter(models.Model):
    """The last number given in an agency's tracking book (sổ theo dõi hồ sơ) for a year. Locked row
    by row like DossierCodeCounter, so two officers receiving at the same instant get two numbers."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT)
    year = models.PositiveIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="tracking_book_counter_unique")]


class Dossier(models.Model):
    code = models.CharField(_("mã hồ sơ"), max_length=60, unique=True, null=True, blank=True)
    procedure_version = models.ForeignKey(
        "procedures.ProcedureVersion", verbose_name=_("thủ tục (phiên bản)"), on_delete=models.PROTECT,
        related_name="dossiers",
    )
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("cơ quan tiếp nhận"), on_delete=models.PROTECT, related_name="dossiers"
    )
    status = models.CharField(_("trạng thái"), max_length=30, choices=Status.choices, default=Status.DRAFT)
    # Incremented by every transition; forms carry it so a stale page cannot act twice.
    version = models.PositiveIntegerField(default=0)
    channel = models.CharField(_("kênh nộp"), max_length=20, choices=Channel.choices, default=Channel.ONLINE)
    # MaHoSo of a dossier filed on the national portal, kept beside our own code: one dossier per national code.
    national_code = models.CharField(_("mã hồ sơ trên Cổng DVC quốc gia"), max_length=60, unique=True, null=True,
                                     blank=True)

    # The account that owns the dossier (may be null for a walk-in citizen without an account).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("tài khoản"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="dossiers",
    )
    # Who pressed "submit": the owner, or an officer filing on the owner's behalf.
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The applicant (người nộp) and the dossier owner (chủ hồ sơ) differ when filing for a child
    # or as an authorised representative.
    applicant_name = models.CharField(_("người nộp"), max_length=150, blank=True)
    applicant_id_number = models.CharField(_("số định danh người nộp"), max_length=12, blank=True)
    applicant_phone = models.CharField(_("điện thoại"), max_length=15, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    # The national sync's TaiKhoanDuocXacThucVoiVNeID: the applicant filed from an account whose identity
    # (this ID number) was verified by e-identity (Decree 69/2024/NĐ-CP), and at which assurance level.
    applicant_eid_verified = models.BooleanField(_("tài khoản được xác thực với VNeID"), default=False)
    applicant_eid_level = models.PositiveSmallIntegerField(_("mức độ tài khoản định danh"), null=True, blank=True)
    subject_name = models.CharField(_("chủ hồ sơ"), max_length=150, blank=True)
    subject_id_number = models.CharField(_("số định danh chủ hồ sơ"), max_length=12, blank=True)
    subject_relation = models.CharField(
        _("quan hệ với người nộp"), max_length=20, choices=OwnerRelation.choices, default=OwnerRelation.SELF
    )

    form_data = models.JSONField(_("nội dung tờ khai"), default=dict, blank=True)
    result_delivery = models.CharField(
        _("hình thức nhận kết quả"), max_length=20, choices=ResultDelivery.choices, default=ResultDelivery.ONLINE
    )
    delivery_address = models.CharField(_("địa chỉ nhận kết quả"), max_length=255, blank=True)
    # Result by public post (Decree 42/2022 Art 11): a structured address that resolved to a known
    # commune at filing (delivery_address is the same address on one line), the recipient, and the
    # postage quoted from the tariff then; who pays it is the procedure's fee data, copied at filing.
    delivery_province = models.CharField(_("tỉnh, thành phố nhận"), max_length=50, blank=True)
    delivery_commune = models.CharField(_("xã, phường nhận"), max_length=100, blank=True)
    delivery_street = models.CharField(_("số nhà, đường, thôn, tổ"), max_length=255, blank=True)
    delivery_recipient_name = models.CharField(_("người nhận kết quả"), max_length=150, blank=True)
    delivery_recipient_phone = models.CharField(_("điện thoại người nhận"), max_length=15, blank=True)
    postage_amount = models.PositiveBigIntegerField(_("cước bưu chính (đồng)"), null=True, blank=True)
    postage_paid_by_agency = models.BooleanField(_("cơ quan trả cước bưu chính"), default=False)
    # A dossier that came by post (channel "post"): when the envelope reached the one-stop shop. Its
    # legal receipt moment is derived from it (after hours or on a day off: the next working day).
    post_arrived_at = models.DateTimeField(_("ngày giờ nhận bưu gửi hồ sơ"), null=True, blank=True)
    consent_at = models.DateTimeField(_("đồng ý xử lý dữ liệu cá nhân lúc"), null=True, blank=True)
    # Idempotency key of the submit request: a double click or a retried POST makes one dossier.
    submit_token = models.UUIDField(null=True, blank=True, unique=True)

    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("chuyên viên xử lý"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="assigned_dossiers",
    )
    fee_amount = models.PositiveBigIntegerField(_("số tiền phải nộp (đồng)"), null=True, blank=True)
    fee_note = models.CharField(_("ghi chú phí"), max_length=500, blank=True)
    result_summary = models.TextField(_("nội dung kết quả"), blank=True)
    postal_tracking_number = models.CharField(_("số hiệu bưu gửi"), max_length=50, blank=True)

    # Immutable milestones (Decision 766 metrics need them as they happened).
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("ngày nộp"), null=True, blank=True)
    received_at = models.DateTimeField(_("ngày tiếp nhận"), null=True, blank=True)
    due_original = models.DateTimeField(_("hạn trả ban đầu"), null=True, blank=True)
    due_current = models.DateTimeField(_("hạn trả hiện tại"), null=True, blank=True, db_index=True)
    resolved_at = models.DateTimeField(_("ngày có kết quả"), null=True, blank=True)
    returned_at = models.DateTimeField(_("ngày trả kết quả"), null=True, blank=True)
    # A received dossier goes to the specialist unit the same working day, the next one when
    # received after 15:00 (Decree 61/2018 Art 17); set at receipt, judged at transfer.
    transfer_due = models.DateTimeField(_("hạn chuyển xử lý"), null=True, blank=True)
    # Set once when resolved; an apology never rewrites it. A result by post is judged again, once,
    # at the delivery time the operator reports (the moment it reaches the applicant).
    timeliness = models.CharField(_("đánh giá thời hạn"), max_length=10, choices=Timeliness.choices, blank=True)
    # The dossier's place in its agency's tracking book: volume (quyển) = the year of receipt, and the
    # number (số thứ tự) from 1 in each volume. Taken at receipt and never recomputed, so Mẫu 01,
    # Mẫu 07 and the book print the same number whatever happens to received_at later.
    book_year = models.PositiveIntegerField(_("quyển sổ theo dõi (năm)"), null=True, blank=True)
    book_number = models.PositiveIntegerField(_("số thứ tự trong sổ theo dõi"), null=True, blank=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["agency", "status", "due_current"], name="dossier_queue_idx"),
            models.Index(fields=["owner", "-created_at"], name="dossier_owner_idx"),
            models.Index(fields=["assigned_to", "status"], name="dossier_assignee_idx"),
            # The back office's "new submissions" queue and the "all" list, newest or oldest first.
            models.Index(fields=["agency", "status", "submitted_at"], name="dossier_queue_submitted_idx"),
            models.Index(fields=["agency", "submitted_at"], name="dossier_agency_submitted_idx"),
            # Staff over many agencies (a province leader: a hundred communes, half a million dossiers):
            # the newest first without sorting them all, and the open dossiers by deadline without
            # walking the finished ones, whose due dates are all in the past (issue 16, EXPLAIN at 1M).
            models.Index(fields=["submitted_at", "id"], name="dossier_submitted_idx"),
            models.Index(fields=["due_current", "id"], name="dossier_clock_running_due_idx",
                         condition=Q(status__in=["received", "processing", "pending_approval", "stop_requested"])),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(code__isnull=False), name="submitted_dossier_has_code"
            ),
            models.UniqueConstraint(
                fields=["agency", "book_year", "book_number"], condition=Q(book_number__isnull=False),
                name="dossier_book_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.code or f"Bản nháp #{self.pk}"

    @property
    def is_clock_running(self) -> bool:
        return self.status in CLOCK_RUNNING_STATES

    @property
    def national_status(self) -> int:
        return NATIONAL_STATUS[self.status]

    @property
    def national_status_name(self) -> str:
        return NATIONAL_STATUS_NAMES[self.national_status]


class DossierEvent(models.Model):
    """Append-only: who did what to the dossier, when, from which state to which.

    The audit trail and the citizen's timeline in one (events with is_public=False are hidden
    from the citizen, e.g. internal hand-overs' notes)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("thao tác"), max_length=40, choices=Event.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor_role = models.CharField(_("vai trò"), max_length=20, blank=True)
    on_behalf_of = models.CharField(_("thay mặt"), max_length=150, blank=True)
    at = models.DateTimeField(_("thời điểm"), db_index=True)
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    is_public = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("sự kiện hồ sơ")
        verbose_name_plural = _("nhật ký hồ sơ")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.dossier} {self.action} {self.at:%d/%m/%Y %H:%M}"


class ControlSheetEntry(models.Model):
    """One hand-over on the process control sheet (Phiếu kiểm soát quá trình, Mẫu 06)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="control_sheet")
    step = models.CharField(_("bước"), max_length=100)
    from_party = models.CharField(_("bên giao"), max_length=255)
    from_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_party = models.CharField(_("bên nhận"), max_length=255)
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    handed_at = models.DateTimeField(_("thời gian giao, nhận"))
    due_at = models.DateTimeField(_("hạn xử lý"), null=True, blank=True)
    completed_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    result = models.CharField(_("kết quả"), max_length=10, choices=Timeliness.choices, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        ordering = ["handed_at", "pk"]


class PauseReason(models.TextChoices):
    SUPPLEMENT = "supplement", _("Chờ bổ sung hồ sơ")
    PAYMENT = "payment", _("Chờ nộp phí, lệ phí")


class Pause(models.Model):
    """An interval during which the legal clock stood still (supplement, payment)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="pauses")
    reason = models.CharField(max_length=20, choices=PauseReason.choices)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    due_before = models.DateTimeField(null=True, blank=True)
    due_after = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at"]
        constraints = [
            models.UniqueConstraint(fields=["dossier"], condition=Q(ended_at__isnull=True), name="one_open_pause"),
        ]


class SupplementStage(models.TextChoices):
    AT_RECEIPT = "at_receipt", _("Khi tiếp nhận")
    PROCESSING = "processing", _("Trong quá trình giải quyết")


class SupplementRequest(models.Model):
    """Mẫu 02: every defect listed at once. During processing it may happen only once per dossier."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="supplement_requests")
    stage = models.CharField(max_length=20, choices=SupplementStage.choices)
    items = models.JSONField(_("nội dung cần bổ sung"), default=list)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_note = models.TextField(blank=True)

    class Meta:
        ordering = ["requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(stage="processing"), name="one_processing_supplement_request"
            ),
        ]


class Apology(models.Model):
    """Mẫu 04: apology with a new appointment. One per dossier (the law allows a single reschedule)."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="apology")
    reason = models.TextField(_("lý do chậm"))
    due_before = models.DateTimeField()
    due_after = models.DateTimeField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField()


class Extension(models.Model):
    """A legal extension of the time limit for verification (thẩm tra, xác minh), within the bound
    the procedure's legal basis sets (e.g. marital-status confirmation, certification). Unlike an
    apology it is not lateness: the result is judged against the extended deadline."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="extensions")
    days = models.PositiveIntegerField(_("số ngày làm việc gia hạn"))
    reason = models.TextField(_("lý do gia hạn"))
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=255, blank=True)
    due_before = models.DateTimeField()
    due_after = models.DateTimeField()
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField()

    class Meta:
        ordering = ["granted_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(days__gt=0), name="extension_days_positive")]


def _attachment_path(instance: Attachment, filename: str) -> str:
    # Random names: the stored path never reveals the citizen's file name or guessable ids.
    return f"attachments/{instance.dossier_id}/{secrets.token_hex(16)}"


class ScanStatus(models.TextChoices):
    """The malware scan of an uploaded file (ClamAV)."""

    CLEAN = "clean", _("Đã quét, không có mã độc")
    QUARANTINED = "quarantined", _("Đang chờ quét mã độc")
    UNSCANNED = "unscanned", _("Không quét (chưa bật quét mã độc)")


class Certification(models.TextChoices):
    """Certification of a scan digitised at the counter with the one-stop shop's digital signature
    (Circular 01/2023/TT-VPCP Art 8). Empty for anything not digitised at the counter."""

    NONE = "", _("Không áp dụng")
    PENDING = "pending", _("Đang chờ chứng thực")
    CERTIFIED = "certified", _("Đã chứng thực bằng chữ ký số")
    # The agency has no signing key yet: the scan stays unsigned, as papers did before signing.
    UNSIGNED = "unsigned", _("Không ký số (cơ quan chưa có chứng thư số)")
    FAILED = "failed", _("Không chứng thực được")


class Attachment(models.Model):
    """A scanned or uploaded paper, stored privately and served only through access checks.

    A file the malware scanner could not look at when it arrived is QUARANTINED: stored, never
    served, until the rescan job releases it (clean) or removes it (infected)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="attachments")
    component = models.ForeignKey(
        "procedures.Component", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    supplement_request = models.ForeignKey(
        SupplementRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(storage=private_storage, upload_to=_attachment_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    page = models.PositiveIntegerField(default=1)
    # Digitised at the counter from a paper original (Decree 118 Art 17 k1c; Circular 01/2023 Art 8):
    # the national sync's DuocSoHoa, with who scanned it and when.
    is_digitised = models.BooleanField(default=False)
    digitised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người số hóa"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    digitised_at = models.DateTimeField(_("số hóa lúc"), null=True, blank=True)
    # The scan certified with the one-stop shop's signature (Circular 01/2023 Art 8): the stored file
    # is then the signed PDF (sha256 and size are of it). A permanent refusal keeps the original file
    # and its reason; a transient one keeps the row pending for the sweep, with the last reason.
    certification = models.CharField(
        _("chứng thực bản số hóa"), max_length=10, choices=Certification.choices, default=Certification.NONE,
        blank=True,
    )
    certified_at = models.DateTimeField(_("chứng thực lúc"), null=True, blank=True)
    certified_by = models.CharField(_("chứng thực bởi"), max_length=255, blank=True)
    certification_attempts = models.PositiveSmallIntegerField(default=0)
    certification_error = models.CharField(_("lý do chưa chứng thực"), max_length=500, blank=True)
    # In the owner's document store (Decree 45/2020 Art 16): the citizen chose to keep it, or it was
    # digitised at the counter for an applicant with an account. Shown once the dossier is filed.
    in_store = models.BooleanField(_("lưu trong kho giấy tờ của người nộp"), default=False)
    # Reused from the owner's store instead of uploaded again (DuocTaiSuDung): a copy of the bytes
    # (same sha256) of an earlier dossier's paper or of an issued result. The flag stays if the
    # source page is later removed from a dossier sent back for completion (the link is then cleared).
    is_reused = models.BooleanField(_("tái sử dụng"), default=False)
    reused_from = models.ForeignKey(
        "self", verbose_name=_("tái sử dụng từ tệp"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="reuses",
    )
    reused_from_document = models.ForeignKey(
        "Document", verbose_name=_("tái sử dụng từ kết quả"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="reuses",
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    scan_status = models.CharField(_("quét mã độc"), max_length=12, choices=ScanStatus.choices,
                                   default=ScanStatus.UNSCANNED)

    class Meta:
        ordering = ["component__order", "page", "pk"]
        indexes = [
            models.Index(fields=["scan_status"], name="attachment_quarantine_idx",
                         condition=models.Q(scan_status="quarantined")),
            models.Index(fields=["digitised_at"], name="attachment_certify_pending_idx",
                         condition=models.Q(certification="pending")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(reused_from__isnull=True) | Q(reused_from_document__isnull=True),
                name="attachment_reused_from_one_source",
            ),
            models.CheckConstraint(
                condition=Q(is_digitised=False) | Q(digitised_at__isnull=False), name="digitised_attachment_has_time",
            ),
            models.CheckConstraint(
                condition=Q(certification="certified", certified_at__isnull=False)
                | (~Q(certification="certified") & Q(certified_at__isnull=True)),
                name="attachment_certified_has_time",
            ),
            models.CheckConstraint(
                condition=Q(certification="") | Q(is_digitised=True), name="attachment_certified_only_if_digitised",
            ),
            models.CheckConstraint(
                condition=Q(is_reused=True) | (Q(reused_from__isnull=True) & Q(reused_from_document__isnull=True)),
                name="attachment_reused_source_is_flagged",
            ),
        ]

    @property
    def is_quarantined(self) -> bool:
        return self.scan_status == ScanStatus.QUARANTINED


class DocumentKind(models.TextChoices):
    RECEIPT = "receipt", _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
    SUPPLEMENT = "supplement", _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")
    REFUSAL = "refusal", _("Phiếu từ chối tiếp nhận giải quyết hồ sơ")
    APOLOGY = "apology", _("Phiếu xin lỗi và hẹn lại ngày trả kết quả")
    STOP = "stop", _("Thông báo dừng giải quyết hồ sơ")
    CONTROL_SHEET = "control_sheet", _("Phiếu kiểm soát quá trình giải quyết hồ sơ")
    TRACKING_BOOK = "tracking_book", _("Sổ theo dõi hồ sơ")
    RESULT = "result", _("Kết quả giải quyết thủ tục hành chính")
    NOT_ELIGIBLE = "not_eligible", _("Thông báo không đủ điều kiện giải quyết")
    PAYMENT_RECEIPT = "payment_receipt", _("Biên lai thu phí, lệ phí")


class DocumentState(models.TextChoices):
    PENDING = "pending", _("Đang tạo")
    READY = "ready", _("Sẵn sàng")
    FAILED = "failed", _("Lỗi")


# Printed under the QR code and typed back by people holding the paper: Crockford's base32 has no
# letters that read as digits (I, L, O, U) and no punctuation, so a line never breaks at a hyphen
# that the reader would then take for a hyphenation. 32 symbols carry 160 random bits.
VERIFY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_FROM_RFC4648 = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", VERIFY_ALPHABET)
_VERIFY_READS_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def _new_verify_token() -> str:
    # 20 random bytes are exactly 32 base32 symbols (no padding); the generator makes millions.
    return base64.b32encode(secrets.token_bytes(20)).decode().translate(_FROM_RFC4648)


def verify_token_as_typed(typed: str) -> str:
    """The token a person most likely meant: case and the look-alike letters do not matter.

    Tokens issued before this alphabet (URL-safe base64, mixed case) are looked up exactly as well.
    """
    return typed.strip().upper().translate(_VERIFY_READS_AS)


class Document(models.Model):
    """A generated PDF (slip, e-result, receipt). A row exists before the file does, so the UI can
    say "generating…", retries find the row instead of making a second document, and a ready
    document is never changed."""

    dossier = models.ForeignKey(Dossier, null=True, blank=True, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=30, choices=DocumentKind.choices)
    # What caused it, e.g. "event:123" or "payment:45"; (kind, source_key) is unique → idempotent.
    source_key = models.CharField(max_length=100)
    legal_basis = models.CharField(max_length=40, blank=True)
    number = models.CharField(_("số"), max_length=50, blank=True)
    state = models.CharField(max_length=10, choices=DocumentState.choices, default=DocumentState.PENDING)
    file = models.FileField(
        storage=private_storage,
        upload_to="documents/", blank=True,
    )
    sha256 = models.CharField(max_length=64, blank=True)  # of the file as stored: the signed one when signed
    # PAdES signature (vault): who signed and when; a signed document is never signed again.
    signed_by = models.CharField(max_length=150, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    # Why signing failed, in Vietnamese, for the officer (expired or revoked certificate, token absent).
    signing_error = models.CharField(max_length=500, blank=True)
    verify_token = models.CharField(max_length=64, unique=True, default=_new_verify_token)
    context = models.JSONField(default=dict, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["kind", "source_key"], name="document_source_unique")]
        indexes = [models.Index(fields=["state", "created_at"], name="document_state_idx")]


class DocumentNumberCounter(models.Model):
    """Yearly number series of issued papers ("12/HDHS"), per issuing agency; locked row by row
    like DossierCodeCounter so two officers never print the same number."""

    scope = models.CharField(max_length=60)
    year = models.PositiveIntegerField()
    series = models.CharField(max_length=20)
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "year", "series"], name="document_number_counter_unique")
        ]


class AccessKind(models.TextChoices):
    DOSSIER = "dossier", _("Xem hồ sơ")
    ATTACHMENT = "attachment", _("Mở tệp đính kèm")
    DOCUMENT = "document", _("Mở văn bản")


class DossierAccess(models.Model):
    """Who on the staff side read a dossier's personal data, and when (Law 91/2025, Decree 356/2025:
    processing records kept for at least five years). Append-only; never shown to other staff."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="access_log")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=AccessKind.choices)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lượt truy cập hồ sơ")
        verbose_name_plural = _("nhật ký truy cập hồ sơ")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["dossier", "-at"], name="dossier_access_idx")]


class MailingState(models.TextChoices):
    TO_MAIL = "to_mail", _("Chờ in và gửi")
    MAILED = "mailed", _("Đã gửi bưu điện")


class SlipMailing(models.Model):
    """A slip to print and mail to the applicant of a dossier that came by post (Mẫu 01 at receipt):
    the print-and-mail queue of the one-stop shop. Written in the transaction that issues the slip;
    the officer prints it, posts it as an ordinary letter and marks it mailed. One per dossier and kind."""

    dossier = models.ForeignKey(Dossier, verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="mailings")
    document_kind = models.CharField(_("loại giấy tờ"), max_length=30, choices=DocumentKind.choices)
    recipient_name = models.CharField(_("người nhận"), max_length=150)
    address = models.CharField(_("địa chỉ"), max_length=255)
    state = models.CharField(_("trạng thái"), max_length=10, choices=MailingState.choices,
                             default=MailingState.TO_MAIL)
    created_at = models.DateTimeField(auto_now_add=True)
    mailed_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    mailed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        verbose_name = _("giấy tờ gửi qua bưu chính")
        verbose_name_plural = _("giấy tờ chờ gửi qua bưu chính")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "document_kind"], name="slip_mailing_unique"),
            models.CheckConstraint(condition=Q(state="to_mail") | Q(mailed_at__isnull=False),
                                   name="slip_mailing_mailed_has_time"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier} — {self.get_document_kind_display()}"

