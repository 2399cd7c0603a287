"""The leader dashboard (/officer/quality/), its drill-down and reports, and the public /minh-bach/ page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from accounts.access import agency_subtree_ids, role_required, signed_in_user
from accounts.models import Role
from accounts.two_factor import export_requested, second_factor_recent_required
from applications.deadlines import local_date
from feedback.models import RatingIndex
from portal.lib.pagination import bounded_page
from portal.lib.pdf import vietnamese_long_date
from portal.lib.replica import replica_reads
from quality import public
from quality.forms import QualityFilterForm
from quality.reports import XLSX, drill_xlsx, statistics_report, statistics_report_pdf, statistics_report_xlsx
from quality.selectors import (
    DRILLS,
    FEEDBACK_DRILLS,
    Scope,
    dashboard_build,
    drill_dossiers,
    drill_feedback,
    quality_agencies,
    quality_agency_ids,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

leader_required = role_required(Role.LEADER, Role.ADMIN)

COUNTER_LABELS = {
    "received": gettext_lazy("Hồ sơ tiếp nhận"), "received_online": gettext_lazy("Tiếp nhận trực tuyến"),
    "received_in_person": gettext_lazy("Tiếp nhận trực tiếp"), "received_post": gettext_lazy("Tiếp nhận qua bưu chính công ích"),
    "refused": gettext_lazy("Từ chối tiếp nhận"), "withdrawn": gettext_lazy("Rút hồ sơ"), "stopped": gettext_lazy("Dừng giải quyết"),
    "resolved": gettext_lazy("Đã giải quyết"), "resolved_in_time": gettext_lazy("Giải quyết trước hạn, đúng hạn"),
    "resolved_late": gettext_lazy("Giải quyết quá hạn"), "apologised": gettext_lazy("Văn bản xin lỗi đã gửi"),
    "extended": gettext_lazy("Gia hạn để xác minh"), "paid": gettext_lazy("Đã nộp phí, lệ phí"), "paid_online": gettext_lazy("Nộp phí trực tuyến"),
}

# Titles of the lists reached only from an indicator's numerator or denominator.
DRILL_LABELS = {
    "paper_received": gettext_lazy("Hồ sơ nộp trực tiếp, qua bưu chính được tiếp nhận"),
    "paper_digitised": gettext_lazy("Hồ sơ giấy có thành phần được số hóa khi tiếp nhận"),
    "resolved_early": gettext_lazy("Giải quyết trước hạn"), "resolved_on_time": gettext_lazy("Giải quyết đúng hạn"),
    "resolved_approved": gettext_lazy("Hồ sơ có kết quả điện tử được ký số"),
    "resolved_with_supplement": gettext_lazy("Hồ sơ đã giải quyết có yêu cầu bổ sung"),
    "received_reused": gettext_lazy("Hồ sơ có giấy tờ sử dụng lại từ kho dữ liệu số hóa"),
    "received_synced": gettext_lazy("Hồ sơ đã đồng bộ lên Cổng Dịch vụ công quốc gia"),
}

FEEDBACK_LABELS = {
    "ratings": gettext_lazy("Phiếu đánh giá mức độ hài lòng"),
    "petitions_received": gettext_lazy("Phản ánh, kiến nghị tiếp nhận"),
    "petitions_answered": gettext_lazy("Phản ánh, kiến nghị đã trả lời"),
    "petitions_answered_on_time": gettext_lazy("Phản ánh, kiến nghị trả lời đúng hạn"),
}


def _label(counter: str) -> StrOrPromise:
    return COUNTER_LABELS.get(counter) or DRILL_LABELS.get(counter) or FEEDBACK_LABELS.get(counter) or counter


def _scope(request: HttpRequest) -> tuple[QualityFilterForm, Scope | None, Scope | None]:
    """The form bound to the query string, and the scope it asks for within what the user may see."""
    allowed = quality_agency_ids(signed_in_user(request))
    form = QualityFilterForm(request.GET, agencies=quality_agencies(allowed))
    if not form.is_valid():
        return form, None, None
    data = form.cleaned_data
    agency_ids = allowed
    if data.get("agency") is not None:
        subtree = agency_subtree_ids(data["agency"].pk)
        agency_ids = subtree if allowed is None else [pk for pk in subtree if pk in set(allowed)]
    procedure, sector = data.get("procedure"), data.get("sector")
    scope = Scope(agency_ids, data["start"], data["end"], procedure.pk if procedure else None,
                  sector.pk if sector else None)
    return form, scope, scope.shifted(data["previous_start"], data["previous_end"])


def _query(request: HttpRequest) -> str:
    return request.GET.urlencode()


@leader_required
@require_GET
@cache_control(no_store=True, private=True)
@replica_reads
def dashboard(request: HttpRequest) -> HttpResponse:
    form, scope, previous = _scope(request)
    if scope is None or previous is None:
        return render(request, "quality/dashboard.html", {"form": form, "invalid": True}, status=400)
    board = dashboard_build(scope, previous)
    totals = dict(board.totals, resolved_in_time=board.totals["resolved_early"] + board.totals["resolved_on_time"])
    previous_totals = dict(board.previous_totals, resolved_in_time=board.previous_totals["resolved_early"]
                           + board.previous_totals["resolved_on_time"])
    counters = [(key, label, totals[key], previous_totals[key]) for key, label in COUNTER_LABELS.items()]
    feedback = [(key, label, *board.feedback[key]) for key, label in FEEDBACK_LABELS.items()]
    return render(request, "quality/dashboard.html", {
        "form": form, "board": board, "counters": counters, "feedback": feedback, "feedback_drills": FEEDBACK_DRILLS,
        "query": _query(request),
        "chart": {
            "groups": [{"label": str(group.group.label), "points": group.group.points, "score": group.score,
                        "previous": group.previous} for group in board.groups],
            "channels": [{"label": str(COUNTER_LABELS[key]), "value": totals[key]}
                         for key in ("received_online", "received_in_person", "received_post")],
            "timeliness": [{"label": str(COUNTER_LABELS[key]), "value": totals[key]}
                           for key in ("resolved_in_time", "resolved_late")],
        },
    })


@leader_required
@second_factor_recent_required(when=export_requested)
@require_GET
@cache_control(no_store=True, private=True)
@replica_reads
def drill(request: HttpRequest, counter: str) -> HttpResponse:
    if counter not in DRILLS:
        raise Http404
    form, scope, _previous = _scope(request)
    if scope is None:
        return render(request, "quality/dashboard.html", {"form": form, "invalid": True}, status=400)
    if export_requested(request):
        response = HttpResponse(drill_xlsx(drill_dossiers(scope, counter), str(_label(counter)),
                                           scope), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="ho-so-{counter}-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}.xlsx"'
        return response
    page = bounded_page(request, drill_dossiers(scope, counter), 50)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(request, "quality/drill.html", {
        "scope": scope, "counter": counter, "label": _label(counter), "page": page,
        "query": query.urlencode(),
    })


@leader_required
@require_GET
@cache_control(no_store=True, private=True)
@replica_reads
def feedback_drill(request: HttpRequest, counter: str) -> HttpResponse:
    """The ratings or petitions behind a satisfaction-group figure. A rating is shown with its scores, agency,
    procedure and time only: never its dossier or anyone's name (the rating page promises anonymity)."""
    if counter not in FEEDBACK_DRILLS:
        raise Http404
    form, scope, _previous = _scope(request)
    if scope is None:
        return render(request, "quality/dashboard.html", {"form": form, "invalid": True}, status=400)
    page = bounded_page(request, drill_feedback(scope, counter), 50)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "quality/feedback_drill.html", {
        "scope": scope, "counter": counter, "label": _label(counter), "page": page, "query": query.urlencode(),
        "indices": RatingIndex.choices,
        "rows": [(rating, [getattr(rating, index) for index in RatingIndex.values]) for rating in page]
        if counter == "ratings" else [],
    })


