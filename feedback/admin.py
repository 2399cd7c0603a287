"""Read-only admin lists: ratings carry no person, petitions change only through the services."""

from django.contrib import admin

from feedback.models import Petition, Rating


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Rating)
class RatingAdmin(_ReadOnly):
    list_display = ("created_at", "agency", "overall", "channel")
    list_filter = ("overall", "channel", "agency")
    exclude = ("dossier", "comment")


@admin.register(Petition)
class PetitionAdmin(_ReadOnly):
    list_display = ("code", "agency", "status", "received_at", "due_at", "answered_at", "published_at")
    list_filter = ("status", "agency")
    search_fields = ("code",)
    exclude = ("secret_hash",)
