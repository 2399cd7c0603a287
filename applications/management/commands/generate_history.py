"""manage.py generate_history --dossiers 1000000 --agencies 200: a province-sized dossier history.

For capacity benches and load tests only (applications.history_scale): it writes generated people,
communes, procedures and dossiers straight into the tables. Refuses anything but PostgreSQL, and a
database that already holds dossiers unless --append.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from accounts.access import agency_tree_changed
from accounts.models import Agency
from applications.history_scale import generate_history
from applications.models import Dossier
from applications.queues import dossiers_changed
from procedures.cache import catalogue_changed


class Command(BaseCommand):
    help = "Tạo lịch sử hồ sơ giả lập quy mô lớn (chỉ dùng để đo năng lực, trên PostgreSQL)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--dossiers", type=int, default=1_000_000)
        parser.add_argument("--agencies", type=int, default=200, help="communes (xã) receiving dossiers")
        parser.add_argument("--procedures", type=int, default=50)
        parser.add_argument("--days", type=int, default=365, help="the history ends now and spans this many days")
        parser.add_argument("--seed", type=int, default=16)
        parser.add_argument("--workers", type=int, default=2,
                            help="processes generating in parallel (each takes a share of the communes), and "
                                 "connections vacuuming and rebuilding the indexes after the load")
        parser.add_argument("--append", action="store_true",
                            help="add to a database that already holds dossiers (keeps its indexes while loading)")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if connection.vendor != "postgresql":
            raise CommandError("generate_history chỉ chạy trên PostgreSQL (dùng COPY).")
        if options["dossiers"] < 1 or options["agencies"] < 1 or options["procedures"] < 1 or options["days"] < 1:
            raise CommandError("--dossiers, --agencies, --procedures và --days phải lớn hơn 0.")
        if Dossier.objects.exists() and not options["append"]:
            raise CommandError("Cơ sở dữ liệu đã có hồ sơ; dùng --append nếu thật sự muốn thêm hồ sơ giả lập.")
        report = generate_history(
            dossiers=options["dossiers"], agencies=options["agencies"], procedures=options["procedures"],
            days=options["days"], seed=options["seed"], append=options["append"], workers=max(1, options["workers"]),
            progress=lambda message: self.stdout.write(message) if options["verbosity"] else None,
        )
        # The communes went in by COPY, past the signals that drop the cached agency tree: staff scopes
        # must see them now, not after the cache expires.
        agency_tree_changed()
        catalogue_changed()  # and so did the procedures
        for agency_id in Agency.objects.values_list("pk", flat=True):
            dossiers_changed(agency_id)  # and the dossiers behind every queue badge
        self.stdout.write(f"{report.dossiers:,} dossiers in {report.seconds['total']:.1f} s")
        for label, count in sorted(report.rows.items()):
            self.stdout.write(f"  {label:32} {count:>12,}")
        for label in ("reference", "generate", "copy", "indexes", "vacuum"):
            self.stdout.write(f"  {label:32} {report.seconds[label]:>10.1f} s")
