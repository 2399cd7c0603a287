"""Load the demo data: agencies, accounts, procedures, sample dossiers. Safe to run twice."""

from __future__ import annotations

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import DEMO_PASSWORD, USERS

# Each app contributes a `demo.seed()`; order follows the dependencies between apps.
SEEDERS = ["accounts.demo", "vault.demo", "procedures.demo", "applications.demo", "payments.demo", "postal.demo"]


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
