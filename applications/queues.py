"""The back office's work queues: which dossiers each member of staff should look at now.

Every queue is a filter over the dossiers of the user's agencies (applications.selectors);
the counts of all queues come from one aggregate query and a queue page from two (count +
page), whatever the number of dossiers, helped by the (agency, status, due_current) index.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from applications.deadlines import clock_running, due_soon_limit
from applications.models import Dossier, Status
from applications.selectors import dossiers_for_staff
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


def queue_counts(user: User, now: datetime) -> dict[str, int]:
    """How many dossiers each of the user's queues holds: two queries whatever the volume.

    The per-queue counts aggregate over the open dossiers only (an index range on agency and
    status), which stay few while finished ones pile up; "all" is a plain count beside it.
    """
    queues = [queue for queue in queues_for(user) if queue.key != "all"]
    aggregates = {queue.key: Count("pk", filter=queue.condition(user, now)) for queue in queues}
    counts = staff_dossiers(user).filter(status__in=ACTIVE).aggregate(**aggregates) if aggregates else {}
    if "all" in {queue.key for queue in queues_for(user)}:
        counts["all"] = staff_dossiers(user).count()
    return counts


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=local_time_zone())


def queue_dossiers(user: User, key: str, now: datetime, *, search: str = "", procedure_id: int | None = None,
                   status: str = "", date_from: date | None = None, date_to: date | None = None,
                   sort: str = "") -> QuerySet[Dossier]:
    """One queue, filtered and sorted, with what the list shows joined in (no per-row query)."""
    queue = QUEUES[key]
    dossiers = staff_dossiers(user).filter(queue.condition(user, now))
    if search:
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
    ordering = SORTS.get(sort or queue.default_sort, SORTS["due"])[1]
    return dossiers.select_related("procedure_version__procedure", "assigned_to").order_by(*ordering)
