from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import Agency, User
from accounts.roles import user_set_role
from accounts.two_factor import second_factor_reset

# django-otp's own device pages show each TOTP secret and every recovery code to any admin: they are
# replaced by the "reset the second factor" action on the user list, which reveals nothing.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


class UserCreateForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "phone", "full_name", "role", "agency")


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["eid_code", "name", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "eid_code"]
    autocomplete_fields = ["parent"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = UserCreateForm
    form = UserEditForm
    ordering = ["email"]
    list_display = ["full_name", "email", "phone", "role", "agency", "is_active"]
    list_filter = ["role", "agency", "is_active"]
    search_fields = ["full_name", "email", "phone"]
    autocomplete_fields = ["agency"]
    actions = ["second_factor_reset_action"]
    fieldsets = (
        (None, {"fields": ("email", "phone", "password")}),
        (_("Thông tin cá nhân"), {"fields": ("full_name", "address", "preferred_language")}),
        (_("Vai trò"), {"fields": ("role", "agency", "is_active", "is_staff", "is_superuser", "groups")}),
        (_("Đăng nhập một lần (SSO)"), {"fields": ("oidc_subject",)}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "phone", "full_name", "role", "agency", "password1", "password2")}),
    )

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        super().save_model(request, obj, form, change)
        # Keep the role's group (and admin-site access) in step with the role field.
        user_set_role(obj, obj.role)

    @admin.action(description=_("Đặt lại xác thực hai lớp (mất điện thoại)"), permissions=["change"])
    def second_factor_reset_action(self, request, queryset):  # type: ignore[no-untyped-def]
        users = list(queryset)
        for user in users:
            second_factor_reset(user, by=request.user)
        self.message_user(request, ngettext(
            "Đã đặt lại xác thực hai lớp cho %(count)d người dùng; họ sẽ đăng ký lại ở lần đăng nhập tới.",
            "Đã đặt lại xác thực hai lớp cho %(count)d người dùng; họ sẽ đăng ký lại ở lần đăng nhập tới.",
            len(users),
        ) % {"count": len(users)}, messages.SUCCESS)
