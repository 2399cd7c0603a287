"""The catalogue of administrative procedures (thủ tục hành chính), versioned.

A Procedure is the stable identity (its national code, which appears in printed URLs).
Everything a citizen reads and files against lives in a ProcedureVersion; a dossier keeps
the version it was filed under, and the public page shows the version in force.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.lib.money import format_vnd
from workdays.constants import TimeUnit


class ServiceLevel(models.TextChoices):
    # Decree 42/2022 Art 11 k1.
    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")


# Decree 42/2022 Art 11 classes online public services; a procedure that cannot be filed online is
# not one of them: its page only gives the information.
INFORMATION_ONLY_LABEL = _("Chỉ cung cấp thông tin trực tuyến")


class ImplementingLevel(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    COMMUNE = "commune", _("Cấp xã")


class ResultType(models.TextChoices):
    PAPER = "paper", _("Bản giấy")
    ELECTRONIC = "electronic", _("Bản điện tử")
    BOTH = "both", _("Bản giấy và bản điện tử")


class FiledFor(models.TextChoices):
    """Whom a dossier of this procedure is usually filed for; the first answer offered in step 1.

    The values are those of applications.models.OwnerRelation."""

    SELF = "self", _("Bản thân người nộp")
    CHILD = "child", _("Con, người được giám hộ")


class ProfileBinding(models.TextChoices):
    """An e-form field filled in advance from the applicant's details (still editable)."""

    NONE = "", _("Không điền sẵn")
    FULL_NAME = "full_name", _("Họ và tên người nộp")
    ID_NUMBER = "id_number", _("Số định danh cá nhân người nộp")
    DATE_OF_BIRTH = "date_of_birth", _("Ngày sinh người nộp")
    PERMANENT_ADDRESS = "permanent_address", _("Nơi thường trú người nộp")
    PHONE = "phone", _("Số điện thoại người nộp")
    EMAIL = "email", _("Thư điện tử người nộp")


# Contacts the applicant may change even when e-identity verified them (a reachable phone matters
# more than the one on record); identity details (name, number, birth date, address) are locked.
CONTACT_BINDINGS = frozenset({ProfileBinding.PHONE, ProfileBinding.EMAIL})


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    PUBLISHED = "published", _("Đã công bố")


