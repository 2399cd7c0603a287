"""Access-scoped lookups. Every view fetches dossiers through these, never with a bare query:
a citizen gets only their own dossiers, staff only their agency's (and the agencies below)."""

from __future__ import annotations

from typing import cast

from django.core.cache import cache
from django.db.models import F, ForeignKey, Model, Q, QuerySet
from django.http import Http404

from accounts.access import staff_agency_ids
from accounts.models import Role, User
from accounts.phone import normalize_phone
from applications.eforms import eform_display, form_definitions
from applications.models import (
    Attachment,
    Channel,
    Document,
    DocumentKind,
    DocumentState,
    Dossier,
    DossierEvent,
    Extension,
    Pause,
    Status,
    SupplementRequest,
)
from applications.prepared import PreparedQuery
from portal.lib.idnumber import normalize_id_number
from procedures.cache import cache_seconds, catalogue_cache_key

# The papers addressed to the applicant. The control sheet (Mẫu 06) and the tracking-book extract
# (Mẫu 07) are the agency's internal records: they copy internal notes (submit-for-approval,
# send-back) and other people's hand-overs, so the citizen never gets them.
CITIZEN_DOCUMENT_KINDS = frozenset({
    DocumentKind.RECEIPT, DocumentKind.SUPPLEMENT, DocumentKind.REFUSAL, DocumentKind.APOLOGY, DocumentKind.STOP,
    DocumentKind.NOT_ELIGIBLE, DocumentKind.RESULT, DocumentKind.PAYMENT_RECEIPT,
})

# Dossiers an officer records at the one-stop shop: handed in at the counter or arrived by post.
COUNTER_CHANNELS = (Channel.IN_PERSON, Channel.POST)
_EDITABLE = (Status.DRAFT, Status.NEEDS_COMPLETION)


def dossiers_for_citizen(user: User) -> QuerySet[Dossier]:
    """The citizen's dossiers, without drafts an officer is still preparing for them at the counter:
    those become the citizen's when the officer submits them."""
    if not user.is_authenticated:
        return Dossier.objects.none()
    return Dossier.objects.filter(owner=user).exclude(Q(status=Status.DRAFT) & ~Q(filed_by=F("owner")))


def dossiers_for_staff(user: User) -> QuerySet[Dossier]:
    return Dossier.objects.filter(agency_id__in=staff_agency_ids(user))


def _is_citizens(dossier: Dossier) -> bool:
    """dossiers_for_citizen's rule for one dossier already filtered by owner: not a counter draft.

    A draft another person filed (or with nobody recorded) is excluded, as the SQL of
    `exclude(Q(status=DRAFT) & ~Q(filed_by=F("owner")))` excludes it (a NULL comparison is not true)."""
    return dossier.status != Status.DRAFT or dossier.filed_by_id == dossier.owner_id


# Markers of PreparedQuery arguments: no row has a negative id or a code with a NUL character.
_ID, _CODE = -1, "\x00code"

_citizen_dossier_by_code = PreparedQuery(
    lambda owner_id, code: (Dossier.objects.filter(owner_id=owner_id, code=code)
                            .select_related("procedure_version__procedure", "agency")[:1]),
    markers=(_ID, _CODE),
)


def dossier_get_for_citizen(user: User, code: str) -> Dossier:
    """The citizen's own dossier by code; 404 (not 403) otherwise, so codes cannot be probed.

    Codes are unique, so filtering by owner and code finds at most the one row and dossiers_for_citizen's
    counter-draft rule is applied to it in Python: the negated F() comparison of that rule was most of
    this query's compile time, and every citizen dossier page and action starts with it. The SQL is
    compiled once per process (applications.prepared)."""
    found = _citizen_dossier_by_code(user.pk, str(code)) if user.is_authenticated and code else []
    if not found or not _is_citizens(found[0]):
        raise Http404("Không tìm thấy hồ sơ.")
    return found[0]


def dossier_get_for_staff(user: User, code: str) -> Dossier:
    dossier = (
        dossiers_for_staff(user)
        .select_related("procedure_version__procedure", "agency", "owner", "assigned_to", "filed_by")
        .filter(code=code)
        .first()
    )
    if dossier is None:
        raise Http404("Không tìm thấy hồ sơ.")
    return dossier


def dossier_page_get_for_staff(user: User, code: str) -> Dossier:
    """dossier_get_for_staff for the officer's dossier page, same rows and same 404, without the people.

    The owner, the specialist and whoever filed it are wide user rows: three joins of them were most of
    the lookup's CPU (bench/profile_queue.py). The page fetches them in one query together with the
    timeline's actors (people_attach)."""
    dossier = dossiers_for_staff(user).select_related("procedure_version__procedure", "agency").filter(code=code).first()
    if dossier is None:
        raise Http404("Không tìm thấy hồ sơ.")
    return dossier


DOSSIER_PEOPLE = ("owner", "assigned_to", "filed_by")


