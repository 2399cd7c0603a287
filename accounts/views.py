from __future__ import annotations

from urllib.parse import urlsplit

from axes.utils import reset as axes_reset

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from accounts.forms import LoginForm, NewPasswordForm, PasswordResetRequestForm, ProfileForm, SignupForm
from accounts.identity.client import providers_all, staff_providers_all
from accounts.identity.logout import SIGNED_IN_KEY, identity_logout_response
from accounts.models import Role, User
from accounts.services import account_activate, citizen_register, password_reset_request
from accounts.throttle import account_lookup, client_ip, rate_limit_hit
from accounts.tokens import activation_token_generator

RESET_WINDOW_SECONDS = 60 * 60


def landing_url(user: User) -> str:
    """Where a person lands after signing in when they came from nowhere in particular."""
    if user.is_agency_staff:
        return reverse("applications:officer-home")
    if user.role == Role.ADMIN and user.is_staff:
        return reverse("admin:index")
    return reverse("applications:my-dossiers")


def _language_cookie(response: HttpResponse, code: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, code, max_age=settings.LANGUAGE_COOKIE_AGE, samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def language_keep(request: HttpRequest, response: HttpResponse, user: User) -> HttpResponse:
    """After any sign-in (password or e-identity): keep the language the person browses in.

    The language picked on this device before signing in wins over the saved one (the person just
    chose it) and becomes the saved preference for emails and SMS; with no choice on this device yet,
    the saved preference is carried into the cookie."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in dict(settings.LANGUAGES):
        if user.preferred_language != chosen:
            user.preferred_language = chosen
            user.save(update_fields=["preferred_language"])
    else:
        _language_cookie(response, user.preferred_language)
    return response


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        user = self.request.user
        came_from = self._safe(self.request.POST.get("came_from", ""))
        # A citizen goes back to the page they were reading; staff start from their queue.
        if came_from and user.is_authenticated and user.role == Role.CITIZEN:
            return came_from
        return landing_url(user)

    def _safe(self, url: str) -> str:
        if not url or not url_has_allowed_host_and_scheme(
            url, allowed_hosts=self.get_success_url_allowed_hosts(), require_https=self.request.is_secure()
        ):
            return ""
        path = urlsplit(url).path
        if path in (reverse("portal:home"), reverse("accounts:logout")) or path.startswith("/accounts/"):
            return ""
        return url

    def get_context_data(self, **kwargs):  # type: ignore[no-untyped-def]
        context = super().get_context_data(**kwargs)
        # The header's login link cannot carry "next" (it is cached for every visitor), so the page
        # the person came from is taken from the same-origin Referer and sent back with the form.
        referer = self.request.headers.get("Referer", "")
        parts = urlsplit(referer)
        local = parts.path + (f"?{parts.query}" if parts.query else "") if parts.netloc == self.request.get_host() else ""
        context["came_from"] = self._safe(self.request.POST.get("came_from", "") or local)
        context["identity_providers"] = providers_all()
        context["staff_identity_providers"] = staff_providers_all()
        context["password_signup"] = settings.CITIZEN_PASSWORD_SIGNUP
        return context

    def get_redirect_url(self) -> str:
        # A "next" that only points back at the home page or the login page is no destination.
        url = super().get_redirect_url()
        if url and url.split("?")[0] in (reverse("portal:home"), reverse("accounts:login")):
            return ""
        return url

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        return language_keep(self.request, response, form.get_user())


class LogoutView(auth_views.LogoutView):
    """Signing out also forgets the language: the next person at a shared counter PC starts in
    Vietnamese, and their own login does not inherit (and save) the previous person's choice."""

    def post(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        signed_in = request.session.get(SIGNED_IN_KEY)
        response = super().post(request, *args, **kwargs)
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME, samesite="Lax")
        # Signed in through VNeID / the national SSO: the provider's session ends too.
        return identity_logout_response(request, signed_in, response)


@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("portal:home")
    if not settings.CITIZEN_PASSWORD_SIGNUP:
        # Citizens sign in with e-identity (Decree 69/2024/NĐ-CP); no stand-alone password accounts.
        messages.info(request, _("Công dân đăng nhập bằng tài khoản định danh điện tử VNeID, không cần đăng ký."))
        return redirect("accounts:login")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        citizen_register(
            full_name=form.cleaned_data["full_name"],
            email=form.cleaned_data["email"],
            phone=form.cleaned_data["phone"],
            password=form.cleaned_data["password1"],
            language=get_language() or settings.LANGUAGE_CODE,
        )
        # The same page whether or not the address already had an account.
        request.session["signup_sent_to"] = "email" if form.cleaned_data["email"] else "phone"
        return redirect("accounts:signup-sent")
    return render(request, "accounts/signup.html", {"form": form})


@require_GET
def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signup_sent.html", {"by": request.session.get("signup_sent_to", "email")})


def _user_from_uidb64(uidb64: str) -> User | None:
    try:
        return User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None


@never_cache
@require_GET
def activate(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = _user_from_uidb64(uidb64)
    if user is None or user.is_active or not activation_token_generator.check_token(user, token):
        return render(request, "accounts/link_invalid.html", status=400)
    account_activate(user=user)
    login(request, user, backend="accounts.backends.EmailOrPhoneBackend")
    messages.success(request, _("Đã kích hoạt tài khoản. Chào mừng bạn đến với Cổng Dịch vụ công."))
    response = redirect(landing_url(user))
    _language_cookie(response, user.preferred_language)
    return response


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        identifier = form.cleaned_data["identifier"]
        user = account_lookup(identifier)
        # Per address and per account (its email and its phone share one count): a flood of reset
        # messages is refused the same way for accounts that exist and accounts that do not.
        account_key = f"user:{user.pk}" if user is not None else identifier
        allowed = rate_limit_hit(scope="reset-ip", key=client_ip(request), limit=settings.PASSWORD_RESET_IP_LIMIT,
                                 window_seconds=RESET_WINDOW_SECONDS)
        allowed = rate_limit_hit(scope="reset-account", key=account_key,
                                 limit=settings.PASSWORD_RESET_ACCOUNT_LIMIT, window_seconds=RESET_WINDOW_SECONDS) and allowed
        if not allowed:
            return render(request, "accounts/password_reset.html", {"form": form, "limited": True}, status=429)
        if user is not None:
            password_reset_request(user=user, by_phone=form.is_phone,
                                   language=get_language() or settings.LANGUAGE_CODE)
        request.session["reset_sent_to"] = "phone" if form.is_phone else "email"
        return redirect("accounts:password-reset-sent")
    return render(request, "accounts/password_reset.html", {"form": form})


@require_GET
def password_reset_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_sent.html", {"by": request.session.get("reset_sent_to", "email")})


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view: the token leaves the URL at once (no Referer leak) and works only once."""

    form_class = NewPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        # Whoever locked the account by guessing no longer keeps its owner out.
        axes_reset(username=f"user:{form.user.pk}")
        return response


@require_GET
def password_reset_complete(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_complete.html")


@login_required
@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("id_number", "date_of_birth", "permanent_detail")
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Đã lưu thông tin cá nhân."))
        response = redirect("accounts:profile")
        _language_cookie(response, form.instance.preferred_language)
        return response
    return render(request, "accounts/profile.html", {"form": form})
