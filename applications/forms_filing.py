"""Forms of the filing steps (citizen and guided filing), the dossier page and tracking.

They validate and normalise only; the services in applications.filing and
applications.workflow do the writing.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency
from accounts.phone import normalize_phone, validate_phone
from applications.eforms import IdNumberField, PhoneField
from applications.filing import delivery_choices
from applications.models import Channel, Dossier, OwnerRelation, ResultDelivery
from applications.uploads import allowed_types_text
from portal.lib.address import PROVINCES
from portal.lib.idnumber import normalize_id_number, validate_id_number
from procedures.models import Commune, Component, ProcedureVersion
from procedures.postage import RESULT_ENVELOPE_GRAMS, PostageError, commune_resolve, postage_quote


class ApplicantForm(forms.Form):
    """Step 1: receiving agency, applicant, dossier owner, contact details, result delivery."""

    agency = forms.ModelChoiceField(label=_("Cơ quan tiếp nhận"), queryset=Agency.objects.none(), empty_label=None)
    applicant_name = forms.CharField(label=_("Họ và tên người nộp"), max_length=150)
    applicant_id_number = IdNumberField(
        label=_("Số định danh cá nhân của người nộp"), help_text=_("12 chữ số, in trên thẻ căn cước.")
    )
    applicant_phone = PhoneField(label=_("Số điện thoại"), required=False, max_length=20)
    applicant_email = forms.EmailField(label=_("Thư điện tử"), required=False, max_length=254)
    applicant_address = forms.CharField(label=_("Địa chỉ liên hệ"), max_length=255, required=False)
    subject_relation = forms.ChoiceField(
        label=_("Nộp hồ sơ cho"), choices=OwnerRelation.choices, widget=forms.RadioSelect, initial=OwnerRelation.SELF
    )
    subject_name = forms.CharField(
        label=_("Họ và tên chủ hồ sơ"), max_length=150, required=False,
        help_text=_("Người (hoặc tổ chức) được cấp kết quả, khi bạn nộp thay cho con, người ủy quyền, tổ chức."),
    )
    subject_id_number = IdNumberField(
        label=_("Số định danh cá nhân của chủ hồ sơ"), required=False,
        help_text=_("Để trống nếu chủ hồ sơ chưa có số định danh (ví dụ trẻ chưa đăng ký khai sinh)."),
    )
    result_delivery = forms.ChoiceField(label=_("Hình thức nhận kết quả"), widget=forms.RadioSelect)
    # Result by public post: a structured address that must resolve to a known commune, and the recipient.
    delivery_recipient_name = forms.CharField(
        label=_("Người nhận kết quả"), max_length=150, required=False,
        help_text=_("Để trống nếu người nhận là người nộp hồ sơ."),
    )
    delivery_recipient_phone = forms.CharField(
        label=_("Điện thoại người nhận"), max_length=20, required=False,
        help_text=_("Bưu tá gọi số này khi phát; để trống nếu dùng số điện thoại của người nộp."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    delivery_province = forms.ChoiceField(
        label=_("Tỉnh, thành phố"), required=False,
        choices=[("", _("— Chọn tỉnh, thành phố —"))] + [(p, p) for p in PROVINCES],
    )
    delivery_commune = forms.CharField(
        label=_("Xã, phường, đặc khu"), max_length=100, required=False,
        help_text=_("Tên đơn vị hành chính cấp xã sau sắp xếp năm 2025."),
        widget=forms.TextInput(attrs={"list": "communes", "autocomplete": "address-level3"}),
    )
    delivery_street = forms.CharField(
        label=_("Số nhà, đường, thôn, tổ"), max_length=255, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )

    def __init__(
        self, *args: Any, version: ProcedureVersion, agencies: QuerySet[Agency], at_counter: bool = False,
        verified_applicant: Any = None, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        if verified_applicant is not None:
            # Identified by VNeID: the applicant is the account holder, with the verified name and
            # number (disabled fields keep these values whatever is posted). Contacts stay editable.
            for name, value in (("applicant_name", verified_applicant.full_name),
                                ("applicant_id_number", verified_applicant.id_number)):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Đã xác thực qua định danh điện tử, không sửa được.")
                self.initial[name] = value
        self.fields["agency"].queryset = agencies
        if len(agencies) == 1:
            self.fields["agency"].initial = agencies[0].pk
        labels = dict(ResultDelivery.choices)
        offered = delivery_choices(version, at_counter=at_counter)
        self.fields["result_delivery"].choices = [(value, labels[value]) for value in offered]
        if not self.initial.get("subject_relation"):
            self.fields["subject_relation"].initial = version.filed_for or OwnerRelation.SELF
        if at_counter:
            # The officer is the one reading: the help speaks to them about the person at the counter.
            self.fields["applicant_id_number"].help_text = _("Đối chiếu với thẻ căn cước người nộp xuất trình.")
            self.fields["subject_name"].help_text = _(
                "Người được cấp kết quả, khi người nộp làm thay cho con, người ủy quyền hoặc tổ chức."
            )
            self.fields["subject_id_number"].help_text = _(
                "Để trống nếu chủ hồ sơ chưa có số định danh (ví dụ trẻ chưa đăng ký khai sinh)."
            )
            self.fields["applicant_phone"].help_text = _("Số điện thoại người nộp cho biết, để báo kết quả.")
        if not self.initial.get("result_delivery") and self.fields["result_delivery"].choices:
            self.fields["result_delivery"].initial = self.fields["result_delivery"].choices[0][0]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not (data.get("applicant_phone") or data.get("applicant_email")) and not self.has_error("applicant_phone"):
            self.add_error("applicant_phone", _("Cần ít nhất một cách liên hệ: số điện thoại hoặc thư điện tử."))
        if data.get("subject_relation") == OwnerRelation.SELF:
            data["subject_name"] = data.get("applicant_name", "")
            data["subject_id_number"] = data.get("applicant_id_number", "")
        elif not data.get("subject_name"):
            self.add_error("subject_name", _("Vui lòng nhập họ và tên chủ hồ sơ."))
        self._clean_delivery(data)
        return data

    def _clean_delivery(self, data: dict[str, Any]) -> None:
        """By post: the address resolves to a known commune, the phone is Vietnamese, the tariff
        covers the envelope; the postage is quoted now and shown before submitting."""
        self.postage = None
        if data.get("result_delivery") != ResultDelivery.POST:
            return
        recipient = " ".join((data.get("delivery_recipient_name") or "").split()) or data.get("applicant_name", "")
        data["delivery_recipient_name"] = recipient
        phone = data.get("delivery_recipient_phone") or data.get("applicant_phone") or ""
        if not phone:
            self.add_error("delivery_recipient_phone", _("Vui lòng nhập số điện thoại người nhận kết quả."))
        else:
            try:
                data["delivery_recipient_phone"] = validate_phone(phone)
            except ValidationError as error:
                self.add_error("delivery_recipient_phone", error)
        street = " ".join((data.get("delivery_street") or "").split())
        data["delivery_street"] = street
        if not street:
            self.add_error("delivery_street", _("Vui lòng nhập số nhà, đường, thôn hoặc tổ dân phố."))
        province = data.get("delivery_province") or ""
        if not province:
            self.add_error("delivery_province", _("Vui lòng chọn tỉnh, thành phố nhận kết quả."))
            return
        try:
            commune = commune_resolve(province=province, commune=data.get("delivery_commune") or "")
        except PostageError as refusal:
            self.add_error("delivery_commune", refusal.message)
            return
        data["delivery_commune"] = commune.name
        try:
            self.postage = postage_quote(province=province, weight_grams=RESULT_ENVELOPE_GRAMS,
                                         on=timezone.localdate())
        except PostageError as refusal:
            self.add_error("result_delivery", refusal.message)

    def communes(self) -> list[tuple[str, str]]:
        """(name, province) of the known communes, offered as suggestions while typing."""
        return list(Commune.objects.order_by("province", "name").values_list("name", "province"))

    def draft_values(self) -> dict[str, Any]:
        values = {name: self.cleaned_data[name] for name in self.fields}
        if values.get("result_delivery") == ResultDelivery.POST and self.postage is not None:
            values["postage_amount"] = self.postage.amount
        return values

    @staticmethod
    def initial_from(dossier: Dossier) -> dict[str, Any]:
        return {name: getattr(dossier, name) for name in ApplicantForm.base_fields if name != "agency"} | {
            "agency": dossier.agency_id
        }


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files (the pages of one paper) in one input."""

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/*"}))
        kwargs.setdefault("error_messages", {"empty": _("Tệp rỗng, không có nội dung.")})
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise ValidationError(_("Vui lòng chọn tệp để tải lên."), code="required")
            return []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class UploadForm(forms.Form):
    """The pages of one dossier component (one per component on the attachments step, all inside
    one HTML form so "Lưu và tiếp tục" uploads whatever was chosen).

    Never "required" to the browser: the component's badge says whether the paper is required,
    and the completeness check at submit enforces it."""

    files = MultipleFileField(label=_("Chọn tệp"), required=False)
    keep = forms.BooleanField(
        label=_("Lưu vào «Giấy tờ của tôi» để dùng lại cho hồ sơ sau"), required=False,
    )

    def __init__(
        self, *args: Any, component: Component | None = None, required: bool = False, offer_keep: bool = True,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.component = component
        if not offer_keep:
            # At the counter the scan goes to the applicant's store by itself (digitised at receipt).
            del self.fields["keep"]
        self.fields["files"].required = required
        allows_docx = bool(component and component.allows_docx)
        self.fields["files"].help_text = _("Nhận %(types)s; có thể chọn nhiều trang một lúc.") % {
            "types": allowed_types_text(allows_docx)
        }
        if allows_docx:
            self.fields["files"].widget.attrs["accept"] += ",.docx"


class ReviewForm(forms.Form):
    """Submit. Personal data in a dossier is processed under the agency's legal duty to settle the
    procedure (Law 91/2025/QH15 on personal data protection), not on consent: the review page shows
    the processing notice, and there is nothing to refuse."""

    submit_token = forms.UUIDField(widget=forms.HiddenInput)


# How far back an envelope's arrival may be entered: a dossier is entered the day it arrives, or soon after.
POST_ARRIVAL_MAX_DAYS = 30


class GuidedReviewForm(ReviewForm):
    receive_now = forms.BooleanField(
        label=_("Tiếp nhận hồ sơ ngay (cấp Giấy tiếp nhận hồ sơ và hẹn trả kết quả)"), required=False, initial=True
    )
    # Only for a dossier that came by post (the view and the service ask for it then).
    post_arrived_at = forms.DateTimeField(
        label=_("Ngày giờ nhận bưu gửi hồ sơ"), required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Theo dấu ngày nhận trên phong bì. Nhận ngoài giờ hành chính hoặc ngày nghỉ thì ngày tiếp "
                    "nhận là ngày làm việc tiếp theo."),
    )

    def clean_post_arrived_at(self) -> Any:
        value = self.cleaned_data.get("post_arrived_at")
        if value is None:
            return None
        now = timezone.now()
        if value > now:
            raise ValidationError(_("Ngày giờ nhận bưu gửi không được sau thời điểm hiện tại."))
        if value < now - timedelta(days=POST_ARRIVAL_MAX_DAYS):
            raise ValidationError(_("Ngày giờ nhận bưu gửi đã quá %(days)s ngày; vui lòng kiểm tra lại.")
                                  % {"days": POST_ARRIVAL_MAX_DAYS})
        return value


class VersionedForm(forms.Form):
    """Carries the dossier version the page showed, so a stale page cannot act twice."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class WithdrawForm(VersionedForm):
    note = forms.CharField(label=_("Lý do rút hồ sơ (không bắt buộc)"), max_length=1000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class StopRequestForm(VersionedForm):
    reason = forms.CharField(label=_("Lý do đề nghị dừng giải quyết"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class SupplementSendForm(VersionedForm):
    note = forms.CharField(label=_("Ghi chú gửi kèm"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Mã hồ sơ"), max_length=60,
                           help_text=_("Mã in trên Giấy tiếp nhận hồ sơ, ví dụ 000.01.01.H99-260115-0007."))

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()


def _identifier(value: str) -> str:
    """An ID number (12 digits) or a phone number, normalised; anything else is refused."""
    id_number = normalize_id_number(value)
    if id_number.isdigit() and len(id_number) == 12:
        return validate_id_number(id_number)
    phone = normalize_phone(value)
    if phone.isdigit() and len(phone) == 10 and phone.startswith("0"):
        return phone
    raise ValidationError(
        _("Nhập số định danh cá nhân (12 chữ số) hoặc số điện thoại (10 chữ số) của người nộp."), code="identifier"
    )


class CitizenSearchForm(forms.Form):
    """Find a walk-in's account by an exact identifier they showed or told (sent by POST, so it
    stays out of URLs and logs)."""

    identifier = forms.CharField(
        label=_("Số định danh cá nhân hoặc số điện thoại của người nộp"), max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("Đọc trên thẻ căn cước người nộp xuất trình, hoặc hỏi số điện thoại đã đăng ký tài khoản."),
    )

    def clean_identifier(self) -> str:
        return _identifier(self.cleaned_data["identifier"])


class GuidedStartForm(forms.Form):
    """Start a counter draft. The account, if any, is looked up again from `identifier` in this
    request: a posted account id would let any officer open another person's account."""

    version = forms.ModelChoiceField(label=_("Thủ tục"), queryset=ProcedureVersion.objects.none())
    identifier = forms.CharField(widget=forms.HiddenInput, required=False, max_length=30)
    channel = forms.ChoiceField(
        label=_("Hồ sơ đến"), widget=forms.RadioSelect, initial=Channel.IN_PERSON,
        choices=[(Channel.IN_PERSON, _("Người nộp mang đến Bộ phận Một cửa")),
                 (Channel.POST, _("Qua bưu chính công ích"))],
    )

    def __init__(self, *args: Any, versions: QuerySet[ProcedureVersion], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = versions
        self.fields["version"].label_from_instance = lambda v: f"{v.procedure.code} — {v.name}"

    def clean_identifier(self) -> str:
        value = (self.cleaned_data.get("identifier") or "").strip()
        return _identifier(value) if value else ""
