from django.urls import path

from accounts import views
from accounts.identity import staff_views as staff_identity_views
from accounts.identity import views as identity_views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("signup/", views.signup, name="signup"),
    path("signup/sent/", views.signup_sent, name="signup-sent"),
    path("activate/<uidb64>/<token>/", views.activate, name="activate"),
    path("password-reset/", views.password_reset, name="password-reset"),
    path("password-reset/sent/", views.password_reset_sent, name="password-reset-sent"),
    path("password-reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(),
         name="password-reset-confirm"),
    path("password-reset/done/", views.password_reset_complete, name="password-reset-complete"),
    path("profile/", views.profile, name="profile"),
]

# Sign-in with e-identity (OpenID Connect): VNeID, the national portal's SSO.
urlpatterns += [
    path("identity/signed-out/", identity_views.identity_signed_out, name="identity-signed-out"),
    path("identity/<slug:provider_name>/login/", identity_views.identity_login, name="identity-login"),
    path("identity/<slug:provider_name>/callback/", identity_views.identity_callback, name="identity-callback"),
    path("identity/<slug:provider_name>/backchannel-logout/", identity_views.identity_backchannel_logout,
         name="identity-backchannel-logout"),
]

# Staff sign-in through an agency's OpenID Connect provider (existing staff accounts only).
urlpatterns += [
    path("staff-identity/<slug:provider_name>/login/", staff_identity_views.staff_identity_login,
         name="staff-identity-login"),
    path("staff-identity/<slug:provider_name>/callback/", staff_identity_views.staff_identity_callback,
         name="staff-identity-callback"),
    path("staff-identity/<slug:provider_name>/backchannel-logout/", staff_identity_views.staff_identity_backchannel_logout,
         name="staff-identity-backchannel-logout"),
]
