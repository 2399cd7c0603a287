from django.apps import AppConfig


class QualityConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "quality"
    verbose_name = "Chất lượng phục vụ (Quyết định 766/QĐ-TTg)"
