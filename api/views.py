"""The REST API, version 1: public catalogue and tracking, a citizen's dossiers, agency systems.

Each view is one more caller of the services and selectors the web pages use: the catalogue
selectors, the tracking selector and its rate limit, the filing forms and applications.filing,
applications.workflow and payments.services. Nothing here re-states a rule of theirs."""

from __future__ import annotations

import base64
import binascii
import uuid

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.response import Response

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import staff_agency_ids
from accounts.models import Role
from api import serializers as s
from api.base import ApiView, CodeCursor, etag, expected_version, idempotent, paginate
from api.models import ApiKey
from api.problems import Problem
from applications import workflow
from applications.eforms import eform_bind_answers
from applications.filing import (
    applicant_defaults,
    attachments_add_batch,
    dossier_eform_locked,
    dossier_file,
    draft_create,
    draft_save_eform,
)
from applications.forms_filing import ApplicantForm
from applications.models import Dossier, Status
from applications.queues import QUEUES, queue_counts, queue_dossiers, queues_for
from applications.selectors import (
    documents_for_citizen,
    dossier_get_for_citizen,
    dossier_get_for_staff,
    dossiers_for_citizen,
    supplement_request_open,
)
from applications.views.officer import ACTIONS
from applications.views.tracking import tracking_allowed, tracking_lookup
from payments import services as payment_services
from payments.providers import registry
from procedures.models import Component, Fee, FormField, ProcedureVersion
from procedures.selectors import published_procedures

CODE = OpenApiParameter("code", str, OpenApiParameter.PATH, description="Dossier code [mã hồ sơ].")
CURSOR = [
    OpenApiParameter("cursor", str, OpenApiParameter.QUERY, required=False, description="Opaque cursor from next/previous."),
    OpenApiParameter("page_size", int, OpenApiParameter.QUERY, required=False, description="1–100, default 25."),
]
IF_MATCH = OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=False,
                            description="The dossier's ETag; 412 when it changed meanwhile.")
IDEMPOTENCY = OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False,
                               description="Retries with the same key and body get the first answer again; "
                                           "the same key with another body is 422.")
AGENCY_AUTH = [{"agencyKey": []}]
CITIZEN_AUTH = [{"citizenBearer": []}, {"cookieAuth": []}]


class IsCitizen(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.role == Role.CITIZEN and not isinstance(request.auth, ApiKey))


class IsAgencyKey(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, ApiKey)


def _catalogue_version_queryset():
    return ProcedureVersion.objects.prefetch_related(
        "receiving_agencies",
        Prefetch("components", queryset=Component.objects.order_by("order", "pk")),
        Prefetch("fees", queryset=Fee.objects.order_by("order", "pk")),
        Prefetch("form_fields", queryset=FormField.objects.order_by("order", "pk")),
    )


# --- Public ----------------------------------------------------------------------------------------


class ProcedureList(ApiView):
    authentication_classes: list = []

    @extend_schema(tags=["catalogue"], summary="Published procedures, by code", operation_id="procedures_list", parameters=CURSOR,
                   responses=s.paginated(s.ProcedureListSerializer, "ProcedurePage"), auth=[])
    def get(self, request):
        procedures = published_procedures().filter(current_version__isnull=False).select_related(
            "sector", "current_version")
        return paginate(self, procedures, s.ProcedureListSerializer, cursor=CodeCursor)


class ProcedureDetail(ApiView):
    authentication_classes: list = []

    @extend_schema(tags=["catalogue"], summary="A procedure with its version in force: components, fees, e-form, "
                   "service level", parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH, description="Procedure code [mã thủ tục].")],
                   responses=s.ProcedureDetailSerializer, auth=[])
    def get(self, request, code: str):
        procedure = published_procedures().select_related("sector").filter(code=code).first()
        if procedure is None or procedure.current_version_id is None:
            raise Problem(404, "not-found", _("Không tìm thấy thủ tục."))
        procedure.current_version = _catalogue_version_queryset().get(pk=procedure.current_version_id)
        return Response(s.ProcedureDetailSerializer(procedure).data)


