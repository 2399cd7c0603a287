"""`manage.py check --deploy`: what more than one web node needs (shared cache, object storage)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register


@register(Tags.security, deploy=True)
def shared_state_configured(app_configs, **kwargs) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    if not settings.REDIS_URL:
        messages.append(Warning(
            "REDIS_URL is not set: the cache and the rate-limit counters live in a database table, "
            "which costs a database write per counted request.",
            hint="Set REDIS_URL (the same Redis for every web node and worker).",
            id="portal.W001",
        ))
    if settings.S3_BUCKET and not (settings.S3_ACCESS_KEY_ID and settings.S3_SECRET_ACCESS_KEY):
        messages.append(Warning(
            f"S3_BUCKET is {settings.S3_BUCKET!r} but S3_ACCESS_KEY_ID or S3_SECRET_ACCESS_KEY is empty: "
            "files can be stored only if boto3 finds credentials elsewhere (an instance role, AWS_* variables).",
            hint="Set S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY (or their _FILE variants) for the bucket.",
            id="portal.W002",
        ))
    endpoint = settings.S3_ENDPOINT_URL or ""
    if settings.S3_BUCKET and endpoint.startswith("http://") and not _internal(endpoint):
        messages.append(Warning(
            f"S3_ENDPOINT_URL {endpoint!r} is plain HTTP to a public address: citizens' files "
            "and the bucket's credentials' signatures cross the network unencrypted.",
            hint="Use https://, or keep the object store on a private network.",
            id="portal.W003",
        ))
    return messages


def _internal(url: str) -> bool:
    """A loopback or private address, or a single-label host (a docker-compose service such as minio)."""
    import ipaddress
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return "." not in host or host.endswith((".internal", ".local", ".lan"))
    return address.is_private or address.is_loopback
