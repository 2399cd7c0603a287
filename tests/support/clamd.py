"""A real ClamAV daemon for the tests, on a unix socket in a temporary directory, with its own config.

Official signature databases cannot be downloaded here, so the daemon loads one test-owned signature:
the MD5 of the EICAR test file (a .hdb line), which clamd also finds inside zip archives (a DOCX), and
the EICAR string as a body signature (a .ndb line).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import time
from pathlib import Path

from portal.lib.clamav import scanner_ping
from tests.support.services import unavailable

# The EICAR anti-virus test file: harmless, detected by every scanner on purpose.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
SIGNATURE = "Portal.Test.EICAR"


class Clamd:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.socket = str(directory / "clamd.sock")
        self.process: subprocess.Popen | None = None
        database = directory / "db"
        database.mkdir(exist_ok=True)
        (database / "portal-test.hdb").write_text(f"{hashlib.md5(EICAR).hexdigest()}:{len(EICAR)}:{SIGNATURE}\n")  # noqa: S324
        # And the EICAR string anywhere in a file (a body signature, .ndb: name:target:offset:hex), so a
        # document that passes the type check (a PDF) can carry it.
        (database / "portal-test.ndb").write_text(f"{SIGNATURE}.Body:0:*:{EICAR.hex()}\n")
        self.config = directory / "clamd.conf"
        self.config.write_text("\n".join([
            f"LocalSocket {self.socket}", f"DatabaseDirectory {database}", "Foreground yes",
            f"LogFile {directory / 'clamd.log'}", f"TemporaryDirectory {directory}", "ScanArchive yes",
            "StreamMaxLength 60M", "",
        ]))

    def start(self) -> None:
        binary = shutil.which("clamd") or ("/usr/sbin/clamd" if Path("/usr/sbin/clamd").exists() else None)
        if binary is None:
            unavailable("clamd is not installed (apt install clamav-daemon)")
        self.process = subprocess.Popen([binary, "-c", str(self.config)], stdout=subprocess.DEVNULL,  # noqa: S603
                                        stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if scanner_ping(socket_path=self.socket):
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        log = (self.directory / "clamd.log").read_text(errors="replace")[-800:] if (self.directory / "clamd.log").exists() else ""
        self.stop()
        unavailable(f"clamd did not start: {log}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
        Path(self.socket).unlink(missing_ok=True)
