"""The helpers every view uses to decide who may see what.

Citizens see their own things; staff see what belongs to their agency and the agencies
below it. Views never filter by hand: they call these, so a forgotten filter cannot leak.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from accounts.models import STAFF_ROLES, Agency, Role, User

# Every staff page asks for the agency tree (whose dossiers may this person see?). The tree changes a
# few times a year, through the admin; it is kept in the shared cache, dropped after commit by every
# save or delete of an agency (signals below) and by the bulk loaders that bypass them
# (generate_history), and read again from the database after AGENCY_TREE_SECONDS at the latest.
AGENCY_TREE_KEY = "accounts:agency-tree"
AGENCY_TREE_SECONDS = 300


def _agency_children() -> dict[int | None, list[int]]:
    children = cache.get(AGENCY_TREE_KEY)
    if children is None:
        children = {}
        for pk, parent_id in Agency.objects.values_list("pk", "parent_id"):
            children.setdefault(parent_id, []).append(pk)
        cache.set(AGENCY_TREE_KEY, children, AGENCY_TREE_SECONDS)
    return children


def agency_tree_changed(**_signal_kwargs: object) -> None:
    """Forget the cached tree, now and once the current transaction commits (a page rendered in
    between could otherwise put the old tree back)."""
    cache.delete(AGENCY_TREE_KEY)
    transaction.on_commit(lambda: cache.delete(AGENCY_TREE_KEY))


def agency_subtree_ids(agency_id: int) -> list[int]:
    """The agency and every agency below it (the tree is cached, see above)."""
    children = _agency_children()
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
        user._staff_agency_ids = cached  # type: ignore[attr-defined]  # a per-request cache, not a model field
    return cached


def has_role(user: User | AnonymousUser, roles: Iterable[str]) -> bool:
    return isinstance(user, User) and user.is_authenticated and user.role in set(roles)


def signed_in_user(request: HttpRequest) -> User:
    """`request.user` as the signed-in User, for views behind login_required / role_required.

    Django types `request.user` as User or AnonymousUser; behind those decorators it is always a
    User, and if a view ever lost its decorator this refuses the request instead of going on.
    """
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied("Bạn cần đăng nhập để truy cập trang này.")
    return user


def role_required(*roles: str) -> Callable:
    """Sign-in required, then 403 (the Vietnamese page) unless the user holds one of `roles`."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not has_role(request.user, roles):
                raise PermissionDenied("Bạn không có quyền truy cập trang này.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


citizen_required = role_required(Role.CITIZEN)
staff_required = role_required(Role.OFFICER, Role.SPECIALIST, Role.LEADER, Role.ADMIN)
