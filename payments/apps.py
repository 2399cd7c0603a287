from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = "Thanh toán phí, lệ phí"

    def ready(self) -> None:
        from payments import checks  # noqa: F401 (registers the deploy check)
