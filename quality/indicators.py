"""The Decision 766/QĐ-TTg indicator registry: one entry per indicator, weights and targets as data.

Adding an indicator is one `Indicator(...)` in INDICATORS. `compute` receives the Context (the
summed daily counters of the period plus the scope) and returns a Figure, or None when the portal
holds no source for it (the page then says "chưa có dữ liệu"; a figure is never invented).
Sources held by other apps plug in the same way (quality reads them; none of them imports quality):
ratings and petitions through feedback.selectors, reused papers from the dossiers' attachments (flagged
when taken from the citizen's store), deliveries to the national portal from national.models.

Group points are those of Decision 766/QĐ-TTg (23/6/2022), Appendix: 18 + 20 + 22 + 22 + 18 = 100.
How the Decision turns each rate into points is not published in the Decision itself; here a group's
score is its points × the weighted mean of min(1, value / target) over the indicators that have data,
and the weights and targets below are the portal's defaults, to be set to the province's own rules.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from feedback.selectors import petition_figures, satisfaction_figures
from procedures.models import Procedure, ServiceLevel, VersionStatus
from quality.periods import period_bounds

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DECISION_766 = "Quyết định 766/QĐ-TTg ngày 23/6/2022"
CATALOGUE_CACHE_SECONDS = 300


@dataclass(frozen=True)
class Group:
    number: int
    label: StrOrPromise
    points: int


GROUPS = (
    Group(1, _("Công khai, minh bạch"), 18),
    Group(2, _("Tiến độ, kết quả giải quyết"), 20),
    Group(3, _("Cung cấp dịch vụ công trực tuyến"), 22),
    Group(4, _("Số hóa hồ sơ"), 22),
    Group(5, _("Mức độ hài lòng"), 18),
)


@dataclass
class Context:
    totals: dict[str, int]
    agency_ids: list[int] | None  # None: every agency (an administrator without an agency)
    start: date
    end: date  # inclusive
    procedure_id: int | None = None
    sector_id: int | None = None
    # What the feedback selectors returned while computing ("satisfaction", "petitions"), for the dashboard's
    # counts of ratings and petitions without asking twice.
    memo: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Figure:
    value: float
    numerator: int | None = None
    denominator: int | None = None
    unit: str = "%"


@dataclass(frozen=True)
class Indicator:
    key: str
    group: int
    label: StrOrPromise
    formula: StrOrPromise
    source: str
    compute: Callable[[Context], Figure | None]
    weight: float = 1.0
    # The value that earns the indicator's full share; for "lower is better" indicators, the ceiling.
    target: float | None = 100.0
    higher_is_better: bool = True
    # Which lists the numerator and denominator drill down to (quality.selectors.DRILLS: dossiers,
    # FEEDBACK_DRILLS: ratings and petitions).
    drill_numerator: str = ""
    drill_denominator: str = ""


def _rate(numerator: int, denominator: int) -> Figure | None:
    if not denominator:
        return None
    return Figure(value=round(100 * numerator / denominator, 2), numerator=numerator, denominator=denominator)


def _totals_rate(numerator: str | tuple[str, ...], denominator: str | tuple[str, ...]) -> Callable[[Context], Figure | None]:
    def names(spec: str | tuple[str, ...]) -> tuple[str, ...]:
        return (spec,) if isinstance(spec, str) else spec

    def compute(context: Context) -> Figure | None:
        top = sum(context.totals[name] for name in names(numerator))
        bottom = sum(context.totals[name] for name in names(denominator))
        return _rate(top, bottom)

    return compute


def _processing_time_ratio(context: Context) -> Figure | None:
    statutory = context.totals["statutory_seconds"]
    if not statutory:
        return None
    return Figure(value=round(100 * context.totals["processing_seconds"] / statutory, 2),
                  numerator=context.totals["processing_seconds"] // 3600, denominator=statutory // 3600)


def _full_process_share(context: Context) -> Figure | None:
    """Procedures the scope receives whose current published version is full-process online (toàn trình).
    The catalogue changes rarely: kept for a few minutes."""
    key = "quality:full-process:" + hashlib.sha256(
        repr((context.agency_ids, context.procedure_id, context.sector_id)).encode()).hexdigest()
    counts = cache.get(key)
    if counts is None:
        counts = _full_process_counts(context)
        cache.set(key, counts, CATALOGUE_CACHE_SECONDS)
    return _rate(*counts)


def _full_process_counts(context: Context) -> tuple[int, int]:
    procedures = Procedure.objects.filter(is_published=True, current_version__status=VersionStatus.PUBLISHED)
    if context.agency_ids is not None:
        procedures = procedures.filter(current_version__receiving_agencies__in=context.agency_ids)
    if context.procedure_id:
        procedures = procedures.filter(pk=context.procedure_id)
    if context.sector_id:
        procedures = procedures.filter(sector_id=context.sector_id)
    procedures = procedures.distinct()
    full = procedures.filter(Q(current_version__service_level=ServiceLevel.FULL) & Q(current_version__channel_online=True))
    return full.count(), procedures.count()


def procedure_ids(context: Context) -> list[int] | None:
    """The procedures to ask the feedback selectors about (None: all): they filter by procedure only,
    so a sector becomes its procedures."""
    if not context.sector_id:
        return [context.procedure_id] if context.procedure_id else None
    procedures = Procedure.objects.filter(sector_id=context.sector_id)
    if context.procedure_id:
        procedures = procedures.filter(pk=context.procedure_id)
    return list(procedures.values_list("pk", flat=True))


def _satisfaction(context: Context) -> Figure | None:
    """Ratings given in the period: index points earned / the most those answers could earn."""
    figures = satisfaction_figures(context.agency_ids, *period_bounds(context.start, context.end),
                                   procedure_ids=procedure_ids(context))
    context.memo["satisfaction"] = figures
    return satisfaction_figure(figures)


def satisfaction_figure(figures: dict) -> Figure | None:
    """The satisfaction indicator from feedback.selectors' figures (also per agency on /minh-bach/)."""
    return _rate(figures["points"], figures["max_points"])


