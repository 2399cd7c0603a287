"""Demo dossiers for `manage.py seed_demo`, in every queue of both communes.

They are made through the workflow services, so codes, events, control sheets, pauses and slips
are real. Idempotent: each demo dossier carries a fixed submit token, and one that exists is
left alone. Procedures come from procedures.demo; a missing one is skipped.
"""

from __future__ import annotations

import uuid

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.demo import DEMO_HOME, IDENTITIES
from accounts.models import Agency, Role, User
from applications import workflow
from applications.filing import attachments_add_batch
from applications.models import Dossier, InPersonStep, ResultDelivery, Status
from procedures.models import FieldType, Procedure

_NAMESPACE = uuid.UUID("6f1d3c52-1b7e-4c8f-9a51-2f0e6c9d4b10")

# (key, agency eid, procedure code, owner email or None for a walk-in, target state)
DEMO_DOSSIERS = [
    ("anphu-new", "H99.01.01", "1.004873", "citizen@example.vn", Status.SUBMITTED),
    ("anphu-completion", "H99.01.01", "1.001193", "citizen@example.vn", Status.NEEDS_COMPLETION),
    ("anphu-payment", "H99.01.01", "1.004873", "citizen2@example.vn", Status.AWAITING_PAYMENT),
    ("anphu-processing", "H99.01.01", "1.001193", "citizen@example.vn", Status.PROCESSING),
    ("anphu-supplement", "H99.01.01", "1.000894", "citizen@example.vn", Status.SUPPLEMENT_REQUESTED),
    ("anphu-approval", "H99.01.01", "1.004873", "citizen@example.vn", Status.PENDING_APPROVAL),
    ("anphu-to-return", "H99.01.01", "1.001193", "citizen2@example.vn", Status.APPROVED),
    ("anphu-returned", "H99.01.01", "1.004873", "citizen@example.vn", Status.RETURNED),
    ("anphu-walk-in", "H99.01.01", "1.000894", None, Status.RECEIVED),
    ("binhminh-new", "H99.01.02", "1.004873", "citizen2@example.vn", Status.SUBMITTED),
    ("binhminh-processing", "H99.01.02", "1.001193", "citizen@example.vn", Status.PROCESSING),
    ("binhminh-returned", "H99.01.02", "1.001193", "citizen2@example.vn", Status.RETURNED),
]

# The steps from a submitted dossier to each state (the same services the back office calls).
PATHS = {
    Status.SUBMITTED: [],
    Status.NEEDS_COMPLETION: ["request_completion"],
    Status.RECEIVED: ["receive"],
    Status.AWAITING_PAYMENT: ["receive", "request_payment"],
    Status.PROCESSING: ["receive", "transfer"],
    Status.SUPPLEMENT_REQUESTED: ["receive", "transfer", "request_supplement"],
    Status.PENDING_APPROVAL: ["receive", "transfer", "submit_for_approval"],
    Status.APPROVED: ["receive", "transfer", "submit_for_approval", "approve"],
    Status.RETURNED: ["receive", "transfer", "submit_for_approval", "approve", "return_result"],
}


# Plausible answers for the demo procedures' e-form keys, so the back office shows a realistic dossier.
DEMO_ANSWERS: dict[str, object] = {
    "child_name": "Nguyễn Minh Khôi", "child_birth_date": "2026-11-02", "child_birth_place": "Trạm y tế xã An Phú",
    "child_ethnicity": "Kinh", "child_nationality": "Việt Nam", "child_hometown": "Xã An Phú, tỉnh Hòa An",
    "mother_name": "Trần Thị Bình", "mother_birth_year": 1996, "father_name": "Nguyễn Văn An", "father_birth_year": 1994,
    "requester_name": "Nguyễn Văn An",
    "requester_email": "citizen@example.vn", "requester_phone": "0912000001",
    "subject_name": "Nguyễn Văn An", "subject_birth_date": "1994-03-15", "purpose": "Đăng ký kết hôn",
    "reason": "Bổ sung hồ sơ theo yêu cầu", "document_name": "Bằng tốt nghiệp trung học phổ thông",
    "new_address": {"province": "Ninh Bình", "commune": "Xã An Phú", "detail": "Số 12, thôn Tây"},
    "house_number": "12",
    "household_head_name": "Nguyễn Văn Bảo", "relationship_to_head": "Con", "household_size": 4,
    "death_cause": "Bệnh già", "death_time": "14 giờ 30 phút", "death_place": "Tại nhà riêng, thôn Đông, xã An Phú",
    "previous_residences": "Từ 2012 đến nay: thôn Đông, xã An Phú, tỉnh Hòa An",
    "current_content": "Họ tên: Nguyễn Văn Ann", "requested_content": "Họ tên: Nguyễn Văn An",
}


