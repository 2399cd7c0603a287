"""Admins edit the catalogue here. Published versions are read-only: a change is a new version
("Tạo phiên bản mới"), published with an effective date ("Công bố")."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.lib.text import normalize_search
from procedures.cache import catalogue_changed
from procedures.models import (
    Commune,
    Component,
    DocumentType,
    Fee,
    FormField,
    LegalDocument,
    PostageRate,
    Procedure,
    ProcedureVersion,
    SearchSynonym,
    Sector,
    VersionStatus,
)
from procedures.services import (
    ProcedureError,
    procedure_refresh,
    procedure_version_new_draft,
    procedure_version_publish,
)


class CatalogueAdmin(admin.ModelAdmin):
    """Any admin write may change a public page: drop the cached pages after commit."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        catalogue_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        catalogue_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        catalogue_changed()


def _is_published(obj: ProcedureVersion | None) -> bool:
    return obj is not None and obj.status == VersionStatus.PUBLISHED


class _ReadOnlyWhenPublishedInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request, obj=None):
        return not _is_published(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _is_published(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _is_published(obj) and super().has_delete_permission(request, obj)


class ComponentInline(_ReadOnlyWhenPublishedInline):
    model = Component
    fields = ["order", "name", "document_type", "originals", "copies", "is_required", "notes", "template_file",
              "allows_docx", "filled_by_eform"]


class FeeInline(_ReadOnlyWhenPublishedInline):
    model = Fee
    fields = [
        "order", "kind", "name", "amount", "basis", "channel", "page_from", "page_to", "cap", "condition",
        "condition_field", "condition_days", "is_exemptible", "exemption_text", "legal_basis", "effective_from",
        "effective_to",
    ]


class FormFieldInline(_ReadOnlyWhenPublishedInline):
    model = FormField
    fields = [
        "section", "order", "key", "label", "field_type", "is_required", "choices", "min_length", "max_length",
        "pattern", "pattern_message", "help_text", "prefill", "editable_when_verified",
    ]


@admin.action(description=_("Tạo phiên bản mới (bản nháp) từ phiên bản đang áp dụng"))
def create_new_version(modeladmin, request: HttpRequest, queryset: QuerySet) -> None:
    procedures = {obj.procedure if isinstance(obj, ProcedureVersion) else obj for obj in queryset}
    for procedure in procedures:
        try:
            draft = procedure_version_new_draft(procedure)
        except ProcedureError as exc:
            modeladmin.message_user(request, f"{procedure.code}: {exc}", messages.ERROR)
        else:
            modeladmin.message_user(
                request, _("%(code)s: bản nháp phiên bản %(n)s") % {"code": procedure.code, "n": draft.number}
            )


@admin.action(description=_("Công bố các bản nháp đã chọn (hiệu lực theo ngày “có hiệu lực từ”)"))
def publish_versions(modeladmin, request: HttpRequest, queryset: QuerySet) -> None:
    for version in queryset.select_related("procedure"):
        try:
            procedure_version_publish(version, effective_from=version.effective_from)
        except ProcedureError as exc:
            modeladmin.message_user(request, f"{version}: {exc}", messages.ERROR)
        else:
            modeladmin.message_user(request, _("Đã công bố %(version)s") % {"version": version})


class ProcedureVersionInline(admin.TabularInline):
    model = ProcedureVersion
    fields = ["number", "name", "status", "effective_from", "published_at"]
    readonly_fields = fields
    show_change_link = True
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Procedure)
class ProcedureAdmin(CatalogueAdmin):
    list_display = ["code", "version_name", "sector", "implementing_level", "is_published", "popularity"]
    list_filter = ["is_published", "sector", "implementing_level", "current_version__service_level"]
    search_fields = ["code", "search_text", "current_version__name"]
    list_select_related = ["current_version", "sector"]
    readonly_fields = ["current_version", "search_text", "popularity"]
    fields = ["code", "sector", "implementing_level", "is_published", "current_version", "search_text", "popularity"]
    inlines = [ProcedureVersionInline]
    actions = [create_new_version]

    @admin.display(description=_("tên thủ tục"))
    def version_name(self, obj: Procedure) -> str:
        return obj.current_version.name if obj.current_version else "—"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        procedure_refresh(procedure=obj)


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(CatalogueAdmin):
    list_display = ["procedure", "number", "name", "status", "level", "effective_from", "published_at"]
    list_filter = ["status", "service_level", "procedure__sector", "receiving_agencies"]
    search_fields = ["procedure__code", "name"]
    list_select_related = ["procedure"]
    autocomplete_fields = ["procedure"]
    filter_horizontal = ["receiving_agencies", "legal_documents"]
    inlines = [ComponentInline, FeeInline, FormFieldInline]
    actions = [create_new_version, publish_versions]
    readonly_fields = ["status", "published_at"]

    @admin.display(description=_("mức độ dịch vụ công"), ordering="service_level")
    def level(self, obj: ProcedureVersion) -> str:
        # Without online filing a procedure is information only, whatever level it was given.
        return obj.service_level_label

    def get_readonly_fields(self, request, obj=None):
        if _is_published(obj):
            # Published rules may already bind dossiers: edits go through "Tạo phiên bản mới".
            return [f.name for f in self.model._meta.fields] + ["receiving_agencies", "legal_documents"]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return not _is_published(obj) and super().has_delete_permission(request, obj)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("effective_from", timezone.localdate())
        return initial


@admin.register(DocumentType)
class DocumentTypeAdmin(CatalogueAdmin):
    list_display = ["code", "name", "validity_months", "order"]
    search_fields = ["code", "name"]


@admin.register(Sector)
class SectorAdmin(CatalogueAdmin):
    list_display = ["code", "name", "order"]
    search_fields = ["code", "name"]


@admin.register(LegalDocument)
class LegalDocumentAdmin(CatalogueAdmin):
    list_display = ["number", "title", "issued_on", "issuer"]
    search_fields = ["number", "title", "issuer"]
    list_filter = ["issuer"]


class SearchSynonymForm(forms.ModelForm):
    class Meta:
        model = SearchSynonym
        fields = ["phrase", "replacement"]

    def clean_phrase(self) -> str:
        phrase = normalize_search(self.cleaned_data["phrase"])
        if not phrase:
            raise forms.ValidationError(_("Hãy nhập cụm từ."))
        if SearchSynonym.objects.filter(phrase=phrase).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Cụm từ này đã có."))
        return phrase

    def clean_replacement(self) -> str:
        return normalize_search(self.cleaned_data.get("replacement"))


@admin.register(SearchSynonym)
class SearchSynonymAdmin(CatalogueAdmin):
    """Search vocabulary as data: saved accent-free; a change reaches search at once (cache bumped)."""

    form = SearchSynonymForm
    list_display = ["phrase", "replacement"]
    search_fields = ["phrase", "replacement"]


@admin.register(PostageRate)
class PostageRateAdmin(admin.ModelAdmin):
    list_display = ("zone", "weight_from", "weight_to", "amount", "effective_from", "effective_to")
    list_filter = ("zone",)


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    """The commune-level units an address for delivery by post must resolve to."""

    list_display = ("name", "province", "code")
    list_filter = ("province",)
    search_fields = ("name", "code")