def _petitions_on_time(context: Context) -> Figure | None:
    """Petitions answered in the period: answered by their due time / answered (dismissed ones are not answers)."""
    figures = petition_figures(context.agency_ids, *period_bounds(context.start, context.end),
                               procedure_ids=procedure_ids(context))
    context.memo["petitions"] = figures
    return _rate(figures["answered_on_time"], figures["answered"])


# Reused papers are counted per dossier, not per component as docstore.selectors.digitisation_figures does
# (that one also reads the filing time and cannot filter by procedure): the formula is about dossiers received.
# Both shares come from the summary (received_reused, received_synced), which reads the dossiers' papers and
# national syncs when it folds their receipt in; the drill-downs list the same dossiers from the raw rows.
_reuse_rate = _totals_rate("received_reused", "received")


def _national_sync_rate(context: Context) -> Figure | None:
    if not settings.NATIONAL_SYNC_ENABLED:
        return None  # the link is switched off: nothing is owed, so no figure rather than 0%
    return _totals_rate("received_synced", "received")(context)


def _no_source(context: Context) -> Figure | None:
    """No data source in the portal yet (filled in when the source exists)."""
    return None


INDICATORS: list[Indicator] = [
    # --- Group 1: publicity and transparency ---
    Indicator("national_sync", 1, _("Tỷ lệ hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia"),
              _("Hồ sơ tiếp nhận trong kỳ đã đồng bộ thành công trạng thái lên Cổng DVCQG (ít nhất một lần) / Hồ sơ tiếp nhận trong kỳ × 100%"),
              DECISION_766, _national_sync_rate, drill_numerator="received_synced", drill_denominator="received"),
    Indicator("published_on_time", 1, _("Tỷ lệ thủ tục công khai đúng hạn"),
              _("Thủ tục công khai đúng hạn / Tổng số thủ tục × 100%"), DECISION_766, _no_source),
    # --- Group 2: progress and results ---
    Indicator("on_time_rate", 2, _("Tỷ lệ hồ sơ giải quyết đúng hạn"),
              _("(Hồ sơ giải quyết trước hạn + đúng hạn) / Hồ sơ đã giải quyết trong kỳ × 100%"), DECISION_766,
              _totals_rate(("resolved_early", "resolved_on_time"), "resolved"), weight=2.0,
              drill_numerator="resolved_in_time", drill_denominator="resolved"),
    Indicator("late_rate", 2, _("Tỷ lệ hồ sơ giải quyết quá hạn"),
              _("Hồ sơ giải quyết quá hạn / Hồ sơ đã giải quyết trong kỳ × 100% (hồ sơ đã xin lỗi, hẹn lại vẫn tính quá hạn)"),
              DECISION_766, _totals_rate("resolved_late", "resolved"), weight=0.0, target=0.0,
              higher_is_better=False, drill_numerator="resolved_late", drill_denominator="resolved"),
    Indicator("processing_time", 2, _("Thời gian giải quyết bình quân so với thời hạn quy định"),
              _("Tổng thời gian từ tiếp nhận đến có kết quả / Tổng thời hạn theo quy định (tính từ tiếp nhận đến hạn trả ban đầu) × 100%; đơn vị của tử số và mẫu số: giờ"),
              DECISION_766, _processing_time_ratio, target=100.0, higher_is_better=False,
              drill_denominator="resolved"),
    Indicator("refusal_rate", 2, _("Tỷ lệ hồ sơ bị từ chối tiếp nhận"),
              _("Hồ sơ từ chối tiếp nhận / (Hồ sơ tiếp nhận + Hồ sơ từ chối tiếp nhận) trong kỳ × 100%"),
              "Nghị định 118/2025/NĐ-CP Điều 17", _totals_rate("refused", ("received", "refused")), weight=0.0,
              target=None, higher_is_better=False, drill_numerator="refused"),
    Indicator("supplement_rate", 2, _("Tỷ lệ hồ sơ phải bổ sung trong quá trình giải quyết"),
              _("Hồ sơ đã giải quyết có yêu cầu bổ sung / Hồ sơ đã giải quyết trong kỳ × 100%"),
              "Nghị định 118/2025/NĐ-CP Điều 18", _totals_rate("resolved_with_supplement", "resolved"), weight=0.0,
              target=None, higher_is_better=False, drill_numerator="resolved_with_supplement",
              drill_denominator="resolved"),
    # --- Group 3: online services ---
    Indicator("full_process_procedures", 3, _("Tỷ lệ thủ tục cung cấp dịch vụ công trực tuyến toàn trình"),
              _("Thủ tục đang công khai có dịch vụ công trực tuyến toàn trình / Thủ tục đang công khai của cơ quan × 100%"),
              "Nghị định 42/2022/NĐ-CP Điều 11; " + DECISION_766, _full_process_share),
    Indicator("online_rate", 3, _("Tỷ lệ hồ sơ tiếp nhận trực tuyến"),
              _("Hồ sơ nộp trực tuyến được tiếp nhận / Hồ sơ tiếp nhận trong kỳ × 100%"), DECISION_766,
              _totals_rate("received_online", "received"), weight=2.0,
              drill_numerator="received_online", drill_denominator="received"),
    Indicator("counter_rate", 3, _("Tỷ lệ hồ sơ tiếp nhận trực tiếp"),
              _("Hồ sơ nộp trực tiếp được tiếp nhận / Hồ sơ tiếp nhận trong kỳ × 100%"), DECISION_766,
              _totals_rate("received_in_person", "received"), weight=0.0, target=None,
              drill_numerator="received_in_person", drill_denominator="received"),
    Indicator("post_rate", 3, _("Tỷ lệ hồ sơ tiếp nhận qua bưu chính công ích"),
              _("Hồ sơ nộp qua bưu chính công ích được tiếp nhận / Hồ sơ tiếp nhận trong kỳ × 100%"), DECISION_766,
              _totals_rate("received_post", "received"), weight=0.0, target=None,
              drill_numerator="received_post", drill_denominator="received"),
    Indicator("online_payment_rate", 3, _("Tỷ lệ hồ sơ thanh toán trực tuyến"),
              _("Hồ sơ nộp phí, lệ phí trực tuyến / Hồ sơ đã nộp phí, lệ phí trong kỳ × 100%"), DECISION_766,
              _totals_rate("paid_online", "paid"), drill_numerator="paid_online", drill_denominator="paid"),
    # --- Group 4: digitisation ---
    Indicator("digitised_rate", 4, _("Tỷ lệ hồ sơ giấy được số hóa thành phần"),
              _("Hồ sơ nộp trực tiếp, qua bưu chính có thành phần được số hóa khi tiếp nhận / Hồ sơ nộp trực tiếp, qua bưu chính được tiếp nhận × 100%"),
              "Nghị định 45/2020/NĐ-CP; " + DECISION_766, _totals_rate("paper_digitised", "paper_received"),
              drill_numerator="paper_digitised", drill_denominator="paper_received"),
    Indicator("e_result_rate", 4, _("Tỷ lệ hồ sơ cấp kết quả điện tử"),
              _("Hồ sơ có kết quả giải quyết điện tử được ký số / Hồ sơ đã giải quyết trong kỳ × 100%"),
              "Nghị định 118/2025/NĐ-CP Điều 22; " + DECISION_766, _totals_rate("resolved_approved", "resolved"),
              drill_numerator="resolved_approved", drill_denominator="resolved"),
    Indicator("reuse_rate", 4, _("Tỷ lệ khai thác, sử dụng lại dữ liệu số hóa"),
              _("Hồ sơ tiếp nhận trong kỳ có giấy tờ sử dụng lại từ kho dữ liệu số hóa / Hồ sơ tiếp nhận trong kỳ × 100%"),
              DECISION_766, _reuse_rate, drill_numerator="received_reused", drill_denominator="received"),
    # --- Group 5: satisfaction (ratings and PAKN come from the feedback app) ---
    Indicator("satisfaction", 5, _("Mức độ hài lòng trong giải quyết thủ tục hành chính"),
              _("Tổng điểm các tiêu chí được đánh giá / Tổng điểm tối đa của các tiêu chí đó (2 điểm mỗi tiêu chí) trên các phiếu đánh giá trong kỳ × 100%"),
              DECISION_766, _satisfaction),
    Indicator("petitions_on_time", 5, _("Tỷ lệ phản ánh, kiến nghị được xử lý đúng hạn"),
              _("Phản ánh, kiến nghị trả lời đúng hạn / Phản ánh, kiến nghị đã trả lời trong kỳ × 100% (không tính phản ánh không thuộc phạm vi xử lý)"),
              DECISION_766, _petitions_on_time, drill_numerator="petitions_answered_on_time",
              drill_denominator="petitions_answered"),
]

