import json
import sys

from django.core.management.base import BaseCommand

from procedures.transfer import catalogue_export


class Command(BaseCommand):
    help = "Xuất toàn bộ danh mục thủ tục ra JSON (mẫu đơn kèm theo dạng base64)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="Tệp đích; bỏ trống để in ra màn hình.")

    def handle(self, *args, **options) -> None:
        text = json.dumps(catalogue_export(), ensure_ascii=False, indent=2)
        if options["file"]:
            with open(options["file"], "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stderr.write(f"Đã ghi {options['file']}")
        else:
            sys.stdout.write(text + "\n")
