"""Digitisation at receipt (Decree 118/2025 Art 17 k1c; Circular 01/2023/TT-VPCP Art 8).

The officer scans each paper a walk-in hands in; `filing.attachments_add_batch` records the scan
as digitised (who, when) and puts it in the applicant's document store. The law then wants the
scanned copy certified with the one-stop shop's digital signature: that happens here, once, after
the scan's transaction commits.
"""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def digitised_scan_certify(*, attachment_id: int) -> None:
    """Certify one digitised scan with the one-stop shop's signature.

    The single place where certification goes: signing is not wired yet, so this only logs. To
    wire it, call the signing service here (or dispatch a task on the documents queue that does),
    idempotently: a scan already certified is skipped, a failed signing is retried and swept,
    and the attachment's sha256 is updated with the signed bytes.
    """
    logger.info("digitised_scan_uncertified attachment=%s", attachment_id)
