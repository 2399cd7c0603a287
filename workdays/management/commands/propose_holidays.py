"""`manage.py propose_holidays 2027`: draft next year's days off for an admin to confirm."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from workdays.proposals import ProposedDay
from workdays.services import calendar_days_propose


class Command(BaseCommand):
    help = (
        "Đề xuất (chưa xác nhận) các ngày nghỉ lễ, Tết theo luật của một năm, tính theo âm lịch Việt Nam. "
        "Không ghi đè ngày đã có; quản trị viên phải đối chiếu với thông báo chính thức rồi xác nhận."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int)

    def handle(self, *args: Any, year: int, **options: Any) -> None:
        try:
            created, skipped = calendar_days_propose(year=year)
        except ValueError as error:
            raise CommandError(str(error)) from error
        for day in created:
            self.stdout.write(f"+ {_describe(day)}")
        for day in skipped:
            self.stdout.write(f"= {_describe(day)} (đã có, giữ nguyên)")
        self.stdout.write(
            self.style.SUCCESS(f"Đã đề xuất {len(created)} ngày cho năm {year}; bỏ qua {len(skipped)} ngày đã có.")
        )
        if created:
            self.stdout.write("Các ngày đề xuất chưa có hiệu lực cho đến khi được xác nhận trong trang quản trị.")


_WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


def _describe(day: ProposedDay) -> str:
    return f"{_WEEKDAYS[day.date.weekday()]} {day.date:%d/%m/%Y} [{day.kind.label}] {day.name}"
