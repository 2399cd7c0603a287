from __future__ import annotations

from celery import shared_task


@shared_task(ignore_result=True)
def national_sync_drain() -> None:
    from national.services import sync_drain

    sync_drain()


@shared_task(ignore_result=True)
def national_sync_sweep() -> None:
    from national.services import sync_sweep

    sync_sweep()


@shared_task(ignore_result=True)
def national_inbound_pull() -> None:
    from national.inbound import inbound_pull

    inbound_pull()


@shared_task(ignore_result=True)
def national_sync_digest() -> None:
    from national.services import sync_digest_send

    sync_digest_send()
