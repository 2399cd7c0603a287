"""Benchmark: the nightly retention run against the quality summary's full rebuild, in the same run.

    DATABASE_URL=postgres://… DEBUG=1 .venv/bin/python bench/retention_run.py [count]

Generates `count` (default 2000) dossiers that ended twelve years ago (quality's history generator),
then times, on the same rows: the quality summary rebuilt from every event (the baseline, a bulk SQL
job the portal already runs), the retention run that anonymises every ended dossier, and a second
retention run (nothing left to do). Prints the times, dossiers per second, and the ratios to the baseline.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    setup_test_environment()
    settings.PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-retention-")
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        run(count)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(count: int) -> None:
    from django.utils import timezone

    from accounts.models import Agency, AgencyKind, Role, User
    from quality.history import history_generate
    from quality.summary import summary_rebuild
    from retention.services import retention_run
    from tests.factories import make_procedure

    province = Agency.objects.create(eid_code="H99", name="Tỉnh thử", kind=AgencyKind.PROVINCE)
    commune = Agency.objects.create(eid_code="H99.01", name="Xã thử", kind=AgencyKind.COMMUNE, parent=province)
    officer = User.objects.create_user(email="officer@bench.vn", full_name="Cán bộ", role=Role.OFFICER, agency=commune)
    versions = [make_procedure(agency=commune), make_procedure(agency=commune, name="Chứng thực")]
    history_generate(agencies=[commune], versions=versions, actor=officer, count=count,
                     start=timezone.now() - timedelta(days=365 * 13), days=300, seed=91)

    started = time.perf_counter()
    summary_rebuild()
    baseline = time.perf_counter() - started

    started = time.perf_counter()
    first = retention_run()
    anonymise = time.perf_counter() - started

    started = time.perf_counter()
    second = retention_run()
    again = time.perf_counter() - started

    print(f"dossiers generated: {count}; ended and anonymised: {first.dossiers_anonymised}; "
          f"second run: {second.dossiers_anonymised}")
    print(f"baseline quality summary rebuild: {baseline:.2f} s")
    print(f"retention run: {anonymise:.2f} s ({first.dossiers_anonymised / anonymise:.0f} dossiers/s), "
          f"ratio to baseline {anonymise / baseline:.1f}")
    print(f"second retention run (nothing to do): {again:.3f} s, ratio to baseline {again / baseline:.2f}")


if __name__ == "__main__":
    main()
