"""`manage.py check --deploy` warns when printed papers would point at the development address."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register

DEVELOPMENT_SITE_URLS = ("http://127.0.0.1:8000", "http://localhost:8000")


@register(Tags.security, deploy=True)
def site_url_in_production(app_configs, **kwargs) -> list[Warning]:
    site_url = (settings.SITE_URL or "").rstrip("/")
    if settings.DEBUG or (site_url and site_url not in DEVELOPMENT_SITE_URLS):
        return []
    # Every slip's QR code and verification link is built from SITE_URL and printed for good: left at the
    # development default, a citizen scanning their receipt lands on their own computer.
    return [Warning(
        f"SITE_URL is {site_url or 'empty'!r}: the QR codes and verification links printed on official papers "
        "would not reach this portal.",
        hint="Set SITE_URL to the portal's public address, e.g. https://dichvucong.example.gov.vn.",
        id="applications.W001",
    )]


@register(Tags.security, deploy=True)
def malware_scanner_configured(app_configs, **kwargs) -> list[Warning]:
    if settings.CLAMAV_SOCKET:
        return []
    return [Warning(
        "CLAMAV_SOCKET is not set: files uploaded by citizens and officers are stored without a malware scan.",
        hint="Install clamav-daemon and set CLAMAV_SOCKET to clamd's unix socket, e.g. /run/clamav/clamd.ctl.",
        id="applications.W002",
    )]