class Track(ApiView):
    authentication_classes: list = []
    throttle_classes: list = []  # the tracking limit of /track/ applies instead (one count per address)

    @extend_schema(tags=["tracking"], summary="Track a dossier by code (masked, rate-limited like /track/)",
                   parameters=[OpenApiParameter("code", str, OpenApiParameter.QUERY, required=True,
                                                description="Dossier code [mã hồ sơ].")],
                   responses={200: s.TrackingSerializer}, auth=[])
    def get(self, request):
        query = s.TrackQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        if not tracking_allowed(request._request):
            raise Problem(429, "rate-limited", _("Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau ít phút."))
        dossier = tracking_lookup(query.validated_data["code"].strip())
        if dossier is None:
            raise Problem(404, "not-found", _("Không tìm thấy hồ sơ. Vui lòng kiểm tra lại mã hồ sơ."))
        return Response(s.TrackingSerializer(dossier).data)


# --- Citizen ----------------------------------------------------------------------------------------


def _decode_files(items: list[dict], field: str) -> list[tuple[int | None, SimpleUploadedFile]]:
    decoded = []
    for index, item in enumerate(items):
        try:
            content = base64.b64decode(item["content_base64"], validate=True)
        except (binascii.Error, ValueError):
            raise Problem(400, "invalid-request", _("Tệp không đúng định dạng base64."),
                          errors={f"{field}.{index}.content_base64": [_("Tệp không đúng định dạng base64.")]}) from None
        decoded.append((item.get("component"), SimpleUploadedFile(item["name"], content)))
    return decoded


def _citizen_detail(dossier: Dossier, user) -> dict:
    request_open = supplement_request_open(dossier) if dossier.status in (
        Status.SUPPLEMENT_REQUESTED, Status.NEEDS_COMPLETION) else None
    documents = [
        {"id": d.pk, "kind": d.kind, "get_kind_display": d.get_kind_display(), "number": d.number,
         "issued_at": d.issued_at,
         "download_url": reverse("applications:document-download", args=[dossier.code, d.pk])}
        for d in documents_for_citizen(dossier).filter(state="ready")
    ]
    dossier.timeline = list(dossier.events.filter(is_public=True).order_by("at", "pk"))
    dossier.documents_list = documents
    dossier.attachments_list = list(dossier.attachments.all())
    dossier.open_supplement_request = request_open
    dossier.actions = workflow.dossier_actions_available(dossier, user)
    return s.DossierDetailSerializer(_DetailView(dossier)).data


class _DetailView:
    """The dossier with the lists the detail serializer reads under their own names."""

    def __init__(self, dossier: Dossier) -> None:
        self._dossier = dossier
        self.documents = dossier.documents_list
        self.attachments = dossier.attachments_list

    def __getattr__(self, name: str):
        return getattr(self._dossier, name)


