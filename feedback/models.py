"""Satisfaction ratings of returned dossiers, and feedback and petitions (phản ánh, kiến nghị, PAKN).

A rating belongs to a dossier, never to a person: it has no user column, and reports read it only
as counts and averages. A petition keeps its sender's contact for the answer; public pages show
only the redacted question and answer the agency chose to publish.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.lib.storage import private_storage


class RatingIndex(models.TextChoices):
    """The indices the one-stop-shop evaluation form scores 0/1/2 each (Circular 01/2018/TT-VPCP,
    Mẫu 01 as used by the provinces; one field per index on Rating)."""

    TOTAL_TIME = "total_time", _("Thời gian giải quyết so với thời gian quy định")
    CONTACTS = "contacts", _("Số lần phải liên hệ với cơ quan để hoàn thiện hồ sơ")
    AGENCIES = "agencies", _("Số cơ quan, đơn vị phải liên hệ")
    CONDUCT = "conduct", _("Thái độ, tác phong của cán bộ, công chức")
    DISCLOSURE = "disclosure", _("Công khai, minh bạch thông tin về thủ tục hành chính")
    ONLINE = "online", _("Sự thuận tiện khi nộp hồ sơ, nhận kết quả trực tuyến hoặc qua bưu chính")
    PETITIONS = "petitions", _("Việc tiếp nhận, xử lý phản ánh, kiến nghị")


# What each score means, index by index (2 = best). Shown as the three answers of each question.
INDEX_ANSWERS: dict[str, tuple[str, str, str]] = {
    RatingIndex.TOTAL_TIME: (_("Trễ hạn"), _("Đúng hạn"), _("Sớm hơn hạn")),
    RatingIndex.CONTACTS: (_("Hơn một lần"), _("Một lần"), _("Không phải liên hệ thêm")),
    RatingIndex.AGENCIES: (_("Nhiều cơ quan"), _("Hai cơ quan"), _("Chỉ một nơi (Bộ phận Một cửa)")),
    RatingIndex.CONDUCT: (_("Chưa tốt"), _("Bình thường"), _("Tận tình, chu đáo")),
    RatingIndex.DISCLOSURE: (_("Không đầy đủ"), _("Đầy đủ một phần"), _("Đầy đủ, dễ hiểu")),
    RatingIndex.ONLINE: (_("Không thuận tiện"), _("Bình thường"), _("Thuận tiện")),
    RatingIndex.PETITIONS: (_("Không được xử lý"), _("Được xử lý chậm"), _("Được xử lý kịp thời hoặc không có")),
}


class Overall(models.IntegerChoices):
    """The five-level scale of the satisfaction surveys (Rất không hài lòng … Rất hài lòng)."""

    VERY_DISSATISFIED = 1, _("Rất không hài lòng")
    DISSATISFIED = 2, _("Không hài lòng")
    NEUTRAL = 3, _("Bình thường")
    SATISFIED = 4, _("Hài lòng")
    VERY_SATISFIED = 5, _("Rất hài lòng")


class RatingChannel(models.TextChoices):
    LINK = "link", _("Liên kết trong thông báo trả kết quả")
    COUNTER = "counter", _("Máy tính bảng tại Bộ phận Một cửa")
    ACCOUNT = "account", _("Trang hồ sơ của công dân")


def _score_field(index: RatingIndex) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(index.label, null=True, blank=True)


class Rating(models.Model):
    """One satisfaction rating of a returned dossier (at most one per dossier; no person attached)."""

    dossier = models.OneToOneField(
        "applications.Dossier", verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="rating"
    )
    # Copied from the dossier so that reports filter without a join.
    agency = models.ForeignKey("accounts.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT,
                               related_name="+")
    procedure = models.ForeignKey("procedures.Procedure", verbose_name=_("thủ tục"), on_delete=models.PROTECT,
                                  related_name="+")
    channel = models.CharField(_("kênh đánh giá"), max_length=10, choices=RatingChannel.choices)
    total_time = _score_field(RatingIndex.TOTAL_TIME)
    contacts = _score_field(RatingIndex.CONTACTS)
    agencies = _score_field(RatingIndex.AGENCIES)
    conduct = _score_field(RatingIndex.CONDUCT)
    disclosure = _score_field(RatingIndex.DISCLOSURE)
    online = _score_field(RatingIndex.ONLINE)
    petitions = _score_field(RatingIndex.PETITIONS)
    overall = models.PositiveSmallIntegerField(_("mức độ hài lòng chung"), choices=Overall.choices)
    comment = models.TextField(_("góp ý"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("đánh giá lúc"), db_index=True)

    class Meta:
        verbose_name = _("đánh giá hài lòng")
        verbose_name_plural = _("đánh giá hài lòng")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(overall__gte=1) & Q(overall__lte=5), name="rating_overall_1_5"),
            *[
                models.CheckConstraint(condition=Q(**{f"{index}__isnull": True}) | Q(**{f"{index}__lte": 2}),
                                       name=f"rating_{index}_0_2")
                for index in RatingIndex.values
            ],
        ]
        indexes = [models.Index(fields=["agency", "created_at"], name="rating_agency_time_idx")]

    def __str__(self) -> str:
        return f"{self.get_overall_display()} · {self.created_at:%d/%m/%Y}"


class PetitionStatus(models.TextChoices):
    RECEIVED = "received", _("Mới tiếp nhận")
    ASSIGNED = "assigned", _("Đang xử lý")
    ANSWERED = "answered", _("Đã trả lời")
    DISMISSED = "dismissed", _("Không thuộc phạm vi xử lý")


OPEN_PETITION_STATES = (PetitionStatus.RECEIVED, PetitionStatus.ASSIGNED)


class PetitionTopic(models.TextChoices):
    PROCEDURE = "procedure", _("Về một thủ tục hành chính")
    AGENCY = "agency", _("Về cơ quan, cán bộ")
    DOSSIER = "dossier", _("Về hồ sơ của tôi")


class Petition(models.Model):
    """One piece of feedback or petition. `code` and the secret (stored hashed) open its tracking page."""

    code = models.CharField(_("mã phản ánh"), max_length=20, unique=True)
    secret_hash = models.CharField(max_length=64)
    topic = models.CharField(_("nội dung phản ánh về"), max_length=10, choices=PetitionTopic.choices)
    agency = models.ForeignKey("accounts.Agency", verbose_name=_("cơ quan xử lý"), on_delete=models.PROTECT,
                               related_name="petitions")
    procedure = models.ForeignKey("procedures.Procedure", verbose_name=_("thủ tục"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    dossier = models.ForeignKey("applications.Dossier", verbose_name=_("hồ sơ"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="petitions")
    title = models.CharField(_("tiêu đề"), max_length=200)
    content = models.TextField(_("nội dung"), max_length=5000)
    sender_name = models.CharField(_("họ và tên người gửi"), max_length=150)
    sender_email = models.EmailField(_("thư điện tử"), blank=True)
    sender_phone = models.CharField(_("số điện thoại"), max_length=15, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="petitions")
    status = models.CharField(_("trạng thái"), max_length=10, choices=PetitionStatus.choices,
                              default=PetitionStatus.RECEIVED)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người xử lý"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(_("ngày tiếp nhận"), db_index=True)
    due_at = models.DateTimeField(_("hạn trả lời"), db_index=True)
    answered_at = models.DateTimeField(_("ngày trả lời"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    # What the public page shows, personal data removed by the officer who publishes it.
    public_question = models.TextField(_("câu hỏi công khai"), blank=True)
    public_answer = models.TextField(_("câu trả lời công khai"), blank=True)
    published_at = models.DateTimeField(_("công khai lúc"), null=True, blank=True, db_index=True)
    # The sender's satisfaction with the answer (Decision 766 group 5), on the five-level scale.
    answer_rating = models.PositiveSmallIntegerField(_("mức độ hài lòng với trả lời"), null=True, blank=True,
                                                     choices=Overall.choices)
    answer_rated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(answered_at__isnull=True) | ~Q(answer=""),
                                   name="petition_answered_has_answer"),
            models.CheckConstraint(condition=Q(published_at__isnull=True) | Q(status="answered"),
                                   name="petition_published_only_answered"),
            models.CheckConstraint(condition=Q(answer_rating__isnull=True) | (Q(answer_rating__gte=1)
                                   & Q(answer_rating__lte=5)), name="petition_answer_rating_1_5"),
        ]
        indexes = [models.Index(fields=["agency", "status", "due_at"], name="petition_queue_idx")]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_PETITION_STATES


class PetitionAttachment(models.Model):
    """A file sent with a petition: checked like a dossier upload, kept in private storage."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=private_storage, upload_to="petitions/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.original_name


class PetitionAction(models.TextChoices):
    SUBMITTED = "submitted", _("Gửi phản ánh, kiến nghị")
    ASSIGNED = "assigned", _("Giao xử lý")
    ANSWERED = "answered", _("Trả lời")
    DISMISSED = "dismissed", _("Không thuộc phạm vi xử lý")
    PUBLISHED = "published", _("Công khai trả lời")
    RATED = "rated", _("Người gửi đánh giá trả lời")


class PetitionEvent(models.Model):
    """The audit trail of a petition, written by every service that changes it."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=PetitionAction.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
