"""Import the national procedure list: `manage.py import_national_procedures list.json` (or .csv)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from national.catalogue import national_procedures_import, parse_national_list


class Command(BaseCommand):
    help = "Nhập danh mục thủ tục hành chính quốc gia (JSON hoặc CSV), đối chiếu theo mã thủ tục."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Tệp JSON ({\"data\": [...]}) hoặc CSV (cột MaTTHC, TenTTHC, MaLinhVuc, "
                                         "TenLinhVuc, CapThucHien, MucDo)")
        parser.add_argument("--format", choices=["json", "csv"], help="mặc định: theo đuôi tệp")

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}")
        fmt = options["format"] or ("csv" if path.suffix.lower() == ".csv" else "json")
        try:
            rows = parse_national_list(path.read_text(encoding="utf-8"), fmt=fmt)
        except ValueError as error:
            raise CommandError(f"Không đọc được danh mục: {error}") from error
        report = national_procedures_import(rows)
        if report.errors:
            raise CommandError("Không nhập gì vì có dòng lỗi:\n" + "\n".join(report.errors))
        self.stdout.write(
            f"Thêm mới {len(report.created)}, cập nhật {len(report.updated)}, không đổi {len(report.unchanged)}."
        )
        if report.renamed:
            self.stdout.write("Tên khác với phiên bản đang áp dụng (cần ban hành phiên bản mới): "
                              + ", ".join(report.renamed))
