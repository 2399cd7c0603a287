import json

import pytest

from django.core.management import CommandError, call_command

from procedures.models import Component, Fee, FormField, LegalDocument, Procedure, ProcedureVersion, Sector
from procedures.transfer import CatalogueError, catalogue_export, catalogue_import

pytestmark = pytest.mark.django_db


def _counts():
    return [model.objects.count() for model in (Sector, LegalDocument, Procedure, ProcedureVersion, Component,
                                                Fee, FormField)]


def _strip_ids(data):
    return json.loads(json.dumps(data))


def test_export_then_import_into_an_empty_catalogue_restores_everything(catalogue, tmp_path):
    path = tmp_path / "catalogue.json"
    call_command("export_procedures", str(path), verbosity=0)
    exported = json.loads(path.read_text(encoding="utf-8"))
    before = _counts()
    for model in (Component, Fee, FormField):
        model.objects.all().delete()
    Procedure.objects.update(current_version=None)
    ProcedureVersion.objects.all().delete()
    Procedure.objects.all().delete()
    Sector.objects.all().delete()
    LegalDocument.objects.all().delete()

    call_command("import_procedures", str(path), verbosity=0)

    assert _counts() == before
    assert _strip_ids(catalogue_export()) == exported
    birth = Procedure.objects.get(code="1.001193")
    assert birth.is_published and birth.current_version.name == "Đăng ký khai sinh"
    assert birth.search_text.startswith("1.001193 dang ky khai sinh")
    template = birth.current_version.components.exclude(template_file="").get()
    assert template.template_file.read()[:2] == b"PK"


def test_fee_channels_and_conditions_travel_with_the_catalogue(catalogue):
    data = catalogue_export()
    residence = next(p for p in data["procedures"] if p["code"] == "1.004222")
    birth = next(p for p in data["procedures"] if p["code"] == "1.001193")
    assert sorted(fee["channel"] for fee in residence["versions"][0]["fees"]) == ["counter", "online"]
    birth_fee = birth["versions"][0]["fees"][0]
    assert (birth_fee["condition"], birth_fee["condition_field"], birth_fee["condition_days"]) == (
        "late_registration", "child_birth_date", 60)
    Fee.objects.update(channel="any", condition="", condition_field="", condition_days=None)
    Procedure.objects.update(current_version=None)
    for model in (Component, Fee, FormField):
        model.objects.all().delete()
    ProcedureVersion.objects.all().delete()
    Procedure.objects.all().delete()

    catalogue_import(data)

    imported = Fee.objects.filter(version__procedure__code="1.004222")
    assert sorted(imported.values_list("channel", "amount")) == [("counter", 20_000), ("online", 10_000)]
    assert Fee.objects.get(version__procedure__code="1.001193").condition_days == 60


def test_importing_the_same_file_again_changes_nothing(catalogue):
    data = catalogue_export()
    before = _counts()

    catalogue_import(data)

    assert _counts() == before
    assert catalogue_export() == data


def test_export_writes_json_to_stdout_when_no_file_is_given(catalogue, capsys):
    call_command("export_procedures")

    data = json.loads(capsys.readouterr().out)
    assert data["format"] == "dvc-catalogue"
    assert len(data["procedures"]) >= 20


def test_a_bad_record_is_named_by_position_and_field_and_nothing_is_imported(catalogue, tmp_path):
    data = catalogue_export()
    data["sectors"].append({"code": "MOI", "name": "Lĩnh vực mới", "order": 9})
    data["procedures"][0]["code"] = "9.000001"
    data["procedures"][3]["versions"][0]["fees"][0]["amount"] = -5
    data["procedures"][2]["versions"][0]["service_level"] = "level4"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    before = _counts()

    with pytest.raises(CommandError) as error:
        call_command("import_procedures", str(path), verbosity=0)

    message = str(error.value)
    assert "procedures[3].versions[0].fees[0].amount: phải là số nguyên không âm" in message
    assert "procedures[2].versions[0].service_level: phải là một trong: full, partial" in message
    assert _counts() == before
    assert not Sector.objects.filter(code="MOI").exists()
    assert not Procedure.objects.filter(code="9.000001").exists()


