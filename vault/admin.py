from django.contrib import admin

from vault.models import SigningKey


@admin.register(SigningKey)
class SigningKeyAdmin(admin.ModelAdmin):
    list_display = ["signer_name", "purpose", "agency", "user", "backend", "sign_results", "is_demo", "is_active"]
    list_filter = ["purpose", "backend", "is_active", "is_demo"]
    search_fields = ["signer_name", "agency__name"]
    autocomplete_fields = ["agency", "user"]
    readonly_fields = ["is_demo", "created_at"]