class MyDossiers(ApiView):
    permission_classes = [IsCitizen]

    @extend_schema(tags=["citizen"], summary="My dossiers (newest first, drafts left out)", operation_id="me_dossiers_list", parameters=CURSOR,
                   responses=s.paginated(s.DossierSummarySerializer, "DossierPage"), auth=CITIZEN_AUTH)
    def get(self, request):
        mine = dossiers_for_citizen(request.user).exclude(status=Status.DRAFT).select_related(
            "procedure_version__procedure", "agency")
        return paginate(self, mine, s.DossierSummarySerializer)

    @extend_schema(tags=["citizen"], summary="File a dossier: applicant, e-form answers and attachments, "
                   "validated as on the web form", request=s.FileDossierSerializer, parameters=[IDEMPOTENCY],
                   responses={201: s.DossierDetailSerializer}, auth=CITIZEN_AUTH)
    def post(self, request):
        body = s.FileDossierSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return idempotent(request, lambda: self._file(request, body.validated_data))

    def _file(self, request, data: dict) -> Response:
        user = request.user
        procedure = published_procedures().filter(code=data["procedure"], current_version__isnull=False).select_related(
            "current_version").first()
        if procedure is None:
            raise Problem(422, "filing-refused", _("Không tìm thấy thủ tục."), errors={"procedure": [_("Không tìm thấy thủ tục.")]})
        version = procedure.current_version
        if not version.channel_online:
            raise Problem(422, "filing-refused", _("Thủ tục này chưa nhận hồ sơ trực tuyến. Vui lòng nộp tại Bộ phận Một cửa."))
        if not data["processing_notice_acknowledged"]:
            raise Problem(400, "invalid-request", _("Cần xác nhận đã đọc thông báo xử lý dữ liệu cá nhân."),
                          errors={"processing_notice_acknowledged": [_("Bắt buộc.")]})
        applicant = {key: value for key, value in data["applicant"].items()}
        applicant.setdefault("subject_relation", version.filed_for or "self")
        form = ApplicantForm(applicant, version=version, agencies=version.receiving_agencies.filter(is_active=True),
                             initial=applicant_defaults(user),
                             verified_applicant=user if user.identity_verified_at else None)
        if not form.is_valid():
            raise Problem(400, "invalid-request", _("Thông tin người nộp chưa hợp lệ."),
                          errors={f"applicant.{k}": [str(m) for m in v] for k, v in form.errors.items()})
        files = _decode_files(data.get("attachments") or [], "attachments")
        components = {c.pk: c for c in version.components.all()}
        if any(pk is not None and pk not in components for pk, _f in files):
            raise Problem(400, "invalid-request", _("Thành phần hồ sơ không thuộc thủ tục này."))
        stored = []
        try:
            with transaction.atomic():
                values = form.draft_values()
                agency = values.pop("agency")
                dossier = draft_create(version, agency, owner=user, filed_by=user, **values)
                eform = eform_bind_answers(version, data["answers"], locked=dossier_eform_locked(dossier))
                if not eform.is_valid():
                    raise Problem(400, "invalid-request", _("Tờ khai điện tử chưa đầy đủ hoặc có thông tin chưa hợp lệ."),
                                  errors={f"answers.{k}": [str(m) for m in v] for k, v in eform.errors.items()})
                draft_save_eform(dossier, eform.to_json())
                if files:
                    stored = attachments_add_batch(
                        dossier, [(components.get(pk) if pk else None, f) for pk, f in files], by=user)
                dossier = dossier_file(dossier, actor=user, submit_token=uuid.uuid4())
        except ValidationError as exc:
            for attachment in stored:
                attachment.file.delete(save=False)
            raise Problem(400, "invalid-request", " ".join(exc.messages), errors={"attachments": exc.messages}) from None
        except BaseException:
            for attachment in stored:
                attachment.file.delete(save=False)
            raise
        dossier = dossier_get_for_citizen(user, dossier.code)
        return Response(_citizen_detail(dossier, user), status=201, headers={
            "Location": reverse("api:my-dossier", args=[dossier.code]), "ETag": etag(dossier.version)})


class MyDossier(ApiView):
    permission_classes = [IsCitizen]

    @extend_schema(tags=["citizen"], summary="One of my dossiers, with its timeline, documents and attachments",
                   parameters=[CODE], responses=s.DossierDetailSerializer, auth=CITIZEN_AUTH)
    def get(self, request, code: str):
        dossier = dossier_get_for_citizen(request.user, code)
        if dossier.status == Status.DRAFT:
            raise Problem(404, "not-found", _("Không tìm thấy hồ sơ."))
        return Response(_citizen_detail(dossier, request.user), headers={"ETag": etag(dossier.version)})


