"""Load the official 2025 and 2026 schedules for civil servants (Government Office notices
8726/VPCP-KGVX of 26/11/2024 and 12729/VPCP-KGVX of 25/12/2025).

Only weekdays off and make-up Saturdays matter to computations; weekend days inside a break
are off anyway and are not listed. The one exception is Giỗ Tổ 2026 (Sunday 26/04), kept so
that the admin list shows why Monday 27/04 is a compensatory day off.

The data is frozen here on purpose: a migration must not import app code that may change.
"""

from __future__ import annotations

from datetime import date

from django.db import migrations

REF_2025 = "Thông báo 8726/VPCP-KGVX"
REF_2026 = "Thông báo 12729/VPCP-KGVX"

# (date, kind, name, legal_ref)
SCHEDULE: list[tuple[date, str, str, str]] = [
    # 2025
    (date(2025, 1, 1), "holiday", "Tết Dương lịch", REF_2025),
    # Tết Ất Tỵ: break Sat 25/01 – Sun 02/02/2025; the statutory days are Mon 27 – Fri 31/01.
    *[(date(2025, 1, day), "holiday", "Tết Nguyên đán", REF_2025) for day in range(27, 32)],
    (date(2025, 4, 7), "holiday", "Giỗ Tổ Hùng Vương", REF_2025),
    (date(2025, 4, 26), "makeup_workday", "Làm bù cho ngày nghỉ 02/05/2025", REF_2025),
    (date(2025, 4, 30), "holiday", "Ngày Chiến thắng", REF_2025),
    (date(2025, 5, 1), "holiday", "Ngày Quốc tế Lao động", REF_2025),
    (date(2025, 5, 2), "swapped_off", "Nghỉ hoán đổi (làm bù thứ Bảy 26/04/2025)", REF_2025),
    # Quốc khánh: break Sat 30/08 – Tue 02/09/2025.
    (date(2025, 9, 1), "holiday", "Quốc khánh", REF_2025),
    (date(2025, 9, 2), "holiday", "Quốc khánh", REF_2025),
    # 2026
    (date(2026, 1, 1), "holiday", "Tết Dương lịch", REF_2026),
    (date(2026, 1, 2), "swapped_off", "Nghỉ hoán đổi (làm bù thứ Bảy 10/01/2026)", REF_2026),
    (date(2026, 1, 10), "makeup_workday", "Làm bù cho ngày nghỉ 02/01/2026", REF_2026),
    # Tết Bính Ngọ: break Sat 14/02 – Sun 22/02/2026, no swap; weekdays Mon 16 – Fri 20/02.
    *[(date(2026, 2, day), "holiday", "Tết Nguyên đán", REF_2026) for day in range(16, 21)],
    (date(2026, 4, 26), "holiday", "Giỗ Tổ Hùng Vương", REF_2026),
    (date(2026, 4, 27), "compensatory_off", "Nghỉ bù Giỗ Tổ Hùng Vương", REF_2026),
    (date(2026, 4, 30), "holiday", "Ngày Chiến thắng", REF_2026),
    (date(2026, 5, 1), "holiday", "Ngày Quốc tế Lao động", REF_2026),
    (date(2026, 8, 22), "makeup_workday", "Làm bù cho ngày nghỉ 31/08/2026", REF_2026),
    (date(2026, 8, 31), "swapped_off", "Nghỉ hoán đổi (làm bù thứ Bảy 22/08/2026)", REF_2026),
    # Quốc khánh: break Sat 29/08 – Wed 02/09/2026.
    (date(2026, 9, 1), "holiday", "Quốc khánh", REF_2026),
    (date(2026, 9, 2), "holiday", "Quốc khánh", REF_2026),
]


def load_schedule(apps, schema_editor):
    CalendarDay = apps.get_model("workdays", "CalendarDay")
    # ignore_conflicts: rows an admin already entered for these dates win.
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(date=day, kind=kind, name=name, legal_ref=legal_ref, is_confirmed=True)
            for day, kind, name, legal_ref in SCHEDULE
        ],
        ignore_conflicts=True,
    )


def unload_schedule(apps, schema_editor):
    CalendarDay = apps.get_model("workdays", "CalendarDay")
    CalendarDay.objects.filter(date__in=[row[0] for row in SCHEDULE], legal_ref__in=[REF_2025, REF_2026]).delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(load_schedule, unload_schedule)]
