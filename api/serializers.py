"""The API's representations. Field help texts are English; where the law names a field, its
Vietnamese legal name follows in brackets (the national portal and Decree 45/2020 use those names)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from django.urls import reverse
from django.utils.translation import gettext as _

from applications.models import Status
from portal.templatetags.portal_extras import mask_name

# --- Catalogue -------------------------------------------------------------------------------------


class FeeSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="fee or charge [loại: phí / lệ phí].")
    name = serializers.CharField(help_text="What is charged [nội dung thu].")
    amount = serializers.IntegerField(help_text="Amount in integer đồng [mức thu].")
    basis = serializers.CharField(help_text="How the amount is computed [cách tính].")
    cap = serializers.IntegerField(allow_null=True, help_text="Maximum in đồng, if any [mức thu tối đa].")
    channel = serializers.CharField(help_text="Filing channel the fee applies to (empty: every channel).")
    exemption_text = serializers.CharField(help_text="Exemptions and reductions [trường hợp miễn, giảm].")
    legal_basis = serializers.CharField(help_text="Legal basis of the charge [căn cứ thu].")


class ComponentSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Component id, used to attach files when filing.")
    order = serializers.IntegerField(help_text="Position in the list.")
    name = serializers.CharField(help_text="Paper to submit [tên giấy tờ, thành phần hồ sơ].")
    originals = serializers.IntegerField(help_text="Number of originals [số bản chính].")
    copies = serializers.IntegerField(help_text="Number of copies [số bản sao].")
    is_required = serializers.BooleanField(help_text="Required [bắt buộc].")
    allows_docx = serializers.BooleanField(help_text="DOCX accepted besides PDF and images.")
    filled_by_eform = serializers.BooleanField(help_text="Satisfied by the e-form answers (no file needed).")
    notes = serializers.CharField(help_text="[ghi chú].")


class FormFieldSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Answer key in `answers` when filing [mã trường].")
    section = serializers.CharField(help_text="Section heading [phần].")
    label = serializers.CharField(help_text="Label [nhãn], Vietnamese.")
    label_en = serializers.CharField(help_text="Label in English, if given.")
    help_text = serializers.CharField(help_text="Guidance [hướng dẫn].")
    field_type = serializers.CharField(help_text="text, textarea, number, date, choice, id_number, phone, address…")
    is_required = serializers.BooleanField(help_text="[bắt buộc].")
    choices = serializers.JSONField(help_text="Allowed values for choice fields.")
    min_length = serializers.IntegerField(allow_null=True, help_text="Shortest text allowed.")
    max_length = serializers.IntegerField(allow_null=True, help_text="Longest text allowed.")
    min_value = serializers.IntegerField(allow_null=True, help_text="Smallest number allowed.")
    max_value = serializers.IntegerField(allow_null=True, help_text="Largest number allowed.")
    pattern = serializers.CharField(help_text="Regular expression the whole answer must match, if any.")
    prefill = serializers.CharField(help_text="Applicant detail this field is bound to (verified by VNeID).")


class VersionSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="Version number of the procedure in force.")
    effective_from = serializers.DateField(help_text="In force from [có hiệu lực từ].")
    decision_number = serializers.CharField(help_text="Publishing decision [quyết định công bố].")
    name = serializers.CharField(help_text="Procedure name [tên thủ tục hành chính].")
    service_level = serializers.CharField(
        help_text="full (toàn trình) or partial (một phần), Decree 42/2022 Art 11 [mức độ dịch vụ công trực tuyến]."
    )
    service_level_label = serializers.CharField(help_text="The service level in words.")
    channel_online = serializers.BooleanField(help_text="Online filing accepted [nộp trực tuyến].")
    channel_in_person = serializers.BooleanField(help_text="Filing at the one-stop shop [nộp trực tiếp].")
    channel_post = serializers.BooleanField(help_text="Filing by public post [nộp qua bưu chính công ích].")
    competent_authority = serializers.CharField(help_text="[cơ quan có thẩm quyền].")
    steps = serializers.CharField(help_text="[trình tự thực hiện].")
    conditions = serializers.CharField(help_text="[yêu cầu, điều kiện].")
    result_name = serializers.CharField(help_text="[kết quả thực hiện].")
    processing_time_value = serializers.IntegerField(help_text="[thời hạn giải quyết].")
    processing_time_unit = serializers.CharField(help_text="working_days, days, hours… (TimeUnit).")
    payment_online = serializers.BooleanField(help_text="[thanh toán trực tuyến].")
    result_by_post = serializers.BooleanField(help_text="[trả kết quả qua bưu chính công ích].")
    receiving_agencies = serializers.SerializerMethodField(help_text="Agencies that receive dossiers: id and name.")
    components = ComponentSerializer(many=True, help_text="[thành phần hồ sơ].")
    fees = FeeSerializer(many=True, help_text="[phí, lệ phí].")
    form_fields = FormFieldSerializer(many=True, help_text="The e-form definition [tờ khai điện tử].")

    @extend_schema_field({"type": "array", "items": {"type": "object", "properties": {
        "id": {"type": "integer"}, "name": {"type": "string"}}, "required": ["id", "name"]}})
    def get_receiving_agencies(self, version) -> list[dict]:
        return [{"id": agency.pk, "name": agency.name} for agency in version.receiving_agencies.all()]


class ProcedureListSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Procedure code [mã thủ tục hành chính].")
    name = serializers.CharField(source="current_version.name", help_text="[tên thủ tục].")
    sector = serializers.CharField(source="sector.name", help_text="[lĩnh vực].")
    implementing_level = serializers.CharField(help_text="[cấp thực hiện].")
    service_level = serializers.CharField(source="current_version.service_level", help_text="full (toàn trình) or partial (một phần).")
    url = serializers.SerializerMethodField(help_text="This procedure in the API.")

    def get_url(self, procedure) -> str:
        return reverse("api:procedure", args=[procedure.code])


class ProcedureDetailSerializer(ProcedureListSerializer):
    version = VersionSerializer(source="current_version", help_text="The version in force.")


# --- Tracking --------------------------------------------------------------------------------------


class TrackingSerializer(serializers.Serializer):
    """The same masked answer as /track/."""

    code = serializers.CharField(help_text="Dossier code [mã hồ sơ].")
    procedure = serializers.CharField(source="procedure_version.name", help_text="[tên thủ tục].")
    applicant = serializers.SerializerMethodField(help_text="Applicant's name, masked (Nguyễn V. A.) [người nộp].")
    agency = serializers.CharField(source="agency.name", help_text="[cơ quan tiếp nhận].")
    status = serializers.SerializerMethodField(help_text="National status name [trạng thái hồ sơ].")
    submitted_at = serializers.DateTimeField(allow_null=True, help_text="[ngày nộp].")
    received_at = serializers.DateTimeField(allow_null=True, help_text="[ngày tiếp nhận].")
    due_at = serializers.DateTimeField(source="due_current", allow_null=True, help_text="[ngày hẹn trả kết quả].")
    needs_supplement = serializers.SerializerMethodField(help_text="[cần bổ sung hồ sơ].")

    def get_applicant(self, dossier) -> str:
        return mask_name(dossier.applicant_name)

    def get_status(self, dossier) -> str:
        return _(dossier.national_status_name)

    def get_needs_supplement(self, dossier) -> bool:
        return dossier.status in (Status.SUPPLEMENT_REQUESTED, Status.NEEDS_COMPLETION)


class TrackQuerySerializer(serializers.Serializer):
    code = serializers.CharField(max_length=60, help_text="Dossier code printed on the receipt [mã hồ sơ].")


# --- Dossiers --------------------------------------------------------------------------------------


class DossierSummarySerializer(serializers.Serializer):
    code = serializers.CharField(allow_null=True, help_text="Dossier code [mã hồ sơ].")
    procedure_code = serializers.CharField(source="procedure_version.procedure.code", help_text="[mã thủ tục].")
    procedure = serializers.CharField(source="procedure_version.name", help_text="[tên thủ tục].")
    agency = serializers.CharField(source="agency.name", help_text="[cơ quan tiếp nhận].")
    status = serializers.CharField(help_text="Internal state (see the Status enum).")
    status_label = serializers.CharField(source="get_status_display", help_text="The state in words.")
    national_status = serializers.IntegerField(help_text="National status code 1–10 [trạng thái hồ sơ].")
    version = serializers.IntegerField(help_text="Row version: send it (or If-Match) with every write.")
    applicant_name = serializers.CharField(help_text="[người nộp].")
    submitted_at = serializers.DateTimeField(allow_null=True, help_text="[ngày nộp].")
    due_at = serializers.DateTimeField(source="due_current", allow_null=True, help_text="[ngày hẹn trả].")
    url = serializers.SerializerMethodField(help_text="This dossier in the API.")

    def get_url(self, dossier) -> str:
        name = self.context.get("dossier_url_name", "api:my-dossier")
        return reverse(name, args=[dossier.code]) if dossier.code else ""


class EventSerializer(serializers.Serializer):
    action = serializers.CharField(help_text="What happened (see the Event enum).")
    label = serializers.CharField(source="get_action_display", help_text="The step in words.")
    at = serializers.DateTimeField(help_text="[thời điểm].")
    from_status = serializers.CharField(help_text="State before.")
    to_status = serializers.CharField(help_text="State after.")
    note = serializers.CharField(help_text="[ghi chú].")


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Document id.")
    kind = serializers.CharField(help_text="receipt (Mẫu 01), supplement (Mẫu 02), refusal (Mẫu 03), apology (Mẫu 04), result…")
    label = serializers.CharField(source="get_kind_display", help_text="The kind in words.")
    number = serializers.CharField(help_text="[số văn bản].")
    issued_at = serializers.DateTimeField(allow_null=True, help_text="[ngày ban hành].")
    download_url = serializers.CharField(help_text="The access-checked download page of the site.")


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Attachment id.")
    component = serializers.IntegerField(source="component_id", allow_null=True, help_text="Component id, null: other papers.")
    name = serializers.CharField(source="original_name", help_text="File name as uploaded.")
    content_type = serializers.CharField(help_text="Checked content type.")
    size = serializers.IntegerField(help_text="Bytes.")
    page = serializers.IntegerField(help_text="Page number within its component.")
    download_url = serializers.SerializerMethodField(help_text="The site's access-checked download (session).")

    def get_download_url(self, attachment) -> str:
        return reverse("applications:attachment", args=[attachment.pk])


class OpenSupplementRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Request id.")
    items = serializers.ListField(child=serializers.CharField(), help_text="What to add (Mẫu 02).")
    requested_at = serializers.DateTimeField(help_text="[ngày yêu cầu bổ sung].")


class DossierDetailSerializer(DossierSummarySerializer):
    received_at = serializers.DateTimeField(allow_null=True, help_text="[ngày tiếp nhận].")
    resolved_at = serializers.DateTimeField(allow_null=True, help_text="When the result was decided [ngày có kết quả].")
    subject_name = serializers.CharField(help_text="[chủ hồ sơ].")
    result_delivery = serializers.CharField(help_text="[hình thức nhận kết quả].")
    fee_amount = serializers.IntegerField(allow_null=True, help_text="Fee due, integer đồng [phí, lệ phí].")
    answers = serializers.JSONField(source="form_data", help_text="E-form answers [nội dung tờ khai].")
    timeline = EventSerializer(many=True, help_text="[quá trình xử lý].")
    documents = DocumentSerializer(many=True, help_text="Papers issued to the applicant [văn bản].")
    attachments = AttachmentSerializer(many=True, help_text="[tài liệu nộp].")
    open_supplement_request = OpenSupplementRequestSerializer(allow_null=True)
    actions = serializers.ListField(child=serializers.CharField(), help_text="Actions the caller may take now.")


# --- Writes ----------------------------------------------------------------------------------------


class FileSerializer(serializers.Serializer):
    component = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**31 - 1,
                                         help_text="Component id (null: other papers).")
    name = serializers.CharField(max_length=255, help_text="File name, e.g. to-khai.pdf.")
    content_base64 = serializers.CharField(help_text="The file, base64. PDF, JPEG or PNG (DOCX where allowed).")


class ApplicantSerializer(serializers.Serializer):
    """Step 1 of the web form, with the same names and rules."""

    agency = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="Receiving agency id [cơ quan tiếp nhận].")
    applicant_name = serializers.CharField(max_length=150, help_text="[họ và tên người nộp].")
    applicant_id_number = serializers.CharField(max_length=20, help_text="[số định danh cá nhân], 12 digits.")
    applicant_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, help_text="[số điện thoại].")
    applicant_email = serializers.CharField(max_length=254, required=False, allow_blank=True, help_text="[thư điện tử].")
    applicant_address = serializers.CharField(max_length=255, required=False, allow_blank=True, help_text="[địa chỉ].")
    subject_relation = serializers.CharField(max_length=20, required=False, help_text="self, child, authorised…")
    subject_name = serializers.CharField(max_length=150, required=False, allow_blank=True, help_text="[chủ hồ sơ].")
    subject_id_number = serializers.CharField(max_length=20, required=False, allow_blank=True, help_text="[số định danh cá nhân của chủ hồ sơ].")
    result_delivery = serializers.CharField(max_length=20, help_text="[hình thức nhận kết quả].")
    delivery_address = serializers.CharField(max_length=255, required=False, allow_blank=True, help_text="For results by post [địa chỉ nhận kết quả qua bưu chính].")


class FileDossierSerializer(serializers.Serializer):
    procedure = serializers.CharField(max_length=40, help_text="Procedure code [mã thủ tục].")
    applicant = ApplicantSerializer()
    answers = serializers.DictField(help_text="E-form answers keyed by the field keys of the e-form definition.")
    attachments = FileSerializer(many=True, required=False, help_text="[tài liệu nộp].")
    processing_notice_acknowledged = serializers.BooleanField(
        help_text="The applicant was shown the personal-data processing notice (Law 91/2025). Must be true."
    )


class SupplementSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1,
                                       help_text="Row version (or send If-Match).")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, help_text="What was added.")
    attachments = FileSerializer(many=True, required=False, help_text="Pages answering the request.")


class PaymentStartSerializer(serializers.Serializer):
    pass


class PaymentAttemptSerializer(serializers.Serializer):
    reference = serializers.CharField(source="txn_ref", help_text="Transaction reference.")
    amount = serializers.IntegerField(help_text="Integer đồng.")
    state = serializers.CharField(help_text="pending, succeeded, failed, cancelled or expired.")
    payment_url = serializers.CharField(help_text="Where to send the payer's browser.")


class ActionSerializer(serializers.Serializer):
    """The fields each action takes, as on the back office's forms; unused ones are ignored."""

    version = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1,
                                       help_text="Row version (or send If-Match).")
    note = serializers.CharField(required=False, allow_blank=True, help_text="receive, supplement, submit_for_approval, send_back, stop, request_payment, record_in_person_step.")
    reason = serializers.CharField(required=False, allow_blank=True, help_text="refuse, declare_not_eligible, apologise, extend, request_stop, decline_stop.")
    items = serializers.CharField(required=False, allow_blank=True, help_text="request_completion, request_supplement: one item per line (Mẫu 02).")
    specialist = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1, help_text="transfer: the specialist's user id.")
    amount = serializers.IntegerField(required=False, min_value=0, max_value=10_000_000_000, help_text="request_payment: integer đồng.")
    result_summary = serializers.CharField(required=False, allow_blank=True, help_text="approve.")
    new_due = serializers.DateField(required=False, help_text="apologise: the new date.")
    days = serializers.IntegerField(required=False, min_value=0, max_value=1000, help_text="extend: working days.")
    method = serializers.CharField(required=False, allow_blank=True, help_text="return_result: how the result is handed over.")
    postal_tracking_number = serializers.CharField(required=False, allow_blank=True, help_text="return_result by post: the parcel number [số hiệu bưu gửi].")
    kind = serializers.CharField(required=False, allow_blank=True, help_text="record_in_person_step: which step.")


class QueueSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Queue key, for /agency/queues/<key>/dossiers/.")
    label = serializers.CharField(help_text="The queue's name in the back office.")
    count = serializers.IntegerField(help_text="Dossiers in it now, counted up to LIST_MAX_ROWS + 1 (see capped).")
    capped = serializers.BooleanField(help_text="True when the queue holds more than LIST_MAX_ROWS dossiers: "
                                                "count is then that bound plus one, not the exact number.")


def paginated(item: type[serializers.Serializer], name: str) -> type[serializers.Serializer]:
    """The cursor-paginated envelope of `item`, named for the schema."""
    return type(name, (serializers.Serializer,), {
        "next": serializers.CharField(allow_null=True, help_text="URL of the next page, or null."),
        "previous": serializers.CharField(allow_null=True, help_text="URL of the previous page, or null."),
        "results": item(many=True, help_text="This page's items."),
        "__doc__": f"A page of {item.__name__.removesuffix('Serializer')} (cursor pagination).",
    })


__all__ = ["OpenApiTypes"]
