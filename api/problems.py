"""RFC 9457 problem details for every error the API answers, in Vietnamese or English.

The body is `{"type", "title", "status", "detail", "instance"}` plus `errors` (field → messages)
for invalid input. `type` is a relative URI naming the kind of problem; the list is in the schema's
description and the README."""

from __future__ import annotations

import logging
from typing import Any

from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from applications.filing import FilingError
from applications.workflow import StaleDossier, WorkflowError

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "/api/v1/problems/"


class Problem(Exception):
    """An error a view raises with its own status, type and message."""

    def __init__(self, status_code: int, kind: str, detail: str, errors: dict | None = None) -> None:
        super().__init__(detail)
        self.status_code, self.kind, self.detail, self.errors = status_code, kind, detail, errors


def _titles() -> dict[int, str]:
    return {
        400: _("Yêu cầu không hợp lệ"), 401: _("Chưa xác thực"), 403: _("Không có quyền"),
        404: _("Không tìm thấy"), 405: _("Phương thức không được hỗ trợ"), 406: _("Định dạng không được hỗ trợ"),
        409: _("Xung đột trạng thái"), 412: _("Phiên bản không còn đúng"), 413: _("Yêu cầu quá lớn"),
        415: _("Kiểu nội dung không được hỗ trợ"), 422: _("Không xử lý được yêu cầu"),
        428: _("Cần điều kiện phiên bản"), 429: _("Quá nhiều yêu cầu"), 500: _("Lỗi hệ thống"),
    }


KINDS = {400: "invalid-request", 401: "not-authenticated", 403: "forbidden", 404: "not-found",
         405: "method-not-allowed", 406: "not-acceptable", 409: "conflict", 412: "stale-version",
         413: "too-large", 415: "unsupported-media-type", 422: "unprocessable", 428: "version-required",
         429: "rate-limited", 500: "server-error"}


def problem_response(status_code: int, detail: str, *, kind: str | None = None, errors: dict | None = None,
                     instance: str = "", headers: dict | None = None) -> Response:
    body: dict[str, Any] = {
        "type": TYPE_BASE + (kind or KINDS.get(status_code, "error")),
        "title": str(_titles().get(status_code, _("Lỗi"))),
        "status": status_code,
        "detail": str(detail),
    }
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    response = Response(body, status=status_code, headers=headers)
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def _flatten(detail: Any) -> dict[str, list[str]]:
    """DRF's nested error detail as field → list of messages (nested fields joined with dots)."""
    result: dict[str, list[str]] = {}

    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(inner, f"{path}.{key}" if path else str(key))
        elif isinstance(value, list) and value and all(not isinstance(v, dict | list) for v in value):
            result.setdefault(path or "non_field_errors", []).extend(str(v) for v in value)
        elif isinstance(value, list):
            for index, inner in enumerate(value):
                walk(inner, f"{path}.{index}" if path else str(index))
        else:
            result.setdefault(path or "non_field_errors", []).append(str(value))

    walk(detail, "")
    return result


def problem_exception_handler(exc: Exception, context: dict) -> Response | None:
    request = context.get("request")
    instance = request.path if request is not None else ""
    if isinstance(exc, Problem):
        return problem_response(exc.status_code, exc.detail, kind=exc.kind, errors=exc.errors, instance=instance)
    if isinstance(exc, StaleDossier):
        return problem_response(409, exc.message, kind="stale-version", instance=instance)
    if isinstance(exc, WorkflowError):
        return problem_response(exc.status, exc.message, instance=instance)
    if isinstance(exc, FilingError):
        errors = {"non_field_errors": [str(p) for p in exc.problems]} if getattr(exc, "problems", None) else None
        return problem_response(422, exc.message, kind="filing-refused", errors=errors, instance=instance)
    if isinstance(exc, DjangoValidationError):
        return problem_response(400, " ".join(exc.messages), errors={"non_field_errors": exc.messages},
                                instance=instance)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        # A bug: logged with its traceback (and to error reporting), answered as a problem, not a page.
        logger.error("API error on %s", instance, exc_info=exc)
        return problem_response(500, _("Lỗi hệ thống. Vui lòng thử lại sau."), instance=instance)
    headers = {name: value for name, value in response.items() if name in ("WWW-Authenticate", "Retry-After", "Allow")}
    if isinstance(exc, exceptions.ValidationError):
        return problem_response(400, _("Dữ liệu gửi lên chưa hợp lệ."), errors=_flatten(exc.detail),
                                instance=instance, headers=headers)
    detail = {
        401: _("Cần khóa API, mã truy cập hoặc phiên đăng nhập hợp lệ."),
        403: _("Bạn không có quyền thực hiện thao tác này."),
        404: _("Không tìm thấy."),
        429: _("Quá nhiều yêu cầu. Vui lòng thử lại sau."),
    }.get(response.status_code)
    if isinstance(exc, exceptions.AuthenticationFailed) and response.status_code in (401, 403):
        detail = str(exc.detail)
    if detail is None:
        detail = str(exc.detail) if isinstance(getattr(exc, "detail", None), str) else str(_titles().get(
            response.status_code, _("Lỗi")))
    return problem_response(response.status_code, detail, instance=instance, headers=headers)


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details."""

    type = serializers.CharField(help_text="A URI reference naming the kind of problem, e.g. /api/v1/problems/stale-version.")
    title = serializers.CharField(help_text="A short summary of the kind of problem, in the request's language.")
    status = serializers.IntegerField(help_text="The HTTP status code.")
    detail = serializers.CharField(help_text="What went wrong with this request, in Vietnamese (default) or English "
                                             "(Accept-Language: en).")
    instance = serializers.CharField(required=False, help_text="The path of the request.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False,
        help_text="Invalid input: field name → messages (nested fields joined with dots).",
    )


ERROR_STATUSES = (
    status.HTTP_400_BAD_REQUEST, status.HTTP_401_UNAUTHORIZED, status.HTTP_403_FORBIDDEN, status.HTTP_404_NOT_FOUND,
    status.HTTP_405_METHOD_NOT_ALLOWED, status.HTTP_406_NOT_ACCEPTABLE, status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
    status.HTTP_429_TOO_MANY_REQUESTS,
)
WRITE_ERROR_STATUSES = (409, 412, 413, 422, 428)
