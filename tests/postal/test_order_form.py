"""The officer's postal order page: clear Vietnamese errors and nothing ordered on bad input; only the
dossier's own commune; a query budget."""

from __future__ import annotations

import pytest

from django.urls import reverse

from applications import workflow
from applications.models import ResultDelivery, Status
from postal.models import PostalOrder
from tests.postal.conftest import ADDRESS

pytestmark = pytest.mark.django_db


def _form(dossier, **changes) -> dict:
    return {"expected_version": dossier.version, "recipient_name": "Nguyễn Văn An", "recipient_phone": "0912 000 001",
            "address": ADDRESS, "province": "Lâm Đồng", "commune": "xa don duong", "weight_grams": 100, **changes}


@pytest.mark.parametrize(("field", "value", "message"), [
    ("recipient_phone", "12345", "Số điện thoại không hợp lệ"),
    ("recipient_phone", "+1 415 555 0100", "Số điện thoại không hợp lệ"),
    ("weight_grams", 0, "Khối lượng bưu gửi phải từ 1 đến 2000 gam"),
    ("weight_grams", 5000, "Khối lượng bưu gửi phải từ 1 đến 2000 gam"),
    ("address", "A", "Vui lòng nhập đầy đủ địa chỉ nhận"),
    ("commune", "Xã Không Có", "Không tìm thấy xã, phường “Xã Không Có” thuộc Lâm Đồng"),
    ("recipient_name", "   ", "Trường này là bắt buộc"),
])
def test_bad_input_is_refused_with_a_clear_error_and_nothing_is_ordered(client, approved, officer, field, value,
                                                                        message):
    client.force_login(officer)

    response = client.post(reverse("postal:order", args=[approved.code]), _form(approved, **{field: value}))

    assert response.status_code == 400
    assert message in response.content.decode()
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED and not PostalOrder.objects.exists()


def test_a_valid_order_normalises_the_phone_and_sends_the_result_by_post(client, approved, officer):
    client.force_login(officer)

    response = client.post(reverse("postal:order", args=[approved.code]), _form(approved))

    assert response.status_code == 302
    order = PostalOrder.objects.get()
    assert order.recipient_phone == "0912000001" and order.reference == f"KQ-{approved.pk:010d}"
    approved.refresh_from_db()
    assert approved.status == Status.SENT_BY_POST


def test_a_citizen_who_did_not_choose_post_cannot_get_a_parcel(client, approved, officer):
    approved.result_delivery = ResultDelivery.ONLINE
    approved.save()
    client.force_login(officer)

    page = client.get(reverse("postal:order", args=[approved.code])).content.decode()
    response = client.post(reverse("postal:order", args=[approved.code]), _form(approved))

    assert "data-postal-form" not in page
    assert response.status_code == 409
    assert "không đăng ký nhận kết quả qua bưu chính" in response.content.decode()
    assert not PostalOrder.objects.exists()


def test_a_stale_page_orders_nothing(client, approved, officer):
    client.force_login(officer)

    response = client.post(reverse("postal:order", args=[approved.code]), _form(approved, expected_version=99))

    assert response.status_code == 409 and not PostalOrder.objects.exists()


def test_a_specialist_cannot_order(client, approved, specialist):
    client.force_login(specialist)

    response = client.post(reverse("postal:order", args=[approved.code]), _form(approved))

    assert response.status_code == 403 and not PostalOrder.objects.exists()


def test_the_officer_dossier_page_links_to_the_postal_order(client, approved, officer):
    client.force_login(officer)

    page = client.get(reverse("applications:officer-dossier", args=[approved.code])).content.decode()

    assert reverse("postal:order", args=[approved.code]) in page


def test_the_order_page_stays_within_its_query_budget(client, approved, officer, django_assert_max_num_queries):
    client.force_login(officer)
    client.post(reverse("postal:order", args=[approved.code]), _form(approved))

    with django_assert_max_num_queries(14):
        response = client.get(reverse("postal:order", args=[approved.code]))
    assert response.status_code == 200


@pytest.mark.parametrize(("destination", "weight", "amount"), [
    ("Lâm Đồng", 100, 13_000), ("Lâm Đồng", 250, 13_000), ("Lâm Đồng", 251, 20_000),
    ("Cà Mau", 100, 18_000), ("Cà Mau", 2000, 30_000),
])
def test_the_postage_is_quoted_from_the_tariff_by_zone_and_weight_band(client, approved, officer, destination, weight,
                                                                      amount):
    client.force_login(officer)

    response = client.post(reverse("postal:order", args=[approved.code]),
                           _form(approved, province=destination, weight_grams=weight,
                                 commune="Phường An Xuyên" if destination == "Cà Mau" else "Xã Đơn Dương"))

    assert response.status_code == 302
    order = PostalOrder.objects.get()
    assert order.postage_amount == amount and order.province == destination and not order.postage_paid_by_agency


def test_a_weight_outside_the_tariff_orders_nothing(client, approved, officer):
    from procedures.models import PostageRate

    PostageRate.objects.filter(weight_from=250).delete()  # the tariff now stops at 250 g
    client.force_login(officer)

    response = client.post(reverse("postal:order", args=[approved.code]), _form(approved, weight_grams=300))

    assert response.status_code == 400
    assert "Khối lượng 300 gam nằm ngoài biểu cước bưu chính đang áp dụng (Nội tỉnh)" in response.content.decode()
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED and not PostalOrder.objects.exists()


def test_an_unknown_province_orders_nothing(client, approved, officer):
    client.force_login(officer)

    response = client.post(reverse("postal:order", args=[approved.code]), _form(approved, province="Hà Tây"))

    assert response.status_code == 400 and not PostalOrder.objects.exists()


def test_the_agency_pays_the_postage_where_the_procedure_says_so(client, approved, officer):
    version = approved.procedure_version
    version.postage_paid_by_agency = True
    version.save()
    client.force_login(officer)

    client.post(reverse("postal:order", args=[approved.code]), _form(approved))

    page = client.get(reverse("postal:order", args=[approved.code])).content.decode()
    assert PostalOrder.objects.get().postage_paid_by_agency
    assert "cơ quan trả" in page


def test_the_old_typed_tracking_number_cannot_return_a_result_by_post(client, officer, approved):
    """Issue 17: "by post" at return used to take a typed tracking number and mark the dossier
    returned at once; now only a postal order sends it, and delivery returns it."""
    client.force_login(officer)
    page = client.get(reverse("applications:officer-dossier", args=[approved.code])).content.decode()
    assert 'name="return_result-postal_tracking_number"' not in page
    response = client.post(reverse("applications:officer-action", args=[approved.code, "return_result"]), {
        "return_result-expected_version": approved.version, "return_result-method": "post",
        "return_result-postal_tracking_number": "EB123456789VN"})
    assert response.status_code == 400
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED and approved.postal_tracking_number == "" and approved.returned_at is None
    with pytest.raises(workflow.WorkflowError):
        workflow.dossier_return_result(approved, actor=officer, expected_version=approved.version, method="post")
