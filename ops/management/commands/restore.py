"""`manage.py restore --from FILE`: into an empty database and empty storages, after checking every hash."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, backup_restore, encryption_key


class Command(BaseCommand):
    help = ("Khôi phục một bản sao lưu vào cơ sở dữ liệu và kho tệp trống; kiểm tra SHA-256 của mọi tệp "
            "trước khi ghi.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--from", dest="source", required=True, type=Path, help="Tệp sao lưu.")
        parser.add_argument("--force", action="store_true",
                            help="Ghi đè cả khi cơ sở dữ liệu có bảng hoặc kho tệp có tệp.")

    def handle(self, *args, **options) -> None:
        try:
            key = encryption_key(settings.BACKUP_ENCRYPTION_KEY) if settings.BACKUP_ENCRYPTION_KEY else None
            result = backup_restore(path=options["source"], key=key, force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        tables = result.manifest["database"]["tables"]
        self.stdout.write(self.style.SUCCESS(
            f"Đã khôi phục bản sao lưu lúc {result.manifest['created_at']} (phiên bản {result.manifest['portal_version']}): "
            f"{len(tables)} bảng, {sum(tables.values())} dòng, {result.files} tệp, {result.seconds:.1f} giây."))
