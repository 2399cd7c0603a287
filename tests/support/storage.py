"""A private storage whose disk refuses signed PDFs: a disk that fills up, or a bucket that stops
accepting writes, at the moment a signed file is stored. Everything else is stored as usual."""

from __future__ import annotations

from portal.lib.storage import PrivateFileSystemStorage


class SignedFilesRefusedStorage(PrivateFileSystemStorage):
    def _save(self, name, content):  # type: ignore[no-untyped-def]
        content.seek(0)
        if b"/ByteRange" in content.read():
            raise OSError(28, "No space left on device")
        content.seek(0)
        return super()._save(name, content)
