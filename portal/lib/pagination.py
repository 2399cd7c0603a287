"""Numbered pages that stay cheap on long lists (an officer's queue, a year of dossiers, published petitions).

Django's Paginator counts the whole list and reaches page N with OFFSET (N-1)·size: with a million
dossiers both read the whole table, and `?page=999999` costs as much as the last page. Here

- the count stops at LIST_MAX_ROWS + 1 rows (`SELECT COUNT(*) FROM (… LIMIT n)`), so a page shows
  "10000+" instead of reading every row, and no page lies deeper than LIST_MAX_ROWS rows;
- a page number that is not a positive integer, or lies beyond that depth, is refused (400) with a
  Vietnamese message that says what to do (filter the list), before any query runs;
- a page after the last one (within the bound) shows the last page, as Django's `get_page` does.

The page object is Django's own, so templates keep using `page.number`, `page.paginator.num_pages`,
`page.has_next`…; `page.paginator.capped` says the count stopped at the bound.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

# Digits a page number may have: more than this is refused before it is turned into a number.
PAGE_DIGITS = 7


class PageRefused(BadRequest):
    """A page the list will not serve; the message is shown on the 400 page (portal.views.error_400)."""


def max_rows() -> int:
    return getattr(settings, "LIST_MAX_ROWS", 10_000)


class BoundedPaginator(Paginator):
    """A Paginator whose count reads at most `limit` + 1 rows."""

    def __init__(self, object_list: Any, per_page: int, *, limit: int) -> None:
        super().__init__(object_list, per_page)
        self.limit = limit

    @cached_property
    def _bounded_count(self) -> int:
        sliced = self.object_list[: self.limit + 1]
        return sliced.count() if isinstance(sliced, QuerySet) else len(sliced)

    @cached_property
    def count(self) -> int:
        return min(self._bounded_count, self.limit)

    @property
    def capped(self) -> bool:
        """More rows exist than were counted (the page shows "10000+")."""
        return self._bounded_count > self.limit


def page_number(request: HttpRequest, per_page: int, *, param: str = "page", limit: int | None = None) -> int:
    """The requested page number (1 when absent), or PageRefused with the reason in Vietnamese."""
    limit = max_rows() if limit is None else limit
    raw = request.GET.get(param, "").strip()
    if not raw:
        return 1
    if not (raw.isascii() and raw.isdigit()) or len(raw) > PAGE_DIGITS or int(raw) < 1:
        raise PageRefused(_("Số trang không hợp lệ: hãy dùng một số nguyên dương, ví dụ page=2."))
    number = int(raw)
    if (number - 1) * per_page >= limit:
        raise PageRefused(_(
            "Danh sách chỉ mở được %(pages)s trang đầu (%(rows)s dòng). Hãy dùng bộ lọc (thủ tục, trạng thái, "
            "khoảng ngày, từ khóa) để thu hẹp danh sách."
        ) % {"pages": f"{-(-limit // per_page):,}".replace(",", "."), "rows": f"{limit:,}".replace(",", ".")})
    return number


def bounded_page(request: HttpRequest, object_list: Any, per_page: int, *, param: str = "page",
                 limit: int | None = None, known_count: int | None = None) -> Page:
    """The page `?page=` asks for, counted and reached within LIST_MAX_ROWS rows (see the module).

    `known_count`: the caller has already counted exactly these rows (an unfiltered queue is its tab's
    badge), so the paginator does not count them again."""
    limit = max_rows() if limit is None else limit
    number = page_number(request, per_page, param=param, limit=limit)
    paginator = BoundedPaginator(object_list, per_page, limit=limit)
    if known_count is not None:
        # Pre-fill the cached property: only "more than the bound" matters beyond the limit.
        paginator.__dict__["_bounded_count"] = min(known_count, limit + 1)
    return paginator.get_page(number)
