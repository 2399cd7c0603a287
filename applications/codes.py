"""Dossier codes (mã hồ sơ): Circular 01/2018/TT-VPCP Art 19 and Circular 03/2025/TT-VPCP
Art 13 k3 (added by Circular 04/2025/TT-VPCP Art 23).

Two layouts, chosen by settings.DOSSIER_CODE_FORMAT:

- "c01_2018" (Circular 01/2018 Art 19, the default): the agency code written from level 4 down
  to level 1, the day, and a 4-digit daily sequence per agency: ``000.01.01.H99-260115-0007``.
- "c04_2025" (Circular 04/2025 Art 23, nationally centralised systems): the agency e-ID code
  left to right, the day, then AA (settings.DOSSIER_CODE_SYSTEM_ID) and the sequence:
  ``H99.01.01-260115-010007``.

The sequence comes from a DossierCodeCounter row locked with SELECT … FOR UPDATE, so two
concurrent submissions never get the same number, and a number once handed out is never
handed out again, even when the dossier is later refused or withdrawn (Decree 45/2020 Art 12).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from accounts.models import Agency
from applications.models import DossierCodeCounter
from applications.rows import counter_row_locked

FORMAT_C01_2018 = "c01_2018"
FORMAT_C04_2025 = "c04_2025"


def dossier_code_format(agency: Agency, day: date, sequence: int) -> str:
    """The code for the `sequence`-th dossier of `agency` on `day`, in the configured layout."""
    layout = getattr(settings, "DOSSIER_CODE_FORMAT", FORMAT_C01_2018)
    if layout == FORMAT_C01_2018:
        return f"{agency.legacy_code()}-{day:%y%m%d}-{sequence:04d}"
    if layout == FORMAT_C04_2025:
        system_id = str(getattr(settings, "DOSSIER_CODE_SYSTEM_ID", "01")).zfill(2)
        return f"{agency.eid_code}-{day:%y%m%d}-{system_id}{sequence:04d}"
    raise ImproperlyConfigured(f"DOSSIER_CODE_FORMAT must be {FORMAT_C01_2018!r} or {FORMAT_C04_2025!r}.")


@transaction.atomic
def dossier_code_next(agency: Agency, day: date) -> str:
    """Take the next number of `agency`'s daily sequence for `day` and return the dossier code.

    Call it inside the transaction that stores the code: the counter row stays locked until
    that transaction ends, which serialises concurrent submissions for the same agency and day.
    """
    counter = counter_row_locked(DossierCodeCounter, agency=agency, day=day)
    counter.last_value += 1
    counter.save(update_fields=["last_value"])
    return dossier_code_format(agency, day, counter.last_value)
