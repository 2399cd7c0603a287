"""Template helpers for the timeline and the deadline clock (used on citizen and staff pages)."""

from __future__ import annotations

from django import template

from applications import presentation
from applications.deadlines import DeadlineClock, deadline_clock
from applications.models import Dossier, DossierEvent, Status

register = template.Library()

# Value → lazy label, built once: Dossier.get_status_display() rebuilds and hashes the whole choices
# list (translating every label) on each call, once per row of a queue page.
STATUS_LABELS = dict(Status.choices)


@register.filter
def event_label(event: DossierEvent) -> str:
    return presentation.event_label(event)


@register.filter
def event_details(event: DossierEvent, viewer: str = "citizen") -> list[str]:
    return presentation.event_details(event, viewer=viewer or "citizen")


@register.filter
def event_actor(event: DossierEvent, viewer: str = "citizen") -> str:
    return presentation.actor_label(event, viewer=viewer or "citizen")


@register.filter
def status_badge(status: str) -> str:
    return presentation.status_badge(status)


@register.filter
def status_label(status: str) -> str:
    """What `dossier.get_status_display` shows, in the active language."""
    return str(STATUS_LABELS.get(status, status))


@register.simple_tag
def dossier_clock(dossier: Dossier, pauses=None) -> DeadlineClock:
    """The deadline clock; pass `pauses` when the view already loaded them (saves a query)."""
    if not isinstance(pauses, list | tuple):  # not passed: a missing variable renders as ""
        pauses = list(dossier.pauses.all())
    extensions = list(dossier.extensions.all()) if dossier.received_at else []
    return deadline_clock(dossier, pauses, extensions=extensions)
