import json

from django.core.management.base import BaseCommand, CommandError

from procedures.transfer import CatalogueError, catalogue_import


class Command(BaseCommand):
    help = "Nhập danh mục thủ tục từ tệp JSON. Có bất kỳ bản ghi lỗi thì không nhập gì."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options) -> None:
        try:
            with open(options["file"], encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"Không đọc được tệp: {exc}") from exc
        try:
            counts = catalogue_import(data)
        except CatalogueError as exc:
            raise CommandError("Tệp có lỗi, không nhập gì:\n" + "\n".join(exc.errors)) from exc
        self.stdout.write(
            "Đã nhập {sectors} lĩnh vực, {legal_documents} văn bản, {procedures} thủ tục, "
            "{versions} phiên bản mới.".format(**counts)
        )
