"""Load the demo data: agencies, accounts, procedures, sample dossiers. Safe to run twice."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, USERS, DemoSecretRefused, staff_demo_devices_give

# Each app contributes a `demo.seed()`; order follows the dependencies between apps.
SEEDERS = ["accounts.demo", "vault.demo", "procedures.demo", "applications.demo", "payments.demo", "postal.demo",
           "feedback.demo", "national.demo"]


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu (chạy lại nhiều lần không thay đổi gì)."

    def handle(self, *args, **options) -> None:
        for module_path in SEEDERS:
            try:
                module = import_module(module_path)
            except ModuleNotFoundError as exc:
                if exc.name != module_path:
                    raise
                continue
            with transaction.atomic():
                result = module.seed()
            self.stdout.write(f"{module_path}: {result if result else 'không có gì mới'}")
        self.stdout.write(self.style.SUCCESS(f"\nTài khoản mẫu (mật khẩu: {DEMO_PASSWORD}):"))
        for email, full_name, role, _agency, _phone in USERS:
            self.stdout.write(f"  {email:28} {role.label} — {full_name}")
        self._staff_devices()

    def _staff_devices(self) -> None:
        """The demo staff accounts' authenticator app, with a published secret: development only."""
        if not settings.DEBUG:
            self.stderr.write(self.style.WARNING(
                "DEBUG đang tắt: không tạo thiết bị xác thực hai lớp mẫu (khóa bí mật mẫu đã công bố). "
                "Cán bộ tự đăng ký ứng dụng xác thực ở lần đăng nhập đầu."))
            return
        try:
            given = staff_demo_devices_give()
        except DemoSecretRefused:  # DEBUG switched off meanwhile: never make the device
            return
        self.stdout.write(f"accounts.demo (xác thực hai lớp): {given if given else 'không có gì mới'}")
        self.stdout.write(self.style.SUCCESS(
            f"\nMã bí mật ứng dụng xác thực của các tài khoản cán bộ mẫu (CHỈ DÙNG THỬ NGHIỆM): {DEMO_TOTP_SECRET}"))
        self.stdout.write("  Nhập mã này vào ứng dụng xác thực bất kỳ (TOTP, 6 chữ số, 30 giây) để đăng nhập "
                          "bằng tài khoản cán bộ; hoặc đặt STAFF_2FA_REQUIRED=0 trong .env.")
