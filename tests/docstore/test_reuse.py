"""Reuse when filing: the store offers papers of the kind a component asks for; choosing one
attaches a copy of its bytes without an upload, flagged reused, and the officer sees from where."""

import hashlib
import uuid

import pytest

from django.urls import reverse

from applications.filing import dossier_missing
from applications.models import Attachment, Channel, Status
from procedures.models import Component
from tests.applications.filing.builders import draft_for, make_complete, pdf_bytes, upload
from tests.docstore.builders import RESULT_PDF, document_types, filed_with_kept_paper, returned_with_result
from tests.factories import make_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def result(citizen, commune, version):
    return returned_with_result(version, commune, citizen)[1]


@pytest.fixture
def draft(citizen, commune, version):
    return make_complete(draft_for(version, commune, citizen), citizen)


def _choose(client, url, component, source, item):
    return client.post(url, {"component": component.pk, "source": source, "item": item.pk})


def test_the_filing_step_links_to_the_offers_and_the_offers_page_lists_matching_papers(
    client, citizen, draft, result, version, django_assert_max_num_queries,
):
    client.force_login(citizen)
    step = client.get(reverse("applications:draft-attachments", args=[draft.pk])).content.decode()
    assert reverse("docstore:reuse", args=[draft.pk]) in step
    with django_assert_max_num_queries(9):
        page = client.get(reverse("docstore:reuse", args=[draft.pk])).content.decode()
    assert "Bản sao Giấy khai sinh" in page and "Dùng giấy tờ này" in page
    assert f'name="item" value="{result.pk}"' in page


def test_the_offers_page_query_count_does_not_grow_with_the_store(
    client, citizen, commune, version, draft, django_assert_max_num_queries,
):
    for n in range(6):
        returned_with_result(version, commune, citizen, content=RESULT_PDF + str(n).encode())
    client.force_login(citizen)
    with django_assert_max_num_queries(9):
        page = client.get(reverse("docstore:reuse", args=[draft.pk])).content.decode()
    assert page.count("Dùng giấy tờ này") == 6


def test_choosing_a_result_attaches_a_copy_flagged_reused_without_an_upload(client, citizen, draft, result, version):
    component = version.components.get(order=2)
    client.force_login(citizen)
    response = _choose(client, reverse("docstore:reuse", args=[draft.pk]), component, "result", result)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#component-{component.pk}")
    attachment = Attachment.objects.get(dossier=draft, component=component)
    assert attachment.reused_from_document == result and attachment.is_reused
    assert attachment.sha256 == result.sha256
    with attachment.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == result.sha256
    assert attachment.file.name != result.file.name  # its own copy: deleting the draft never touches the result
    step = client.get(reverse("applications:draft-attachments", args=[draft.pk])).content.decode()
    assert "tái sử dụng" in step


def test_a_reused_paper_counts_for_a_required_component(client, citizen, commune, version, result):
    draft = make_complete(draft_for(version, commune, citizen), citizen)
    Component.objects.filter(version=version, order=2).update(is_required=True)
    component = version.components.get(order=2)
    assert any("Bản sao Giấy khai sinh" in problem for problem in dossier_missing(draft, check_consent=False))
    client.force_login(citizen)
    _choose(client, reverse("docstore:reuse", args=[draft.pk]), component, "result", result)
    assert dossier_missing(draft, check_consent=False) == []


def test_a_kept_paper_of_an_earlier_dossier_is_offered_and_reused(client, citizen, commune, version, draft):
    earlier = filed_with_kept_paper(version, commune, citizen, pdf_bytes() + b"% kept\n")
    kept = Attachment.objects.get(dossier=earlier, in_store=True)
    component = version.components.get(order=2)
    client.force_login(citizen)
    _choose(client, reverse("docstore:reuse", args=[draft.pk]), component, "file", kept)
    copy = Attachment.objects.get(dossier=draft, component=component)
    assert copy.reused_from == kept and copy.sha256 == kept.sha256


def test_the_same_paper_is_not_attached_twice(client, citizen, draft, result, version):
    component = version.components.get(order=2)
    client.force_login(citizen)
    url = reverse("docstore:reuse", args=[draft.pk])
    _choose(client, url, component, "result", result)
    response = _choose(client, url, component, "result", result)
    assert "đã có trong thành phần hồ sơ" in client.get(response["Location"]).content.decode()
    assert Attachment.objects.filter(dossier=draft, component=component).count() == 1


def test_only_papers_of_the_kind_asked_for_and_still_valid_are_offered(client, citizen, commune, draft, version):
    from datetime import timedelta

    from django.utils import timezone

    from tests.docstore.builders import typed_procedure

    marital = typed_procedure(commune, name="Xác nhận tình trạng hôn nhân", result_type="marital")
    _dossier, expired = returned_with_result(marital, commune, citizen, issued_at=timezone.now() - timedelta(days=200))
    Component.objects.filter(version=version, order=1).update(document_type=document_types()["marital"])
    client.force_login(citizen)
    page = client.get(reverse("docstore:reuse", args=[draft.pk])).content.decode()
    assert f'value="{expired.pk}"' not in page  # 6 months' validity has run out
    assert "Chưa có giấy tờ cùng loại còn hiệu lực" in page


