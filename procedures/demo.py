"""Demo catalogue for `manage.py seed_demo`: real commune-level procedures with their national codes
(national TTHC database codes). Idempotent: a procedure whose code already exists is left alone.

Times and fees follow the cited national rules where they exist (Decree 23/2015, Circular 226/2016,
Circular 75/2022, Decree 114/2016). Where a fee is set by the provincial People's Council (HĐND), the
demo cites a fictional resolution of the fictional province "Hòa An" and says so.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django.core.files.base import ContentFile

from accounts.models import Agency
from portal.lib.text import normalize_search
from procedures.blank_forms import blank_form_docx
from procedures.cache import catalogue_changed
from procedures.models import (
    CONTACT_BINDINGS,
    Component,
    DocumentType,
    Fee,
    FeeBasis,
    FeeChannel,
    FeeCondition,
    FeeKind,
    FieldType,
    FiledFor,
    FormField,
    LegalDocument,
    Procedure,
    ProcedureVersion,
    ProfileBinding,
    ResultType,
    Sector,
    ServiceLevel,
)
from procedures.services import procedure_version_publish
from workdays.constants import TimeUnit

DEMO_AGENCIES = ["H99.01.01", "H99.01.02"]
EFFECTIVE_FROM = date(2025, 7, 1)
DECISION = "Quyết định số 1568/QĐ-UBND ngày 20/6/2025 của UBND tỉnh Hòa An (dữ liệu mẫu)"
HDND_FEES = "Nghị quyết số 15/2025/NQ-HĐND tỉnh Hòa An (dữ liệu mẫu)"
CUTOFF = time(15, 0)

SECTORS = [
    ("HT", "Hộ tịch", 1),
    ("CT", "Chứng thực", 2),
    ("CTRU", "Đăng ký, quản lý cư trú", 3),
    ("NCN", "Nuôi con nuôi", 4),
    ("BTXH", "Bảo trợ xã hội và giảm nghèo", 5),
]

LEGAL_DOCUMENTS = [
    ("60/2014/QH13", "Luật Hộ tịch", date(2014, 11, 20), "Quốc hội"),
    ("123/2015/NĐ-CP", "Nghị định quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch",
     date(2015, 11, 15), "Chính phủ"),
    ("04/2020/TT-BTP", "Thông tư quy định chi tiết thi hành một số điều của Luật Hộ tịch và Nghị định số "
     "123/2015/NĐ-CP", date(2020, 5, 28), "Bộ Tư pháp"),
    ("23/2015/NĐ-CP", "Nghị định về cấp bản sao từ sổ gốc, chứng thực bản sao từ bản chính, chứng thực chữ ký "
     "và chứng thực hợp đồng, giao dịch", date(2015, 2, 16), "Chính phủ"),
    ("226/2016/TT-BTC", "Thông tư quy định mức thu, chế độ thu, nộp, quản lý và sử dụng phí chứng thực",
     date(2016, 11, 11), "Bộ Tài chính"),
    ("68/2020/QH14", "Luật Cư trú", date(2020, 11, 13), "Quốc hội"),
    ("62/2021/NĐ-CP", "Nghị định quy định chi tiết một số điều của Luật Cư trú", date(2021, 6, 29), "Chính phủ"),
    ("75/2022/TT-BTC", "Thông tư quy định mức thu, chế độ thu, nộp, quản lý lệ phí đăng ký cư trú",
     date(2022, 12, 22), "Bộ Tài chính"),
    ("85/2019/TT-BTC", "Thông tư hướng dẫn về phí và lệ phí thuộc thẩm quyền quyết định của Hội đồng nhân dân "
     "tỉnh, thành phố trực thuộc Trung ương", date(2019, 11, 29), "Bộ Tài chính"),
    ("42/2022/NĐ-CP", "Nghị định quy định về việc cung cấp thông tin và dịch vụ công trực tuyến của cơ quan nhà "
     "nước trên môi trường mạng", date(2022, 6, 24), "Chính phủ"),
    ("52/2010/QH12", "Luật Nuôi con nuôi", date(2010, 6, 17), "Quốc hội"),
    ("19/2011/NĐ-CP", "Nghị định quy định chi tiết thi hành một số điều của Luật Nuôi con nuôi",
     date(2011, 3, 21), "Chính phủ"),
    ("114/2016/NĐ-CP", "Nghị định quy định lệ phí đăng ký nuôi con nuôi, lệ phí cấp giấy phép hoạt động của tổ "
     "chức con nuôi nước ngoài", date(2016, 7, 8), "Chính phủ"),
    ("07/2021/NĐ-CP", "Nghị định quy định chuẩn nghèo đa chiều giai đoạn 2022 - 2025", date(2021, 1, 27),
     "Chính phủ"),
    ("15/2025/NQ-HĐND", "Nghị quyết quy định mức thu lệ phí hộ tịch trên địa bàn tỉnh Hòa An (dữ liệu mẫu)",
     date(2025, 6, 15), "Hội đồng nhân dân tỉnh Hòa An"),
]

CIVIL_STATUS_LAW = ["60/2014/QH13", "123/2015/NĐ-CP", "04/2020/TT-BTP", "15/2025/NQ-HĐND"]
CERTIFICATION_LAW = ["23/2015/NĐ-CP", "226/2016/TT-BTC"]
RESIDENCE_LAW = ["68/2020/QH14", "62/2021/NĐ-CP", "75/2022/TT-BTC"]

# --- E-form building blocks -----------------------------------------------------------------

SEX = [{"value": "nam", "label": "Nam", "label_en": "Male"}, {"value": "nu", "label": "Nữ", "label_en": "Female"}]
RELATIONSHIP = [
    {"value": "ban_than", "label": "Bản thân", "label_en": "Self"},
    {"value": "cha_me", "label": "Cha, mẹ", "label_en": "Parent"},
    {"value": "vo_chong", "label": "Vợ, chồng", "label_en": "Spouse"},
    {"value": "con", "label": "Con", "label_en": "Child"},
    {"value": "nguoi_than", "label": "Người thân thích khác", "label_en": "Other relative"},
    {"value": "uy_quyen", "label": "Người được ủy quyền", "label_en": "Authorised person"},
]
MARITAL_STATUS = [
    {"value": "chua_ket_hon", "label": "Chưa kết hôn", "label_en": "Never married"},
    {"value": "dang_co_vo_chong", "label": "Đang có vợ/chồng", "label_en": "Married"},
    {"value": "da_ly_hon", "label": "Đã ly hôn", "label_en": "Divorced"},
    {"value": "vo_chong_da_chet", "label": "Vợ/chồng đã chết", "label_en": "Widowed"},
]


def field(key: str, label: str, field_type: str = FieldType.TEXT, *, required: bool = True, **extra: Any) -> dict:
    if field_type == FieldType.TEXT:
        extra.setdefault("max_length", 255)
    if extra.get("prefill") in CONTACT_BINDINGS:
        extra.setdefault("editable_when_verified", True)
    return {"key": key, "label": label, "field_type": field_type, "is_required": required, **extra}


def requester(section: str = "Người yêu cầu", *, with_relationship: bool = True) -> list[dict]:
    fields = [
        field("requester_name", "Họ, chữ đệm, tên người yêu cầu", max_length=100, prefill=ProfileBinding.FULL_NAME),
        field("requester_id_number", "Số định danh cá nhân của người yêu cầu", FieldType.ID_NUMBER,
              prefill=ProfileBinding.ID_NUMBER),
        field("requester_phone", "Số điện thoại liên hệ", FieldType.PHONE, prefill=ProfileBinding.PHONE),
        field("requester_email", "Thư điện tử", FieldType.EMAIL, required=False, prefill=ProfileBinding.EMAIL),
        field("requester_address", "Nơi cư trú", FieldType.ADDRESS, prefill=ProfileBinding.PERMANENT_ADDRESS),
    ]
    if with_relationship:
        fields.append(field("requester_relationship", "Quan hệ với người được đăng ký", FieldType.CHOICE,
                            choices=RELATIONSHIP))
    return [{**f, "section": section} for f in fields]


def person(prefix: str, noun: str, section: str, *, id_required: bool = True, with_birth: bool = True) -> list[dict]:
    fields = [field(f"{prefix}_name", f"Họ, chữ đệm, tên {noun}", max_length=100)]
    if with_birth:
        fields.append(field(f"{prefix}_birth_date", f"Ngày, tháng, năm sinh {noun}", FieldType.DATE))
    fields += [
        field(f"{prefix}_id_number", f"Số định danh cá nhân {noun}", FieldType.ID_NUMBER, required=id_required),
        field(f"{prefix}_residence", f"Nơi cư trú {noun}", FieldType.ADDRESS, required=id_required),
    ]
    return [{**f, "section": section} for f in fields]


def copies_field(label: str = "Số bản sao trích lục yêu cầu cấp") -> dict:
    return field("copies_requested", label, FieldType.NUMBER, min_value=0, max_value=20, required=False)


BIRTH_FORM = [
    *requester(),
    *[{**f, "section": "Người được khai sinh"} for f in [
        field("child_name", "Họ, chữ đệm, tên của trẻ", max_length=100),
        field("child_birth_date", "Ngày, tháng, năm sinh", FieldType.DATE),
        field("child_sex", "Giới tính", FieldType.CHOICE, choices=SEX),
        field("child_ethnicity", "Dân tộc", max_length=50),
        field("child_nationality", "Quốc tịch", max_length=50),
        field("child_birth_place", "Nơi sinh", help_text="Tên cơ sở y tế hoặc địa chỉ nơi sinh"),
        field("child_hometown", "Quê quán", required=False),
    ]],
    *[{**f, "section": "Cha, mẹ"} for f in [
        field("mother_name", "Họ, chữ đệm, tên người mẹ", max_length=100),
        field("mother_birth_year", "Năm sinh của mẹ", FieldType.NUMBER, min_value=1900, max_value=2100),
        field("mother_id_number", "Số định danh cá nhân của mẹ", FieldType.ID_NUMBER),
        field("father_name", "Họ, chữ đệm, tên người cha", required=False, max_length=100),
        field("father_birth_year", "Năm sinh của cha", FieldType.NUMBER, required=False, min_value=1900,
              max_value=2100),
        field("father_id_number", "Số định danh cá nhân của cha", FieldType.ID_NUMBER, required=False),
    ]],
    copies_field("Số bản sao Giấy khai sinh yêu cầu cấp"),
]

MARRIAGE_FORM = [
    *person("husband", "của bên nam", "Bên nam"),
    {**field("husband_marital_status", "Tình trạng hôn nhân của bên nam", FieldType.CHOICE,
             choices=MARITAL_STATUS[:1] + MARITAL_STATUS[2:]), "section": "Bên nam"},
    *person("wife", "của bên nữ", "Bên nữ"),
    {**field("wife_marital_status", "Tình trạng hôn nhân của bên nữ", FieldType.CHOICE,
             choices=MARITAL_STATUS[:1] + MARITAL_STATUS[2:]), "section": "Bên nữ"},
    {**field("registration_date", "Ngày mong muốn đăng ký", FieldType.DATE, required=False,
             help_text="Hai bên phải cùng có mặt tại Bộ phận Một cửa vào ngày này."), "section": "Lịch hẹn"},
    copies_field("Số bản sao trích lục kết hôn yêu cầu cấp"),
]

DEATH_FORM = [
    *requester(),
    *person("deceased", "của người chết", "Người chết"),
    *[{**f, "section": "Thông tin về việc chết"} for f in [
        field("death_date", "Ngày chết", FieldType.DATE),
        field("death_time", "Giờ, phút chết", required=False, max_length=20),
        field("death_place", "Nơi chết"),
        field("death_cause", "Nguyên nhân chết", required=False),
        field("death_notice_number", "Số Giấy báo tử hoặc giấy tờ thay thế", required=False, max_length=50),
    ]],
    copies_field(),
]

MARITAL_STATUS_FORM = [
    *requester(with_relationship=False),
    *person("subject", "của người được xác nhận", "Người được xác nhận"),
    *[{**f, "section": "Nội dung xác nhận"} for f in [
        field("subject_sex", "Giới tính", FieldType.CHOICE, choices=SEX),
        field("marital_status", "Tình trạng hôn nhân hiện tại", FieldType.CHOICE, choices=MARITAL_STATUS),
        field("purpose", "Mục đích sử dụng Giấy xác nhận", FieldType.TEXTAREA, max_length=500,
              help_text="Ví dụ: để đăng ký kết hôn với ông/bà …, để vay vốn ngân hàng, để bổ túc hồ sơ…"),
        field("previous_residences", "Các nơi đã cư trú trước đây (nếu có)", FieldType.TEXTAREA,
              required=False, max_length=1000),
    ]],
]

CHANGE_FORM = [
    *requester(),
    *person("subject", "của người có thông tin hộ tịch", "Người có thông tin hộ tịch"),
    *[{**f, "section": "Nội dung yêu cầu"} for f in [
        field("change_kind", "Loại yêu cầu", FieldType.CHOICE, choices=[
            {"value": "thay_doi", "label": "Thay đổi", "label_en": "Change"},
            {"value": "cai_chinh", "label": "Cải chính", "label_en": "Correction"},
            {"value": "bo_sung", "label": "Bổ sung", "label_en": "Addition"},
        ]),
        field("registration_number", "Số, ngày đăng ký hộ tịch trước đây", max_length=100),
        field("current_content", "Nội dung hiện ghi trong sổ hộ tịch", FieldType.TEXTAREA, max_length=1000),
        field("requested_content", "Nội dung đề nghị thay đổi, cải chính, bổ sung", FieldType.TEXTAREA,
              max_length=1000),
        field("reason", "Lý do", FieldType.TEXTAREA, max_length=1000),
    ]],
    copies_field(),
]

EXTRACT_COPY_FORM = [
    *requester(),
    *[{**f, "section": "Nội dung đề nghị cấp bản sao"} for f in [
        field("event_kind", "Loại việc hộ tịch", FieldType.CHOICE, choices=[
            {"value": "khai_sinh", "label": "Khai sinh", "label_en": "Birth"},
            {"value": "ket_hon", "label": "Kết hôn", "label_en": "Marriage"},
            {"value": "khai_tu", "label": "Khai tử", "label_en": "Death"},
            {"value": "khac", "label": "Khác", "label_en": "Other"},
        ]),
        field("subject_name", "Họ, chữ đệm, tên người được cấp bản sao trích lục", max_length=100),
        field("subject_birth_date", "Ngày, tháng, năm sinh", FieldType.DATE),
        field("registration_number", "Số, ngày đăng ký (nếu biết)", required=False, max_length=100),
        field("copies_requested", "Số bản sao trích lục yêu cầu cấp", FieldType.NUMBER, min_value=1,
              max_value=20),
    ]],
]

CERTIFIED_COPY_FORM = [
    *requester(with_relationship=False),
    *[{**f, "section": "Giấy tờ cần chứng thực"} for f in [
        field("document_name", "Tên giấy tờ, văn bản cần chứng thực bản sao"),
        field("page_count", "Số trang của bản chính", FieldType.NUMBER, min_value=1, max_value=1000),
        field("copies_requested", "Số bản sao cần chứng thực", FieldType.NUMBER, min_value=1, max_value=50),
        field("delivery_appointment", "Ngày mang bản chính đến đối chiếu", FieldType.DATE, required=False),
    ]],
]

SIGNATURE_FORM = [
    *requester(with_relationship=False),
    *[{**f, "section": "Giấy tờ cần chứng thực chữ ký"} for f in [
        field("document_name", "Tên giấy tờ, văn bản cần chứng thực chữ ký"),
        field("signer_count", "Số người ký", FieldType.NUMBER, min_value=1, max_value=20),
        field("copies_requested", "Số bản cần chứng thực", FieldType.NUMBER, min_value=1, max_value=50),
        field("signing_date", "Ngày đến ký trước người thực hiện chứng thực", FieldType.DATE, required=False),
    ]],
]

RESIDENCE_FORM = [
    *requester(with_relationship=False),
    *[{**f, "section": "Nội dung đăng ký"} for f in [
        field("household_head_name", "Họ, chữ đệm, tên chủ hộ", max_length=100),
        field("household_head_id_number", "Số định danh cá nhân của chủ hộ", FieldType.ID_NUMBER),
        field("relationship_to_head", "Quan hệ với chủ hộ", max_length=50),
        field("new_address", "Địa chỉ nơi đăng ký", FieldType.ADDRESS),
        field("house_number", "Số nhà, đường, thôn, tổ dân phố", max_length=255),
        field("legal_residence_basis", "Giấy tờ chứng minh chỗ ở hợp pháp", FieldType.CHOICE, choices=[
            {"value": "so_huu", "label": "Nhà thuộc sở hữu của mình", "label_en": "Own property"},
            {"value": "thue_muon", "label": "Nhà thuê, mượn, ở nhờ", "label_en": "Rented or lent"},
            {"value": "khac", "label": "Khác", "label_en": "Other"},
        ]),
        field("consent_of_owner", "Chủ hộ, chủ sở hữu chỗ ở đã đồng ý", FieldType.YES_NO),
    ]],
]

DEREGISTRATION_FORM = [
    *requester(with_relationship=False),
    *person("subject", "của người bị xóa đăng ký", "Người bị xóa đăng ký thường trú"),
    {**field("deregistration_reason", "Trường hợp xóa đăng ký thường trú", FieldType.CHOICE, choices=[
        {"value": "chet", "label": "Người đăng ký đã chết", "label_en": "Deceased"},
        {"value": "dinh_cu_nuoc_ngoai", "label": "Định cư ở nước ngoài", "label_en": "Settled abroad"},
        {"value": "vang_mat", "label": "Vắng mặt liên tục 12 tháng trở lên", "label_en": "Absent 12 months"},
        {"value": "khac", "label": "Trường hợp khác theo Điều 24 Luật Cư trú", "label_en": "Other"},
    ]), "section": "Lý do"},
]

GUARDIANSHIP_FORM = [
    *requester(),
    *person("ward", "của người được giám hộ", "Người được giám hộ"),
    *person("guardian", "của người giám hộ", "Người giám hộ"),
    {**field("reason", "Lý do, căn cứ", FieldType.TEXTAREA, max_length=1000), "section": "Nội dung"},
]

ADOPTION_FORM = [
    *person("adopter", "của người nhận con nuôi", "Người nhận con nuôi"),
    *person("spouse", "của vợ/chồng người nhận con nuôi", "Người nhận con nuôi", id_required=False),
    *person("child", "của trẻ được nhận làm con nuôi", "Trẻ được nhận làm con nuôi", id_required=False),
    {**field("child_sex", "Giới tính của trẻ", FieldType.CHOICE, choices=SEX),
     "section": "Trẻ được nhận làm con nuôi"},
    {**field("reason", "Lý do nhận con nuôi", FieldType.TEXTAREA, max_length=1000), "section": "Nội dung"},
]

RECOGNITION_FORM = [
    *requester(),
    *[{**f, "section": "Người được khai sinh"} for f in BIRTH_FORM if f["key"].startswith("child_")],
    *person("recognising_parent", "của người nhận cha, mẹ, con", "Người nhận"),
    {**field("recognition_kind", "Nội dung nhận", FieldType.CHOICE, choices=[
        {"value": "nhan_cha", "label": "Nhận cha cho con", "label_en": "Recognise the father"},
        {"value": "nhan_me", "label": "Nhận mẹ cho con", "label_en": "Recognise the mother"},
    ]), "section": "Người nhận"},
]

POOR_HOUSEHOLD_FORM = [
    *requester("Chủ hộ", with_relationship=False),
    *[{**f, "section": "Thông tin hộ gia đình"} for f in [
        field("household_size", "Số nhân khẩu trong hộ", FieldType.NUMBER, min_value=1, max_value=30),
        field("monthly_income_per_person", "Thu nhập bình quân đầu người/tháng (đồng)", FieldType.NUMBER,
              min_value=0, max_value=100_000_000),
        field("request_kind", "Đề nghị công nhận", FieldType.CHOICE, choices=[
            {"value": "ho_ngheo", "label": "Hộ nghèo", "label_en": "Poor household"},
            {"value": "ho_can_ngheo", "label": "Hộ cận nghèo", "label_en": "Near-poor household"},
        ]),
        field("deprivations", "Các chỉ số thiếu hụt dịch vụ xã hội cơ bản", FieldType.MULTIPLE_CHOICE,
              required=False, choices=[
                  {"value": "viec_lam", "label": "Việc làm", "label_en": "Employment"},
                  {"value": "y_te", "label": "Y tế", "label_en": "Health"},
                  {"value": "giao_duc", "label": "Giáo dục", "label_en": "Education"},
                  {"value": "nha_o", "label": "Nhà ở", "label_en": "Housing"},
                  {"value": "nuoc_sach", "label": "Nước sinh hoạt và vệ sinh", "label_en": "Water"},
                  {"value": "thong_tin", "label": "Thông tin", "label_en": "Information"},
              ]),
    ]],
]

# --- Components and fees ------------------------------------------------------------------------

def form_component(name: str, note: str = "") -> dict:
    """The tờ khai: a blank is generated from the e-form and the citizen may fill the e-form instead."""
    return {"name": name, "originals": 1, "copies": 0, "is_required": True, "template": True,
            "filled_by_eform": True, "notes": note or "Có thể khai tờ khai điện tử khi nộp trực tuyến."}


def paper(name: str, *, originals: int = 1, copies: int = 0, required: bool = True, notes: str = "",
          kind: str = "") -> dict:
    """A paper component; `kind` (a DOCUMENT_TYPES code) lets the citizen reuse a stored paper of that kind."""
    return {"name": name, "originals": originals, "copies": copies, "is_required": required, "notes": notes,
            "kind": kind}


# The document-type taxonomy (admin data): code, name, validity in months (None: no limit). A
# marital-status confirmation is valid for 6 months from issue (Decree 123/2015/NĐ-CP Art 23).
DOCUMENT_TYPES = [
    ("giay-khai-sinh", "Giấy khai sinh", None),
    ("giay-chung-sinh", "Giấy chứng sinh", None),
    ("xac-nhan-tinh-trang-hon-nhan", "Giấy xác nhận tình trạng hôn nhân", 6),
    ("giay-chung-nhan-ket-hon", "Giấy chứng nhận kết hôn", None),
    ("trich-luc-khai-tu", "Trích lục khai tử", None),
    ("giay-bao-tu", "Giấy báo tử", None),
    ("giay-to-cho-o-hop-phap", "Giấy tờ chứng minh chỗ ở hợp pháp", None),
    ("xac-nhan-cu-tru", "Xác nhận thông tin về cư trú", None),
    ("can-cuoc", "Thẻ căn cước", None),
]
# The kind of paper each demo procedure's result is.
RESULT_KINDS = {
    "1.001193": "giay-khai-sinh", "1.004884": "giay-khai-sinh", "1.004873": "xac-nhan-tinh-trang-hon-nhan",
    "1.000894": "giay-chung-nhan-ket-hon", "1.004746": "giay-chung-nhan-ket-hon", "1.000656": "trich-luc-khai-tu",
}


POWER_OF_ATTORNEY = paper(
    "Văn bản ủy quyền theo quy định của pháp luật (nếu ủy quyền thực hiện)", required=False,
    notes="Không phải chứng thực nếu người được ủy quyền là ông, bà, cha, mẹ, con, vợ, chồng, anh, chị, em ruột.",
)


# Law on Civil Status 2014 Art 15 (birth within 60 days) and Art 33 (death within 15 days): registering
# on time is free (Art 11), so the fee line applies only to late registrations.
LATE_BIRTH = {"condition": FeeCondition.LATE_REGISTRATION, "condition_field": "child_birth_date", "condition_days": 60}
LATE_DEATH = {"condition": FeeCondition.LATE_REGISTRATION, "condition_field": "death_date", "condition_days": 15}


def civil_fee(name: str, amount: int, *, exemption: str = "", basis: str = FeeBasis.PER_CASE) -> dict:
    return {"kind": FeeKind.CHARGE, "name": name, "amount": amount, "basis": basis, "legal_basis": HDND_FEES,
            "is_exemptible": bool(exemption), "exemption_text": exemption}


CIVIL_STATUS_STEPS = (
    "Bước 1: Người yêu cầu nộp hồ sơ trực tiếp tại Bộ phận Một cửa Ủy ban nhân dân xã hoặc trực tuyến trên "
    "Cổng Dịch vụ công.\n"
    "Bước 2: Công chức tư pháp - hộ tịch kiểm tra hồ sơ; nếu chưa đầy đủ thì hướng dẫn bổ sung một lần.\n"
    "Bước 3: Nếu thấy đủ điều kiện, công chức tư pháp - hộ tịch báo cáo Chủ tịch Ủy ban nhân dân xã ký kết quả "
    "và ghi vào Sổ hộ tịch.\n"
    "Bước 4: Trả kết quả tại Bộ phận Một cửa, qua bưu chính công ích hoặc bản điện tử trong kho dữ liệu "
    "của người yêu cầu."
)
CERTIFICATION_STEPS = (
    "Bước 1: Người yêu cầu chứng thực nộp hồ sơ tại Bộ phận Một cửa hoặc đăng ký trực tuyến.\n"
    "Bước 2: Người thực hiện chứng thực kiểm tra giấy tờ, đối chiếu với bản chính hoặc chứng kiến việc ký.\n"
    "Bước 3: Ghi lời chứng, ký, đóng dấu và ghi vào sổ chứng thực.\n"
    "Bước 4: Trả kết quả và thu phí chứng thực."
)
RESIDENCE_STEPS = (
    "Bước 1: Người đăng ký nộp hồ sơ tại Công an cấp xã hoặc trực tuyến qua Cổng Dịch vụ công, ứng dụng "
    "VNeID.\n"
    "Bước 2: Cơ quan đăng ký cư trú kiểm tra, cấp phiếu tiếp nhận hồ sơ và hẹn trả kết quả.\n"
    "Bước 3: Cơ quan đăng ký cư trú thẩm định, cập nhật thông tin vào Cơ sở dữ liệu về cư trú.\n"
    "Bước 4: Thông báo kết quả cho người đăng ký; trường hợp từ chối thì trả lời bằng văn bản và nêu rõ lý do."
)

PRESENT_IN_PERSON_MARRIAGE = (
    "Hai bên nam, nữ phải cùng có mặt tại Bộ phận Một cửa khi đăng ký, ký vào Sổ đăng ký kết hôn và Giấy "
    "chứng nhận kết hôn."
)
SHOW_ORIGINALS = "Mang bản chính giấy tờ đến Bộ phận Một cửa để người thực hiện chứng thực đối chiếu."
SIGN_IN_FRONT = "Người yêu cầu chứng thực phải ký trước mặt người thực hiện chứng thực tại Bộ phận Một cửa."


def _p(code: str, sector: str, name: str, level: str, form: list[dict], components: list[dict], *,
       time_value: int = 0, unit: str = TimeUnit.SAME_DAY, cutoff: time | None = None, fees: list[dict] | None = None,
       partial_reason: str = "", steps: str = CIVIL_STATUS_STEPS, law: list[str] | None = None,
       result: str = "", conditions: str = "", competent: str = "Ủy ban nhân dân cấp xã", online: bool = True,
       post: bool = True, popularity: int = 0, business: bool = False, filed_for: str = FiledFor.SELF,
       extension_days: int = 0, extension_basis: str = "") -> dict:
    return {
        "code": code, "sector": sector, "name": name, "service_level": level, "form": form,
        "components": components, "time_value": time_value, "unit": unit, "cutoff": cutoff, "fees": fees or [],
        "partial_reason": partial_reason, "steps": steps, "law": law or CIVIL_STATUS_LAW, "result": result,
        "conditions": conditions, "competent": competent, "online": online, "post": post,
        "popularity": popularity, "business": business, "filed_for": filed_for,
        "extension_days": extension_days, "extension_basis": extension_basis,
    }


FULL, PARTIAL = ServiceLevel.FULL, ServiceLevel.PARTIAL
WD, DAYS, SAME = TimeUnit.WORKING_DAYS, TimeUnit.DAYS, TimeUnit.SAME_DAY

PROCEDURES = [
    _p("1.001193", "HT", "Đăng ký khai sinh", FULL, BIRTH_FORM, [
        form_component("Tờ khai đăng ký khai sinh"),
        paper("Giấy chứng sinh hoặc văn bản của người làm chứng xác nhận về việc sinh",
              notes="Nếu không có người làm chứng thì phải có giấy cam đoan về việc sinh.", kind="giay-chung-sinh"),
        POWER_OF_ATTORNEY,
    ], cutoff=CUTOFF, fees=[{**civil_fee(
        "Lệ phí đăng ký khai sinh (đăng ký quá hạn)", 8_000,
        exemption="Miễn lệ phí khi đăng ký khai sinh đúng hạn (trong 60 ngày kể từ ngày sinh), theo Điều 11 "
                  "Luật Hộ tịch; miễn cho người thuộc gia đình có công với cách mạng, hộ nghèo, người khuyết tật.",
    ), **LATE_BIRTH}], result="Giấy khai sinh (bản chính) và bản sao Giấy khai sinh nếu có yêu cầu", popularity=180,
       filed_for=FiledFor.CHILD),
    _p("1.000894", "HT", "Đăng ký kết hôn", PARTIAL, MARRIAGE_FORM, [
        form_component("Tờ khai đăng ký kết hôn", "Hai bên nam, nữ có thể dùng chung một tờ khai."),
        paper("Giấy xác nhận tình trạng hôn nhân (nếu đăng ký kết hôn không tại nơi thường trú)", required=False,
              kind="xac-nhan-tinh-trang-hon-nhan"),
    ], cutoff=CUTOFF, partial_reason=PRESENT_IN_PERSON_MARRIAGE, fees=[civil_fee(
        "Lệ phí đăng ký kết hôn", 0,
        exemption="Miễn lệ phí đăng ký kết hôn giữa công dân Việt Nam cư trú ở trong nước (Điều 11 Luật Hộ tịch).",
    )], conditions="Nam từ đủ 20 tuổi, nữ từ đủ 18 tuổi; việc kết hôn do nam, nữ tự nguyện quyết định; không "
                   "thuộc trường hợp cấm kết hôn. Trường hợp cần xác minh thì thời hạn không quá 05 ngày làm việc.",
       result="Giấy chứng nhận kết hôn", popularity=95),
    _p("1.000656", "HT", "Đăng ký khai tử", FULL, DEATH_FORM, [
        form_component("Tờ khai đăng ký khai tử"),
        paper("Giấy báo tử hoặc giấy tờ thay thế Giấy báo tử do cơ quan có thẩm quyền cấp", kind="giay-bao-tu"),
        POWER_OF_ATTORNEY,
    ], cutoff=CUTOFF, fees=[{**civil_fee(
        "Lệ phí đăng ký khai tử (đăng ký quá hạn)", 8_000,
        exemption="Miễn lệ phí khi đăng ký khai tử đúng hạn (trong 15 ngày kể từ ngày có người chết).",
    ), **LATE_DEATH}], result="Trích lục khai tử", popularity=40),
    _p("1.004873", "HT", "Cấp Giấy xác nhận tình trạng hôn nhân", FULL, MARITAL_STATUS_FORM, [
        form_component("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân"),
        paper("Bản án, quyết định ly hôn hoặc giấy tờ chứng minh vợ/chồng đã chết (nếu có)", copies=1,
              required=False),
    ], time_value=3, unit=WD, fees=[civil_fee("Lệ phí cấp Giấy xác nhận tình trạng hôn nhân", 3_000)],
       conditions="Trường hợp cần xác minh tại nơi cư trú trước đây thì thời hạn không quá 23 ngày.",
       result="Giấy xác nhận tình trạng hôn nhân", popularity=150,
       extension_days=20, extension_basis="Nghị định 123/2015/NĐ-CP: cần xác minh thì không quá 23 ngày"),
    _p("1.004884", "HT", "Đăng ký lại khai sinh", PARTIAL, BIRTH_FORM, [
        form_component("Tờ khai đăng ký lại khai sinh"),
        paper("Bản sao giấy tờ khai sinh trước đây hoặc giấy tờ có thông tin về nội dung khai sinh", copies=1,
              kind="giay-khai-sinh"),
        paper("Văn bản cam đoan về việc đã đăng ký khai sinh nhưng không lưu giữ được bản chính", required=False),
    ], time_value=5, unit=WD, partial_reason="Xuất trình bản chính giấy tờ tùy thân và giấy tờ chứng minh nội "
       "dung khai sinh tại Bộ phận Một cửa.", fees=[civil_fee("Lệ phí đăng ký lại khai sinh", 8_000)],
       result="Giấy khai sinh (đăng ký lại)", popularity=12),
    _p("1.005461", "HT", "Đăng ký lại khai tử", FULL, DEATH_FORM, [
        form_component("Tờ khai đăng ký lại khai tử"),
        paper("Bản sao Giấy chứng tử trước đây hoặc giấy tờ liên quan có nội dung chứng minh sự kiện chết",
              copies=1),
    ], time_value=5, unit=WD, fees=[civil_fee("Lệ phí đăng ký lại khai tử", 8_000)],
       result="Trích lục khai tử (đăng ký lại)", popularity=3),
    _p("1.004746", "HT", "Đăng ký lại kết hôn", PARTIAL, MARRIAGE_FORM, [
        form_component("Tờ khai đăng ký lại kết hôn"),
        paper("Bản sao Giấy chứng nhận kết hôn được cấp trước đây (nếu có)", copies=1, required=False),
    ], time_value=5, unit=WD, partial_reason=PRESENT_IN_PERSON_MARRIAGE,
       fees=[civil_fee("Lệ phí đăng ký lại kết hôn", 10_000)], result="Giấy chứng nhận kết hôn (đăng ký lại)",
       popularity=4),
    _p("1.000689", "HT", "Đăng ký khai sinh kết hợp nhận cha, mẹ, con", PARTIAL, RECOGNITION_FORM, [
        form_component("Tờ khai đăng ký khai sinh và tờ khai nhận cha, mẹ, con"),
        paper("Giấy chứng sinh hoặc văn bản xác nhận về việc sinh"),
        paper("Chứng cứ chứng minh quan hệ cha, mẹ, con (văn bản xét nghiệm ADN hoặc giấy tờ khác)"),
    ], time_value=3, unit=WD, partial_reason="Người nhận và người được nhận là cha, mẹ, con phải có mặt khi "
       "đăng ký.", fees=[civil_fee("Lệ phí đăng ký nhận cha, mẹ, con", 15_000)],
       result="Giấy khai sinh và Trích lục đăng ký nhận cha, mẹ, con", popularity=8),
    _p("1.004859", "HT", "Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch", FULL, CHANGE_FORM, [
        form_component("Tờ khai đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch"),
        paper("Giấy tờ làm căn cứ cho việc thay đổi, cải chính, bổ sung", copies=1),
    ], time_value=3, unit=WD, fees=[civil_fee(
        "Lệ phí thay đổi, cải chính thông tin hộ tịch", 15_000,
        exemption="Miễn lệ phí đối với việc bổ sung thông tin hộ tịch.",
    )], conditions="Trường hợp cần xác minh thì thời hạn được kéo dài thêm không quá 03 ngày làm việc.",
       result="Trích lục thay đổi, cải chính, bổ sung thông tin hộ tịch", popularity=30),
    _p("2.000635", "HT", "Cấp bản sao trích lục hộ tịch", FULL, EXTRACT_COPY_FORM, [
        form_component("Tờ khai cấp bản sao trích lục hộ tịch"),
        POWER_OF_ATTORNEY,
    ], cutoff=CUTOFF, fees=[civil_fee("Phí cấp bản sao trích lục hộ tịch", 8_000, basis=FeeBasis.PER_COPY)],
       result="Bản sao trích lục hộ tịch", popularity=70),
    _p("1.000419", "HT", "Đăng ký khai tử lưu động", PARTIAL, DEATH_FORM, [
        form_component("Tờ khai đăng ký khai tử"),
        paper("Giấy báo tử hoặc giấy tờ thay thế Giấy báo tử"),
    ], partial_reason="Công chức tư pháp - hộ tịch đến nơi cư trú của gia đình người chết để đăng ký; người đi "
       "đăng ký ký tên tại chỗ.", online=False, post=False, fees=[civil_fee(
        "Lệ phí đăng ký khai tử", 0, exemption="Miễn lệ phí đăng ký khai tử lưu động.")],
       conditions="Áp dụng khi người chết thuộc trường hợp khó khăn, không có người đi đăng ký hoặc người đi "
                  "đăng ký không thể đến trụ sở Ủy ban nhân dân xã.", result="Trích lục khai tử", popularity=1),
    _p("1.000593", "HT", "Đăng ký kết hôn lưu động", PARTIAL, MARRIAGE_FORM, [
        form_component("Tờ khai đăng ký kết hôn"),
    ], partial_reason="Công chức tư pháp - hộ tịch tổ chức đăng ký tại nơi cư trú của hai bên; hai bên phải có "
       "mặt và ký vào Sổ đăng ký kết hôn.", online=False, post=False, time_value=5, unit=WD,
       fees=[civil_fee("Lệ phí đăng ký kết hôn", 0, exemption="Miễn lệ phí đăng ký kết hôn lưu động.")],
       result="Giấy chứng nhận kết hôn", popularity=1),
    _p("1.004845", "HT", "Đăng ký chấm dứt giám hộ", FULL, GUARDIANSHIP_FORM, [
        form_component("Tờ khai đăng ký chấm dứt giám hộ"),
        paper("Giấy tờ làm căn cứ chấm dứt việc giám hộ", copies=1),
    ], time_value=2, unit=WD, fees=[civil_fee("Lệ phí đăng ký chấm dứt giám hộ", 0,
                                              exemption="Miễn lệ phí.")],
       result="Trích lục đăng ký chấm dứt giám hộ", popularity=2),
    _p("3.000323", "HT", "Đăng ký giám sát việc giám hộ", FULL, GUARDIANSHIP_FORM, [
        form_component("Tờ khai đăng ký giám sát việc giám hộ"),
        paper("Văn bản thỏa thuận cử người giám sát việc giám hộ", copies=1),
    ], time_value=3, unit=WD, result="Trích lục đăng ký giám sát việc giám hộ", popularity=1),
    _p("2.001263", "NCN", "Đăng ký nuôi con nuôi trong nước", PARTIAL, ADOPTION_FORM, [
        form_component("Đơn xin nhận con nuôi"),
        paper("Phiếu lý lịch tư pháp của người nhận con nuôi"),
        paper("Văn bản xác nhận tình trạng sức khỏe, hoàn cảnh gia đình, tình trạng chỗ ở, điều kiện kinh tế"),
        paper("Giấy khai sinh và hai ảnh toàn thân, nhìn thẳng của trẻ được giới thiệu làm con nuôi", copies=1),
    ], time_value=30, unit=DAYS, partial_reason="Cha mẹ đẻ, người nhận con nuôi và trẻ từ đủ 09 tuổi phải có mặt "
       "để Ủy ban nhân dân xã lấy ý kiến; việc giao nhận con nuôi tổ chức tại trụ sở Ủy ban nhân dân xã.",
       fees=[{"kind": FeeKind.CHARGE, "name": "Lệ phí đăng ký nuôi con nuôi trong nước", "amount": 400_000,
              "basis": FeeBasis.PER_CASE, "legal_basis": "Nghị định số 114/2016/NĐ-CP",
              "is_exemptible": True, "exemption_text": "Miễn lệ phí khi cha dượng, mẹ kế nhận con riêng của "
              "vợ, chồng; cô, cậu, dì, chú, bác ruột nhận cháu làm con nuôi; nhận trẻ khuyết tật, nhiễm "
              "HIV/AIDS làm con nuôi."}],
       law=["52/2010/QH12", "19/2011/NĐ-CP", "114/2016/NĐ-CP"], result="Giấy chứng nhận nuôi con nuôi",
       post=False, popularity=2),
    _p("2.000815", "CT", "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của Việt Nam "
       "cấp hoặc chứng nhận", PARTIAL, CERTIFIED_COPY_FORM, [
        paper("Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao",
              notes="Chỉ để đối chiếu, trả lại ngay cho người yêu cầu."),
        paper("Bản sao cần chứng thực (nếu người yêu cầu tự chuẩn bị)", copies=1, originals=0, required=False),
        form_component("Phiếu yêu cầu chứng thực bản sao", "Không bắt buộc khi nộp trực tiếp."),
    ], cutoff=CUTOFF, partial_reason=SHOW_ORIGINALS, steps=CERTIFICATION_STEPS, law=CERTIFICATION_LAW,
       fees=[
        {"kind": FeeKind.FEE, "name": "Phí chứng thực bản sao từ bản chính (trang thứ nhất và thứ hai)",
         "amount": 2_000, "basis": FeeBasis.PER_PAGE, "page_from": 1, "page_to": 2, "cap": 200_000,
         "legal_basis": "Thông tư số 226/2016/TT-BTC"},
        {"kind": FeeKind.FEE, "name": "Phí chứng thực bản sao từ bản chính (từ trang thứ ba trở lên)",
         "amount": 1_000, "basis": FeeBasis.PER_PAGE, "page_from": 3, "cap": 200_000,
         "legal_basis": "Thông tư số 226/2016/TT-BTC"},
    ], conditions="Trường hợp yêu cầu chứng thực số lượng lớn, thời hạn có thể kéo dài nhưng không quá 02 ngày "
                  "làm việc (Điều 7 Nghị định số 23/2015/NĐ-CP).", competent="Ủy ban nhân dân cấp xã",
       result="Bản sao được chứng thực từ bản chính", post=False, popularity=320, business=True),
    _p("2.000884", "CT", "Chứng thực chữ ký trong các giấy tờ, văn bản", PARTIAL, SIGNATURE_FORM, [
        paper("Giấy tờ, văn bản mà mình sẽ ký", notes="Không ký trước; ký trước mặt người thực hiện chứng thực."),
        paper("Bản chính hoặc bản sao có chứng thực giấy tờ tùy thân còn giá trị sử dụng",
              notes="Không cần nếu thông tin đã có trong Cơ sở dữ liệu quốc gia về dân cư."),
        form_component("Phiếu yêu cầu chứng thực chữ ký", "Không bắt buộc khi nộp trực tiếp."),
    ], cutoff=CUTOFF, partial_reason=SIGN_IN_FRONT, steps=CERTIFICATION_STEPS, law=CERTIFICATION_LAW,
       fees=[{"kind": FeeKind.FEE, "name": "Phí chứng thực chữ ký", "amount": 10_000, "basis": FeeBasis.PER_CASE,
              "legal_basis": "Thông tư số 226/2016/TT-BTC",
              "exemption_text": "Một trường hợp là một hoặc nhiều chữ ký trong cùng một giấy tờ, văn bản."}],
       result="Giấy tờ, văn bản được chứng thực chữ ký", post=False, popularity=140, business=True),
    _p("2.000908", "CT", "Cấp bản sao từ sổ gốc", FULL, EXTRACT_COPY_FORM, [
        form_component("Tờ khai yêu cầu cấp bản sao từ sổ gốc"),
        POWER_OF_ATTORNEY,
    ], cutoff=CUTOFF, steps=CERTIFICATION_STEPS, law=CERTIFICATION_LAW, result="Bản sao từ sổ gốc",
       popularity=20),
    _p("2.000942", "CT", "Cấp bản sao có chứng thực từ bản chính hợp đồng, giao dịch đã được chứng thực", FULL,
       CERTIFIED_COPY_FORM, [
        form_component("Phiếu yêu cầu cấp bản sao hợp đồng, giao dịch"),
        paper("Giấy tờ chứng minh là bên tham gia hợp đồng, giao dịch hoặc người được ủy quyền", copies=1),
    ], cutoff=CUTOFF, steps=CERTIFICATION_STEPS, law=CERTIFICATION_LAW, fees=[
        {"kind": FeeKind.FEE, "name": "Phí cấp bản sao có chứng thực", "amount": 2_000, "basis": FeeBasis.PER_PAGE,
         "page_from": 1, "page_to": 2, "cap": 200_000, "legal_basis": "Thông tư số 226/2016/TT-BTC"},
        {"kind": FeeKind.FEE, "name": "Phí cấp bản sao có chứng thực (từ trang thứ ba)", "amount": 1_000,
         "basis": FeeBasis.PER_PAGE, "page_from": 3, "cap": 200_000, "legal_basis": "Thông tư số 226/2016/TT-BTC"},
    ], result="Bản sao có chứng thực hợp đồng, giao dịch", popularity=10, business=True),
    _p("1.004222", "CTRU", "Đăng ký thường trú", FULL, RESIDENCE_FORM, [
        form_component("Tờ khai thay đổi thông tin cư trú (Mẫu CT01)"),
        paper("Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp", copies=1,
              notes="Không cần nếu thông tin đã có trong cơ sở dữ liệu chuyên ngành.", kind="giay-to-cho-o-hop-phap"),
        paper("Ý kiến đồng ý của chủ hộ, chủ sở hữu chỗ ở (ghi trong tờ khai hoặc văn bản riêng)",
              required=False),
    ], time_value=7, unit=WD, steps=RESIDENCE_STEPS, law=RESIDENCE_LAW, competent="Công an cấp xã",
       fees=[
        {"kind": FeeKind.CHARGE, "name": "Lệ phí đăng ký thường trú (nộp trực tiếp)", "amount": 20_000,
         "channel": FeeChannel.COUNTER,
         "legal_basis": "Thông tư số 75/2022/TT-BTC", "is_exemptible": True,
         "exemption_text": "Miễn cho trẻ em, người cao tuổi, người khuyết tật, người có công với cách mạng, hộ "
                           "nghèo và các trường hợp khác theo Điều 4 Thông tư số 75/2022/TT-BTC."},
        {"kind": FeeKind.CHARGE, "name": "Lệ phí đăng ký thường trú (nộp trực tuyến)", "amount": 10_000,
         "channel": FeeChannel.ONLINE,
         "legal_basis": "Thông tư số 75/2022/TT-BTC", "is_exemptible": True,
         "exemption_text": "Như trên."},
    ], result="Thông báo kết quả đăng ký thường trú; thông tin được cập nhật vào Cơ sở dữ liệu về cư trú",
       popularity=110),
    _p("1.004194", "CTRU", "Đăng ký tạm trú", FULL, RESIDENCE_FORM, [
        form_component("Tờ khai thay đổi thông tin cư trú (Mẫu CT01)"),
        paper("Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp", copies=1,
              notes="Hợp đồng thuê, mượn nhà hoặc giấy tờ khác.", kind="giay-to-cho-o-hop-phap"),
    ], time_value=3, unit=WD, steps=RESIDENCE_STEPS, law=RESIDENCE_LAW, competent="Công an cấp xã",
       fees=[
        {"kind": FeeKind.CHARGE, "name": "Lệ phí đăng ký tạm trú (nộp trực tiếp)", "amount": 15_000,
         "channel": FeeChannel.COUNTER,
         "legal_basis": "Thông tư số 75/2022/TT-BTC"},
        {"kind": FeeKind.CHARGE, "name": "Lệ phí đăng ký tạm trú (nộp trực tuyến)", "amount": 7_000,
         "channel": FeeChannel.ONLINE,
         "legal_basis": "Thông tư số 75/2022/TT-BTC"},
    ], result="Thông báo kết quả đăng ký tạm trú", popularity=90),
    _p("1.003197", "CTRU", "Xóa đăng ký thường trú", FULL, DEREGISTRATION_FORM, [
        form_component("Tờ khai thay đổi thông tin cư trú (Mẫu CT01)"),
        paper("Giấy tờ, tài liệu chứng minh thuộc trường hợp xóa đăng ký thường trú", copies=1),
    ], time_value=1, unit=WD, steps=RESIDENCE_STEPS, law=RESIDENCE_LAW, competent="Công an cấp xã",
       result="Thông báo kết quả xóa đăng ký thường trú", popularity=15),
    _p("1.011607", "BTXH", "Công nhận hộ nghèo, hộ cận nghèo phát sinh trong năm", PARTIAL, POOR_HOUSEHOLD_FORM, [
        form_component("Giấy đề nghị xét duyệt hộ nghèo, hộ cận nghèo"),
    ], time_value=15, unit=WD, partial_reason="Ban giảm nghèo xã đến hộ gia đình để rà soát, chấm điểm điều kiện "
       "sống; hộ gia đình cùng ký biên bản rà soát.", law=["07/2021/NĐ-CP"],
       steps="Bước 1: Hộ gia đình nộp giấy đề nghị tại Bộ phận Một cửa hoặc trực tuyến.\n"
             "Bước 2: Ban giảm nghèo xã tổ chức rà soát, thẩm định tại hộ gia đình.\n"
             "Bước 3: Chủ tịch Ủy ban nhân dân xã quyết định công nhận và cấp giấy chứng nhận.",
       result="Quyết định công nhận hộ nghèo, hộ cận nghèo và Giấy chứng nhận", popularity=6),
]


def seed() -> list[str]:
    """Create the demo catalogue; returns the codes of procedures created on this run."""
    sectors = {}
    for code, name, order in SECTORS:
        sectors[code], _ = Sector.objects.get_or_create(code=code, defaults={"name": name, "order": order})
    documents = {}
    for number, title, issued_on, issuer in LEGAL_DOCUMENTS:
        documents[number], _ = LegalDocument.objects.get_or_create(
            number=number, defaults={"title": title, "issued_on": issued_on, "issuer": issuer}
        )
    kinds = {}
    for order, (code, name, months) in enumerate(DOCUMENT_TYPES, start=1):
        kinds[code], _ = DocumentType.objects.get_or_create(
            code=code, defaults={"name": name, "validity_months": months, "order": order}
        )
    agencies = list(Agency.objects.filter(eid_code__in=DEMO_AGENCIES))
    existing = set(Procedure.objects.filter(code__in=[p["code"] for p in PROCEDURES]).values_list("code", flat=True))
    created = []
    for data in PROCEDURES:
        if data["code"] in existing:
            continue
        _seed_procedure(data, sectors, documents, agencies, kinds)
        created.append(data["code"])
    return created


def _seed_procedure(data: dict, sectors: dict, documents: dict, agencies: list[Agency], kinds: dict) -> None:
    procedure = Procedure.objects.create(code=data["code"], sector=sectors[data["sector"]])
    version = ProcedureVersion.objects.create(
        procedure=procedure, number=1, effective_from=EFFECTIVE_FROM, decision_number=DECISION,
        name=data["name"], service_level=data["service_level"], partial_reason=data["partial_reason"],
        channel_in_person=True, channel_online=data["online"], channel_post=data["post"],
        for_citizen=True, for_business=data["business"], competent_authority=data["competent"],
        steps=data["steps"], conditions=data["conditions"], result_name=data["result"],
        result_type=ResultType.BOTH, filed_for=data["filed_for"], processing_time_value=data["time_value"],
        processing_time_unit=data["unit"], cutoff_time=data["cutoff"],
        extension_max_days=data["extension_days"], extension_basis=data["extension_basis"],
        result_document_type=kinds.get(RESULT_KINDS.get(data["code"], "")),
    )
    version.receiving_agencies.set(agencies)
    version.legal_documents.set([documents[number] for number in data["law"]])
    lines = [f["label"] for f in data["form"]]
    for order, item in enumerate(data["components"], start=1):
        item = dict(item)
        wants_template = item.pop("template", False)
        item["document_type"] = kinds.get(item.pop("kind", ""))
        component = Component(version=version, order=order, **item)
        if wants_template:
            content = blank_form_docx(item["name"], lines, footer=f"Mã thủ tục: {procedure.code}")
            # One folder per procedure keeps the download name clean when two procedures share a form name.
            name = f"{procedure.code}/{item['name']}.docx"
            component.template_file.save(name, ContentFile(content), save=False)
        component.save()
    Fee.objects.bulk_create([Fee(version=version, order=i, **fee) for i, fee in enumerate(data["fees"], start=1)])
    FormField.objects.bulk_create([
        FormField(version=version, order=i, **form_field) for i, form_field in enumerate(data["form"], start=1)
    ])
    procedure_version_publish(version, effective_from=EFFECTIVE_FROM)
    Procedure.objects.filter(pk=procedure.pk).update(popularity=data["popularity"])


def bulk_catalogue(count: int, *, agencies: list[Agency] | None = None, prefix: str = "8") -> int:
    """`count` synthetic published procedures created in a handful of bulk queries (volume tests, benches).

    Every tenth one is a birth-registration variant so searches for "khai sinh" have hits at any size.
    """
    sector, _ = Sector.objects.get_or_create(code="BULK", defaults={"name": "Lĩnh vực thử tải", "order": 99})
    names = ["Đăng ký khai sinh", "Chứng thực chữ ký", "Đăng ký tạm trú", "Cấp Giấy xác nhận tình trạng hôn nhân"]
    procedures = Procedure.objects.bulk_create([
        Procedure(code=f"{prefix}.{n:06d}", sector=sector, is_published=True, popularity=n % 97)
        for n in range(count)
    ], batch_size=1000)
    if not procedures[0].pk:  # backends that do not return ids from bulk_create
        procedures = list(Procedure.objects.filter(code__startswith=f"{prefix}.").order_by("code"))
    versions = ProcedureVersion.objects.bulk_create([
        ProcedureVersion(
            procedure=procedure, number=1, status="published", effective_from=EFFECTIVE_FROM,
            name=f"{names[0] if n % 10 == 0 else names[n % 4]} (thử tải {n})",
            service_level=FULL if n % 2 else PARTIAL, processing_time_value=3,
        )
        for n, procedure in enumerate(procedures)
    ], batch_size=1000)
    if not versions[0].pk:
        versions = list(ProcedureVersion.objects.filter(procedure__code__startswith=f"{prefix}.").order_by(
            "procedure__code"))
    for procedure, version in zip(procedures, versions, strict=True):
        procedure.current_version = version
        procedure.search_text = normalize_search(f"{procedure.code} {version.name} {sector.name}")
    Procedure.objects.bulk_update(procedures, ["current_version", "search_text"], batch_size=1000)
    if agencies:
        through = ProcedureVersion.receiving_agencies.through
        through.objects.bulk_create([
            through(procedureversion_id=version.pk, agency_id=agency.pk) for version in versions for agency in agencies
        ], batch_size=1000)
    catalogue_changed()
    return count
