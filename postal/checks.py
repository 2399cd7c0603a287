"""`manage.py check --deploy` refuses the sandbox postal operator (it simulates deliveries, so a
dossier could be marked returned without any parcel) and a real operator without credentials."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def postal_operator_configured(app_configs, **kwargs) -> list[Error]:
    if settings.POSTAL_PROVIDER == "sandbox":
        return [Error(
            "POSTAL_PROVIDER is 'sandbox': deliveries by post would be simulated.",
            hint="Set POSTAL_PROVIDER=vnpost with POSTAL_API_URL, POSTAL_API_KEY and POSTAL_CALLBACK_SECRET.",
            id="postal.E001",
        )]
    if not (settings.POSTAL_API_URL and settings.POSTAL_API_KEY and settings.POSTAL_CALLBACK_SECRET):
        return [Error(
            "The postal operator has no credentials: results by post cannot be ordered.",
            hint="Set POSTAL_API_URL, POSTAL_API_KEY and POSTAL_CALLBACK_SECRET.",
            id="postal.E002",
        )]
    return []
