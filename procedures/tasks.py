from __future__ import annotations

from celery import shared_task


@shared_task(name="procedures.tasks.procedure_versions_activate")
def procedure_versions_activate() -> list[str]:
    """Daily: future-dated published versions take effect. Idempotent."""
    from procedures.services import procedure_versions_activate as activate

    return activate()
