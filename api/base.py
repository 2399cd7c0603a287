"""What every API view shares: the language of messages, cursor pages, version checks on writes
and idempotent creating POSTs."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from api.models import ApiKey, IdempotentRequest
from api.problems import Problem

REPLAYED_HEADER = "Idempotent-Replayed"


def request_language(request) -> str:
    """English when the caller's Accept-Language prefers it; Vietnamese otherwise (the source language)."""
    for part in request.headers.get("Accept-Language", "").split(","):
        code = part.split(";")[0].strip().lower()
        if code.startswith("en"):
            return "en"
        if code.startswith("vi"):
            return "vi"
    return settings.LANGUAGE_CODE


class ApiView(APIView):
    """Messages (problem details, workflow refusals) follow Accept-Language from the first line on."""

    def initialize_request(self, request, *args, **kwargs) -> Request:
        language = request_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        return super().initialize_request(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Language"] = translation.get_language()
        response.setdefault("Cache-Control", "no-store")
        return response


class Cursor(CursorPagination):
    """Keyset pages: `WHERE pk < last seen ORDER BY pk DESC LIMIT n`, as fast at the millionth row as at the
    first. `page_size` above 100 is served as 100, and one that is not a positive integer as 25 (DRF)."""

    page_size = 25
    max_page_size = 100
    page_size_query_param = "page_size"
    ordering = "-pk"
    # A cursor's offset part (rows sharing one position) never makes the database skip more rows than this.
    offset_cutoff = 100

    def decode_cursor(self, request):
        """A cursor that is not one of ours, or whose position is not a value of the ordering, is a 400
        problem in the caller's language (DRF would answer 404 "Invalid cursor", or fail on the query)."""
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            cursor = None
            valid = False
        else:
            first = self.ordering if isinstance(self.ordering, str) else self.ordering[0]
            valid = cursor is None or cursor.position is None or first.lstrip("-") != "pk" or (
                cursor.position.isascii() and cursor.position.isdigit() and len(cursor.position) <= 19)
        if not valid:
            raise Problem(400, "invalid-request", _(
                "Tham số cursor không hợp lệ: hãy dùng nguyên liên kết next hoặc previous của trang trước."))
        return cursor


class CodeCursor(Cursor):
    ordering = "code"


def paginate(view: APIView, queryset, serializer_class, *, context: dict | None = None, cursor=Cursor) -> Response:
    paginator = cursor()
    page = paginator.paginate_queryset(queryset, view.request, view=view)
    data = serializer_class(page, many=True, context=context or {}).data
    return paginator.get_paginated_response(data)


def expected_version(request: Request, current: int, body_version: int | None) -> int:
    """The version the caller last saw: If-Match (an ETag of the dossier) or `version` in the body.

    A stale If-Match is 412 here; a stale body version is refused by the workflow under the row lock
    (409), exactly like the back office's stale page."""
    match = request.headers.get("If-Match", "").strip()
    if match:
        value = match.removeprefix("W/").strip('"')
        if value != str(current):
            raise Problem(412, "stale-version", _("Hồ sơ vừa được người khác thay đổi. Vui lòng tải lại."))
        return current
    if body_version is None:
        raise Problem(428, "version-required", _("Cần gửi phiên bản hồ sơ (If-Match hoặc trường version)."))
    return body_version


def etag(version: int) -> str:
    return f'"{version}"'


def _scope(request: Request) -> str:
    return f"key:{request.auth.pk}" if isinstance(request.auth, ApiKey) else f"user:{request.user.pk}"


def _body_hash(request: Request) -> str:
    return hashlib.sha256(json.dumps(request.data, sort_keys=True, default=str).encode()).hexdigest()


def idempotent(request: Request, create) -> Response:
    """Run `create()` once per Idempotency-Key: a retry with the same key and body gets the stored
    answer again, the same key with another body is 422, and one still running is 409.

    Only successful answers are kept, so a refused request can be corrected and sent again."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return create()
    if len(key) > 255:
        raise Problem(400, "invalid-request", _("Idempotency-Key dài tối đa 255 ký tự."))
    operation, body_hash = f"{request.method} {request.path}"[:200], _body_hash(request)
    cutoff = timezone.now() - timedelta(hours=settings.API_IDEMPOTENCY_HOURS)
    IdempotentRequest.objects.filter(scope=_scope(request), key=key, created_at__lt=cutoff).delete()
    try:
        with transaction.atomic():
            record, created = IdempotentRequest.objects.get_or_create(
                scope=_scope(request), key=key, defaults={"operation": operation, "body_hash": body_hash},
            )
    except IntegrityError:
        raise Problem(409, "idempotency-in-progress", _("Yêu cầu với khóa này đang được xử lý.")) from None
    if not created:
        if record.operation != operation or record.body_hash != body_hash:
            raise Problem(422, "idempotency-key-reused",
                          _("Khóa Idempotency-Key này đã được dùng cho một yêu cầu khác."))
        if record.status_code is None:
            raise Problem(409, "idempotency-in-progress", _("Yêu cầu với khóa này đang được xử lý."))
        return Response(record.response_body, status=record.status_code,
                        headers={**record.response_headers, REPLAYED_HEADER: "true"})
    try:
        response = create()
    except BaseException:
        record.delete()
        raise
    if response.status_code >= 300:
        record.delete()
        return response
    record.status_code = response.status_code
    record.response_body = response.data
    record.response_headers = {name: response[name] for name in ("Location", "ETag") if name in response}
    record.save(update_fields=["status_code", "response_body", "response_headers"])
    return response