@pytest.mark.parametrize(("change", "expected"), [
    (lambda d: d["procedures"][0].update(sector="KHONG_CO"), "procedures[0].sector: không có lĩnh vực mã"),
    (lambda d: d["procedures"][1]["versions"][0].update(effective_from="31/12/2025"),
     "procedures[1].versions[0].effective_from: phải là ngày dạng YYYY-MM-DD"),
    (lambda d: d["procedures"][0]["versions"][0]["components"][0].update(
        template={"name": "a.docx", "content_base64": "%%%"}),
     "procedures[0].versions[0].components[0].template.content_base64"),
    (lambda d: d["procedures"][0]["versions"][0]["components"][0].update(
        template={"name": "../../etc/passwd", "content_base64": ""}),
     "procedures[0].versions[0].components[0].template.name: tên tệp không hợp lệ"),
    (lambda d: d["procedures"][0]["versions"][0]["form_fields"][0].update(field_type="slider"),
     "procedures[0].versions[0].form_fields[0].field_type"),
    (lambda d: d["procedures"][0]["versions"][0]["receiving_agencies"].append("H00.99"),
     "procedures[0].versions[0].receiving_agencies[2]: không có cơ quan mã 'H00.99'"),
    (lambda d: d["procedures"][1].update(code=d["procedures"][0]["code"]), "procedures[1].code: trùng mã thủ tục"),
    (lambda d: d["legal_documents"][0].update(title=""), "legal_documents[0].title: bắt buộc"),
    (lambda d: d.update(procedures="nope"), "procedures: phải là một danh sách"),
    (lambda d: d.update(format="other"), "format:"),
    (lambda d: d["procedures"][0]["versions"][0]["fees"][0].update(channel="zalo"),
     "procedures[0].versions[0].fees[0].channel: phải là một trong: any, online, counter"),
    (lambda d: d["procedures"][0]["versions"][0]["fees"][0].update(condition="late_registration", condition_field=""),
     "procedures[0].versions[0].fees[0].condition: đăng ký quá hạn cần condition_field và condition_days"),
])
def test_each_kind_of_bad_record_is_reported(catalogue, change, expected):
    data = catalogue_export()
    change(data)
    before = _counts()

    with pytest.raises(CatalogueError) as error:
        catalogue_import(data)

    assert any(expected in line for line in error.value.errors), error.value.errors
    assert _counts() == before


def test_a_file_that_is_not_json_is_refused(tmp_path, db):
    path = tmp_path / "x.json"
    path.write_text("{not json", encoding="utf-8")

    with pytest.raises(CommandError, match="Không đọc được tệp"):
        call_command("import_procedures", str(path), verbosity=0)


def _small_catalogue(**overrides) -> dict:
    """One record of every kind; `overrides` maps a dotted path (as errors name it) to a value."""
    data = {
        "format": "dvc-catalogue", "format_version": 1,
        "sectors": [{"code": "HT", "name": "Hộ tịch", "order": 1}],
        "legal_documents": [{"number": "04/2020/TT-BTP", "title": "Thông tư hộ tịch", "issued_on": "2020-05-28",
                             "issuer": "Bộ Tư pháp"}],
        "procedures": [{
            "code": "1.001193", "sector": "HT", "implementing_level": "commune", "is_published": True,
            "current_version": 1,
            "versions": [{
                "number": 1, "status": "published", "effective_from": "2025-07-01", "service_level": "full",
                "name": "Đăng ký khai sinh", "decision_number": "QĐ 1/2025", "competent_authority": "UBND xã",
                "coordinating_agencies": "", "result_name": "Giấy khai sinh", "legal_documents": ["04/2020/TT-BTP"],
                "components": [{"order": 1, "name": "Tờ khai", "originals": 1, "copies": 0,
                                "template": {"name": "to-khai.docx", "content_base64": "UEs="}}],
                "fees": [{"order": 1, "kind": "le_phi", "name": "Lệ phí", "amount": 0, "legal_basis": "NQ 1"}],
                "form_fields": [{"section": "Người được khai sinh", "order": 1, "key": "child_name",
                                 "label": "Họ, chữ đệm, tên", "field_type": "text", "label_en": "", "help_text": "",
                                 "help_text_en": "", "pattern": "", "pattern_message": ""}],
            }],
        }],
    }
    for path, value in overrides.items():
        *parents, last = path.replace("]", "").replace("[", ".").split(".")
        target = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[last] = value
    return data


def _limit(model, name: str) -> int:
    return model._meta.get_field(name).max_length


