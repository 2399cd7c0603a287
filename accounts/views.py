from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts.forms import LoginForm, ProfileForm, SignupForm
from accounts.services import citizen_register


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        # Carry the user's saved language into the cookie the language middleware reads.
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, form.get_user().preferred_language,
            max_age=settings.LANGUAGE_COOKIE_AGE, samesite="Lax",
        )
        return response


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("portal:home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = citizen_register(
            full_name=form.cleaned_data["full_name"],
            email=form.cleaned_data["email"],
            phone=form.cleaned_data["phone"],
            password=form.cleaned_data["password1"],
        )
        login(request, user, backend="accounts.backends.EmailOrPhoneBackend")
        messages.success(request, _("Đã tạo tài khoản. Chào mừng bạn đến với Cổng Dịch vụ công."))
        return redirect("portal:home")
    return render(request, "accounts/signup.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("id_number", "date_of_birth", "permanent_detail")
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Đã lưu thông tin cá nhân."))
        response = redirect("accounts:profile")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, form.instance.preferred_language,
            max_age=settings.LANGUAGE_COOKIE_AGE, samesite="Lax",
        )
        return response
    return render(request, "accounts/profile.html", {"form": form})
