"""Backups of the whole portal and their restore: the PostgreSQL database and every stored file.

One archive (a tar stream) holds `database.dump` (pg_dump's custom format), then each file of the
private and the public storage under `files/private/…` and `files/public/…`, then `manifest.json`
with every member's SHA-256 and size, the portal version, the time and each table's row count.

Consistency: the row counts and pg_dump read the same exported snapshot of one REPEATABLE READ
transaction, so the dump is one instant of the database. Files are copied after the dump: a file
written meanwhile is an extra file no row points to, never a row whose file is missing.

With BACKUP_ENCRYPTION_KEY set, the tar stream is encrypted as it is written, in 1 MiB chunks of
AES-256-GCM; each chunk's nonce and associated data carry its index and whether it is the last one,
so reordered, dropped or truncated chunks fail authentication. Nothing is held whole in memory.

Restore reads the archive twice: the first pass checks every member against the manifest (and, when
encrypted, every chunk's tag) and writes nothing; only then are the database and the files restored.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import posixpath
import shutil
import struct
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import connection, transaction

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBER = "database.dump"
# The storages copied, by the alias in settings.STORAGES, under files/<prefix>/ in the archive.
STORAGE_PREFIXES = {"private": "private", "default": "public"}

MAGIC = b"PORTAL-BACKUP-GCM1"
NONCE_PREFIX_BYTES = 8
CHUNK_BYTES = 1024 * 1024
_RECORD = struct.Struct(">BI")  # last-chunk flag, ciphertext length
COPY_BYTES = 256 * 1024


class BackupError(Exception):
    """A backup or restore refused or failed; the message is for the operator, in Vietnamese."""


# --- Encryption ------------------------------------------------------------------------------------

def encryption_key(value: str) -> bytes:
    """The 32-byte AES key from BACKUP_ENCRYPTION_KEY (URL-safe base64)."""
    try:
        key = base64.urlsafe_b64decode(value.strip().encode() + b"==")
    except (ValueError, TypeError):
        key = b""
    if len(key) != 32:
        raise BackupError(
            "BACKUP_ENCRYPTION_KEY không hợp lệ: cần 32 byte mã hoá base64 (tạo bằng: python -c "
            "\"import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())\")."
        )
    return key


def _nonce_and_aad(prefix: bytes, index: int, last: bool) -> tuple[bytes, bytes]:
    nonce = prefix + struct.pack(">I", index)
    return nonce, MAGIC + nonce + (b"\x01" if last else b"\x00")


class EncryptingWriter(io.RawIOBase):
    """A write-only stream that encrypts what it is given, chunk by chunk, into `sink`."""

    def __init__(self, sink: IO[bytes], key: bytes) -> None:
        self._sink = sink
        self._aead = AESGCM(key)
        self._prefix = os.urandom(NONCE_PREFIX_BYTES)
        self._buffer = bytearray()
        self._index = 0
        self._finished = False
        sink.write(MAGIC + self._prefix)

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK_BYTES:
            self._emit(bytes(self._buffer[:CHUNK_BYTES]), last=False)
            del self._buffer[:CHUNK_BYTES]
        return len(data)

    def _emit(self, plain: bytes, *, last: bool) -> None:
        if self._index >= 2**32:
            raise BackupError("Bản sao lưu quá lớn cho một khoá mã hoá.")
        nonce, aad = _nonce_and_aad(self._prefix, self._index, last)
        sealed = self._aead.encrypt(nonce, plain, aad)
        self._sink.write(_RECORD.pack(1 if last else 0, len(sealed)) + sealed)
        self._index += 1

    def close(self) -> None:
        if not self._finished:
            self._finished = True
            self._emit(bytes(self._buffer), last=True)
            self._buffer.clear()
        super().close()


class DecryptingReader(io.RawIOBase):
    """A read-only stream of the plaintext; a wrong key, a changed byte or a cut file raises BackupError."""

    def __init__(self, source: IO[bytes], key: bytes) -> None:
        self._source = source
        self._aead = AESGCM(key)
        self._prefix = source.read(NONCE_PREFIX_BYTES)
        self._plain = b""
        self._index = 0
        self._done = False

    def readable(self) -> bool:
        return True

    def _next_chunk(self) -> None:
        header = self._source.read(_RECORD.size)
        if len(header) < _RECORD.size:
            raise BackupError("Bản sao lưu bị cắt cụt (thiếu phần cuối): không khôi phục.")
        last, length = _RECORD.unpack(header)
        sealed = self._source.read(length)
        if len(sealed) < length:
            raise BackupError("Bản sao lưu bị cắt cụt (thiếu phần cuối): không khôi phục.")
        nonce, aad = _nonce_and_aad(self._prefix, self._index, bool(last))
        try:
            self._plain = self._aead.decrypt(nonce, sealed, aad)
        except InvalidTag:
            raise BackupError(
                "Không giải mã được bản sao lưu: sai khoá BACKUP_ENCRYPTION_KEY hoặc tệp đã bị sửa đổi."
            ) from None
        self._index += 1
        if last:
            self._done = True
            if self._source.read(1):
                raise BackupError("Bản sao lưu có dữ liệu lạ sau phần cuối: không khôi phục.")

    def readinto(self, buffer) -> int:
        while not self._plain and not self._done:
            self._next_chunk()
        count = min(len(buffer), len(self._plain))
        buffer[:count] = self._plain[:count]
        self._plain = self._plain[count:]
        return count


# --- Storages ---------------------------------------------------------------------------------------

def storage_files(storage: Storage, directory: str = "") -> Iterator[str]:
    """Every file name in a storage, depth first; a storage whose folder does not exist yet is empty."""
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield posixpath.join(directory, name) if directory else name
    for sub in sorted(directories):
        yield from storage_files(storage, posixpath.join(directory, sub) if directory else sub)


class _HashingReader:
    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


# --- PostgreSQL ------------------------------------------------------------------------------------

def _pg_environment() -> dict[str, str]:
    """libpq's variables for the current database: the password travels here, never in argv."""
    if connection.vendor != "postgresql":
        raise BackupError("Sao lưu chỉ hỗ trợ PostgreSQL (DATABASE_URL=postgres://…).")
    params = connection.settings_dict
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    env.update({"PGDATABASE": params["NAME"], "PGUSER": params.get("USER") or "",
                "PGHOST": params.get("HOST") or "", "PGPORT": str(params.get("PORT") or "")})
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = params["PASSWORD"]
    if params.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = params["OPTIONS"]["sslmode"]
    return {key: value for key, value in env.items() if value != ""}


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(f"Không tìm thấy {name}: cài gói postgresql-client cùng phiên bản chính với máy chủ.")
    return path


