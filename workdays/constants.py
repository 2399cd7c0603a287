"""Vocabulary shared with other apps (procedures, applications) without importing models.

`from workdays.constants import TimeUnit` is the supported way for a procedure to say how its
time limit is counted; the values are stored in other apps' tables, so never rename them.
"""

from __future__ import annotations

from datetime import time

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeUnit(models.TextChoices):
    # Procedure records give limits in these four units; storing the unit
    # explicitly is what lets one engine compute every deadline.
    WORKING_DAYS = "working_days", _("Ngày làm việc")
    DAYS = "days", _("Ngày (theo lịch)")
    HOURS = "hours", _("Giờ làm việc")
    SAME_DAY = "same_day", _("Trong ngày")


class Timeliness(models.TextChoices):
    # Decision 766/QĐ-TTg (23/6/2022) metrics count early + on time as on time.
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


# Vietnamese law counts days in Vietnam time whatever TIME_ZONE the server uses.
DEFAULT_TIME_ZONE = "Asia/Ho_Chi_Minh"

# Office hours are set by each agency, no national rule fixes them; these are the usual commune hours (8 h a day).
# Override with settings.WORKDAY_OFFICE_HOURS, a sorted list of (start, end) times.
DEFAULT_OFFICE_HOURS: tuple[tuple[time, time], ...] = (
    (time(7, 30), time(11, 30)),
    (time(13, 0), time(17, 0)),
)
DEFAULT_OFFICE_CLOSE = time(17, 0)

# Decree 23/2015 Art 7: same-day certification, next working day if received after 15:00.
DEFAULT_SAME_DAY_CUTOFF = time(15, 0)
