"""Throughput of the portal's main pages against a bare `startproject` Django project, same gunicorn, same run.

    DATABASE_URL=postgres://portal:portal@127.0.0.1:5432/postgres DEBUG=1 .venv/bin/python bench/pages.py

The baseline is bench/baseline/ (startproject's apps and default middleware, one HttpResponse view), not the
portal's own middleware stack, so a ratio says how much of Django's floor a page keeps (issue 16's targets:
anonymous pages >= 0.5, signed-in search and procedure page >= 0.25, citizen dossier pages >= 0.15, officer
pages >= 0.10). Creates the database `bench_pages` (dropped at the end), migrates it, loads the demo data,
signs a citizen and the one-stop officer in (the officer's session carries a verified second factor, as after
a real sign-in), then serves the portal and the baseline alternately with gunicorn (DEBUG off,
bench/settings.py) and loads each page with wrk (as the issue's own figures: -t2 -c20 -d10s) or, without
wrk, the bounded threaded client of bench/search_throughput.py, which costs much of a core itself and so
flatters every ratio.

Repeating one page is what portal/lib/personal_pages.py serves again without building it (a citizen
refreshing their dossier, an officer back at the queue); `--built` turns that off, for what each page costs
when it has to be built (after a write to what it shows).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_throughput import (  # noqa: E402
    ROOT,
    VENV_BIN,
    database_urls,
    free_port,
    load,
    run_sql,
    server_env,
    start_gunicorn,
)

BENCH_DB = "bench_pages"

# Sessions are made in the bench database by the portal's own code path for a signed-in, second-factor
# verified staff member; the session keys go to stdout as JSON.
SIGN_IN = """
import json, time
import django_otp
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from accounts.models import User
from accounts.two_factor import LAST_SEEN_KEY, VERIFIED_AT_KEY
from applications.models import Dossier
from procedures.models import Procedure
keys = {}
for label, email in (("citizen", "citizen@example.vn"), ("officer", "officer@example.vn")):
    user = User.objects.get(email=email)
    client = Client()
    client.force_login(user)
    if user.role != "citizen":
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
        session = client.session
        session[django_otp.DEVICE_ID_SESSION_KEY] = device.persistent_id
        session[VERIFIED_AT_KEY] = session[LAST_SEEN_KEY] = int(time.time()) + 3600
        session.save()
    keys[label] = client.cookies["sessionid"].value
    keys["csrf_" + label] = _get_new_csrf_string()
dossier = Dossier.objects.filter(owner__email="citizen@example.vn").exclude(code="").order_by("pk").first()
keys["dossier"] = dossier.code
officer = User.objects.get(email="officer@example.vn")
keys["officer_dossier"] = (Dossier.objects.filter(agency=officer.agency).exclude(status="draft")
                           .exclude(code="").order_by("pk").values_list("code", flat=True).first())
keys["procedure"] = Procedure.objects.order_by("code").values_list("code", flat=True).first()
print("BENCH-KEYS " + json.dumps(keys))
"""


# wrk counts only transport errors and statuses >= 400; a 302 to the sign-in page would pass as a fast
# page. Each thread counts what is not a 200, and the total is printed at the end.
WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) not_ok = 0 end
function response(status, headers, body) if status ~= 200 then not_ok = not_ok + 1 end end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("not_ok") end
  io.write(string.format("NOT-200 %d\\n", total))
end
"""


def wrk_load(port: int, path: str, seconds: int, connections: int, headers: dict[str, str],
             script: str, expect: bytes) -> float:
    """Requests per second from wrk (the C load generator the issue's own figures came from); the
    page is first fetched once to check it answers 200 with a whole page."""
    assert load(port, path, 1, 1, expect, headers) > 0
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "-s", script]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run([*command, f"http://127.0.0.1:{port}{path}"], check=True, capture_output=True,
                         text=True).stdout
    rate = float(next(line for line in out.splitlines() if line.startswith("Requests/sec:")).split()[1])
    not_ok = int(next(line for line in out.splitlines() if line.startswith("NOT-200")).split()[1])
    if not_ok or "Socket errors" in out:
        raise RuntimeError(f"wrk saw {not_ok} answers other than 200 for {path}:\n{out}")
    return rate


def stop(server: subprocess.Popen) -> None:
    """A loaded machine can take more than a few seconds to stop gunicorn: wait, then kill, never lose the run."""
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=30)


