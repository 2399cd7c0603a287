""""Giấy tờ của tôi": what is in the store, who may open it, and what may be deleted."""

import hashlib

import pytest

from django.urls import reverse

from applications.filing import attachments_add_batch
from applications.models import Attachment
from tests.applications.filing.builders import draft_for, pdf_bytes, upload
from tests.docstore.builders import RESULT_PDF, filed_with_kept_paper, returned_with_result

pytestmark = pytest.mark.django_db
KEPT = pdf_bytes().replace(b"%%EOF", b"% kept copy\n%%EOF")


@pytest.fixture
def store(citizen, commune, version):
    dossier, result = returned_with_result(version, commune, citizen)
    filed = filed_with_kept_paper(version, commune, citizen, KEPT)
    kept = Attachment.objects.get(dossier=filed, in_store=True)
    return {"result": result, "kept": kept, "dossier": dossier, "filed": filed}


def test_the_store_lists_results_and_kept_papers_with_kind_issuer_validity_and_dossier(
    client, citizen, commune, store, django_assert_max_num_queries,
):
    client.force_login(citizen)
    with django_assert_max_num_queries(6):
        page = client.get(reverse("docstore:my-documents")).content.decode()
    assert "Giấy khai sinh" in page  # the kind, for both the result and the kept copy
    assert commune.name in page  # the issuer of the result
    assert store["dossier"].code in page and store["filed"].code in page
    assert "Kết quả do cơ quan nhà nước cấp" in page
    assert "Không thời hạn" in page
    assert reverse("docstore:download", args=["result", store["result"].pk]) in page
    assert reverse("docstore:download", args=["file", store["kept"].pk]) in page


def test_the_query_count_does_not_grow_with_the_number_of_documents(
    client, citizen, commune, version, store, django_assert_max_num_queries,
):
    for n in range(5):
        returned_with_result(version, commune, citizen, content=RESULT_PDF + str(n).encode())
        filed_with_kept_paper(version, commune, citizen, KEPT + str(n).encode())
    client.force_login(citizen)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("docstore:my-documents"))
    assert response.content.decode().count("Tải về") == 12


def test_papers_of_a_draft_or_not_kept_are_not_in_the_store(client, citizen, commune, version):
    draft = draft_for(version, commune, citizen)
    component = version.components.get(order=2)
    attachments_add_batch(draft, [(component, upload("a.pdf", KEPT))], by=citizen, keep={component.pk})
    client.force_login(citizen)
    page = client.get(reverse("docstore:my-documents")).content.decode()
    assert "Kho chưa có giấy tờ nào" in page


def test_the_owner_downloads_the_result_and_the_kept_paper_byte_for_byte(client, citizen, store):
    client.force_login(citizen)
    result = client.get(reverse("docstore:download", args=["result", store["result"].pk]))
    kept = client.get(reverse("docstore:download", args=["file", store["kept"].pk]))
    assert result.status_code == kept.status_code == 200
    assert hashlib.sha256(b"".join(result.streaming_content)).hexdigest() == store["result"].sha256
    assert b"".join(kept.streaming_content) == KEPT
    assert result["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("who", ["other_citizen", "officer", None])
def test_nobody_else_opens_a_stored_paper_not_even_the_issuing_communes_officer(client, request, store, who):
    if who:
        client.force_login(request.getfixturevalue(who))
    for source, item in (("result", store["result"]), ("file", store["kept"])):
        response = client.get(reverse("docstore:download", args=[source, item.pk]))
        assert response.status_code in (302, 403, 404)
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("accounts:login"))


def test_a_state_issued_result_cannot_be_deleted(client, citizen, store):
    client.force_login(citizen)
    url = reverse("docstore:delete", args=["result", store["result"].pk])
    assert "không xóa được" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert "được lưu giữ trong kho, không xóa được" in response.content.decode()
    page = client.get(reverse("docstore:my-documents")).content.decode()
    assert reverse("docstore:download", args=["result", store["result"].pk]) in page


def test_deleting_a_kept_paper_takes_it_out_of_the_store_but_not_out_of_the_dossier(client, citizen, store):
    client.force_login(citizen)
    response = client.post(reverse("docstore:delete", args=["file", store["kept"].pk]), follow=True)
    assert "Đã xóa giấy tờ khỏi kho" in response.content.decode()
    store["kept"].refresh_from_db()
    assert store["kept"].in_store is False
    assert store["kept"].file.storage.exists(store["kept"].file.name)  # the agency's record keeps its copy
    assert client.get(reverse("docstore:download", args=["file", store["kept"].pk])).status_code == 404


def test_another_citizen_cannot_delete(client, other_citizen, store):
    client.force_login(other_citizen)
    assert client.post(reverse("docstore:delete", args=["file", store["kept"].pk])).status_code == 404
    store["kept"].refresh_from_db()
    assert store["kept"].in_store is True


def test_a_paper_kept_twice_is_listed_once(client, citizen, commune, version, store):
    filed_with_kept_paper(version, commune, citizen, KEPT)
    client.force_login(citizen)
    page = client.get(reverse("docstore:my-documents")).content.decode()
    assert page.count("Tải về") == 2


def test_a_paper_can_be_kept_after_filing_by_its_owner_only(client, citizen, other_citizen, store):
    declaration = Attachment.objects.get(dossier=store["filed"], in_store=False)
    url = reverse("docstore:keep", args=[declaration.pk])
    client.force_login(citizen)
    detail = client.get(reverse("applications:dossier", args=[store["filed"].code])).content.decode()
    assert url in detail
    client.force_login(other_citizen)
    assert client.post(url).status_code == 404
    declaration.refresh_from_db()
    assert not declaration.in_store
    client.force_login(citizen)
    assert client.get(url).status_code == 405  # a change only by POST (CSRF-protected)
    client.post(url)
    declaration.refresh_from_db()
    assert declaration.in_store
    assert reverse("docstore:download", args=["file", declaration.pk]) in client.get(
        reverse("docstore:my-documents")).content.decode()


def test_a_draft_paper_cannot_be_kept_before_filing(client, citizen, commune, version):
    draft = draft_for(version, commune, citizen)
    component = version.components.get(order=2)
    page = attachments_add_batch(draft, [(component, upload("a.pdf", KEPT))], by=citizen)[0]
    client.force_login(citizen)
    assert client.post(reverse("docstore:keep", args=[page.pk])).status_code == 404
