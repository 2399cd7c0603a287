from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from vault.demo import demo_keys_install


class Command(BaseCommand):
    help = "Tạo CA thử nghiệm (DEMO — không có giá trị pháp lý) và chứng thư thử nghiệm cho cơ quan, lãnh đạo."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("Chỉ dùng khi phát triển (DEBUG bật): chứng thư thử nghiệm không có giá trị pháp lý.")
        added = demo_keys_install()
        self.stdout.write(f"Demo CA in {settings.VAULT_DEMO_DIR}: {added} key(s) added.")
