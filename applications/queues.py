"""The back office's work queues: which dossiers each member of staff should look at now.

Every queue is a filter over the dossiers of the user's agencies (applications.selectors);
the counts of all queues come from one query (each bounded, see queue_counts) and a queue page
from one more, whatever the number of dossiers, helped by the (agency, status, due_current) index.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from accounts.access import staff_agency_ids
from accounts.models import Role, User
from applications.deadlines import clock_running, due_soon_limit
from applications.models import Dossier, Status
from applications.selectors import dossiers_for_staff
from portal.lib.pagination import max_rows
from workdays.services import local_time_zone


@dataclass(frozen=True)
class Queue:
    key: str
    label: str
    roles: tuple[str, ...]
    condition: Callable[[User, datetime], Q]
    # The order that makes sense for the work: oldest submission first, or nearest deadline first.
    default_sort: str = "due"


SUBMITTED_STATES = [value for value in Status.values if value != Status.DRAFT]
# Every state some queue other than "all" looks at.
ACTIVE = [
    Status.SUBMITTED, Status.NEEDS_COMPLETION, Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED,
    Status.AWAITING_PAYMENT, Status.PENDING_APPROVAL, Status.STOP_REQUESTED, Status.APPROVED, Status.NOT_ELIGIBLE,
    Status.SENT_BY_POST,
]

QUEUES: dict[str, Queue] = {queue.key: queue for queue in [
    Queue("new", _("Hồ sơ mới nộp"), (Role.OFFICER,),
          lambda user, now: Q(status=Status.SUBMITTED), "submitted"),
    Queue("received", _("Đã tiếp nhận, chờ chuyển xử lý"), (Role.OFFICER,),
          lambda user, now: Q(status=Status.RECEIVED), "transfer"),
    # Past the transfer deadline: same working day, the next one when received after 15:00.
    Queue("transfer_late", _("Chậm chuyển xử lý"), (Role.OFFICER, Role.LEADER),
          lambda user, now: Q(status=Status.RECEIVED, transfer_due__lt=now), "transfer"),
    Queue("mine", _("Tôi đang xử lý"), (Role.SPECIALIST,),
          lambda user, now: Q(status=Status.PROCESSING, assigned_to=user)),
    Queue("processing", _("Đơn vị đang xử lý"), (Role.OFFICER, Role.SPECIALIST, Role.LEADER),
          lambda user, now: Q(status__in=[Status.PROCESSING, Status.PENDING_APPROVAL])),
    Queue("approval", _("Chờ phê duyệt"), (Role.LEADER,),
          lambda user, now: Q(status=Status.PENDING_APPROVAL)),
    Queue("supplement", _("Chờ công dân bổ sung"), (Role.OFFICER, Role.SPECIALIST),
          lambda user, now: Q(status__in=[Status.SUPPLEMENT_REQUESTED, Status.NEEDS_COMPLETION])),
    Queue("payment", _("Chờ nộp phí, lệ phí"), (Role.OFFICER, Role.SPECIALIST),
          lambda user, now: Q(status=Status.AWAITING_PAYMENT)),
    Queue("due_soon", _("Đến hạn trong 01 ngày làm việc"), (Role.OFFICER, Role.SPECIALIST, Role.LEADER),
          lambda user, now: clock_running() & Q(due_current__gte=now, due_current__lte=due_soon_limit(now))),
    Queue("overdue", _("Quá hạn"), (Role.OFFICER, Role.SPECIALIST, Role.LEADER),
          lambda user, now: clock_running() & Q(due_current__lt=now)),
    # The leader decides (Decree 118/2025 Art 21); the one-stop shop follows the requests it recorded.
    Queue("stop", _("Đề nghị dừng giải quyết"), (Role.LEADER, Role.OFFICER),
          lambda user, now: Q(status=Status.STOP_REQUESTED)),
    Queue("to_return", _("Có kết quả, chờ trả"), (Role.OFFICER,),
          lambda user, now: Q(status__in=[Status.APPROVED, Status.NOT_ELIGIBLE])),
    # Handed to public post, waiting for the operator to report delivery.
    Queue("post", _("Đã gửi qua bưu chính, chờ phát"), (Role.OFFICER,),
          lambda user, now: Q(status=Status.SENT_BY_POST)),
    Queue("all", _("Tất cả hồ sơ"), (Role.OFFICER, Role.SPECIALIST, Role.LEADER, Role.ADMIN),
          lambda user, now: Q(), "submitted_desc"),
]}

SORTS = {
    "due": (_("Hạn trả gần nhất"), ["due_current", "pk"]),
    "transfer": (_("Hạn chuyển xử lý gần nhất"), ["transfer_due", "pk"]),
    "submitted": (_("Nộp sớm nhất"), ["submitted_at", "pk"]),
    "submitted_desc": (_("Nộp gần đây nhất"), ["-submitted_at", "-pk"]),
    "code": (_("Mã hồ sơ"), ["code"]),
    "applicant": (_("Người nộp"), ["applicant_name", "pk"]),
}


def queues_for(user: User) -> list[Queue]:
    return [queue for queue in QUEUES.values() if user.role in queue.roles]


def default_queue(user: User) -> str:
    return {Role.OFFICER: "new", Role.SPECIALIST: "mine", Role.LEADER: "approval"}.get(user.role, "all")


def staff_dossiers(user: User) -> QuerySet[Dossier]:
    """The agency's dossiers as staff see them (drafts are the citizen's private business)."""
    # An IN list rather than "<> draft": PostgreSQL can then count from the (agency, status) index alone.
    return dossiers_for_staff(user).filter(status__in=SUBMITTED_STATES)


class TabCount(int):
    """A tab's badge: the exact count, or LIST_MAX_ROWS + 1 when the queue holds more than the list will
    ever show (the value BoundedPaginator counts to, so the page reuses it as is), shown "10.000+"."""

    bound: int

    def __new__(cls, value: int, bound: int) -> TabCount:
        count = super().__new__(cls, min(value, bound + 1))
        count.bound = bound
        return count

    @property
    def capped(self) -> bool:
        return int(self) > self.bound

    def __str__(self) -> str:
        # Templates print an int through str() (no thousands separator configured); the bound is
        # grouped as the active language writes numbers ("10.000+" in Vietnamese, "10,000+" in English).
        if not self.capped:
            return int.__str__(self)
        return number_format(self.bound, force_grouping=True) + "+"


def _queue_rows(user: User, queue: Queue, now: datetime) -> QuerySet[Dossier]:
    """The dossiers of one queue. Every queue but "all" names its own states, none of them a draft: the
    IN list of staff_dossiers beside a second one on the same column would keep PostgreSQL from
    seeking those states in the (agency, status, …) index (it would read the agencies' every dossier
    and filter), so it is left out; "<> draft" keeps the meaning and costs a filter on the few rows read."""
    if queue.key == "all":
        return staff_dossiers(user)
    return dossiers_for_staff(user).exclude(status=Status.DRAFT).filter(queue.condition(user, now))


# Badges are read on every queue page; computing them costs an aggregate over the scope and, for the ORM,
# a dozen querysets compiled. With Redis they are kept per person for settings.QUEUE_COUNTS_SECONDS (30),
# tagged with a version of each agency in scope that every write to one of its dossiers changes
# (dossiers_changed), so a write shows on the next page; what only the clock changes (a dossier becoming
# overdue) shows within those seconds. Without Redis the cache is a database table: off (0).
_VERSION_PREFIX = "queues:agency-version:"


def agency_version_key(agency_id: object) -> str:
    return f"{_VERSION_PREFIX}{agency_id}"


def dossiers_changed(agency_id: int | None) -> None:
    """A dossier of `agency_id` was written: its badges are recounted. Now (for this transaction's own
    pages) and again after the commit (a page counted in between would have kept the old figures)."""
    # The officers' kept queue pages (portal/lib/personal_pages.py) depend on the same versions.
    if agency_id is None or not (settings.QUEUE_COUNTS_SECONDS or settings.PERSONAL_PAGE_SECONDS):
        return
    key = agency_version_key(agency_id)
    cache.set(key, uuid.uuid4().hex[:16], None)
    transaction.on_commit(lambda: cache.set(key, uuid.uuid4().hex[:16], None))


def dossier_saved(instance: Dossier, **_signal_kwargs: object) -> None:
    dossiers_changed(instance.agency_id)


def queue_counts(user: User, now: datetime) -> dict[str, int]:
    """Each of the user's queues' badge: the cached figures while no dossier of the user's agencies has
    been written since and the clock has not moved past QUEUE_COUNTS_SECONDS (see above), else counted."""
    seconds = settings.QUEUE_COUNTS_SECONDS
    if not seconds:
        return _queue_counts_counted(user, now)
    bucket = int(now.timestamp()) // seconds
    counts_key = f"queues:counts:{user.pk}:{user.role}:{bucket}"
    version_keys = [agency_version_key(pk) for pk in staff_agency_ids(user)]
    found = cache.get_many([counts_key, *version_keys])
    versions = [found.get(key) for key in version_keys]
    cached = found.get(counts_key)
    if cached is not None and cached["versions"] == versions and cached["bound"] == max_rows():
        return {key: TabCount(count, cached["bound"]) for key, count in cached["counts"].items()}
    counts = _queue_counts_counted(user, now)
    cache.set(counts_key, {"versions": versions, "bound": max_rows(),
                           "counts": {key: int(count) for key, count in counts.items()}}, seconds)
    return counts


def _queue_counts_counted(user: User, now: datetime) -> dict[str, int]:
    """How many dossiers each of the user's queues holds, each counted up to LIST_MAX_ROWS + 1, in one
    query whatever the volume.

    A commune's queues hold hundreds of dossiers and are counted exactly. A province leader's span a
    hundred communes (half a million dossiers a year): beyond the bound the badge says "10.000+", what
    the list itself says and all it would ever page through, and each tab stops reading there
    (`COUNT(*)` over a LIMITed subquery) instead of counting every row of the province. The exact
    figures of a province are the reports' business.
    """
    bound = max_rows()
    parts, params = [], []
    queues = queues_for(user)
    for queue in queues:
        # The very rows queue_dossiers lists for the tab, unordered (ordering would read them all).
        rows = _queue_rows(user, queue, now).order_by().values("pk")[: bound + 1]
        try:
            sql, values = rows.query.sql_with_params()
        except EmptyResultSet:  # no agency in scope: Django knows there is nothing to count
            parts.append("0")
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS tab)")
        params.extend(values)
    if not parts:
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return {queue.key: TabCount(count, bound) for queue, count in zip(queues, row, strict=True)}


# Both layouts of applications/codes.py: "000.01.01.H99-260115-0007" and "H99.01.01-260115-010007".
WHOLE_CODE = re.compile(r"[A-Za-z0-9.]+-\d{6}-\d{4,6}")


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=local_time_zone())


def queue_dossiers(user: User, key: str, now: datetime, *, search: str = "", procedure_id: int | None = None,
                   status: str = "", date_from: date | None = None, date_to: date | None = None,
                   sort: str = "") -> QuerySet[Dossier]:
    """One queue, filtered and sorted, with what the list shows joined in (no per-row query)."""
    dossiers = _queue_rows(user, QUEUES[key], now)
    if search and WHOLE_CODE.fullmatch(search) and dossiers.filter(code=search.upper()).exists():
        # A whole code (pasted from a slip or read out at the counter) is one row of the unique index;
        # "%…%" through the trigram index costs 100+ ms over a province's million dossiers. Codes are
        # written in capitals. The tail of a code can look whole too ("H99-260115-0007"): when no code
        # equals it, it is searched within codes as before.
        dossiers = dossiers.filter(code=search.upper())
    elif search:
        # Both columns have a trigram index on PostgreSQL (migration 0003), so "%…%" stays fast.
        dossiers = dossiers.filter(Q(code__icontains=search) | Q(applicant_name__icontains=search))
    if procedure_id:
        dossiers = dossiers.filter(procedure_version__procedure_id=procedure_id)
    if status:
        dossiers = dossiers.filter(status=status)
    if date_from:
        dossiers = dossiers.filter(submitted_at__gte=_day_start(date_from))
    if date_to:
        dossiers = dossiers.filter(submitted_at__lt=_day_start(date_to + timedelta(days=1)))
    ordering = SORTS.get(sort or QUEUES[key].default_sort, SORTS["due"])[1]
    return dossiers.select_related("procedure_version__procedure", "assigned_to").order_by(*ordering)
