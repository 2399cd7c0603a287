"""Benchmark: our backup and restore against bare pg_dump/pg_restore plus a file copy, in the same run.

    DATABASE_URL=postgres://… DEBUG=1 .venv/bin/python bench/backup_restore.py [repeats]

Backs up the portal DATABASE_URL names (e.g. after `manage.py seed_demo`) with its media folders.
Baseline: `pg_dump --format=custom` plus a copy of both media folders; restore baseline: `pg_restore`
into a scratch database plus a copy back. Ours (in-process, so Django's start-up is not counted):
`backup_create` plain and encrypted, and `backup_restore` of the encrypted archive into another
scratch database and empty folders (hash checks of the whole archive, pg_restore, files through the
storages). Prints medians, the archive size and the ratios ours / baseline.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from bench.scratch_db import scratch_database_create, scratch_database_drop  # noqa: E402
from ops.backup import _pg_environment, backup_create, backup_restore  # noqa: E402


def median_seconds(action, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    url = os.environ["DATABASE_URL"]
    source = connection.settings_dict["NAME"]
    pg_env = _pg_environment()
    work = Path(tempfile.mkdtemp(prefix="bench-backup-"))
    key = os.urandom(32)
    names = [f"bench_restore_{i}" for i in range(2 * repeats)]
    try:
        def base_backup() -> None:
            shutil.rmtree(work / "base", ignore_errors=True)
            (work / "base").mkdir()
            subprocess.run(["pg_dump", "--format=custom", "--no-password", f"--file={work / 'base' / 'db.dump'}"],
                           env=pg_env, check=True)
            for root, label in ((settings.MEDIA_ROOT, "public"), (settings.PRIVATE_MEDIA_ROOT, "private")):
                if Path(root).exists():
                    shutil.copytree(root, work / "base" / label)

        base = median_seconds(base_backup, repeats)
        base_size = sum(path.stat().st_size for path in (work / "base").rglob("*") if path.is_file())
        plain = median_seconds(lambda: backup_create(directory=work / "plain", key=None), repeats)
        encrypted = median_seconds(lambda: backup_create(directory=work / "enc", key=key), repeats)
        archive = sorted((work / "enc").iterdir())[-1]

        pending = iter(names)

        def base_restore() -> None:
            name = next(pending)
            scratch_database_create(url, name)
            started = time.perf_counter()
            subprocess.run(["pg_restore", "--no-password", "--no-owner", "--no-privileges", "--single-transaction",
                            f"--dbname={name}", str(work / "base" / "db.dump")], env=pg_env, check=True)
            shutil.copytree(work / "base", work / f"copy-{name}")
            base_restore.seconds.append(time.perf_counter() - started)

        def our_restore() -> None:
            name = next(pending)
            scratch_database_create(url, name)
            connection.close()
            connection.settings_dict["NAME"] = name
            root = work / f"restored-{name}"
            storages_setting = {**settings.STORAGES, "private": {
                **settings.STORAGES["private"], "OPTIONS": {"location": str(root / "private"), "base_url": None}}}
            try:
                with override_settings(MEDIA_ROOT=root / "media", STORAGES=storages_setting):
                    started = time.perf_counter()
                    backup_restore(path=archive, key=key)
                    our_restore.seconds.append(time.perf_counter() - started)
            finally:
                connection.close()
                connection.settings_dict["NAME"] = source

        base_restore.seconds, our_restore.seconds = [], []
        for _ in range(repeats):
            base_restore()
            our_restore()
        base_r, ours_r = statistics.median(base_restore.seconds), statistics.median(our_restore.seconds)

        print(f"median of {repeats}; database {source}, {base_size / 1e6:.2f} MB dumped + media")
        print(f"baseline backup (pg_dump + copy of media): {base:6.2f} s")
        print(f"backup, plain:                             {plain:6.2f} s  ratio {plain / base:5.2f}")
        print(f"backup, encrypted:                         {encrypted:6.2f} s  ratio {encrypted / base:5.2f}, "
              f"archive {archive.stat().st_size / 1e6:.2f} MB")
        print(f"baseline restore (pg_restore + copy):      {base_r:6.2f} s")
        print(f"restore of the encrypted archive:          {ours_r:6.2f} s  ratio {ours_r / base_r:5.2f}")
    finally:
        connection.close()
        for name in names:
            scratch_database_drop(url, name)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