class MySupplement(ApiView):
    permission_classes = [IsCitizen]

    @extend_schema(tags=["citizen"], summary="Answer the open supplement request (files and/or a note)",
                   parameters=[CODE, IF_MATCH], request=s.SupplementSerializer,
                   responses=s.DossierDetailSerializer, auth=CITIZEN_AUTH)
    def post(self, request, code: str):
        dossier = dossier_get_for_citizen(request.user, code)
        body = s.SupplementSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        version = expected_version(request, dossier.version, body.validated_data.get("version"))
        request_open = supplement_request_open(dossier) if dossier.status == Status.SUPPLEMENT_REQUESTED else None
        if request_open is None:
            raise Problem(409, "conflict", _("Hồ sơ không có yêu cầu bổ sung đang chờ."))
        files = _decode_files(body.validated_data.get("attachments") or [], "attachments")
        note = body.validated_data.get("note", "")
        if not files and not request_open.attachments.exists() and not note.strip():
            raise Problem(400, "invalid-request", _("Vui lòng tải lên giấy tờ bổ sung hoặc ghi chú nội dung bổ sung."))
        stored = []
        try:
            with transaction.atomic():
                if files:
                    stored = attachments_add_batch(dossier, [(None, f) for _pk, f in files], by=request.user,
                                                   supplement_request=request_open)
                workflow.dossier_supplement(dossier, actor=request.user, expected_version=version, note=note)
        except ValidationError as exc:
            raise Problem(400, "invalid-request", " ".join(exc.messages), errors={"attachments": exc.messages}) from None
        except BaseException:
            for attachment in stored:
                attachment.file.delete(save=False)
            raise
        dossier = dossier_get_for_citizen(request.user, code)
        return Response(_citizen_detail(dossier, request.user), headers={"ETag": etag(dossier.version)})


class MyPayment(ApiView):
    permission_classes = [IsCitizen]

    @extend_schema(tags=["citizen"], summary="Start a payment attempt for the fee due", parameters=[CODE, IDEMPOTENCY],
                   request=None, responses={201: s.PaymentAttemptSerializer}, auth=CITIZEN_AUTH)
    def post(self, request, code: str):
        dossier = dossier_get_for_citizen(request.user, code)
        return idempotent(request, lambda: self._start(request, dossier))

    def _start(self, request, dossier: Dossier) -> Response:
        try:
            provider = registry.provider_for_agency(dossier.agency)
        except ImproperlyConfigured:
            raise Problem(409, "conflict", _("Cổng thanh toán trực tuyến của cơ quan chưa sẵn sàng.")) from None
        try:
            attempt = payment_services.payment_start(dossier=dossier, provider_id=provider.id,
                                                     payer_ip=request._request.META.get("REMOTE_ADDR"))
        except payment_services.PaymentError as exc:
            raise Problem(409, "conflict", str(exc)) from None
        url = provider.start_payment(attempt, request._request)
        return Response({"reference": attempt.txn_ref, "amount": attempt.amount, "state": attempt.state,
                         "payment_url": url}, status=201)


# --- Agency systems ----------------------------------------------------------------------------------


class AgencyQueues(ApiView):
    permission_classes = [IsAgencyKey]

    @extend_schema(tags=["agency"], summary="The key's work queues with their counts",
                   responses=s.QueueSerializer(many=True), auth=AGENCY_AUTH)
    def get(self, request):
        counts = queue_counts(request.user, timezone.now())
        # A province-wide queue is counted up to the lists' bound (LIST_MAX_ROWS): "capped" says the
        # count is that bound plus one, i.e. "more than LIST_MAX_ROWS", not an exact figure.
        return Response([{"key": q.key, "label": str(q.label), "count": int(counts.get(q.key, 0)),
                          "capped": bool(getattr(counts.get(q.key), "capped", False))}
                         for q in queues_for(request.user)])