def _run(argv: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{Path(argv[0]).name} thất bại (mã {result.returncode}): {result.stderr.strip()[-2000:]}")


def table_row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def portal_version() -> str:
    try:
        result = subprocess.run(["git", "describe", "--always", "--tags", "--dirty"], cwd=settings.BASE_DIR,
                                capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return result.stdout.strip() if result.returncode == 0 and result.stdout.strip() else "unknown"


# --- Backup ---------------------------------------------------------------------------------------

@dataclass
class BackupResult:
    path: Path
    size: int
    members: int
    tables: dict[str, int] = field(default_factory=dict)
    encrypted: bool = False
    seconds: float = 0.0


def _add_member(tar: tarfile.TarFile, name: str, stream: IO[bytes], size: int, entries: list[dict[str, Any]]) -> None:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    info.mtime = int(time.time())
    reader = _HashingReader(stream)
    tar.addfile(info, reader)
    entries.append({"name": name, "sha256": reader.digest.hexdigest(), "size": reader.size})


def backup_create(*, directory: Path, key: bytes | None) -> BackupResult:
    """Write one archive of the database and every stored file into `directory`; returns its path."""
    started = time.monotonic()
    if connection.in_atomic_block:
        raise BackupError("Sao lưu phải chạy ngoài mọi giao dịch cơ sở dữ liệu (nó mở giao dịch ảnh chụp riêng).")
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    final = directory / f"portal-backup-{stamp}.tar{'.enc' if key else ''}"
    partial = final.with_name(final.name + ".partial")
    env = _pg_environment()
    pg_dump = _tool("pg_dump")
    entries: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(dir=directory, prefix=".backup-") as work:
        dump = Path(work) / DATABASE_MEMBER
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
                snapshot, server_version = cursor.fetchone()
            tables = table_row_counts()
            _run([pg_dump, "--format=custom", "--no-password", f"--snapshot={snapshot}", f"--file={dump}"], env)
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as out:
                sink: IO[bytes] = EncryptingWriter(out, key) if key else out  # type: ignore[assignment]  # a write-only stream, enough for tarfile
                with tarfile.open(fileobj=sink, mode="w|", format=tarfile.PAX_FORMAT) as tar:
                    with dump.open("rb") as stream:
                        _add_member(tar, DATABASE_MEMBER, stream, dump.stat().st_size, entries)
                    dump.unlink()
                    for alias, prefix in STORAGE_PREFIXES.items():
                        storage = storages[alias]
                        for name in storage_files(storage):
                            with storage.open(name, "rb") as stream:
                                _add_member(tar, f"files/{prefix}/{name}", stream, storage.size(name), entries)
                    manifest = json.dumps({
                        "format": FORMAT_VERSION,
                        "created_at": datetime.now(UTC).isoformat(),
                        "portal_version": portal_version(),
                        "database": {"server_version": server_version, "tables": tables},
                        "members": entries,
                    }, ensure_ascii=False, indent=1).encode()
                    info = tarfile.TarInfo(MANIFEST)
                    info.size, info.mode, info.mtime = len(manifest), 0o600, int(time.time())
                    tar.addfile(info, io.BytesIO(manifest))
                if key:
                    sink.close()
                out.flush()
                os.fsync(out.fileno())
            os.replace(partial, final)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return BackupResult(path=final, size=final.stat().st_size, members=len(entries), tables=tables,
                        encrypted=bool(key), seconds=time.monotonic() - started)


# --- Restore --------------------------------------------------------------------------------------

def _open_plain(path: Path, key: bytes | None) -> tuple[IO[bytes], IO[bytes]]:
    """(the file, a stream of the tar): decrypting when the archive is encrypted."""
    raw = path.open("rb")
    if raw.read(len(MAGIC)) == MAGIC:
        if key is None:
            raw.close()
            raise BackupError("Bản sao lưu đã được mã hoá: đặt BACKUP_ENCRYPTION_KEY rồi chạy lại.")
        return raw, DecryptingReader(raw, key)  # type: ignore[return-value]  # read-only, enough for tarfile
    raw.seek(0)
    return raw, raw


def _members(path: Path, key: bytes | None) -> Iterator[tuple[tarfile.TarInfo, IO[bytes]]]:
    raw, plain = _open_plain(path, key)
    try:
        try:
            with tarfile.open(fileobj=plain, mode="r|") as tar:
                for member in tar:
                    if not member.isfile():
                        raise BackupError(f"Bản sao lưu có mục không phải tệp: {member.name!r}.")
                    stream = tar.extractfile(member)
                    assert stream is not None
                    yield member, stream
            # Read to the end, so a cut or altered last chunk of an encrypted archive is noticed too.
            while plain.read(COPY_BYTES):
                pass
        except tarfile.TarError as exc:
            raise BackupError(f"Bản sao lưu hỏng (không đọc được tệp tar): {exc}.") from None
    finally:
        raw.close()


def _safe_name(name: str) -> bool:
    """The database dump, or files/<private|public>/<a relative path without . or .. parts>."""
    if name == DATABASE_MEMBER:
        return True
    parts = name.split("/")
    return (len(parts) >= 3 and parts[0] == "files" and parts[1] in STORAGE_PREFIXES.values()
            and all(part not in ("", ".", "..") for part in parts))


def _copy_hashed(stream: IO[bytes], sink: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(COPY_BYTES):
        digest.update(chunk)
        size += len(chunk)
        sink.write(chunk)
    return digest.hexdigest(), size


class _Discard:
    def write(self, data: bytes) -> int:
        return len(data)


def backup_verify(*, path: Path, key: bytes | None) -> dict[str, Any]:
    """Read the whole archive and check every member against the manifest; returns the manifest."""
    seen: dict[str, tuple[str, int]] = {}
    manifest: dict[str, Any] | None = None
    for member, stream in _members(path, key):
        if member.name == MANIFEST:
            try:
                manifest = json.loads(stream.read())
            except ValueError:
                raise BackupError("manifest.json trong bản sao lưu không đọc được.") from None
            continue
        if not _safe_name(member.name) or member.name in seen:
            raise BackupError(f"Bản sao lưu có tên tệp không hợp lệ: {member.name!r}.")
        seen[member.name] = _copy_hashed(stream, _Discard())  # type: ignore[arg-type]  # a sink that only counts
    if manifest is None or manifest.get("format") != FORMAT_VERSION:
        raise BackupError("Bản sao lưu không có manifest.json hợp lệ: không khôi phục.")
    listed = {entry["name"]: (entry["sha256"], entry["size"]) for entry in manifest.get("members", [])}
    if DATABASE_MEMBER not in listed:
        raise BackupError("Bản sao lưu không có tệp cơ sở dữ liệu: không khôi phục.")
    missing = sorted(set(listed) - set(seen))
    extra = sorted(set(seen) - set(listed))
    wrong = sorted(name for name in set(listed) & set(seen) if listed[name] != seen[name])
    if missing or extra or wrong:
        details = "; ".join(f"{label}: {', '.join(names[:5])}" for label, names in
                            (("thiếu", missing), ("thừa", extra), ("sai SHA-256 hoặc kích thước", wrong)) if names)
        raise BackupError(f"Bản sao lưu không khớp manifest ({details}): không khôi phục, không ghi gì.")
    return manifest


def target_contents() -> list[str]:
    """What already occupies the target: database tables and stored files (empty = safe to restore into)."""
    found = []
    tables = connection.introspection.table_names()
    if tables:
        found.append(f"cơ sở dữ liệu {connection.settings_dict['NAME']} đã có {len(tables)} bảng")
    for alias, prefix in STORAGE_PREFIXES.items():
        if next(storage_files(storages[alias]), None) is not None:
            found.append(f"kho tệp {prefix} không trống")
    return found


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    files: int
    seconds: float


def backup_restore(*, path: Path, key: bytes | None, force: bool = False) -> RestoreResult:
    """Restore an archive into this portal's database and storages; checks everything before writing."""
    started = time.monotonic()
    if not path.is_file():
        raise BackupError(f"Không tìm thấy tệp sao lưu {path}.")
    occupied = target_contents()
    if occupied and not force:
        raise BackupError("Nơi khôi phục không trống (" + "; ".join(occupied) + "). Khôi phục chỉ vào cơ sở dữ "
                          "liệu và kho tệp trống; dùng --force để ghi đè.")
    manifest = backup_verify(path=path, key=key)
    listed = {entry["name"]: (entry["sha256"], entry["size"]) for entry in manifest["members"]}
    env = _pg_environment()
    pg_restore = _tool("pg_restore")
    connection.close()  # pg_restore --clean must not wait on our own session's locks
    files = 0
    with tempfile.TemporaryDirectory(prefix="portal-restore-") as work:
        for member, stream in _members(path, key):
            if member.name == MANIFEST:
                continue
            # The archive is read again: check each member again before it is written anywhere.
            if member.name == DATABASE_MEMBER:
                dump = Path(work) / DATABASE_MEMBER
                with dump.open("wb") as sink:
                    checked = _copy_hashed(stream, sink)
                if checked != listed[member.name]:
                    raise BackupError("Tệp cơ sở dữ liệu đổi giữa hai lần đọc: không khôi phục.")
                argv = [pg_restore, "--no-password", "--no-owner", "--no-privileges", "--exit-on-error",
                        "--single-transaction", f"--dbname={env['PGDATABASE']}"]
                if force:
                    argv += ["--clean", "--if-exists"]
                _run([*argv, str(dump)], env)
                dump.unlink()
                continue
            _, prefix, name = member.name.split("/", 2)
            alias = next(alias for alias, known in STORAGE_PREFIXES.items() if known == prefix)
            storage = storages[alias]
            with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024, dir=work) as spool:
                checked = _copy_hashed(stream, spool)
                if checked != listed[member.name]:
                    raise BackupError(f"Tệp {member.name} đổi giữa hai lần đọc: dừng khôi phục.")
                spool.seek(0)
                if storage.exists(name):
                    storage.delete(name)
                saved = storage.save(name, File(spool, name=posixpath.basename(name)))
            if saved != name:
                raise BackupError(f"Kho tệp lưu {name} dưới tên khác ({saved}): dừng khôi phục.")
            files += 1
    return RestoreResult(manifest=manifest, files=files, seconds=time.monotonic() - started)