V = "procedures[0].versions[0]"
TEXT_FIELDS = [
    ("sectors[0].code", Sector, "code"), ("sectors[0].name", Sector, "name"),
    ("legal_documents[0].number", LegalDocument, "number"), ("legal_documents[0].title", LegalDocument, "title"),
    ("legal_documents[0].issuer", LegalDocument, "issuer"),
    ("procedures[0].code", Procedure, "code"),
    *[(f"{V}.{name}", ProcedureVersion, name) for name in (
        "decision_number", "name", "competent_authority", "coordinating_agencies", "result_name")],
    (f"{V}.components[0].name", Component, "name"),
    (f"{V}.fees[0].name", Fee, "name"), (f"{V}.fees[0].legal_basis", Fee, "legal_basis"),
    *[(f"{V}.form_fields[0].{name}", FormField, name) for name in (
        "section", "key", "label", "label_en", "help_text", "help_text_en", "pattern", "pattern_message")],
]
# Keys that other records refer to must change together.
LINKED = {"sectors[0].code": ["procedures[0].sector"], "legal_documents[0].number": [f"{V}.legal_documents"]}


def _with_value(path: str, value: str) -> dict:
    overrides = {path: value}
    for other in LINKED.get(path, []):
        overrides[other] = [value] if other.endswith("legal_documents") else value
    return _small_catalogue(**overrides)


@pytest.mark.parametrize(("path", "model", "name"), TEXT_FIELDS, ids=[path for path, _m, _n in TEXT_FIELDS])
def test_a_value_one_character_too_long_is_named_and_nothing_is_imported(db, path, model, name):
    limit = _limit(model, name)

    with pytest.raises(CatalogueError) as error:
        catalogue_import(_with_value(path, "x" * (limit + 1)))

    assert f"{path}: dài quá {limit} ký tự" in error.value.errors
    assert _counts() == [0] * 7


@pytest.mark.parametrize(("path", "model", "name"), TEXT_FIELDS, ids=[path for path, _m, _n in TEXT_FIELDS])
def test_a_value_of_exactly_the_column_length_is_imported_into_postgresql(db, path, model, name):
    catalogue_import(_with_value(path, "x" * _limit(model, name)))

    assert _counts() == [1] * 7


def test_a_blank_form_name_must_leave_room_for_its_folder_in_the_file_column(db):
    column = Component._meta.get_field("template_file").max_length
    room = column - len("procedure_templates/1.001193/")
    path = f"{V}.components[0].template"

    with pytest.raises(CatalogueError) as error:
        catalogue_import(_small_catalogue(**{path: {"name": "x" * (room - 4) + ".docx", "content_base64": "UEs="}}))

    assert f"{path}.name: dài quá {room} ký tự" in error.value.errors
    assert _counts() == [0] * 7
    catalogue_import(_small_catalogue(**{path: {"name": "x" * (room - 5) + ".docx", "content_base64": "UEs="}}))
    assert Component.objects.get().template_file.name == "procedure_templates/1.001193/" + "x" * (room - 5) + ".docx"


def test_document_types_travel_with_the_catalogue_so_stored_papers_still_match(catalogue):
    from procedures.models import DocumentType

    exported = _strip_ids(catalogue_export())
    marital = next(t for t in exported["document_types"] if t["code"] == "xac-nhan-tinh-trang-hon-nhan")
    assert marital["validity_months"] == 6
    for model in (Component, Fee, FormField):
        model.objects.all().delete()
    Procedure.objects.update(current_version=None)
    ProcedureVersion.objects.all().delete()
    Procedure.objects.all().delete()
    DocumentType.objects.all().delete()

    catalogue_import(json.loads(json.dumps(exported)))

    assert _strip_ids(catalogue_export()) == exported
    version = Procedure.objects.get(code="1.004873").current_version
    assert version.result_document_type.code == "xac-nhan-tinh-trang-hon-nhan"
    marriage = Procedure.objects.get(code="1.000894").current_version
    assert marriage.components.get(order=2).document_type == version.result_document_type


def test_an_unknown_document_type_code_is_named_and_nothing_is_imported(catalogue):
    data = _strip_ids(catalogue_export())
    data["procedures"][0]["versions"][0]["components"][0]["document_type"] = "khong-co"
    data["procedures"][0]["versions"][0]["result_document_type"] = "cung-khong-co"
    before = _counts()
    with pytest.raises(CatalogueError) as caught:
        catalogue_import(data)
    assert "procedures[0].versions[0].components[0].document_type: không có loại giấy tờ mã 'khong-co'" in caught.value.errors
    assert "procedures[0].versions[0].result_document_type: không có loại giấy tờ mã 'cung-khong-co'" in caught.value.errors
    assert _counts() == before
