"""Issuing, checking, rotating and revoking agency API keys."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from api.models import ApiKey

KEY_PREFIX = "dvc_"


def _hash(raw: str) -> str:
    # The key is 256 random bits: a plain SHA-256 cannot be brute-forced, and it keeps lookups cheap.
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_key_issue(*, name: str, agency, user: User) -> tuple[ApiKey, str]:
    """A new key; the raw value is returned once and never stored."""
    prefix = secrets.token_hex(5)
    raw = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey(name=name, agency=agency, user=user, prefix=prefix, key_hash=_hash(raw))
    key.full_clean()
    key.save()
    return key, raw


@transaction.atomic
def api_key_revoke(key: ApiKey) -> None:
    ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


@transaction.atomic
def api_key_rotate(key: ApiKey) -> tuple[ApiKey, str]:
    """Revoke `key` and issue its successor for the same system, agency and account."""
    api_key_revoke(key)
    return api_key_issue(name=key.name, agency=key.agency, user=key.user)


def api_key_check(raw: str) -> ApiKey | None:
    """The live key `raw` names, with its account still active staff of the key's agency; else None."""
    if not raw.startswith(KEY_PREFIX) or raw.count("_") < 2:
        return None
    prefix = raw[len(KEY_PREFIX):].split("_", 1)[0]
    key = (ApiKey.objects.select_related("user", "agency").filter(prefix=prefix, revoked_at__isnull=True).first())
    if key is None or not hmac.compare_digest(key.key_hash, _hash(raw)):
        return None
    user = key.user
    if not user.is_active or not user.is_agency_staff or user.agency_id != key.agency_id:
        return None
    return key


def api_key_touch(key: ApiKey) -> None:
    """Record use at most once a minute, so a busy system does not write a row per request."""
    now = timezone.now()
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
