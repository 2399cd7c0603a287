from django.urls import path

from payments import views

app_name = "payments"

urlpatterns = [
    # Citizens
    path("dossier/<str:code>/pay/", views.pay, name="pay"),
    path("return/<str:provider_id>/", views.payment_return, name="return"),
    # Officers
    path("dossier/<str:code>/request/", views.fee_request, name="request"),
    path("dossier/<str:code>/counter/", views.counter, name="counter"),
    path("report/", views.report, name="report"),
    # Gateways, server to server
    path("vnpay/ipn/", views.vnpay_ipn, name="vnpay-ipn"),
    path("sandbox/ipn/", views.sandbox_ipn, name="sandbox-ipn"),
    path("sandbox/api/transaction", views.sandbox_api, name="sandbox-api"),
    # The sandbox gateway's "bank" page
    path("sandbox/bank/", views.sandbox_bank, name="sandbox-bank"),
]
