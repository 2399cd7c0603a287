from celery import shared_task


@shared_task(name="monitoring.tasks.failures_digest")
def failures_digest() -> int:
    """Beat, every morning: the administrators' digest of what failed for good."""
    from monitoring.services import failures_digest_send

    return failures_digest_send()
