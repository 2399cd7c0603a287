from django.urls import path

from sandbox import views

app_name = "sandbox"

urlpatterns = [
    # The payment gateway's bank page and its querydr API (VNPay 2.1.0 look-alike).
    path("bank/", views.bank, name="bank"),
    path("bank/api/transaction", views.api, name="bank-api"),
    # The public postal operator: its order API and its desk (reports each step by a signed callback).
    path("post/", views.post_console, name="post"),
    path("post/api/orders", views.post_orders, name="post-orders"),
    path("post/api/orders/<str:order_id>", views.post_order, name="post-order"),
]
