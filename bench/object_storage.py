"""Benchmark: files in the S3-compatible bucket against files in a folder, in the same run.

    .venv/bin/python bench/object_storage.py [megabytes]

Starts moto's S3 server (the test server, over HTTP on loopback) and, for a file of `megabytes` (default
10, the upload limit per file), times a save and a full streamed read (64 KiB chunks, as FileResponse
sends) through the portal's private storage, on a folder (the baseline) and on the bucket; then the
peak Python memory while reading it: the portal's streamed read against django-storages' own S3File,
which downloads the whole object first. No database is needed.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from storages.backends.s3 import S3File  # noqa: E402

from django.core.files.base import ContentFile  # noqa: E402

from portal.lib.storage import PrivateFileSystemStorage, PrivateS3Storage  # noqa: E402
from tests.support.s3 import ACCESS_KEY, REGION, SECRET_KEY, new_bucket, s3_server  # noqa: E402

CHUNK = 64 * 1024
ROUNDS = 5


def read_all(handle) -> int:  # type: ignore[no-untyped-def]  # any file-like object
    total = 0
    while data := handle.read(CHUNK):
        total += len(data)
    return total


def timed(storage, data: bytes) -> tuple[float, float]:  # type: ignore[no-untyped-def]  # a Storage
    saves, reads = [], []
    for n in range(ROUNDS):
        started = time.perf_counter()
        name = storage.save(f"bench/{n}.pdf", ContentFile(data))
        saves.append(time.perf_counter() - started)
        started = time.perf_counter()
        with storage.open(name, "rb") as handle:
            assert read_all(handle) == len(data)
        reads.append(time.perf_counter() - started)
    return statistics.median(saves), statistics.median(reads)


def peak(read) -> int:  # type: ignore[no-untyped-def]  # a callable
    tracemalloc.start()
    read()
    _current, highest = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return highest


def main() -> None:
    megabytes = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    data = os.urandom(megabytes * 1024 * 1024)
    folder = PrivateFileSystemStorage(location=tempfile.mkdtemp(prefix="bench-objects-"))
    with s3_server() as endpoint:
        bucket = PrivateS3Storage(bucket_name=new_bucket(endpoint), location="private", endpoint_url=endpoint,
                                  access_key=ACCESS_KEY, secret_key=SECRET_KEY, region_name=REGION)
        folder_save, folder_read = timed(folder, data)
        bucket_save, bucket_read = timed(bucket, data)
        name = bucket.save("bench/peak.pdf", ContentFile(data))

        def streamed() -> None:
            with bucket.open(name, "rb") as handle:
                read_all(handle)

        def whole_first() -> None:
            handle = S3File(bucket._normalize_name(name), "rb", bucket)
            read_all(handle)
            handle.close()

        streamed_peak, whole_peak = peak(streamed), peak(whole_first)
    print(f"file: {megabytes} MiB, median of {ROUNDS}")
    print(f"save   folder {folder_save * 1000:8.1f} ms   bucket {bucket_save * 1000:8.1f} ms   "
          f"ratio {bucket_save / folder_save:6.1f}x")
    print(f"read   folder {folder_read * 1000:8.1f} ms   bucket {bucket_read * 1000:8.1f} ms   "
          f"ratio {bucket_read / folder_read:6.1f}x")
    print(f"peak Python memory reading it: streamed {streamed_peak / 2**20:.1f} MiB, "
          f"django-storages S3File {whole_peak / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
