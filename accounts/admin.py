from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, User
from accounts.roles import user_set_role


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
