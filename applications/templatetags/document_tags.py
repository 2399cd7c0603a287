"""Display helpers for issued documents (no queries)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from applications.models import Document, DocumentState

register = template.Library()


@register.filter
def any_pending(documents: Iterable[Document]) -> bool:
    """True while a document is still being made, so the list keeps polling."""
    return any(document.state == DocumentState.PENDING for document in documents or ())