def people_attach(dossier: Dossier, events: list[DossierEvent]) -> None:
    """Set the dossier's people and the events' actors, with at most one query for whoever of them is
    not already loaded (by dossier_get_for_staff, on the action pages)."""
    by_pk: dict[int | None, Model | None] = {None: None}
    fields = [cast(ForeignKey, Dossier._meta.get_field(name)) for name in DOSSIER_PEOPLE]
    for field in fields:
        person = field.get_cached_value(dossier) if field.is_cached(dossier) else None
        if person is not None:
            by_pk[person.pk] = person
    wanted = {getattr(dossier, field.attname) for field in fields if not field.is_cached(dossier)}
    wanted |= {event.actor_id for event in events}
    wanted -= set(by_pk)
    if wanted:
        by_pk.update(User.objects.in_bulk(wanted))
    for field in fields:
        if not field.is_cached(dossier):
            field.set_cached_value(dossier, by_pk.get(getattr(dossier, field.attname)))
    actor = cast(ForeignKey, DossierEvent._meta.get_field("actor"))
    for event in events:
        actor.set_cached_value(event, by_pk.get(event.actor_id))


def filing_get_for_citizen(user: User, pk: int) -> Dossier:
    """A dossier the citizen opened the filing steps of: a draft, one sent back for completion, or
    (after submitting, when the browser goes back) the submitted dossier, which the steps redirect."""
    dossier = dossiers_for_citizen(user).filter(pk=pk).select_related("procedure_version__procedure", "agency").first()
    if dossier is None:
        raise Http404("Không tìm thấy bản nháp.")
    return dossier


def drafts_for_citizen(user: User) -> QuerySet[Dossier]:
    """dossiers_for_citizen's drafts: those the citizen filed themself (a counter draft is the officer's
    until submitted). Written as plain equalities, the same rows without the negated F() comparison."""
    if not user.is_authenticated:
        return Dossier.objects.none()
    return drafts_of_citizen_id(user.pk)


def drafts_of_citizen_id(user_id: int) -> QuerySet[Dossier]:
    """drafts_for_citizen of the signed-in citizen whose id this is (for a PreparedQuery)."""
    return Dossier.objects.filter(owner_id=user_id, status=Status.DRAFT, filed_by_id=user_id)


def submitted_of_citizen_id(user_id: int) -> QuerySet[Dossier]:
    """dossiers_for_citizen without its drafts, for the signed-in citizen whose id this is. The counter-draft
    rule only ever excludes drafts, so it is left out of the SQL (it compiled to a negated F() comparison,
    the list's costliest part)."""
    return Dossier.objects.filter(owner_id=user_id).exclude(status=Status.DRAFT)


def guided_get_for_staff(user: User, pk: int) -> Dossier:
    """A dossier recorded at the counter by staff of the user's agencies (any state: submitted ones
    are redirected to their done page by the steps)."""
    dossier = (
        dossiers_for_staff(user)
        .filter(pk=pk, channel__in=COUNTER_CHANNELS)
        .select_related("procedure_version__procedure", "agency", "owner", "filed_by")
        .first()
    )
    if dossier is None:
        raise Http404("Không tìm thấy hồ sơ.")
    return dossier


def guided_drafts_for_staff(user: User) -> QuerySet[Dossier]:
    return (
        dossiers_for_staff(user)
        .filter(status=Status.DRAFT, channel__in=COUNTER_CHANNELS)
        .select_related("procedure_version__procedure", "owner", "filed_by")
        .order_by("-updated_at")
    )


def guided_done_get_for_staff(user: User, pk: int) -> Dossier:
    dossier = (
        dossiers_for_staff(user).exclude(status__in=_EDITABLE)
        .select_related("procedure_version__procedure", "agency", "owner").filter(pk=pk).first()
    )
    if dossier is None:
        raise Http404("Không tìm thấy hồ sơ.")
    return dossier


def citizen_find_by_identifier(identifier: str) -> User | None:
    """The active citizen account whose ID number or phone is exactly `identifier` (normalised).

    Officers find walk-ins only this way: an exact identifier the person showed or told, never a
    list by name or an account id, so contact details cannot be harvested."""
    id_number = normalize_id_number(identifier)
    phone = normalize_phone(identifier)
    if id_number.isdigit() and len(id_number) == 12:
        match = Q(id_number=id_number)
    elif phone.isdigit() and len(phone) == 10:
        match = Q(phone=phone)
    else:
        return None
    return User.objects.filter(match, role=Role.CITIZEN, is_active=True).first()


_open_supplement_request = PreparedQuery(
    lambda dossier_id: SupplementRequest.objects.filter(dossier_id=dossier_id, answered_at__isnull=True)
    .order_by("-requested_at")[:1],
    markers=(_ID,),
)


