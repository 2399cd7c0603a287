"""Read-side queries for the catalogue. Each runs a fixed number of queries whatever the row count."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from portal.lib.text import normalize_search
from procedures.cache import cache_seconds, catalogue_cache_key
from procedures.models import Component, Procedure, ProcedureVersion, Sector, VersionStatus

# Longer input is cut, not refused: a pasted paragraph still gets results or "no results".
SEARCH_MAX_LENGTH = 200
# The service-level filter's value for procedures that cannot be filed online.
INFORMATION_ONLY = "info"
SEARCH_MAX_TERMS = 8
PAGE_SIZE = 20
# What list rows show; the long texts of a version (steps, result template…) stay in the database.
LIST_COLUMNS = [
    "code", "implementing_level", "popularity", "sector__name", "current_version__name",
    "current_version__service_level", "current_version__channel_online",
]
APPLICANT_FIELDS = {"citizen": "for_citizen", "business": "for_business", "organisation": "for_organisation"}


@dataclass
class ProcedureFilters:
    """Already-validated filter values; None means "any"."""

    sector_id: int | None = None
    agency_id: int | None = None
    implementing_level: str | None = None
    service_level: str | None = None
    applicant_type: str | None = None


def published_procedures() -> QuerySet[Procedure]:
    return Procedure.objects.filter(is_published=True, current_version__isnull=False)


def search_terms(query: str | None) -> list[str]:
    """The accent-free words of a query, capped in length and number."""
    return normalize_search((query or "")[:SEARCH_MAX_LENGTH]).split(" ")[:SEARCH_MAX_TERMS] if query else []


def procedure_search_queryset(query: str | None, filters: ProcedureFilters | None = None) -> QuerySet[Procedure]:
    filters = filters or ProcedureFilters()
    procedures = published_procedures()
    for term in search_terms(query):
        # search_text is already lower-case and accent-free, so a plain LIKE '%term%' is exact and
        # can use the pg_trgm GIN index (an ILIKE on UPPER() could not).
        if term:
            procedures = procedures.filter(search_text__contains=term)
    if filters.sector_id is not None:
        procedures = procedures.filter(sector_id=filters.sector_id)
    if filters.implementing_level:
        procedures = procedures.filter(implementing_level=filters.implementing_level)
    if filters.service_level == INFORMATION_ONLY:
        procedures = procedures.filter(current_version__channel_online=False)
    elif filters.service_level:
        # A procedure without online filing is information only, whatever its stored level says.
        procedures = procedures.filter(current_version__service_level=filters.service_level,
                                       current_version__channel_online=True)
    if filters.applicant_type in APPLICANT_FIELDS:
        procedures = procedures.filter(**{f"current_version__{APPLICANT_FIELDS[filters.applicant_type]}": True})
    if filters.agency_id is not None:
        # EXISTS rather than a join, so a version received by several agencies is listed once.
        receiving = ProcedureVersion.receiving_agencies.through.objects.filter(
            procedureversion_id=OuterRef("current_version_id"), agency_id=filters.agency_id
        )
        procedures = procedures.filter(Exists(receiving))
    return procedures.select_related("current_version", "sector").only(*LIST_COLUMNS).order_by("-popularity", "code")


def procedure_search(query: str | None, filters: ProcedureFilters | None = None, *, page: Any = 1) -> Page:
    """One page of published procedures matching an accent-insensitive query and filters.

    A page number that is not a number or out of range gives the first or last page.
    Two queries: the count and the page.
    """
    paginator = Paginator(procedure_search_queryset(query, filters), PAGE_SIZE)
    try:
        number = int(page)
    except (TypeError, ValueError):
        number = 1
    # Below 1 means the first page; Paginator.get_page would give the last one.
    return paginator.get_page(max(number, 1))


def procedure_get_public(code: str) -> Procedure:
    """A published procedure with its version in force and everything the detail page shows, or 404."""
    version_details = ProcedureVersion.objects.prefetch_related(
        "receiving_agencies", "legal_documents", "components", "fees"
    )
    procedure = (
        published_procedures()
        .filter(code=code)
        .select_related("sector")
        .prefetch_related(Prefetch("current_version", queryset=version_details))
        .first()
    )
    if procedure is None:
        raise Http404(code)
    return procedure


def component_template_get(code: str, component_id: int) -> Component:
    """A downloadable blank form of a public procedure's version in force, or 404."""
    component = (
        Component.objects.filter(
            pk=component_id, version__procedure__code=code, version__procedure__is_published=True,
            version__status=VersionStatus.PUBLISHED,
        )
        .exclude(template_file="")
        .first()
    )
    if component is None:
        raise Http404(code)
    return component


def sectors_with_counts() -> list[Sector]:
    published = Q(procedures__is_published=True, procedures__current_version__isnull=False)
    counted = Sector.objects.annotate(procedure_count=Count("procedures", filter=published))
    return list(counted.order_by("order", "name"))


def home_page_context() -> dict:
    """What the home page shows: sectors with counts and the most-used published procedures (cached)."""
    seconds = cache_seconds()
    key = catalogue_cache_key("home")
    context = cache.get(key) if seconds else None
    if context is None:
        procedures = published_procedures().select_related("current_version", "sector").only(
            *LIST_COLUMNS
        ).order_by("-popularity", "code")[:8]
        context = {
            "popular_procedures": list(procedures),
            "sectors": [sector for sector in sectors_with_counts() if sector.procedure_count],
        }
        if seconds:
            cache.set(key, context, seconds)
    return context
