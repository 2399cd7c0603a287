"""Who hears about what happens to a dossier. (Filled in by the notifications issue.)"""

from __future__ import annotations

from applications.models import Dossier, DossierEvent


def dossier_notify(dossier: Dossier, event: str, dossier_event: DossierEvent | None = None, **extra) -> None:
    """Queue the notifications for `event` (e.g. "received"); call inside the transaction of its cause."""
    return None