# The people the demo forms speak of, by the key prefix of their fields ("mother_id_number"…). Their ID
# numbers are fictitious but valid (a real province prefix, a G digit and year matching the birth date and
# sex), so the back office's checks and the printed result show what a real dossier shows.
# The two demo citizens (accounts.demo.IDENTITIES) are the couple: An files most demo dossiers, Bình some.
_AN = {"name": "Nguyễn Văn An", "birth_date": IDENTITIES["citizen@example.vn"]["date_of_birth"].isoformat(),
       "id_number": IDENTITIES["citizen@example.vn"]["id_number"]}
_BINH = {"name": "Trần Thị Bình", "birth_date": IDENTITIES["citizen2@example.vn"]["date_of_birth"].isoformat(),
         "id_number": IDENTITIES["citizen2@example.vn"]["id_number"]}
DEMO_PEOPLE: dict[str, dict[str, object]] = {
    "requester": _AN,
    "father": _AN,
    "husband": _AN,
    "subject": _AN,
    "recognising_parent": _AN,
    "mother": _BINH,
    "wife": _BINH,
    "spouse": {"name": "Đỗ Thị Thu", "birth_date": "1985-04-18", "id_number": "037185009012"},
    "household_head": {"name": "Nguyễn Văn Bảo", "birth_date": "1965-01-10", "id_number": "037065003456"},
    "deceased": {"name": "Nguyễn Văn Tư", "birth_date": "1940-05-02", "id_number": "037040004567"},
    "adopter": {"name": "Lê Văn Minh", "birth_date": "1985-09-09", "id_number": "037085008901"},
    "guardian": {"name": "Phạm Thị Lan", "birth_date": "1970-12-01", "id_number": "037170007890"},
    "ward": {"name": "Phạm Thị Mai", "birth_date": "2015-06-15", "id_number": "037315006789"},
}


def _person_value(key: str) -> object | None:
    """The demo person's answer for keys such as "mother_id_number", "wife_residence"."""
    for prefix, person in DEMO_PEOPLE.items():
        if not key.startswith(prefix + "_"):
            continue
        attribute = key[len(prefix) + 1:]
        if attribute in ("residence", "address"):
            return dict(DEMO_HOME)
        if attribute == "birth_year":
            return int(str(person["birth_date"])[:4])
        return person.get(attribute)
    return None


def _demo_value(field) -> object:
    if field.key in DEMO_ANSWERS:
        return DEMO_ANSWERS[field.key]
    person_value = _person_value(field.key)
    if person_value is not None:
        return person_value
    if field.field_type == FieldType.DATE:
        return "2026-11-02"
    if field.field_type in (FieldType.CHOICE, FieldType.MULTIPLE_CHOICE) and field.choices:
        value = field.choices[0].get("value", "")
        return [value] if field.field_type == FieldType.MULTIPLE_CHOICE else value
    if field.field_type == FieldType.YES_NO:
        return True
    if field.field_type == FieldType.NUMBER:
        return field.min_value or 1
    if field.field_type == FieldType.EMAIL:
        return "citizen@example.vn"
    if field.field_type == FieldType.PHONE:
        return "0912000001"
    if field.field_type == FieldType.ID_NUMBER:
        return ""  # someone the demo does not know (an optional ID): left unanswered
    if field.field_type == FieldType.ADDRESS:
        return dict(DEMO_HOME)
    return "Theo giấy tờ kèm theo"


def demo_form_data(version, owner: User | None = None) -> dict[str, object]:
    """Complete, plausible e-form answers for a demo procedure version, filed by `owner` (a demo citizen).

    The requester is the account holder, so the result names who filed; when the form is about a
    child of the couple (it asks for the mother), the requester is the child's parent.
    """
    answers = {field.key: _demo_value(field) for field in version.form_fields.all()}
    person = {"Nguyễn Văn An": _AN, "Trần Thị Bình": _BINH}.get(owner.full_name if owner else "")
    if person is not None:
        for attribute in ("name", "id_number", "birth_date"):
            if f"requester_{attribute}" in answers:
                answers[f"requester_{attribute}"] = person[attribute]
        if owner.phone and "requester_phone" in answers:
            answers["requester_phone"] = owner.phone
        if owner.email and "requester_email" in answers:
            answers["requester_email"] = owner.email
    if "requester_relationship" in answers and "mother_name" in answers:
        answers["requester_relationship"] = "cha_me"
    return answers


# Demo dossiers whose paper (component order → label) the citizen kept in "Giấy tờ của tôi" when filing.
KEPT_PAPERS = {"anphu-processing": (2, "Giấy chứng sinh (bản quét mẫu)")}


