"""Read-side queries for the catalogue. Each runs a fixed number of queries whatever the row count."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, When
from django.db.models.functions import Length
from django.http import Http404

from portal.lib.text import normalize_search
from procedures.cache import cache_seconds, catalogue_cache_key
from procedures.models import Component, Procedure, ProcedureVersion, SearchSynonym, Sector, VersionStatus

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


def search_synonyms() -> list[tuple[str, str]]:
    """(phrase, replacement) pairs, longest phrase first; cached with the catalogue (admin edits bump it)."""
    seconds = cache_seconds()
    key = catalogue_cache_key("synonyms")
    pairs = cache.get(key) if seconds else None
    if pairs is None:
        pairs = sorted(SearchSynonym.objects.values_list("phrase", "replacement"), key=lambda p: (-len(p[0]), p[0]))
        if seconds:
            cache.set(key, pairs, seconds)
    return pairs


def search_alternatives(query: str | None) -> list[str]:
    """The query as typed (accent-free), and with the admins' synonyms applied, if that differs.

    Both are searched, so a synonym only ever adds results. Fillers (empty replacements) can leave
    nothing: an empty alternative is dropped rather than matching everything.
    """
    typed = " ".join(term for term in search_terms(query) if term)
    if not typed:
        return []
    synonyms = search_synonyms()
    fillers = [(phrase, "") for phrase, replacement in synonyms if not replacement]
    replacements = [(phrase, replacement) for phrase, replacement in synonyms if replacement]
    # Phrases overlap ("khai sinh cho con", "giấy khai sinh", "cho con"): rewrite both ways round.
    alternatives = [typed]
    for order in (replacements + fillers, fillers + replacements):
        rewritten = _rewrite(typed, order)
        if rewritten and rewritten not in alternatives:
            alternatives.append(rewritten)
    return alternatives


def _rewrite(text: str, pairs: list[tuple[str, str]]) -> str:
    padded = f" {text} "
    for phrase, replacement in pairs:
        padded = padded.replace(f" {phrase} ", f" {replacement} " if replacement else " ")
    return " ".join(padded.split())


def _i_y_pattern(term: str) -> str | None:
    """Vietnamese spells a final -i/-y after a consonant both ways ("kí"/"ký", "lí"/"lý", "mĩ"/"mỹ")."""
    if len(term) >= 2 and term[-1] in "iy" and (term[-2] not in "aeiouy" or term.endswith(("qui", "quy"))):
        return term[:-1] + ("y" if term[-1] == "i" else "i")
    return None


def _term_condition(term: str) -> Q:
    # search_text is already lower-case and accent-free, so a plain LIKE '%term%' is exact and
    # can use the pg_trgm GIN index (an ILIKE on UPPER() could not).
    condition = Q(search_text__contains=term)
    variant = _i_y_pattern(term)
    return condition | Q(search_text__contains=variant) if variant else condition


def _phrase_regex(alternative: str) -> str:
    parts = []
    for term in alternative.split(" "):
        parts.append(re.escape(term[:-1]) + "[iy]" if _i_y_pattern(term) else re.escape(term))
    return " ".join(parts)


def _title_rank(alternatives: list[str]) -> Case:
    """3: the title is the query; 2: the title starts with it; 1: it is a phrase in the title; 0: words only.

    search_text is "<code> <title> <sector>": the title starts after the code, and it *is* the query
    when it also has the query's length (names are stored composed, one character per letter).
    """
    exact, prefix, phrase = Q(pk__in=[]), Q(pk__in=[]), Q(pk__in=[])
    for alternative in alternatives:
        starts = Q(search_text__regex=rf"^[^ ]+ {_phrase_regex(alternative)}( |$)")
        exact |= starts & Q(title_length=len(alternative))
        prefix |= starts
        phrase |= Q(search_text__regex=rf" {_phrase_regex(alternative)}( |$)")
    return Case(When(exact, then=3), When(prefix, then=2), When(phrase, then=1), default=0,
                output_field=IntegerField())


def procedure_search_queryset(query: str | None, filters: ProcedureFilters | None = None) -> QuerySet[Procedure]:
    filters = filters or ProcedureFilters()
    procedures = published_procedures()
    alternatives = search_alternatives(query)
    if alternatives:
        matches = Q(pk__in=[])
        for alternative in alternatives:
            every_term = Q()
            for term in alternative.split(" "):
                every_term &= _term_condition(term)
            matches |= every_term
        procedures = procedures.filter(matches)
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
    procedures = procedures.select_related("current_version", "sector").only(*LIST_COLUMNS)
    if not alternatives:
        return procedures.order_by("-popularity", "code")
    # The best title match first ("đăng ký khai sinh" puts Đăng ký khai sinh above its variants),
    # then the most used.
    procedures = procedures.annotate(title_length=Length("current_version__name"))
    return procedures.annotate(title_rank=_title_rank(alternatives)).order_by("-title_rank", "-popularity", "code")


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