def test_someone_elses_paper_cannot_be_reused(client, other_citizen, commune, version, result):
    draft = make_complete(draft_for(version, commune, other_citizen), other_citizen)
    component = version.components.get(order=2)
    client.force_login(other_citizen)
    response = _choose(client, reverse("docstore:reuse", args=[draft.pk]), component, "result", result)
    assert response.status_code == 404
    assert not Attachment.objects.filter(dossier=draft).exclude(component__order=1).exists()


def test_a_component_of_another_procedure_is_refused(client, citizen, commune, draft, result):
    from tests.docstore.builders import typed_procedure

    other = typed_procedure(commune).components.get(order=2)
    client.force_login(citizen)
    response = _choose(client, reverse("docstore:reuse", args=[draft.pk]), other, "result", result)
    assert "không hợp lệ" in client.get(response["Location"]).content.decode()
    assert not Attachment.objects.filter(dossier=draft, reused_from_document=result).exists()


def test_a_submitted_dossier_takes_no_more_reused_papers(client, citizen, draft, result, version):
    from applications.filing import dossier_file

    dossier_file(draft, actor=citizen, submit_token=uuid.uuid4(), consent=True)
    component = version.components.get(order=2)
    client.force_login(citizen)
    _choose(client, reverse("docstore:reuse", args=[draft.pk]), component, "result", result)
    assert not Attachment.objects.filter(dossier=draft, component=component).exists()


def test_guided_filing_offers_the_applicants_store_only_and_the_officer_sees_it_reused(
    client, officer, other_officer, citizen, other_citizen, commune, version, result,
):
    returned_with_result(version, commune, other_citizen, content=RESULT_PDF + b"other")
    guided = make_dossier(version, commune, citizen, status=Status.DRAFT, filed_by=officer, channel=Channel.IN_PERSON)
    make_complete(guided, officer)
    component = version.components.get(order=2)
    url = reverse("docstore:guided-reuse", args=[guided.pk])
    client.force_login(other_officer)
    assert client.get(url).status_code == 404
    assert _choose(client, url, component, "result", result).status_code == 404
    client.force_login(officer)
    page = client.get(url).content.decode()
    assert page.count("Dùng giấy tờ này") == 1  # the applicant's result, never another citizen's
    _choose(client, url, component, "result", result)
    copy = Attachment.objects.get(dossier=guided, component=component)
    assert copy.reused_from_document == result and not copy.is_digitised
    from applications.filing import guided_file

    guided_file(guided, officer=officer, submit_token=uuid.uuid4(), receive_now=False)
    guided.refresh_from_db()
    detail = client.get(reverse("applications:officer-dossier", args=[guided.code])).content.decode()
    assert "tái sử dụng" in detail and result.number in detail


def test_a_walk_in_without_an_account_has_no_store(client, officer, commune, version, result):
    guided = make_dossier(version, commune, None, status=Status.DRAFT, filed_by=officer, channel=Channel.IN_PERSON)
    client.force_login(officer)
    assert "Dùng giấy tờ này" not in client.get(reverse("docstore:guided-reuse", args=[guided.pk])).content.decode()
    step = client.get(reverse("applications:guided-attachments", args=[guided.pk])).content.decode()
    assert reverse("docstore:guided-reuse", args=[guided.pk]) not in step


def test_keep_chosen_at_upload_puts_the_paper_in_the_store_once_filed(client, citizen, commune, version):
    draft = make_complete(draft_for(version, commune, citizen), citizen)
    component = version.components.get(order=2)
    client.force_login(citizen)
    client.post(reverse("applications:draft-attachments", args=[draft.pk]), {
        "upload": component.pk, f"c{component.pk}-files": [upload("ks.pdf", pdf_bytes() + b"% mine\n")],
        f"c{component.pk}-keep": "on",
    })
    kept = Attachment.objects.get(dossier=draft, component=component)
    assert kept.in_store
    assert not Attachment.objects.get(dossier=draft, component__order=1).in_store  # not chosen
    assert "Kho chưa có giấy tờ nào" in client.get(reverse("docstore:my-documents")).content.decode()
    from applications.filing import dossier_file

    dossier_file(draft, actor=citizen, submit_token=uuid.uuid4(), consent=True)
    page = client.get(reverse("docstore:my-documents")).content.decode()
    assert reverse("docstore:download", args=["file", kept.pk]) in page


def test_removing_the_source_page_from_a_dossier_sent_back_keeps_the_reuse_flag(client, citizen, commune, version):
    from applications.filing import attachment_remove
    from applications.models import Dossier as DossierModel

    earlier = filed_with_kept_paper(version, commune, citizen, pdf_bytes() + b"% kept\n")
    kept = Attachment.objects.get(dossier=earlier, in_store=True)
    draft = make_complete(draft_for(version, commune, citizen), citizen)
    client.force_login(citizen)
    _choose(client, reverse("docstore:reuse", args=[draft.pk]), version.components.get(order=2), "file", kept)
    DossierModel.objects.filter(pk=earlier.pk).update(status=Status.NEEDS_COMPLETION)
    earlier.refresh_from_db()
    attachment_remove(kept, by=citizen)  # no ProtectedError: the copy stands on its own
    copy = Attachment.objects.get(dossier=draft, component__order=2)
    assert copy.is_reused and copy.reused_from is None
