"""`manage.py backup --to DIR`: one archive of the database and every stored file (ops/backup.py)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, backup_create, encryption_key


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu PostgreSQL và mọi tệp (riêng tư, công khai) vào một tệp, kèm manifest SHA-256."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--to", required=True, type=Path, help="Thư mục nhận tệp sao lưu.")

    def handle(self, *args, **options) -> None:
        try:
            key = encryption_key(settings.BACKUP_ENCRYPTION_KEY) if settings.BACKUP_ENCRYPTION_KEY else None
            result = backup_create(directory=options["to"], key=key)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(result.tables.values())
        self.stdout.write(self.style.SUCCESS(
            f"Đã sao lưu: {result.path} ({result.size} byte, {result.members} mục, {len(result.tables)} bảng, "
            f"{rows} dòng, {'đã mã hoá' if result.encrypted else 'KHÔNG mã hoá'}, {result.seconds:.1f} giây)."))