class Sector(models.Model):
    """Lĩnh vực, e.g. "Hộ tịch", "Chứng thực"."""

    code = models.CharField(_("mã lĩnh vực"), max_length=30, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class LegalDocument(models.Model):
    """A legal instrument cited as the basis of procedures or fees."""

    number = models.CharField(_("số, ký hiệu"), max_length=100, unique=True)
    title = models.CharField(_("trích yếu"), max_length=500)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("văn bản pháp luật")
        verbose_name_plural = _("văn bản pháp luật")
        ordering = ["-issued_on", "number"]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"


class DocumentType(models.Model):
    """A kind of paper (loại giấy tờ): birth certificate, residence confirmation, ID card… Admin data.

    Components name the kind they ask for and procedure versions the kind their result is, so a
    paper the citizen already holds (Decree 45/2020 Art 16; Circular 01/2023 Art 24) can be offered
    for a component that asks for the same kind."""

    code = models.SlugField(_("mã loại giấy tờ"), max_length=60, unique=True)
    name = models.CharField(_("tên loại giấy tờ"), max_length=255)
    # Some papers are valid only for a time (e.g. a marital-status confirmation, 6 months); empty: no limit.
    validity_months = models.PositiveIntegerField(_("thời hạn sử dụng (tháng)"), null=True, blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("loại giấy tờ")
        verbose_name_plural = _("loại giấy tờ")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    # National code "D.DDDDDD" as text: a number would turn "2.000800" into 2.0008.
    code = models.CharField(_("mã thủ tục"), max_length=40, unique=True)
    sector = models.ForeignKey(Sector, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="procedures")
    implementing_level = models.CharField(
        _("cấp thực hiện"), max_length=20, choices=ImplementingLevel.choices, default=ImplementingLevel.COMMUNE
    )
    # The version in force, kept by the publishing service so lists need no per-row lookup.
    current_version = models.ForeignKey(
        "ProcedureVersion", verbose_name=_("phiên bản đang áp dụng"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    is_published = models.BooleanField(_("công khai"), default=False, db_index=True)
    # Accent-free, lower-case name + code for search ("dang ky khai sinh 1.001193").
    search_text = models.TextField(_("nội dung tìm kiếm"), blank=True, editable=False)
    popularity = models.PositiveIntegerField(_("số hồ sơ đã nộp"), default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code"]

    def __str__(self) -> str:
        name = self.current_version.name if self.current_version_id and self.current_version else ""
        return f"{self.code} {name}".strip()


class ProcedureVersion(models.Model):
    procedure = models.ForeignKey(Procedure, verbose_name=_("thủ tục"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản số"))
    status = models.CharField(_("trạng thái"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    effective_from = models.DateField(_("có hiệu lực từ"))
    decision_number = models.CharField(_("quyết định công bố"), max_length=100, blank=True)

    name = models.CharField(_("tên thủ tục"), max_length=500)
    service_level = models.CharField(_("mức độ dịch vụ công"), max_length=20, choices=ServiceLevel.choices)
    partial_reason = models.TextField(
        _("lý do chỉ một phần trực tuyến"), blank=True,
        help_text=_("Việc người dân phải làm trực tiếp: ký trước cán bộ, xuất trình bản chính, kiểm tra thực địa…"),
    )
    channel_in_person = models.BooleanField(_("nộp trực tiếp"), default=True)
    channel_online = models.BooleanField(_("nộp trực tuyến"), default=True)
    channel_post = models.BooleanField(_("nộp qua bưu chính công ích"), default=False)
    filed_for = models.CharField(
        _("thường nộp cho"), max_length=20, choices=FiledFor.choices, default=FiledFor.SELF,
        help_text=_("Ví dụ đăng ký khai sinh: cha, mẹ nộp cho con."),
    )
    for_citizen = models.BooleanField(_("đối tượng: công dân"), default=True)
    for_business = models.BooleanField(_("đối tượng: doanh nghiệp"), default=False)
    for_organisation = models.BooleanField(_("đối tượng: tổ chức khác"), default=False)

    receiving_agencies = models.ManyToManyField(
        "accounts.Agency", verbose_name=_("cơ quan tiếp nhận"), related_name="receiving_versions", blank=True
    )
    competent_authority = models.CharField(_("cơ quan có thẩm quyền"), max_length=255, blank=True)
    coordinating_agencies = models.CharField(_("cơ quan phối hợp"), max_length=500, blank=True)

    steps = models.TextField(_("trình tự thực hiện"), blank=True)
    conditions = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    result_name = models.CharField(_("kết quả thực hiện"), max_length=500, blank=True)
    result_type = models.CharField(_("loại kết quả"), max_length=20, choices=ResultType.choices, default=ResultType.BOTH)
    result_document_type = models.ForeignKey(
        DocumentType, verbose_name=_("loại giấy tờ của kết quả"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    legal_documents = models.ManyToManyField(LegalDocument, verbose_name=_("căn cứ pháp lý"), blank=True)

    processing_time_value = models.PositiveIntegerField(_("thời hạn giải quyết"), default=0)
    processing_time_unit = models.CharField(
        _("đơn vị thời hạn"), max_length=20, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    cutoff_time = models.TimeField(
        _("giờ tiếp nhận cuối trong ngày"), null=True, blank=True,
        help_text=_("Ví dụ 15:00: nhận sau giờ này thì tính từ ngày làm việc tiếp theo."),
    )
    # What a full-process service needs besides online filing (Decree 42/2022 Art 11 k1a).
    payment_online = models.BooleanField(_("thanh toán phí, lệ phí trực tuyến"), default=True)
    result_by_post = models.BooleanField(_("trả kết quả qua bưu chính công ích"), default=True)
    # Fee data: the citizen pays the postage unless the procedure's legal basis puts it on the agency.
    postage_paid_by_agency = models.BooleanField(_("cơ quan trả cước bưu chính"), default=False)
    # Verification (thẩm tra, xác minh) may lengthen the time limit within a bound the legal basis
    # sets, e.g. marital-status confirmation: 3 working days, up to 23 with verification.
    extension_max_days = models.PositiveIntegerField(
        _("gia hạn tối đa để xác minh (ngày làm việc)"), default=0,
        help_text=_("0: thủ tục không có gia hạn theo quy định."),
    )
    extension_basis = models.CharField(_("căn cứ gia hạn"), max_length=255, blank=True)
    # The body of the e-result, rendered with the dossier's data when the leader approves.
    result_template = models.TextField(_("mẫu kết quả điện tử"), blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("ngày công bố"), null=True, blank=True)

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["procedure", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="procedure_version_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number}"

    @property
    def is_full_process(self) -> bool:
        return self.service_level == ServiceLevel.FULL

    @property
    def is_information_only(self) -> bool:
        """No online filing: the portal only publishes the procedure (not "một phần")."""
        return not self.channel_online

    @property
    def service_level_label(self) -> str:
        if self.is_information_only:
            return str(INFORMATION_ONLY_LABEL)
        return self.get_service_level_display()

    @property
    def result_online(self) -> bool:
        return self.result_type != ResultType.PAPER

    def full_process_problems(self) -> list[str]:
        """Why this version cannot be full-process (Decree 42/2022 Art 11 k1a): filing, payment and
        the result (online or by public post) must all be available without coming in person."""
        if self.service_level != ServiceLevel.FULL:
            return []
        problems = []
        if not self.channel_online:
            problems.append(_("Thủ tục toàn trình phải cho phép nộp hồ sơ trực tuyến."))
        if not self.payment_online:
            problems.append(_("Thủ tục toàn trình phải cho phép thanh toán phí, lệ phí trực tuyến."))
        if not (self.result_online or self.result_by_post):
            problems.append(_("Thủ tục toàn trình phải trả kết quả trực tuyến hoặc qua bưu chính công ích."))
        return [str(problem) for problem in problems]

    def clean(self) -> None:
        problems = self.full_process_problems()
        if problems:
            raise ValidationError({"service_level": problems})


class Component(models.Model):
    """Thành phần hồ sơ: one paper the dossier must (or may) contain."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="components")
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    originals = models.PositiveIntegerField(_("số bản chính"), default=0)
    copies = models.PositiveIntegerField(_("số bản sao"), default=0)
    is_required = models.BooleanField(_("bắt buộc"), default=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    template_file = models.FileField(_("mẫu đơn, tờ khai"), upload_to="procedure_templates/", blank=True)
    allows_docx = models.BooleanField(_("chấp nhận tệp DOCX"), default=False)
    document_type = models.ForeignKey(
        DocumentType, verbose_name=_("loại giấy tờ"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    # The declaration (tờ khai) whose content the e-form holds: filling the e-form is handing it in.
    filled_by_eform = models.BooleanField(
        _("khai bằng tờ khai điện tử"), default=False,
        help_text=_("Giấy tờ này là tờ khai; khai đầy đủ tờ khai điện tử thì không phải tải bản quét."),
    )

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["version", "order", "pk"]

    def __str__(self) -> str:
        return self.name


class FeeKind(models.TextChoices):
    FEE = "phi", _("Phí")
    CHARGE = "le_phi", _("Lệ phí")


class FeeBasis(models.TextChoices):
    PER_CASE = "per_case", _("Mỗi trường hợp")
    PER_PAGE = "per_page", _("Mỗi trang")
    PER_COPY = "per_copy", _("Mỗi bản")


class FeeChannel(models.TextChoices):
    # Circular 75/2022/TT-BTC and most HĐND resolutions set a lower rate for online filing.
    ANY = "any", _("Mọi hình thức nộp")
    ONLINE = "online", _("Nộp trực tuyến")
    COUNTER = "counter", _("Nộp trực tiếp hoặc qua bưu chính")


class FeeCondition(models.TextChoices):
    ALWAYS = "", _("Luôn áp dụng")
    # Law on Civil Status 2014 Art 11: on-time birth and death registration is free; the fee is due
    # only when the event date (an e-form field) is more than `condition_days` days before filing.
    LATE_REGISTRATION = "late_registration", _("Chỉ thu khi đăng ký quá hạn")


class Fee(models.Model):
    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="fees")
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    kind = models.CharField(_("loại"), max_length=10, choices=FeeKind.choices)
    name = models.CharField(_("nội dung"), max_length=255)
    amount = models.PositiveBigIntegerField(_("mức thu (đồng)"))
    basis = models.CharField(_("cách tính"), max_length=20, choices=FeeBasis.choices, default=FeeBasis.PER_CASE)
    # Page bands for per-page fees (Circular 226/2016: 2.000đ for pages 1–2, 1.000đ from page 3).
    page_from = models.PositiveIntegerField(_("từ trang"), null=True, blank=True)
    page_to = models.PositiveIntegerField(_("đến trang"), null=True, blank=True)
    cap = models.PositiveBigIntegerField(_("mức thu tối đa (đồng)"), null=True, blank=True)
    channel = models.CharField(
        _("áp dụng cho hình thức nộp"), max_length=10, choices=FeeChannel.choices, default=FeeChannel.ANY,
        help_text=_("Khi mức thu nộp trực tuyến khác nộp trực tiếp, tạo hai dòng: mỗi dòng một hình thức."),
    )
    condition = models.CharField(_("điều kiện thu"), max_length=30, choices=FeeCondition.choices, blank=True,
                                 default=FeeCondition.ALWAYS)
    condition_field = models.CharField(
        _("trường tờ khai dùng cho điều kiện"), max_length=64, blank=True,
        help_text=_("Mã trường ngày trong tờ khai điện tử, ví dụ child_birth_date (ngày sinh)."),
    )
    condition_days = models.PositiveIntegerField(
        _("thời hạn đăng ký (ngày)"), null=True, blank=True,
        help_text=_("Ví dụ 60 ngày kể từ ngày sinh (khai sinh), 15 ngày kể từ ngày chết (khai tử)."),
    )
    is_exemptible = models.BooleanField(_("có trường hợp miễn"), default=False)
    exemption_text = models.TextField(_("trường hợp miễn, giảm"), blank=True)
    legal_basis = models.CharField(_("căn cứ thu"), max_length=500, blank=True)
    effective_from = models.DateField(_("áp dụng từ"), null=True, blank=True)
    effective_to = models.DateField(_("áp dụng đến"), null=True, blank=True)

    class Meta:
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")
        ordering = ["version", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(condition="late_registration")
                | (~models.Q(condition_field="") & models.Q(condition_days__isnull=False)),
                name="fee_late_registration_has_field_and_days",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {format_vnd(self.amount)}"

    def clean(self) -> None:
        super().clean()
        if self.condition == FeeCondition.LATE_REGISTRATION and not (self.condition_field and self.condition_days):
            raise ValidationError(
                _("Điều kiện đăng ký quá hạn cần mã trường ngày trong tờ khai và thời hạn đăng ký (ngày).")
            )


class FieldType(models.TextChoices):
    TEXT = "text", _("Văn bản ngắn")
    TEXTAREA = "textarea", _("Văn bản dài")
    NUMBER = "number", _("Số")
    DATE = "date", _("Ngày")
    CHOICE = "choice", _("Chọn một")
    MULTIPLE_CHOICE = "multiple_choice", _("Chọn nhiều")
    YES_NO = "yes_no", _("Có/Không")
    EMAIL = "email", _("Thư điện tử")
    PHONE = "phone", _("Số điện thoại")
    ID_NUMBER = "id_number", _("Số định danh cá nhân (12 số)")
    ADDRESS = "address", _("Địa chỉ (tỉnh, xã)")


class FormField(models.Model):
    """One field of a procedure version's e-form (tờ khai điện tử), defined by admins as data."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="form_fields")
    section = models.CharField(_("phần"), max_length=255, blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    key = models.SlugField(_("mã trường"), max_length=60)
    label = models.CharField(_("nhãn"), max_length=255)
    label_en = models.CharField(_("nhãn (tiếng Anh)"), max_length=255, blank=True)
    help_text = models.CharField(_("hướng dẫn"), max_length=500, blank=True)
    help_text_en = models.CharField(_("hướng dẫn (tiếng Anh)"), max_length=500, blank=True)
    field_type = models.CharField(_("loại trường"), max_length=20, choices=FieldType.choices)
    is_required = models.BooleanField(_("bắt buộc"), default=False)
    # [{"value": "nam", "label": "Nam", "label_en": "Male"}, …] for choice fields.
    choices = models.JSONField(_("lựa chọn"), default=list, blank=True)
    min_length = models.PositiveIntegerField(_("độ dài tối thiểu"), null=True, blank=True)
    max_length = models.PositiveIntegerField(_("độ dài tối đa"), null=True, blank=True)
    min_value = models.BigIntegerField(_("giá trị nhỏ nhất"), null=True, blank=True)
    max_value = models.BigIntegerField(_("giá trị lớn nhất"), null=True, blank=True)
    pattern = models.CharField(_("mẫu kiểm tra (regex)"), max_length=255, blank=True)
    pattern_message = models.CharField(_("thông báo khi sai mẫu"), max_length=255, blank=True)
    prefill = models.CharField(
        _("điền sẵn từ"), max_length=30, choices=ProfileBinding.choices, blank=True, default=ProfileBinding.NONE,
        help_text=_("Điền sẵn từ thông tin người nộp; người khai vẫn sửa được."),
    )
    editable_when_verified = models.BooleanField(
        _("sửa được khi đã xác thực"), default=False,
        help_text=_("Khi người nộp đã xác thực qua VNeID và tự nộp trực tuyến, trường điền sẵn từ thông tin đã "
                    "xác thực bị khóa, trừ khi chọn mục này (ví dụ số điện thoại liên hệ)."),
    )

    class Meta:
        verbose_name = _("trường tờ khai")
        verbose_name_plural = _("trường tờ khai")
        ordering = ["version", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="form_field_key_unique")]

    def __str__(self) -> str:
        return self.label


class SearchSynonym(models.Model):
    """How people say it → how the catalogue says it, for search ("giấy khai sinh" → "đăng ký khai sinh").

    Both sides are stored accent-free and lower-case (the admin form normalises them). A phrase
    with an empty replacement is a filler dropped from queries ("cho con", "thủ tục"). The query
    as typed is always searched too, so a synonym only ever adds results.
    """

    phrase = models.CharField(_("cụm từ người dân gõ"), max_length=100, unique=True)
    replacement = models.CharField(
        _("cụm từ trong tên thủ tục"), max_length=100, blank=True,
        help_text=_("Để trống nếu cụm từ chỉ là từ đệm, bỏ qua khi tìm kiếm."),
    )

    class Meta:
        verbose_name = _("từ đồng nghĩa khi tìm kiếm")
        verbose_name_plural = _("từ đồng nghĩa khi tìm kiếm")
        ordering = ["phrase"]

    def __str__(self) -> str:
        return f"{self.phrase} → {self.replacement or '∅'}"


class Commune(models.Model):
    """A commune-level unit (xã, phường, đặc khu) of the two-tier local government in force from
    1 July 2025 (Resolution 202/2025/QH15 on provinces; the Standing Committee's resolutions on
    communes), under one of the 34 provinces. Admin data: an address given for delivery by post must
    resolve to one of these rows."""

    province = models.CharField(_("tỉnh, thành phố"), max_length=50)
    name = models.CharField(_("xã, phường, đặc khu"), max_length=100)
    code = models.CharField(_("mã đơn vị hành chính"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("xã, phường")
        verbose_name_plural = _("danh mục xã, phường")
        ordering = ["province", "name"]
        constraints = [models.UniqueConstraint(fields=["province", "name"], name="commune_unique_in_province")]

    def __str__(self) -> str:
        return f"{self.name}, {self.province}"


class PostageZone(models.TextChoices):
    INTRA = "intra", _("Nội tỉnh")
    INTER = "inter", _("Liên tỉnh")


class PostageRate(models.Model):
    """The public-post tariff as admin data: one row per zone and weight band, integer đồng, with
    the dates it applies (the operator's published price list changes; old orders keep their price)."""

    zone = models.CharField(_("vùng"), max_length=10, choices=PostageZone.choices)
    weight_from = models.PositiveIntegerField(_("khối lượng từ (gam)"), help_text=_("Không bao gồm: trên mức này."))
    weight_to = models.PositiveIntegerField(_("đến (gam)"), help_text=_("Bao gồm mức này."))
    amount = models.PositiveBigIntegerField(_("cước (đồng)"))
    effective_from = models.DateField(_("áp dụng từ"))
    effective_to = models.DateField(_("áp dụng đến"), null=True, blank=True)
    legal_basis = models.CharField(_("căn cứ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("cước bưu chính")
        verbose_name_plural = _("biểu cước bưu chính")
        ordering = ["zone", "weight_from", "-effective_from"]
        constraints = [
            models.CheckConstraint(condition=Q(weight_to__gt=models.F("weight_from")), name="postage_band_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.get_zone_display()} {self.weight_from}–{self.weight_to} g: {self.amount} đ"
