from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "retention"
    verbose_name = "Thời hạn lưu trữ dữ liệu cá nhân"
