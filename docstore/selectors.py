"""The citizen's document store (kho quản lý dữ liệu điện tử, Decree 45/2020 Art 16 as amended by
Decree 118/2025 Art 40; contents per Circular 01/2023/TT-VPCP Art 24), read from the dossiers.

The store has no table of its own: it is a view over what `applications` already holds, so a
result re-issued or signed later is the one shown, and nothing is copied twice. Its items:
- every e-result (Document kind RESULT, ready) of the owner's dossiers, issued by the state, kept;
- every paper of the owner's filed dossiers that the owner chose to keep, or that an officer
  digitised at the counter (Circular 01/2023 Art 8) for them.

Dependencies point one way: docstore → applications, procedures, accounts. `applications` never
imports docstore; its filing page only links here by URL name.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from applications.models import Attachment, Document, DocumentKind, DocumentState, Status
from procedures.models import Component, DocumentType
from workdays.services import local_time_zone

RESULT, FILE = "result", "file"
SOURCES = (RESULT, FILE)


@dataclass(frozen=True)
class StoreItem:
    source: str  # RESULT or FILE
    pk: int
    name: str
    document_type: DocumentType | None
    issuer: str
    issued_at: datetime
    valid_until: date | None
    dossier_code: str
    procedure_name: str
    is_digitised: bool
    sha256: str
    certified_at: datetime | None = None  # a scan certified with the one-stop shop's signature

    @property
    def is_state_issued(self) -> bool:
        """A result issued by the state: kept in the store for good (it cannot be deleted)."""
        return self.source == RESULT

    @property
    def is_expired(self) -> bool:
        return self.valid_until is not None and self.valid_until < timezone.localdate()


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _valid_until(document_type: DocumentType | None, issued_at: datetime) -> date | None:
    if document_type is None or not document_type.validity_months:
        return None
    return _add_months(timezone.localtime(issued_at).date(), document_type.validity_months)


def _results(owner: User):
    return (
        Document.objects.filter(kind=DocumentKind.RESULT, state=DocumentState.READY, dossier__owner=owner)
        .select_related("dossier__agency", "dossier__procedure_version__result_document_type")
    )


def _kept(owner: User):
    return (
        Attachment.objects.filter(in_store=True, dossier__owner=owner)
        .exclude(dossier__status=Status.DRAFT)
        .select_related("dossier__agency", "dossier__procedure_version", "component__document_type")
    )


def _result_item(document: Document) -> StoreItem:
    dossier = document.dossier
    version = dossier.procedure_version
    kind = version.result_document_type
    issued_at = document.issued_at or document.created_at
    return StoreItem(
        source=RESULT, pk=document.pk, name=version.result_name or str(DocumentKind.RESULT.label),
        document_type=kind, issuer=dossier.agency.name, issued_at=issued_at,
        valid_until=_valid_until(kind, issued_at), dossier_code=dossier.code or "", procedure_name=version.name,
        is_digitised=False, sha256=document.sha256,
    )


def _file_item(attachment: Attachment) -> StoreItem:
    dossier = attachment.dossier
    kind = attachment.component.document_type if attachment.component_id else None
    name = attachment.component.name if attachment.component_id else attachment.original_name
    issued_at = attachment.digitised_at or attachment.uploaded_at
    return StoreItem(
        source=FILE, pk=attachment.pk, name=name, document_type=kind,
        # A scan made at the counter is vouched for by that one-stop shop; an upload, by its owner.
        issuer=dossier.agency.name if attachment.is_digitised else "",
        issued_at=issued_at, valid_until=_valid_until(kind, issued_at), dossier_code=dossier.code or "",
        procedure_name=dossier.procedure_version.name, is_digitised=attachment.is_digitised,
        sha256=attachment.sha256, certified_at=attachment.certified_at,
    )


def store_items(owner: User) -> list[StoreItem]:
    """Everything in the owner's store, newest first (two queries). A paper kept from several
    dossiers (same bytes, same kind) is listed once, from where it was first kept."""
    items = [_result_item(document) for document in _results(owner)]
    seen: set[tuple[str, int | None]] = set()
    for attachment in _kept(owner).order_by("uploaded_at", "pk"):
        item = _file_item(attachment)
        key = (item.sha256, item.document_type.pk if item.document_type else None)
        if key not in seen:
            seen.add(key)
            items.append(item)
    return sorted(items, key=lambda item: (item.issued_at, item.pk), reverse=True)


def store_result_get(owner: User, pk: int) -> Document:
    """A result in the owner's store; 404 for anyone else's."""
    document = _results(owner).filter(pk=pk).first()
    if document is None:
        raise Http404("Không tìm thấy giấy tờ.")
    return document


def store_file_get(owner: User, pk: int) -> Attachment:
    """A kept or digitised paper in the owner's store; 404 for anyone else's."""
    attachment = _kept(owner).filter(pk=pk).first()
    if attachment is None:
        raise Http404("Không tìm thấy giấy tờ.")
    return attachment


def keepable_attachment_get(owner: User, pk: int) -> Attachment:
    """A paper of the owner's filed dossier that they may keep in their store; 404 for anyone else's."""
    attachment = (
        Attachment.objects.filter(pk=pk, dossier__owner=owner).exclude(dossier__status=Status.DRAFT)
        .select_related("dossier").first()
    )
    if attachment is None:
        raise Http404("Không tìm thấy giấy tờ.")
    return attachment


def store_item_get(owner: User, source: str, pk: int) -> Document | Attachment:
    if source == RESULT:
        return store_result_get(owner, pk)
    if source == FILE:
        return store_file_get(owner, pk)
    raise Http404("Không tìm thấy giấy tờ.")


def store_offers(owner: User | None, components: list[Component]) -> dict[int, list[StoreItem]]:
    """For each component that names a document type, the owner's papers of that type still valid
    (component pk → items, newest first). Empty for a walk-in without an account."""
    wanted = {component.document_type_id for component in components if component.document_type_id}
    if owner is None or not wanted:
        return {}
    by_type: dict[int, list[StoreItem]] = {}
    for item in store_items(owner):
        if item.document_type is not None and item.document_type.pk in wanted and not item.is_expired:
            by_type.setdefault(item.document_type.pk, []).append(item)
    return {
        component.pk: by_type.get(component.document_type_id, [])
        for component in components if component.document_type_id
    }


def digitisation_figures(agency_ids: list[int], start: date, end: date) -> dict[str, int]:
    """Digitisation and reuse among the dossiers of `agency_ids` filed between `start` and `end`
    (inclusive, Vietnam time), for the service-quality figures (Decision 766/QĐ-TTg).

    components: dossier components handed in (distinct dossier × component with at least one page);
    digitised: of those, scanned at the counter (DuocSoHoa); reused: taken from the applicant's store
    (DuocTaiSuDung); dossiers_with_digitised: dossiers with any digitised component
    (HoSoCoThanhPhanSoHoa). One query.
    """
    zone = local_time_zone()
    first = datetime.combine(start, time.min, tzinfo=zone)
    after = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
    pages = Attachment.objects.filter(
        dossier__agency_id__in=agency_ids, dossier__submitted_at__gte=first, dossier__submitted_at__lt=after,
        component__isnull=False,
    )
    # Distinct (dossier, component) pairs, each flagged when any of its pages is digitised / reused.
    pairs = pages.order_by().values("dossier_id", "component_id").annotate(
        digitised=Count("pk", filter=Q(is_digitised=True)), reused=Count("pk", filter=Q(is_reused=True)),
    )
    components = digitised = reused_count = 0
    with_digitised: set[int] = set()
    for pair in pairs:
        components += 1
        if pair["digitised"]:
            digitised += 1
            with_digitised.add(pair["dossier_id"])
        if pair["reused"]:
            reused_count += 1
    return {
        "components": components, "digitised": digitised, "reused": reused_count,
        "dossiers_with_digitised": len(with_digitised),
    }


def dossier_has_digitised_components(dossier_id: int) -> bool:
    """HoSoCoThanhPhanSoHoa in the national sync: a component of the dossier was digitised at receipt."""
    return Attachment.objects.filter(dossier_id=dossier_id, is_digitised=True, component__isnull=False).exists()
