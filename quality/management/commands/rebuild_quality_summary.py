from django.core.management.base import BaseCommand

from quality.summary import summary_rebuild


class Command(BaseCommand):
    help = "Dựng lại bảng số liệu tổng hợp chất lượng phục vụ từ nhật ký hồ sơ (Quyết định 766/QĐ-TTg)."

    def handle(self, *args, **options) -> None:
        rows = summary_rebuild()
        if options["verbosity"]:
            self.stdout.write(f"Đã dựng lại {rows} dòng tổng hợp.")