class AgencyQueue(ApiView):
    permission_classes = [IsAgencyKey]

    @extend_schema(tags=["agency"], summary="The dossiers of one queue", auth=AGENCY_AUTH,
                   parameters=[OpenApiParameter("key", str, OpenApiParameter.PATH, enum=list(QUEUES),
                                                    description="Queue key (see /agency/queues/)."), *CURSOR],
                   responses=s.paginated(s.DossierSummarySerializer, "AgencyDossierPage"))
    def get(self, request, key: str):
        if key not in {q.key for q in queues_for(request.user)}:
            raise Problem(404, "not-found", _("Không có hàng đợi này."))
        dossiers = queue_dossiers(request.user, key, timezone.now()).select_related("agency").order_by()
        return paginate(self, dossiers, s.DossierSummarySerializer, context={"dossier_url_name": "api:agency-dossier"})


def _staff_detail(dossier: Dossier, user) -> dict:
    dossier.timeline = list(dossier.events.order_by("at", "pk"))
    dossier.documents_list = [
        {"id": d.pk, "kind": d.kind, "get_kind_display": d.get_kind_display(), "number": d.number,
         "issued_at": d.issued_at,
         "download_url": reverse("applications:staff-document-download", args=[dossier.code, d.pk])}
        for d in dossier.documents.filter(state="ready").order_by("created_at", "pk")
    ]
    dossier.attachments_list = list(dossier.attachments.all())
    dossier.open_supplement_request = supplement_request_open(dossier)
    dossier.actions = workflow.dossier_actions_available(dossier, user)
    return s.DossierDetailSerializer(_DetailView(dossier), context={"dossier_url_name": "api:agency-dossier"}).data


class AgencyDossier(ApiView):
    permission_classes = [IsAgencyKey]

    @extend_schema(tags=["agency"], summary="A dossier of the key's agency", parameters=[CODE],
                   responses=s.DossierDetailSerializer, auth=AGENCY_AUTH)
    def get(self, request, code: str):
        dossier = dossier_get_for_staff(request.user, code)
        if dossier.status == Status.DRAFT:
            raise Problem(404, "not-found", _("Không tìm thấy hồ sơ."))
        return Response(_staff_detail(dossier, request.user), headers={"ETag": etag(dossier.version)})


class AgencyAction(ApiView):
    permission_classes = [IsAgencyKey]

    @extend_schema(tags=["agency"], summary="A workflow action, as the back office's button",
                   description="Validated by the back office's form for the action and carried out by the same "
                               "applications.workflow service. Actions: " + ", ".join(sorted(ACTIONS)) + ".",
                   parameters=[CODE, IF_MATCH, OpenApiParameter("action", str, OpenApiParameter.PATH,
                                                                enum=sorted(ACTIONS), description="The back office's action.")],
                   request=s.ActionSerializer, responses=s.DossierDetailSerializer, auth=AGENCY_AUTH)
    def post(self, request, code: str, action: str):
        if action not in ACTIONS:
            raise Problem(404, "not-found", _("Không có thao tác này."))
        dossier = dossier_get_for_staff(request.user, code)
        if dossier.status == Status.DRAFT:
            raise Problem(404, "not-found", _("Không tìm thấy hồ sơ."))
        body = s.ActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        version = expected_version(request, dossier.version, body.validated_data.get("version"))
        form_class, call = ACTIONS[action]
        kwargs = {"agency_ids": staff_agency_ids(request.user)} if "specialist" in form_class.base_fields else {}
        values = {k: v for k, v in request.data.items() if k != "version"} if hasattr(request.data, "items") else {}
        form = form_class({**values, "expected_version": version}, **kwargs)
        if not form.is_valid():
            raise Problem(400, "invalid-request", _("Vui lòng kiểm tra lại thông tin đã nhập."),
                          errors={k: [str(m) for m in v] for k, v in form.errors.items()})
        call(dossier, request.user, form.cleaned_data)
        dossier = dossier_get_for_staff(request.user, code)
        return Response(_staff_detail(dossier, request.user), headers={"ETag": etag(dossier.version)})




@extend_schema(exclude=True)
class NotFound(ApiView):
    authentication_classes: list = []

    def get(self, request, *args, **kwargs):
        raise Problem(404, "not-found", _("Không tìm thấy."))

    post = put = patch = delete = get
