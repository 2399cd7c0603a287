from django.urls import path

from sandbox import views

app_name = "sandbox"

urlpatterns = [
    # The payment gateway's bank page and its querydr API (VNPay 2.1.0 look-alike).
    path("bank/", views.bank, name="bank"),
    path("bank/api/transaction", views.api, name="bank-api"),
]