def prepare(env: dict[str, str], bench_url: str) -> dict[str, str]:
    python = str(VENV_BIN / "python")
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([python, "manage.py", "seed_demo", "-v0"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    run_sql(bench_url, "VACUUM ANALYZE")
    out = subprocess.run([python, "manage.py", "shell", "-c", SIGN_IN], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout
    line = next(line for line in out.splitlines() if line.startswith("BENCH-KEYS "))
    return json.loads(line.removeprefix("BENCH-KEYS "))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1_000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds; the median of each is kept")
    parser.add_argument("--client", choices=("wrk", "python"), default="wrk" if shutil.which("wrk") else "python",
                        help="wrk (apt-get install wrk; as the issue's figures: -t2 -c20 -d10s) or the threaded "
                             "Python client of bench/search_throughput.py, which uses much of a core itself")
    parser.add_argument("--seconds", type=int, default=10, help="wrk: seconds per page")
    parser.add_argument("--connections", type=int, default=20, help="wrk: open connections")
    parser.add_argument("--database", default=BENCH_DB,
                        help="scratch database name (dropped first and at the end); distinct names let benches share a server")
    parser.add_argument("--only", default="", help="measure only the pages whose label contains this text")
    parser.add_argument("--built", action="store_true",
                        help="build every signed-in page (PERSONAL_PAGE_SECONDS=0): what a view costs after a write")
    args = parser.parse_args()

    maintenance_url, bench_url = database_urls(args.database)
    run_sql(maintenance_url, f"DROP DATABASE IF EXISTS {args.database}")
    run_sql(maintenance_url, f"CREATE DATABASE {args.database}")
    workdir = tempfile.mkdtemp(prefix="bench_pages_")
    try:
        env = server_env(bench_url, workdir)
        if args.built:
            env["PERSONAL_PAGE_SECONDS"] = "0"
        keys = prepare(env, bench_url)
        # Each browser also holds the CSRF cookie its first page set (a page with the sign-out form sends one):
        # without it every answer would set a new one, which no browser sees twice.
        citizen = {"Cookie": f"sessionid={keys['citizen']}; csrftoken={keys['csrf_citizen']}"}
        officer = {"Cookie": f"sessionid={keys['officer']}; csrftoken={keys['csrf_officer']}"}
        pages = [
            ("anonymous home", "/", {}, 0.5),
            ("anonymous search", "/procedures/?q=khai+sinh", {}, 0.5),
            ("anonymous procedure page", f"/procedures/{keys['procedure']}/", {}, 0.5),
            ("citizen search", "/procedures/?q=khai+sinh", citizen, 0.25),
            ("citizen procedure page", f"/procedures/{keys['procedure']}/", citizen, 0.25),
            ("citizen dossier list", "/dossiers/", citizen, 0.15),
            ("citizen dossier page", f"/dossiers/{keys['dossier']}/", citizen, 0.15),
            ("officer queue", "/officer/", officer, 0.10),
            ("officer queue, all", "/officer/?queue=all", officer, 0.10),
            ("officer dossier page", f"/officer/dossiers/{keys['officer_dossier']}/", officer, 0.10),
        ]
        pages = [page for page in pages if args.only in page[0]]
        script = Path(workdir) / "count_not_ok.lua"
        script.write_text(WRK_SCRIPT)

        def measure(port: int, path: str, headers: dict[str, str], expect: bytes) -> float:
            if args.client == "wrk":
                return wrk_load(port, path, args.seconds, args.connections, headers, str(script), expect)
            load(port, path, args.requests // 10, args.concurrency, expect, headers)  # warm-up
            return load(port, path, args.requests, args.concurrency, expect, headers)

        results: dict[str, list[float]] = {label: [] for label, *_ in pages}
        bare: list[float] = []
        for _ in range(args.rounds):
            port = free_port()
            server = start_gunicorn("bench.baseline.wsgi:application", port, env, args.workers)
            try:
                bare.append(measure(port, "/bare/", {}, b"ok"))
            finally:
                stop(server)
            port = free_port()
            server = start_gunicorn("portal.wsgi:application", port, env, args.workers)
            try:
                for label, path, headers, _target in pages:
                    results[label].append(measure(port, path, headers, b"</html>"))
                    # Each round as it goes (stderr), so a run cut short still says something.
                    print(f"round {len(bare)}: {label:28} {results[label][-1]:8.1f} req/s  "
                          f"{results[label][-1] / bare[-1]:.3f}", file=sys.stderr, flush=True)
            finally:
                stop(server)
    finally:
        run_sql(maintenance_url, f"DROP DATABASE IF EXISTS {args.database}")
        shutil.rmtree(workdir, ignore_errors=True)

    best_bare = statistics.median(bare)
    client = (f"wrk -t2 -c{args.connections} -d{args.seconds}s" if args.client == "wrk"
              else f"Python client, {args.requests} requests, concurrency {args.concurrency}")
    print(f"gunicorn sync workers: {args.workers}; {client}; rounds: {args.rounds} (median kept)")
    print(f"{'bare startproject view':28} {best_bare:8.1f} req/s  1.00")
    for label, path, _headers, target in pages:
        best = statistics.median(results[label])
        ratio = best / best_bare
        verdict = "met" if ratio >= target else "NOT met"
        print(f"{label:28} {best:8.1f} req/s  {ratio:.3f}  (target >= {target}: {verdict})  GET {path}")


if __name__ == "__main__":
    main()
