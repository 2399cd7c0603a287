"""Malware scanning with ClamAV's daemon (clamd) over its unix socket, in its plain INSTREAM protocol.

The client sends `zINSTREAM\\0`, then the file in chunks each prefixed by its length (4 bytes, network
order), then a zero length; clamd answers `stream: OK`, `stream: <signature> FOUND` or
`... ERROR`, ended by a NUL byte. Archives (a DOCX is a zip) are unpacked and scanned by clamd itself.

Nothing here decides what happens to a file: callers refuse an infected one and quarantine one the
scanner could not look at (down, slow, or its own error).
"""

from __future__ import annotations

import socket
import struct
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings

CHUNK_BYTES = 64 * 1024
_REPLY_MAX = 4096


class ScannerUnavailable(Exception):
    """clamd could not be reached, was too slow, or could not scan the file (its ERROR answer)."""


@dataclass(frozen=True)
class ScanResult:
    infected: bool
    signature: str = ""


def scanner_enabled() -> bool:
    """Off when CLAMAV_SOCKET is unset (development without clamd; `check --deploy` warns)."""
    return bool(settings.CLAMAV_SOCKET)


def _reply(conn: socket.socket) -> str:
    data = b""
    while not data.endswith(b"\0") and len(data) < _REPLY_MAX:
        part = conn.recv(_REPLY_MAX)
        if not part:
            break
        data += part
    return data.rstrip(b"\0").decode("utf-8", "replace").strip()


def scan_chunks(chunks: Iterable[bytes], *, socket_path: str | None = None, timeout: float | None = None) -> ScanResult:
    """Scan a stream of bytes; ScannerUnavailable when clamd cannot give a verdict in time."""
    path = socket_path or settings.CLAMAV_SOCKET
    timeout = settings.CLAMAV_TIMEOUT_SECONDS if timeout is None else timeout
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(timeout)
            conn.connect(path)
            conn.sendall(b"zINSTREAM\0")
            for chunk in chunks:
                for start in range(0, len(chunk), CHUNK_BYTES):
                    piece = chunk[start:start + CHUNK_BYTES]
                    conn.sendall(struct.pack("!L", len(piece)) + piece)
            conn.sendall(struct.pack("!L", 0))
            answer = _reply(conn)
    except (OSError, TimeoutError) as exc:
        raise ScannerUnavailable(f"clamd at {path}: {exc}") from exc
    if answer.endswith(" FOUND"):
        return ScanResult(infected=True, signature=answer.removeprefix("stream:").removesuffix(" FOUND").strip())
    if answer.endswith(": OK") or answer == "stream: OK":
        return ScanResult(infected=False)
    # "INSTREAM size limit exceeded. ERROR", "... ERROR", or nothing: no verdict.
    raise ScannerUnavailable(f"clamd at {path} answered {answer[:200]!r}")


def scan_file(file, **kwargs) -> ScanResult:  # type: ignore[no-untyped-def]
    """Scan a Django File (an upload or a stored file) from its start; leaves it at its start."""
    file.seek(0)
    try:
        return scan_chunks(file.chunks(), **kwargs)
    finally:
        file.seek(0)


def scanner_ping(*, socket_path: str | None = None, timeout: float = 2) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(timeout)
            conn.connect(socket_path or settings.CLAMAV_SOCKET)
            conn.sendall(b"zPING\0")
            return _reply(conn) == "PONG"
    except OSError:
        return False
