"""The sandbox postal operator end to end over HTTP (DEBUG on): the portal places the order with the
operator's API on the live server, the operator's desk reports each step by a signed callback to our
endpoint, and the hand-over slip lists the parcel with both signature cells."""

from __future__ import annotations

import subprocess
from urllib.parse import urlparse

import pytest

from django.test import Client
from django.urls import reverse

from applications.models import Status
from postal.models import OrderState, PostalOrder
from sandbox.models import SandboxParcel
from tests.postal.conftest import ADDRESS

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def on_live_server(live_server, settings):
    settings.SITE_URL = live_server.url
    settings.SANDBOX_POSTAL_API_URL = live_server.url + "/sandbox/post/api"
    return Client(HTTP_HOST=urlparse(live_server.url).netloc)


def _send_by_post(browser, dossier) -> PostalOrder:
    response = browser.post(reverse("postal:order", args=[dossier.code]), {
        "expected_version": dossier.version, "recipient_name": "Nguyễn Văn An", "recipient_phone": "0912000001",
        "address": ADDRESS, "province": "Cà Mau", "commune": "Phường An Xuyên", "weight_grams": 120,
    })
    assert response.status_code == 302
    return PostalOrder.objects.get(dossier=dossier)


def test_the_operator_accepts_then_reports_in_transit_and_delivered(on_live_server, approved, officer):
    on_live_server.force_login(officer)

    order = _send_by_post(on_live_server, approved)

    parcel = SandboxParcel.objects.get()
    assert order.state == OrderState.ACCEPTED and order.tracking_number == parcel.tracking_number
    assert parcel.client_ref == order.reference and parcel.recipient["address"] == f"{ADDRESS}, Phường An Xuyên, Cà Mau"
    for step, dossier_status in (("in_transit", Status.SENT_BY_POST), ("delivered", Status.RETURNED)):
        response = on_live_server.post(reverse("sandbox:post"), {"order_id": parcel.order_id, "status": step})
        assert response.status_code == 302
        approved.refresh_from_db()
        assert approved.status == dossier_status, step
    order.refresh_from_db()
    assert order.state == OrderState.DELIVERED and order.delivered_at == approved.returned_at


def test_the_operator_accepts_one_parcel_per_reference(on_live_server, approved, officer, settings):
    from postal.providers.registry import provider_get
    from postal.services import _order_request

    on_live_server.force_login(officer)
    order = _send_by_post(on_live_server, approved)

    again = provider_get("sandbox").create_order(_order_request(order))

    assert again.order_id == order.operator_order_id and SandboxParcel.objects.count() == 1


def test_the_handover_slip_lists_the_days_parcels_with_both_signature_cells(on_live_server, approved, officer,
                                                                           other_officer, tmp_path):
    on_live_server.force_login(officer)
    order = _send_by_post(on_live_server, approved)

    response = on_live_server.get(reverse("postal:handover"))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "slip.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "DANH SÁCH BÀN GIAO BƯU GỬI" in text
    assert order.tracking_number in text and approved.code in text and officer.full_name in text
    assert "CÁN BỘ BỘ PHẬN MỘT CỬA" in text.upper() and "NHÂN VIÊN BƯU ĐIỆN" in text.upper()
    # the other commune's officer gets an empty list, never this parcel
    on_live_server.force_login(other_officer)
    other = tmp_path / "other.pdf"
    other.write_bytes(on_live_server.get(reverse("postal:handover")).content)
    other_text = subprocess.run(["pdftotext", str(other), "-"], capture_output=True, text=True, check=True).stdout
    assert order.tracking_number not in other_text and "Không có bưu gửi" in other_text
