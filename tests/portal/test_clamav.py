"""The clamd client against a real ClamAV daemon (tests/support/clamd.py), over its unix socket."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from portal.lib.clamav import ScannerUnavailable, scan_chunks, scanner_ping
from tests.support.clamd import EICAR, SIGNATURE


def test_the_eicar_test_file_is_found(clamd):
    result = scan_chunks([EICAR])
    assert result.infected and result.signature.startswith(SIGNATURE)


def test_eicar_inside_a_zip_is_found(clamd):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("docs/readme.txt", EICAR)
    assert scan_chunks([archive.getvalue()]).infected


def test_a_clean_pdf_in_many_chunks_is_clean(clamd):
    pdf = b"%PDF-1.4\n" + b"0" * 300_000 + b"\n%%EOF\n"
    assert not scan_chunks([pdf[i:i + 10_000] for i in range(0, len(pdf), 10_000)]).infected


def test_a_stopped_scanner_is_reported_quickly(clamd):
    clamd.stop()
    began = time.monotonic()
    with pytest.raises(ScannerUnavailable):
        scan_chunks([b"%PDF-1.4"], timeout=2)
    assert time.monotonic() - began < 3
    assert not scanner_ping(socket_path=clamd.socket)