def demo_scan_pdf(label: str) -> bytes:
    """A one-page PDF standing for a scanned paper (ASCII text only: the standard Helvetica font)."""
    text = label.encode("ascii", "ignore") or b"Demo scan"
    stream = b"BT /F1 18 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>",
        b"<</Length %d>>stream\n" % len(stream) + stream + b"\nendstream",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _keep_paper(dossier: Dossier, owner: User, order: int, label: str) -> None:
    component = dossier.procedure_version.components.filter(order=order).first()
    if component is None:
        return
    scan = SimpleUploadedFile("giay-chung-sinh.pdf", demo_scan_pdf("Giay chung sinh - ban quet mau"),
                              content_type="application/pdf")
    attachments_add_batch(dossier, [(component, scan)], by=owner, keep={component.pk})


def _staff(agency: Agency, role: str) -> User | None:
    return User.objects.filter(agency=agency, role=role, is_active=True).order_by("pk").first()


def _step(step: str, dossier: Dossier, officer: User, specialist: User, leader: User) -> None:
    v = dossier.version
    calls = {
        "request_completion": lambda: workflow.dossier_request_completion(
            dossier, actor=officer, expected_version=v,
            items=["Tờ khai chưa có chữ ký của người yêu cầu", "Thiếu bản chụp giấy chứng sinh"]),
        "receive": lambda: workflow.dossier_receive(dossier, actor=officer, expected_version=v),
        "request_payment": lambda: workflow.dossier_request_payment(
            dossier, actor=officer, expected_version=v, amount=3_000, note="Lệ phí cấp Giấy xác nhận"),
        "transfer": lambda: workflow.dossier_transfer(dossier, actor=officer, expected_version=v, specialist=specialist),
        "request_supplement": lambda: workflow.dossier_request_supplement(
            dossier, actor=specialist, expected_version=v,
            items=["Bản chụp Giấy xác nhận tình trạng hôn nhân của bên nữ"]),
        "submit_for_approval": lambda: workflow.dossier_submit_for_approval(
            dossier, actor=specialist, expected_version=v, note="Đủ điều kiện, đề nghị phê duyệt"),
        "approve": lambda: workflow.dossier_approve(
            dossier, actor=leader, expected_version=v, result_summary="Đồng ý cấp theo đề nghị"),
        "return_result": lambda: workflow.dossier_return_result(
            dossier, actor=officer, expected_version=v, method=ResultDelivery.ONLINE),
    }
    calls[step]()


def seed() -> list[str]:
    """Create the demo dossiers that do not exist yet; returns their codes."""
    created: list[str] = []
    agencies = {agency.eid_code: agency for agency in Agency.objects.filter(eid_code__in=["H99.01.01", "H99.01.02"])}
    procedures = {
        p.code: p for p in Procedure.objects.filter(code__in={row[2] for row in DEMO_DOSSIERS}, current_version__isnull=False)
        .select_related("current_version")
    }
    owners = {u.email: u for u in User.objects.filter(role=Role.CITIZEN)}
    for key, eid, code, owner_email, target in DEMO_DOSSIERS:
        token = uuid.uuid5(_NAMESPACE, key)
        agency, procedure = agencies.get(eid), procedures.get(code)
        owner = owners.get(owner_email) if owner_email else None
        officer, specialist, leader = (_staff(agency, role) for role in (Role.OFFICER, Role.SPECIALIST, Role.LEADER)) \
            if agency else (None, None, None)
        if Dossier.objects.filter(submit_token=token).exists() or None in (agency, procedure, officer, specialist, leader):
            continue
        if owner_email and owner is None:
            continue
        version = procedure.current_version
        person = owner.full_name if owner else "Trần Văn Khách"
        dossier = Dossier.objects.create(
            procedure_version=version, agency=agency, owner=owner, applicant_name=person, subject_name=person,
            applicant_phone=(owner.phone or "") if owner else "0912000099",
            applicant_email=(owner.email or "") if owner else "",
            applicant_address="Thôn Đông, xã An Phú, tỉnh Hòa An",
            form_data=demo_form_data(version, owner),
        )
        if owner is not None and key in KEPT_PAPERS:
            _keep_paper(dossier, owner, *KEPT_PAPERS[key])
        workflow.dossier_submit(dossier, actor=owner or officer, submit_token=token)
        for step in PATHS[target]:
            _step(step, dossier, officer, specialist, leader)
        if key == "anphu-walk-in":
            workflow.dossier_record_in_person_step(dossier, actor=officer, kind=InPersonStep.ORIGINALS_CHECKED,
                                                   note="Đã đối chiếu bản chính căn cước của hai bên")
        created.append(dossier.code)
    return created
