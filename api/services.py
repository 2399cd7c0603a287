"""Housekeeping of the API's own tables."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from api.models import IdempotentRequest


def idempotency_prune(*, now=None) -> int:
    """Delete stored answers older than API_IDEMPOTENCY_HOURS (a retry after that runs again)."""
    cutoff = (now or timezone.now()) - timedelta(hours=settings.API_IDEMPOTENCY_HOURS)
    deleted, _rows = IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()
    return deleted
