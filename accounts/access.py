"""The helpers every view uses to decide who may see what.

Citizens see their own things; staff see what belongs to their agency and the agencies
below it. Views never filter by hand: they call these, so a forgotten filter cannot leak.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from accounts.models import STAFF_ROLES, Agency, Role, User


def agency_subtree_ids(agency_id: int) -> list[int]:
    """The agency and every agency below it (one query; the agency table is small)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Agency.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    result, stack = [], [agency_id]
    while stack:
        current = stack.pop()
        result.append(current)
        stack.extend(children.get(current, []))
    return result


def staff_agency_ids(user: User) -> list[int]:
    """Agencies whose dossiers this member of staff may see; empty for citizens.

    Cached on the user object for the request, since a page may ask several times.
    """
    if not user.is_authenticated or user.role not in STAFF_ROLES or user.agency_id is None:
        return []
    cached = getattr(user, "_staff_agency_ids", None)
    if cached is None:
        cached = agency_subtree_ids(user.agency_id)
        user._staff_agency_ids = cached  # type: ignore[attr-defined]
    return cached


def has_role(user: User, roles: Iterable[str]) -> bool:
    return bool(user.is_authenticated and user.role in set(roles))


def role_required(*roles: str) -> Callable:
    """Sign-in required, then 403 (the Vietnamese page) unless the user holds one of `roles`."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not has_role(request.user, roles):  # type: ignore[arg-type]
                raise PermissionDenied("Bạn không có quyền truy cập trang này.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


citizen_required = role_required(Role.CITIZEN)
staff_required = role_required(Role.OFFICER, Role.SPECIALIST, Role.LEADER, Role.ADMIN)
