"""Extension point: code that must write a row in the transaction of every status change.

The workflow calls `status_changed` from inside the transition's transaction, right after the
DossierEvent is written, so whatever a hook writes commits or rolls back with the change itself.
Apps that sit above `applications` (e.g. the national portal sync) register a hook in their
AppConfig.ready(); `applications` never imports them, so dependencies still point one way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from applications.models import Dossier, DossierEvent

StatusHook = Callable[["Dossier", "DossierEvent"], None]

_hooks: list[StatusHook] = []


def status_hook_register(hook: StatusHook) -> None:
    """Add `hook(dossier, event)`; registering the same function twice keeps one."""
    if hook not in _hooks:
        _hooks.append(hook)


def status_changed(dossier: Dossier, event: DossierEvent) -> None:
    """Run every hook for a status change (must run inside the transition's transaction)."""
    for hook in _hooks:
        hook(dossier, event)
