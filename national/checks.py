"""`manage.py check --deploy` refuses a national link that points at the local sandbox, or has no credentials."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def national_portal_configured(app_configs, **kwargs) -> list[Error]:
    errors = []
    if not settings.NATIONAL_SYNC_ENABLED:
        return errors
    url = settings.NATIONAL_PORTAL_URL
    if not url or "/sandbox/" in url or not url.startswith("https://"):
        errors.append(Error(
            "NATIONAL_PORTAL_URL points at the local sandbox national portal (or is not HTTPS).",
            hint="Set NATIONAL_PORTAL_URL to the national portal's https:// sync endpoint.", id="national.E001",
        ))
    if not (settings.NATIONAL_PORTAL_TOKEN and settings.NATIONAL_PORTAL_SECRET):
        errors.append(Error("The national portal link has no credentials.",
                            hint="Set NATIONAL_PORTAL_TOKEN and NATIONAL_PORTAL_SECRET.", id="national.E002"))
    if settings.NATIONAL_INBOUND_MODE == "push" and not (
        settings.NATIONAL_INBOUND_TOKEN and settings.NATIONAL_INBOUND_SECRET
    ):
        errors.append(Error("The inbound national endpoint has no token or secret.",
                            hint="Set NATIONAL_INBOUND_TOKEN and NATIONAL_INBOUND_SECRET.", id="national.E003"))
    return errors