def supplement_request_open(dossier: Dossier) -> SupplementRequest | None:
    """The unanswered supplement request of a dossier already fetched through an access helper.

    `dossier.supplement_requests.filter(answered_at__isnull=True).order_by("-requested_at").first()`,
    compiled once per process (the citizen's dossier page asks it in every supplement state)."""
    found = _open_supplement_request(dossier.pk)
    for request in found:
        request.dossier = dossier
    return found[0] if found else None


def supplement_request_note(request: SupplementRequest) -> str:
    """The note the officer wrote on Mẫu 02, kept on the event that issued the request."""
    event = DossierEvent.objects.filter(dossier_id=request.dossier_id, data__supplement_request=request.pk).first()
    return event.note if event else ""


def attachment_get_for_user(user: User, pk: int) -> Attachment:
    """An attachment the user may open: the dossier's owner, or staff of the handling agency."""
    attachments = Attachment.objects.select_related("dossier")
    attachment = attachments.filter(pk=pk, dossier__owner=user).first() if user.is_authenticated else None
    if attachment is None and user.is_authenticated:
        attachment = attachments.filter(pk=pk, dossier__agency_id__in=staff_agency_ids(user)).first()
    if attachment is None:
        raise Http404("Không tìm thấy tệp.")
    return attachment


def documents_for_citizen(dossier: Dossier) -> QuerySet[Document]:
    """The documents of the citizen's own dossier (from dossier_get_for_citizen) they may see."""
    return dossier.documents.filter(kind__in=CITIZEN_DOCUMENT_KINDS).order_by("created_at", "pk")


# The lists of the citizen's dossier page (and of its documents fragment, polled while one is made),
# compiled once per process: each is the queryset named in its comment, for a dossier already fetched
# through dossier_get_for_citizen. Each row gets that dossier as the related manager would give it.
_citizen_documents = PreparedQuery(  # documents_for_citizen(dossier)
    lambda dossier_id: Document.objects.filter(dossier_id=dossier_id, kind__in=sorted(CITIZEN_DOCUMENT_KINDS))
    .order_by("created_at", "pk"),
    markers=(_ID,),
)
_public_events = PreparedQuery(  # dossier.events.filter(is_public=True)
    lambda dossier_id: DossierEvent.objects.filter(dossier_id=dossier_id, is_public=True), markers=(_ID,),
)
_attachments = PreparedQuery(  # dossier.attachments.select_related("component")
    lambda dossier_id: Attachment.objects.filter(dossier_id=dossier_id).select_related("component"), markers=(_ID,),
)
_pauses = PreparedQuery(lambda dossier_id: Pause.objects.filter(dossier_id=dossier_id), markers=(_ID,))
_extensions = PreparedQuery(lambda dossier_id: Extension.objects.filter(dossier_id=dossier_id), markers=(_ID,))


def _of(dossier: Dossier, rows: list) -> list:
    for row in rows:
        row.dossier = dossier
    return rows


def citizen_documents_list(dossier: Dossier) -> list[Document]:
    """list(documents_for_citizen(dossier))."""
    return _of(dossier, _citizen_documents(dossier.pk))


def citizen_events_list(dossier: Dossier) -> list[DossierEvent]:
    """The public events of the citizen's own dossier, oldest first (the citizen's timeline)."""
    return _of(dossier, _public_events(dossier.pk))


def attachments_list(dossier: Dossier) -> list[Attachment]:
    """list(dossier.attachments.select_related("component")), in the model's order."""
    return _of(dossier, _attachments(dossier.pk))


def clock_rows(dossier: Dossier) -> tuple[list[Pause], list[Extension]]:
    """The pauses and extensions the deadline clock reads (templatetags.dossier_tags.dossier_clock):
    extensions exist only once the dossier was received."""
    extensions = _of(dossier, _extensions(dossier.pk)) if dossier.received_at else []
    return _of(dossier, _pauses(dossier.pk)), extensions


def document_get_for_citizen(user: User, code: str, pk: int) -> Document:
    """A ready document of the citizen's own dossier, of a kind addressed to them; 404 otherwise."""
    dossier = dossier_get_for_citizen(user, code)
    document = documents_for_citizen(dossier).filter(pk=pk, state=DocumentState.READY).first()
    if document is None:
        raise Http404("Không tìm thấy văn bản.")
    return document


def eform_answers(version, stored: dict | None) -> list[tuple[str, list[tuple[str, str]]]]:
    """eform_display(version, stored), with the version's form fields from the catalogue cache.

    The fields are catalogue data (every catalogue write bumps the cache generation, and a published
    version's fields do not change); the dossier pages otherwise query them on every visit. Only the
    definitions are cached, never the answers: those are the applicant's personal data."""
    seconds = cache_seconds()
    if not seconds:
        return eform_display(version, stored or {})
    key = catalogue_cache_key("form-fields", version.pk)
    definitions = cache.get(key)
    if definitions is None:
        definitions = form_definitions(version)
        cache.set(key, definitions, seconds)
    return eform_display(version, stored or {}, definitions=definitions)
