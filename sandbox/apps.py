from django.apps import AppConfig


class SandboxConfig(AppConfig):
    name = "sandbox"
    verbose_name = "Hệ thống bên ngoài giả lập (chỉ khi phát triển)"
