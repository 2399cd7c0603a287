"""Where citizens' files, issued documents and blank forms are kept: a folder, or an S3-compatible bucket.

The bucket is private: no object has a public URL or ACL. Every download is streamed through an
access-checked view (a pre-signed URL would sign the bucket's host, which behind docker-compose is an
internal name such as minio:9000 that a browser cannot reach, and it would leave the access log).
"""

from __future__ import annotations

import io
from typing import Any

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

from django.core.files.base import File
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils.functional import LazyObject, empty


class PrivateFileSystemStorage(FileSystemStorage):
    """Files that must never have a public URL: they are streamed only by access-checked views."""

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public URL; serve them through an access-checked view.")


class StreamedObject(File):
    """An object of the bucket being read: its bytes come from S3 as the view sends them.

    django-storages' own S3File downloads the whole object into a spooled file first; a 10 MB scan
    would sit in a gunicorn worker's memory before the first byte reached the browser. The body is
    read in FileResponse's chunks. Seeking is only what FileResponse and File.chunks() do: to the end
    and back before reading (the size is known from the GET answer, so the response gets its
    Content-Length), and back to the start (asks the bucket again).
    """

    def __init__(self, storage: PrivateS3Storage, name: str) -> None:
        self._storage = storage
        super().__init__(None, name)
        self._fetch()

    def _fetch(self) -> None:
        try:
            answer = self._storage.bucket.Object(self._storage._normalize_name(clean_name(self.name))).get()
        except (BotoCoreError, ClientError) as exc:
            raise _as_os_error(exc, self.name or "") from exc
        self._body: Any = answer["Body"]  # botocore's StreamingBody
        self.file = self._body
        self._object_size = int(answer.get("ContentLength") or 0)
        self._started = False
        self._position = 0

    @property
    def size(self) -> int:  # known from the GET answer, no second request
        return self._object_size

    def open(self, mode: str | None = None, *args: Any, **kwargs: Any) -> StreamedObject:
        if mode not in (None, "rb"):
            raise ValueError("A streamed object is read only.")
        if self._started or self._body.closed:  # opened again after a read: from the first byte
            self._fetch()
        return self

    def close(self) -> None:
        self._started = True  # a later open() asks the bucket again
        self._body.close()

    def read(self, size: int | None = -1) -> bytes:
        if self._position == self._object_size:
            return b""
        if self._position and not self._started:
            raise io.UnsupportedOperation("a streamed object is read from its start")
        self._started = True
        try:
            data = self._body.read(None if size is None or size < 0 else size)
        except (BotoCoreError, ClientError) as exc:
            raise _as_os_error(exc, self.name or "") from exc
        self._position += len(data)
        return data

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._object_size}[whence]
        target = base + offset
        if target == self._position:
            return target
        if target == 0 and self._started:
            self._fetch()  # from the first byte again
            return 0
        if self._started or not 0 <= target <= self._object_size:
            raise io.UnsupportedOperation("a streamed object seeks only to its start or, before reading, its end")
        self._position = target  # before any read: FileResponse measuring the length
        return target


def _as_os_error(exc: Exception, name: str) -> OSError:
    """Callers handle a missing or unwritable file as OSError (FileSystemStorage's errors): a bucket
    that is down, refuses a write or lost an object reaches the same handlers (retention, exports)."""
    if isinstance(exc, ClientError) and exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 404:
        return FileNotFoundError(f"File does not exist: {name}")
    return OSError(f"object storage: {type(exc).__name__}: {exc}")


def s3_client_config(*, connect_timeout: float = 5, read_timeout: float = 30) -> Config:
    """botocore settings every S3-compatible server accepts.

    boto3 >= 1.36 adds CRC checksums to every upload and validates them on download by default;
    MinIO and SeaweedFS releases of that time refuse such uploads, so checksums are sent and checked
    only when the operation requires them (the behaviour before 1.36). Path-style addressing:
    a self-hosted endpoint has no wildcard DNS for bucket sub-domains.
    """
    return Config(
        s3={"addressing_style": "path"},
        signature_version="s3v4",
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        retries={"max_attempts": 3, "mode": "standard"},
    )


class PrivateS3Storage(S3Storage):
    """A prefix of the private bucket (`location`): no URLs, no ACLs, names never overwritten."""

    def get_default_settings(self) -> dict[str, Any]:
        defaults = super().get_default_settings()
        defaults.update({
            # FileSystemStorage keeps both files when two uploads share a name; so does this.
            "file_overwrite": False,
            # No ACL header: objects inherit the bucket's (private) policy, and buckets that disable
            # ACLs (AWS "bucket owner enforced") accept the upload.
            "default_acl": None,
            "querystring_auth": True,
            "client_config": s3_client_config(),
        })
        return defaults

    def url(self, name: str | None, parameters: Any = None, expire: Any = None, http_method: Any = None) -> str:
        raise ValueError("Private files have no public URL; serve them through an access-checked view.")

    def _open(self, name: str, mode: str = "rb") -> File:
        if mode != "rb":
            return super()._open(name, mode)
        return StreamedObject(self, name)

    def _save(self, name: str, content: Any) -> str:
        try:
            return super()._save(name, content)
        except (BotoCoreError, ClientError) as exc:
            raise _as_os_error(exc, name) from exc

    def delete(self, name: str) -> None:
        try:
            super().delete(name)
        except (BotoCoreError, ClientError) as exc:
            raise _as_os_error(exc, name) from exc

    def exists(self, name: str) -> bool:
        try:
            return super().exists(name)
        except (BotoCoreError, ClientError) as exc:
            raise _as_os_error(exc, name) from exc


class PrivateStorage(LazyObject):
    """The "private" storage from settings.STORAGES, looked up when first used.

    FileField resolves a callable storage once, when the model class is built; returning this
    proxy instead of the backend itself means a changed STORAGES setting (tests, management
    commands) is honoured: `reset()` is called when the setting changes.
    """

    def _setup(self) -> None:
        self._wrapped = storages["private"]

    def reset(self) -> None:
        self._wrapped = empty


_private = PrivateStorage()


def private_storage() -> Storage:
    """Storage for citizens' files and issued documents: outside MEDIA_ROOT, no public URL.

    A callable, so that migrations do not freeze the location.
    """
    return _private  # type: ignore[return-value]


def reset_private_storage(*, setting: str, **kwargs) -> None:
    # Receiver for Django's setting_changed (a framework hook, not domain logic).
    if setting == "STORAGES":
        _private.reset()


class FormsS3Storage(PrivateS3Storage):
    """Blank forms in the bucket: served by the procedure page's download view like every other file.

    url() answers what FileSystemStorage answers without MEDIA_URL (the admin's "currently" link),
    never a pre-signed URL of the bucket.
    """

    def url(self, name: str | None, parameters: Any = None, expire: Any = None, http_method: Any = None) -> str:
        from django.conf import settings
        from django.utils.encoding import filepath_to_uri

        return settings.MEDIA_URL + filepath_to_uri(name or "")
