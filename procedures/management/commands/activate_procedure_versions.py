from django.core.management.base import BaseCommand

from procedures.services import procedure_versions_activate


class Command(BaseCommand):
    help = "Áp dụng các phiên bản thủ tục đã công bố có ngày hiệu lực đến hạn."

    def handle(self, *args, **options) -> None:
        switched = procedure_versions_activate()
        self.stdout.write(", ".join(switched) if switched else "Không có thủ tục nào thay đổi phiên bản.")
