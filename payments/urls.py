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
    # Gateways, server to server (VNPay's IPN URL is /payments/vnpay/ipn/); unknown or unavailable
    # providers answer 404.
    path("<str:provider_id>/ipn/", views.payment_notification, name="notification"),
]
