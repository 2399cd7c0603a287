"""Number the dossiers received before the tracking-book number was stored, in receipt order.

The numbers are the ones the receipt (Mẫu 01) printed until now: per agency and calendar year of
receipt in Vietnam time, from 1, ordered by receipt time then by id. Each agency's counter for the
year is left at its last number, so the next receipt continues the series.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations

BATCH = 1000


def number_received_dossiers(apps, schema_editor):
    Dossier = apps.get_model("applications", "Dossier")
    TrackingBookCounter = apps.get_model("applications", "TrackingBookCounter")
    zone = ZoneInfo(getattr(settings, "WORKDAY_TIME_ZONE", "Asia/Ho_Chi_Minh"))
    last: dict[tuple[int, int], int] = {}
    pending = []
    received = (
        Dossier.objects.filter(received_at__isnull=False, book_number__isnull=True)
        .order_by("agency_id", "received_at", "pk").only("pk", "agency_id", "received_at")
    )
    for dossier in received.iterator(chunk_size=BATCH):
        key = (dossier.agency_id, dossier.received_at.astimezone(zone).year)
        last[key] = last.get(key, 0) + 1
        dossier.book_year, dossier.book_number = key[1], last[key]
        pending.append(dossier)
        if len(pending) >= BATCH:
            Dossier.objects.bulk_update(pending, ["book_year", "book_number"])
            pending = []
    if pending:
        Dossier.objects.bulk_update(pending, ["book_year", "book_number"])
    TrackingBookCounter.objects.bulk_create(
        [TrackingBookCounter(agency_id=agency_id, year=year, last_value=value) for (agency_id, year), value in last.items()]
    )


class Migration(migrations.Migration):

    dependencies = [
        ("applications", "0006_tracking_book_number"),
    ]

    operations = [
        migrations.RunPython(number_received_dossiers, migrations.RunPython.noop),
    ]
