"""Celery tasks of the dossier app: thin wrappers that call one service each.

Routing (settings.CELERY_TASK_ROUTES): names starting with "applications.tasks.document_" go to
the `documents` queue, where WeasyPrint runs with its own time limits.
"""

from __future__ import annotations

from celery import shared_task

# A one-page slip renders in well under a second; a minute means something is wrong.
PDF_SOFT_TIME_LIMIT = 30
PDF_TIME_LIMIT = 45


@shared_task(
    name="applications.tasks.document_render", acks_late=True, reject_on_worker_lost=True,
    soft_time_limit=PDF_SOFT_TIME_LIMIT, time_limit=PDF_TIME_LIMIT, ignore_result=True,
)
def document_render(document_id: int) -> str:
    """Render one pending Document to PDF. Idempotent: safe to deliver twice."""
    from applications.documents import document_generate

    return document_generate(document_id=document_id)


@shared_task(
    name="applications.tasks.document_scan_certify", acks_late=True, reject_on_worker_lost=True,
    soft_time_limit=PDF_SOFT_TIME_LIMIT, time_limit=PDF_TIME_LIMIT, ignore_result=True,
)
def document_scan_certify(attachment_id: int) -> str:
    """Certify one scan digitised at the counter with the one-stop shop's signature (Circular
    01/2023 Art 8). Idempotent: a certified scan is never signed again."""
    from applications.digitisation import digitised_scan_certify

    return digitised_scan_certify(attachment_id=attachment_id)


@shared_task(name="applications.tasks.document_sweep", ignore_result=True)
def document_sweep(older_than_seconds: int = 120) -> int:
    """Beat: re-dispatch documents whose render task was lost (broker down, worker killed), and
    digitised scans still waiting for their certification (task lost, token unreachable)."""
    from applications.digitisation import digitised_scans_sweep
    from applications.documents import documents_sweep

    return documents_sweep(older_than_seconds=older_than_seconds) + digitised_scans_sweep(
        older_than_seconds=older_than_seconds,
    )


@shared_task(name="applications.tasks.deadline_digest", ignore_result=True)
def deadline_digest() -> int:
    """Beat, every working morning: tell staff what is due within a working day or overdue, and
    remind the processing unit of deadlines an apology can still be sent for."""
    from applications.notifications import deadline_digest_send

    return deadline_digest_send()


@shared_task(name="applications.tasks.attachments_rescan", ignore_result=True)
def attachments_rescan() -> dict[str, int]:
    """Scan again the files quarantined while the malware scanner was down or slow."""
    from applications.malware import attachments_rescan_run

    return attachments_rescan_run()
