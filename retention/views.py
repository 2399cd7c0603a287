"""The citizen's download of everything the portal holds about them (Law 91/2025/QH15: the data
subject's right to obtain their data). Only the signed-in citizen's own data; rate-limited."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.access import citizen_required, signed_in_user
from accounts.throttle import rate_limit_hit
from retention.export import export_zip


@citizen_required
@require_GET
@never_cache
def my_data_export(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not rate_limit_hit(scope="personal-export", key=str(user.pk),
                          limit=settings.PERSONAL_EXPORT_LIMIT_PER_HOUR, window_seconds=3600):
        messages.error(request, _("Bạn đã tải dữ liệu cá nhân quá nhiều lần trong một giờ. Vui lòng thử lại sau."))
        return redirect("accounts:profile")
    response = HttpResponse(export_zip(user), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="du-lieu-ca-nhan.zip"'
    return response
