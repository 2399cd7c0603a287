"""Where the officer's queue page (and the other pages of issue 16) spend their time, in-process.

    set -a; . ./.env; set +a; .venv/bin/python manage.py seed_demo -v0   # once, on a migrated database
    set -a; . ./.env; set +a; .venv/bin/python bench/profile_queue.py [--requests 200] [--cprofile 40]

Runs against the database of DATABASE_URL (which must hold the demo data) with DEBUG off, the
production template loaders and the Redis cache production runs on (BENCH_REDIS_URL, database 15 by default).
Signs the demo officer in with a verified second factor and the demo citizen, then prints:

- the median time of each page through Django's test Client (all middleware, no socket);
- for the officer queue, a per-phase breakdown: middleware + shell (a view rendering nothing),
  the queue counts, the queue's page of dossiers, building the filter form, rendering the filter
  form's fields and the rest of the template;
- with --cprofile N, the N most expensive functions (cumulative) of the officer queue;
- with --nodes LABEL, the template nodes of that page (a label of the first table) by their own time,
  queries run inside a node included (a lazy queryset is read where the template loops over it).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from inprocess_env import production_like  # noqa: E402

production_like()


CPU: list[float] = []  # the CPU-time median of the last median_ms() call


def median_ms(function, requests: int) -> float:
    """Median wall time; the median CPU time of this process goes to CPU[-1] (on a shared, loaded
    machine it moves much less than wall time, but it leaves out PostgreSQL's own work)."""
    function()  # warm caches
    timings, cpu = [], []
    for _ in range(requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        function()
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    CPU.append(statistics.median(cpu) * 1000)
    return statistics.median(timings) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--cprofile", type=int, default=0, help="print the N most expensive functions")
    parser.add_argument("--sql", action="store_true", help="list the dossier pages' queries")
    parser.add_argument("--nodes", default="", help="template nodes of this page by their own time")
    options = parser.parse_args()

    import django

    django.setup()
    import django_otp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from django.db import connection
    from django.template.loader import render_to_string
    from django.test import Client, RequestFactory
    from django.utils import timezone, translation

    from accounts.access import staff_agency_ids
    from accounts.models import User
    from accounts.two_factor import LAST_SEEN_KEY, VERIFIED_AT_KEY
    from applications import forms_officer
    from applications.models import Dossier
    from applications.queues import queue_counts, queue_dossiers
    from applications.views import officer as officer_views
    from procedures.models import Procedure

    officer = User.objects.get(email="officer@example.vn")
    citizen = User.objects.get(email="citizen@example.vn")
    staff = Client()
    staff.force_login(officer)
    device, _ = TOTPDevice.objects.get_or_create(user=officer, name="bench", defaults={"confirmed": True})
    session = staff.session
    session[django_otp.DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[VERIFIED_AT_KEY] = session[LAST_SEEN_KEY] = int(time.time()) + 3600
    session.save()
    person = Client()
    person.force_login(citizen)
    anonymous = Client()
    procedure = Procedure.objects.order_by("code").values_list("code", flat=True).first()
    own = Dossier.objects.filter(owner=citizen).exclude(code="").order_by("pk").values_list("code", flat=True).first()
    handled = (Dossier.objects.filter(agency=officer.agency).exclude(status="draft").exclude(code="")
               .order_by("pk").values_list("code", flat=True).first())

    pages = [
        ("anonymous home", anonymous, "/"),
        ("anonymous search", anonymous, "/procedures/?q=khai+sinh"),
        ("anonymous procedure page", anonymous, f"/procedures/{procedure}/"),
        ("citizen search", person, "/procedures/?q=khai+sinh"),
        ("citizen procedure page", person, f"/procedures/{procedure}/"),
        ("citizen dossier list", person, "/dossiers/"),
        ("citizen dossier page", person, f"/dossiers/{own}/"),
        ("officer queue", staff, "/officer/"),
        ("officer queue, all", staff, "/officer/?queue=all"),
        ("officer queue, filtered", staff, "/officer/?queue=all&q=a&sort=code"),
        ("officer dossier page", staff, f"/officer/dossiers/{handled}/"),
    ]
    print(f"{'page (test Client, DEBUG off)':32} {'median ms':>9} {'CPU ms':>7} {'queries':>7}")
    for label, client, url in pages:
        def get(client=client, url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response
        get()  # warm: the first request may fill caches
        queries: list[str] = []

        def record(execute, sql, *args, queries=queries):
            queries.append(sql)
            return execute(sql, *args)

        with connection.execute_wrapper(record):
            get()
        wall = median_ms(get, options.requests)
        print(f"{label:32} {wall:9.2f} {CPU[-1]:7.2f} {len(queries):7d}")
        if options.sql and (label.startswith("officer") or "dossier" in label):
            print("    " + "\n    ".join(sql[:150] for sql in queries))

    # Per phase, for the officer's default queue; each phase is timed alone, in the order the view runs them.
    print("\nofficer queue by phase (median ms: wall, CPU)")
    request = RequestFactory().get("/officer/")
    request.user = officer
    agency_ids = staff_agency_ids(officer)
    now = timezone.now()
    translation.activate("vi")

    def page_rows():  # as the view reads them
        return list(queue_dossiers(officer, "new", now).select_related(None)
                    .select_related("procedure_version", "assigned_to").only(*officer_views.QUEUE_ROW_FIELDS)[:25])

    def counts():
        return queue_counts(officer, now)

    def build_form():
        return forms_officer.QueueFilterForm(None, agency_ids=agency_ids)

    form = build_form()

    from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

    from portal.templatetags.bs5_fields import bs5_field

    def crispy_filters():
        return [as_crispy_field(form[name]) for name in form.fields]

    def fast_filters():
        return [bs5_field(form[name]) for name in form.fields]

    def whole_view():
        return staff.get("/officer/")

    phases = [
        ("whole request (test Client)", whole_view),
        ("middleware + site shell (404 page)", lambda: staff.get("/officer/no-such-page/")),
        ("queue counts (1 aggregate + 1 count)", counts),
        ("the queue's page of dossiers", page_rows),
        ("filter form: build (procedure choices)", build_form),
        ("filter form: its 6 fields with |as_crispy_field", crispy_filters),
        ("filter form: its 6 fields with |bs5_field", fast_filters),
        ("filter form: cached fields (what the view does)", lambda: officer_views._filter_fields(build_form(),
                                                                                                 agency_ids)),
        ("template alone, prepared context", lambda: render_to_string(
            "applications/officer/home.html", prepared_context(), request)),
    ]

    def prepared_context():
        from django.core.paginator import Paginator

        from applications.queues import QUEUES, queues_for
        counted = counts()
        return {"queues": [(queue, counted.get(queue.key, 0)) for queue in queues_for(officer)],
                "current": QUEUES["new"], "page": Paginator(page_rows(), 25).get_page(1),
                "filter_form": build_form(), "query": "", "now": now, "user": officer,
                "filter_fields": officer_views._filter_fields(build_form(), agency_ids)}

    for label, function in phases:
        wall = median_ms(function, options.requests)
        print(f"  {label:50} {wall:7.2f} {CPU[-1]:7.2f}")

    if options.nodes:
        node_times(dict((label, (client, url)) for label, client, url in pages)[options.nodes], options.requests)

    if options.cprofile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(options.requests):
            whole_view()
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(options.cprofile)
        stats.sort_stats("tottime").print_stats(options.cprofile)
        print(out.getvalue())


def node_times(client_url, requests: int, top: int = 30) -> None:
    """Each template node's own time (its children's taken out), per request, most expensive first."""
    from collections import Counter, defaultdict

    from django.template import base

    client, url = client_url
    own: defaultdict = defaultdict(float)
    calls: Counter = Counter()
    stack: list[float] = []
    original = base.Node.render_annotated

    def timed(node, context):
        started = time.perf_counter()
        stack.append(0.0)
        try:
            return original(node, context)
        finally:
            spent, children = time.perf_counter() - started, stack.pop()
            if stack:
                stack[-1] += spent
            token = getattr(node, "token", None)
            key = (node.origin.template_name if node.origin else "?", token.lineno if token else 0,
                   token.contents[:60] if token else type(node).__name__)
            own[key] += spent - children
            calls[key] += 1

    base.Node.render_annotated = timed
    try:
        for _ in range(requests):
            client.get(url)
    finally:
        base.Node.render_annotated = original
    print(f"\ntemplate nodes of {url}: {sum(own.values()) / requests * 1000:.2f} ms per request in all")
    for key, spent in sorted(own.items(), key=lambda item: -item[1])[:top]:
        print(f"  {spent / requests * 1000:7.3f} ms {calls[key] // requests:4d}x  {key[0]}:{key[1]}  {key[2]}")


if __name__ == "__main__":
    main()
