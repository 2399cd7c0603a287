"""Read-side queries for the catalogue."""

from __future__ import annotations

from procedures.models import Procedure, Sector


def home_page_context() -> dict:
    """What the home page shows: sectors and the most-used published procedures."""
    procedures = (
        Procedure.objects.filter(is_published=True, current_version__isnull=False)
        .select_related("current_version", "sector")
        .order_by("-popularity", "code")[:8]
    )
    return {"popular_procedures": list(procedures), "sectors": list(Sector.objects.all())}
