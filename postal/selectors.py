"""Reads of postal orders, always scoped to the officer's agencies."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone

from accounts.access import staff_agency_ids
from postal.models import PostalOrder

if TYPE_CHECKING:
    from accounts.models import User


def orders_handed_over(user: User, day: date) -> QuerySet[PostalOrder]:
    """The parcels the operator accepted on `day` (local time) for the officer's agencies: the
    hand-over slip's list."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    end = timezone.make_aware(datetime.combine(day, time.max))
    return (PostalOrder.objects.filter(dossier__agency_id__in=staff_agency_ids(user), accepted_at__range=(start, end))
            .select_related("dossier__agency", "dossier__procedure_version").order_by("accepted_at", "pk"))
