"""The one-stop shop's print-and-mail queue: slips to send back by ordinary letter to the applicant
of a dossier that came by post (Mẫu 01, written at receipt by applications.workflow).

Why a queue and not a postal order: Mẫu 01 is one sheet sent as an ordinary letter, with no
tracking, cash on delivery or delivery report that would change the dossier (its receipt date is
already fixed by the envelope's arrival); the postal order with its idempotency key is one parcel
per dossier and belongs to the result. What must not happen is a slip that is never sent: the queue
lists each one until an officer marks it mailed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.access import staff_agency_ids
from applications.models import Document, MailingState, SlipMailing

if TYPE_CHECKING:
    from accounts.models import User


def slip_mailings_for_staff(user: User) -> QuerySet[SlipMailing]:
    """Slips still to mail for the officer's agencies, oldest first, each with its documents."""
    documents = Prefetch("dossier__documents", queryset=Document.objects.order_by("pk"))
    return (SlipMailing.objects.filter(dossier__agency_id__in=staff_agency_ids(user), state=MailingState.TO_MAIL)
            .select_related("dossier").prefetch_related(documents).order_by("created_at", "pk"))


def slip_mailing_get_for_staff(user: User, pk: int) -> SlipMailing:
    item = SlipMailing.objects.filter(pk=pk, dossier__agency_id__in=staff_agency_ids(user)).first()
    if item is None:
        raise Http404("Không tìm thấy giấy tờ cần gửi.")
    return item


@transaction.atomic
def slip_mailing_mark_mailed(item: SlipMailing, *, actor: User) -> bool:
    """Record that the slip went to the post. False (nothing changed) when it was marked already."""
    updated = SlipMailing.objects.filter(pk=item.pk, state=MailingState.TO_MAIL).update(
        state=MailingState.MAILED, mailed_at=timezone.now(), mailed_by=actor)
    return bool(updated)
