from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from workdays.models import CalendarDay
from workdays.services import calendar_days_confirm


class YearListFilter(admin.SimpleListFilter):
    title = _("năm")
    parameter_name = "year"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin[CalendarDay]) -> list[tuple[str, str]]:
        years = CalendarDay.objects.dates("date", "year", order="DESC")
        return [(str(year.year), str(year.year)) for year in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet[CalendarDay]) -> QuerySet[CalendarDay]:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(date__year=int(value))
        return queryset


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "weekday", "kind", "name", "legal_ref", "is_confirmed"]
    list_filter = ["kind", "is_confirmed", YearListFilter]
    search_fields = ["name", "legal_ref"]
    date_hierarchy = "date"
    ordering = ["date"]
    readonly_fields = ["created", "updated"]
    actions = ["confirm_selected"]

    @admin.display(description=_("thứ"))
    def weekday(self, obj: CalendarDay) -> str:
        # Admins check schedules against notices that always name the weekday.
        return ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")[obj.date.weekday()]

    @admin.action(description=_("Xác nhận các ngày đã chọn"), permissions=["change"])
    def confirm_selected(self, request: HttpRequest, queryset: QuerySet[CalendarDay]) -> None:
        count = calendar_days_confirm(calendar_days=queryset)
        self.message_user(
            request,
            ngettext("Đã xác nhận %(count)d ngày.", "Đã xác nhận %(count)d ngày.", count) % {"count": count},
            messages.SUCCESS,
        )
