from celery import shared_task

from django.core.cache import cache


@shared_task(name="portal.tasks.ping")
def ping(token: str) -> str:
    """Proves a worker is alive and shares our cache: stores `token` under "ping:<token>"."""
    cache.set(f"ping:{token}", "pong", 60)
    return "pong"
