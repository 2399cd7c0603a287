from django.urls import path

from sandbox import ca, idp_views, views

app_name = "sandbox"

urlpatterns = [
    # The payment gateway's bank page and its querydr API (VNPay 2.1.0 look-alike).
    path("bank/", views.bank, name="bank"),
    path("bank/api/transaction", views.api, name="bank-api"),
    # The e-identity provider (VNeID look-alike, OpenID Connect).
    path("idp/.well-known/openid-configuration", idp_views.discovery, name="idp-discovery"),
    path("idp/authorize", idp_views.authorize, name="idp-authorize"),
    path("idp/token", idp_views.token, name="idp-token"),
    path("idp/jwks", idp_views.jwks, name="idp-jwks"),
    path("idp/userinfo", idp_views.userinfo, name="idp-userinfo"),
    path("idp/logout", idp_views.logout, name="idp-logout"),
    # The public postal operator: its order API and its desk (reports each step by a signed callback).
    path("post/", views.post_console, name="post"),
    path("post/api/orders", views.post_orders, name="post-orders"),
    path("post/api/orders/<str:order_id>", views.post_order, name="post-order"),
    # The national public-service portal: its sync API, its outbox for pull mode, and its desk.
    path("national/", views.national_console, name="national"),
    path("national/api/dossiers/sync", views.national_sync, name="national-sync"),
    path("national/api/dossiers/outbox", views.national_outbox, name="national-outbox"),
    path("national/api/dossiers/outbox/ack", views.national_outbox_ack, name="national-outbox-ack"),
    path("national/api/files/<str:name>", views.national_file, name="national-file"),
    # The demo certificate authority: its CRL and timestamp server.
    path("ca/crl", ca.crl, name="ca-crl"),
    path("ca/tsa", ca.tsa, name="ca-tsa"),
]
