# The payments fixtures (a dossier awaiting payment, the VNPay settings) serve the metrics and IPN tests.
from tests.payments.conftest import _payment_settings, dossier, fee_version  # noqa: F401
