"""The endpoint the national portal pushes its dossiers to (a machine caller, no session)."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from national.inbound import InboundProblem, inbound_receive
from national.models import InboundState
from national.protocol import SIGNATURE_HEADER, bearer_valid, signature_valid


@csrf_exempt  # a server-to-server call authenticated by its token and body signature, never a browser form
@require_POST
def inbound_dossier(request: HttpRequest) -> JsonResponse:
    """201 filed, 200 the same MaHoSo already filed (idempotent), 202 accepted but parked for an
    administrator (the reason is given), 400 unreadable, 401 bad token or signature."""
    if not settings.NATIONAL_INBOUND_TOKEN or not (
        bearer_valid(settings.NATIONAL_INBOUND_TOKEN, request.headers.get("Authorization"))
        and signature_valid(settings.NATIONAL_INBOUND_SECRET, request.body, request.headers.get(SIGNATURE_HEADER))
    ):
        return JsonResponse({"error_code": "401", "message": "Sai mã xác thực hoặc chữ ký."}, status=401)
    try:
        payload = json.loads(request.body)
        row, filed_now = inbound_receive(payload)
    except (ValueError, InboundProblem) as error:
        message = str(error) if isinstance(error, InboundProblem) else "Nội dung không phải JSON hợp lệ."
        return JsonResponse({"error_code": "400", "message": message}, status=400)
    if row.state == InboundState.FILED and row.dossier is not None:
        status = 201 if filed_now else 200
        return JsonResponse({"error_code": "0", "MaHoSo": row.national_code, "MaHoSoTinh": row.dossier.code,
                             "TrangThai": "filed"}, status=status)
    return JsonResponse({"error_code": "0", "MaHoSo": row.national_code, "TrangThai": "parked",
                         "LyDo": row.reason}, status=202)
