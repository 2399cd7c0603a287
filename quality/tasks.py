from celery import shared_task


@shared_task
def quality_summary_refresh() -> int:
    """Fold the dossier events since the last run into the daily summary (idempotent), then warm the
    public counters' cache so /minh-bach/ never computes on a visitor's request."""
    from django.utils import timezone

    from applications.deadlines import local_date
    from quality.public import transparency_board_warm
    from quality.summary import summary_refresh

    buckets = summary_refresh()
    transparency_board_warm(local_date(timezone.now()).year)
    return buckets