@leader_required
@require_GET
@cache_control(no_store=True, private=True)
@replica_reads
def report(request: HttpRequest, fmt: str) -> HttpResponse:
    form, scope, _previous = _scope(request)
    if scope is None:
        return render(request, "quality/dashboard.html", {"form": form, "invalid": True}, status=400)
    user = signed_in_user(request)
    agency = form.cleaned_data.get("agency")
    agency_name = (agency or user.agency).name if (agency or user.agency) else _("Tất cả cơ quan")
    result = statistics_report(scope)
    if fmt == "xlsx":
        content = statistics_report_xlsx(result, agency_name=agency_name)
        content_type = XLSX
    elif fmt == "pdf":
        content = statistics_report_pdf(result, agency_name=agency_name)
        content_type = "application/pdf"
    else:
        raise Http404
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="thong-ke-giai-quyet-tthc-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}.{fmt}"')
    return response


@require_GET
@replica_reads
def transparency(request: HttpRequest) -> HttpResponse:
    """Public: this year's counts per agency, no personal data (cached in quality.public)."""
    year = local_date(timezone.now()).year
    board = public.transparency_board(year)
    return render(request, "quality/transparency.html", {
        "board": board, "year": year, "computed_long": vietnamese_long_date(board["computed_at"])
        if board["computed_at"] else "",
    })


__all__ = ["dashboard", "drill", "feedback_drill", "report", "transparency"]
