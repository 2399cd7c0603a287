from django.apps import AppConfig


class PostalConfig(AppConfig):
    name = "postal"
    verbose_name = "Bưu chính công ích"
