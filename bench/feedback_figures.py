"""Benchmark: the satisfaction and petition figures, and the petition pages, over many rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres DEBUG=1 .venv/bin/python bench/feedback_figures.py

Creates a PostgreSQL database `bench_feedback` on the server of DATABASE_URL (dropped first, and
again at the end unless --keep), bulk-creates returned dossiers with one rating each over a year in
two communes and petitions in every state, then prints, for a month and for the year, the median
time of `satisfaction_figures` / `petition_figures` against a baseline measured in the same run (a
plain COUNT over the same rows and period), and the median time and query count of the staff queue
and the public answers page. Options: --ratings N (default 50000), --petitions N (default 10000),
--repeat N (default 30), --keep.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_DB = "bench_feedback"

from scratch_db import scratch_database_create, scratch_database_drop  # noqa: E402


def _seed(ratings: int, petitions: int):
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from accounts.models import Agency, AgencyKind, Role, User
    from applications.models import Dossier, Status
    from feedback.models import Petition, PetitionStatus, Rating
    from tests.factories import make_procedure

    province = Agency.objects.create(eid_code="H99", name="Tỉnh thử", kind=AgencyKind.PROVINCE)
    communes = [Agency.objects.create(eid_code=f"H99.01.0{i}", name=f"Xã {i}", kind=AgencyKind.COMMUNE,
                                      parent=province) for i in (1, 2)]
    officer = User.objects.create_user(email="officer@bench.vn", password="x", full_name="Cán bộ", role=Role.OFFICER,
                                       agency=communes[0])
    citizen = User.objects.create_user(email="citizen@bench.vn", password="x", full_name="Công dân")
    versions = [make_procedure(agency=communes[0], name=f"Thủ tục {i}") for i in range(5)]
    now = timezone.now()
    for start in range(0, ratings, 5000):
        batch = []
        for n in range(start, min(start + 5000, ratings)):
            agency = communes[n % 2]
            returned = now - timedelta(minutes=10 * n % (365 * 24 * 60))
            batch.append(Dossier(code=f"B-{n:08d}", procedure_version=versions[n % 5], agency=agency, owner=citizen,
                                 status=Status.RETURNED, returned_at=returned, submitted_at=returned))
        dossiers = Dossier.objects.bulk_create(batch)
        Rating.objects.bulk_create([
            Rating(dossier=dossier, agency_id=dossier.agency_id, procedure_id=versions[i % 5].procedure_id,
                   channel="link", overall=1 + (i * 7) % 5, total_time=i % 3, contacts=(i + 1) % 3, conduct=2,
                   created_at=dossier.returned_at)
            for i, dossier in enumerate(dossiers)
        ])
    states = [PetitionStatus.ANSWERED] * 6 + [PetitionStatus.RECEIVED, PetitionStatus.ASSIGNED, PetitionStatus.DISMISSED]
    batch = []
    for n in range(petitions):
        received = now - timedelta(minutes=50 * n % (365 * 24 * 60))
        status = states[n % len(states)]
        closed = status in (PetitionStatus.ANSWERED, PetitionStatus.DISMISSED)
        batch.append(Petition(
            code=f"PB{n:08d}", secret_hash="x", topic="agency", agency=communes[n % 2], title=f"Phản ánh {n}",
            content="Nội dung", sender_name="Người gửi", received_at=received, due_at=received + timedelta(days=14),
            status=status, answered_at=received + timedelta(days=3 + n % 20) if closed else None,
            answer="Trả lời" if closed else "", answer_rating=1 + n % 5 if status == PetitionStatus.ANSWERED else None,
            public_question="Câu hỏi" if n % 3 == 0 and status == PetitionStatus.ANSWERED else "",
            public_answer="Trả lời" if n % 3 == 0 and status == PetitionStatus.ANSWERED else "",
            published_at=received + timedelta(days=5) if n % 3 == 0 and status == PetitionStatus.ANSWERED else None,
        ))
    Petition.objects.bulk_create(batch, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return officer, [agency.pk for agency in (province, *communes)]


def _sign_in_staff(client, user) -> None:
    """Signed in with the second factor passed, as the test suite's force_login leaves a member of staff."""
    import django_otp

    from accounts.two_factor import LAST_SEEN_KEY, VERIFIED_AT_KEY
    from tests.support.two_factor import staff_device_give

    client.force_login(user)
    device = staff_device_give(user)
    session = client.session
    session[django_otp.DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[VERIFIED_AT_KEY] = session[LAST_SEEN_KEY] = int(time.time())
    session.save()


def _median_ms(function, repeat: int) -> float:
    function()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def _page(client, url: str, repeat: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    return statistics.median(timings) * 1000, len(queries.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ratings", type=int, default=50_000)
    parser.add_argument("--petitions", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--keep", action="store_true")
    options = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL server (the bench creates its own database there).")
    os.environ["DATABASE_URL"] = scratch_database_create(url, BENCH_DB)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("DEBUG", "1")

    import django

    django.setup()
    from datetime import timedelta

    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from feedback.models import Petition, Rating
    from feedback.selectors import petition_figures, satisfaction_figures

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    settings.SECURE_SSL_REDIRECT = False
    try:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        officer, agency_ids = _seed(options.ratings, options.petitions)
        print(f"seeded {options.ratings:,} ratings and {options.petitions:,} petitions "
              f"in {time.perf_counter() - started:.1f} s")
        end = timezone.now()
        print(f"{'figure':42} {'median ms':>10} {'baseline ms':>12} {'ratio':>6}")
        for label, days in (("month", 30), ("year", 365)):
            start = end - timedelta(days=days)
            for name, figure, baseline in (
                ("satisfaction_figures", lambda s=start: satisfaction_figures(agency_ids, s, end),
                 lambda s=start: Rating.objects.filter(agency_id__in=agency_ids, created_at__gte=s,
                                                       created_at__lt=end).count()),
                ("petition_figures", lambda s=start: petition_figures(agency_ids, s, end),
                 lambda s=start: Petition.objects.filter(agency_id__in=agency_ids, received_at__gte=s,
                                                         received_at__lt=end).count()),
            ):
                measured, base = _median_ms(figure, options.repeat), _median_ms(baseline, options.repeat)
                print(f"{name + ' (' + label + ')':42} {measured:10.1f} {base:12.1f} {measured / base:6.1f}")
        client = Client()
        print(f"{'page':42} {'median ms':>10} {'queries':>12}")
        for label, path, signed_in in (("public answers (page 1)", "/phan-anh-kien-nghi/", False),
                                       ("public answers (page 50)", "/phan-anh-kien-nghi/?page=50", False),
                                       ("staff queue (page 1)", "/officer/phan-anh/", True)):
            if signed_in:
                _sign_in_staff(client, officer)
            median, queries = _page(client, path, options.repeat)
            print(f"{label:42} {median:10.1f} {queries:12d}")
    finally:
        if not options.keep:
            scratch_database_drop(url, BENCH_DB)


if __name__ == "__main__":
    main()
