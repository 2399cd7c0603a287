from celery import shared_task


@shared_task
def quality_summary_refresh() -> int:
    """Fold the dossier events since the last run into the daily summary (idempotent)."""
    from quality.summary import summary_refresh

    return summary_refresh()