BY_KEY = {indicator.key: indicator for indicator in INDICATORS}


@dataclass
class IndicatorResult:
    indicator: Indicator
    figure: Figure | None

    @property
    def attainment(self) -> float | None:
        """0..1: how much of the indicator's share the figure earns (None when not scored)."""
        indicator, figure = self.indicator, self.figure
        if figure is None or indicator.target is None or indicator.weight == 0:
            return None
        if indicator.higher_is_better:
            return min(1.0, figure.value / indicator.target) if indicator.target else 1.0
        if figure.value <= indicator.target:
            return 1.0
        return max(0.0, indicator.target / figure.value)


@dataclass
class GroupScore:
    group: Group
    score: float | None
    previous: float | None
    results: list[IndicatorResult]

    @property
    def change(self) -> float | None:
        if self.score is None or self.previous is None:
            return None
        return round(self.score - self.previous, 2)


def indicator_results(context: Context) -> list[IndicatorResult]:
    return [IndicatorResult(indicator, indicator.compute(context)) for indicator in INDICATORS]


def group_score(group: Group, results: list[IndicatorResult]) -> float | None:
    scored = [(result.indicator.weight, result.attainment) for result in results
              if result.indicator.group == group.number and result.attainment is not None]
    total_weight = sum(weight for weight, _attainment in scored)
    if not total_weight:
        return None
    return round(group.points * sum(weight * attainment for weight, attainment in scored) / total_weight, 2)


def group_scores(current: list[IndicatorResult], previous: list[IndicatorResult]) -> list[GroupScore]:
    return [
        GroupScore(group, group_score(group, current), group_score(group, previous),
                   [result for result in current if result.indicator.group == group.number])
        for group in GROUPS
    ]
