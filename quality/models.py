"""Summary rows behind the service-quality figures (Decision 766/QĐ-TTg).

Only `quality.summary` writes these tables; they are derived data, rebuilt at will from the
dossiers' immutable events (`manage.py rebuild_quality_summary`).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# The additive counters of one (day, agency, procedure) bucket, in the order the report and the
# correctness test read them. Each counts dossiers whose event of that kind fell on the day.
COUNTERS = (
    "received", "received_online", "received_in_person", "received_post",
    "paper_received", "paper_digitised", "received_reused", "received_synced",
    "refused", "withdrawn", "stopped",
    "resolved", "resolved_early", "resolved_on_time", "resolved_late", "resolved_approved",
    "resolved_with_supplement", "processing_seconds", "statutory_seconds",
    "paid", "paid_online", "apologised", "extended",
)


class SummaryCounters(models.Model):
    """The additive counters shared by the daily rows and their monthly roll-ups."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    procedure = models.ForeignKey("procedures.Procedure", on_delete=models.CASCADE, related_name="+")
    sector = models.ForeignKey("procedures.Sector", on_delete=models.CASCADE, related_name="+")

    received = models.PositiveIntegerField(default=0)
    received_online = models.PositiveIntegerField(default=0)
    received_in_person = models.PositiveIntegerField(default=0)
    received_post = models.PositiveIntegerField(default=0)
    # Paper dossiers (counter, post) and those of them with a component digitised at receipt.
    paper_received = models.PositiveIntegerField(default=0)
    paper_digitised = models.PositiveIntegerField(default=0)
    # Received dossiers with a paper reused from the digitised store, and those delivered to the national
    # portal at least once (Decision 766 groups 4 and 1).
    received_reused = models.PositiveIntegerField(default=0)
    received_synced = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    stopped = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    resolved_early = models.PositiveIntegerField(default=0)
    resolved_on_time = models.PositiveIntegerField(default=0)
    resolved_late = models.PositiveIntegerField(default=0)
    resolved_approved = models.PositiveIntegerField(default=0)
    resolved_with_supplement = models.PositiveIntegerField(default=0)
    # Receipt → resolution, and receipt → original statutory due, summed over resolved dossiers.
    processing_seconds = models.BigIntegerField(default=0)
    statutory_seconds = models.BigIntegerField(default=0)
    paid = models.PositiveIntegerField(default=0)
    paid_online = models.PositiveIntegerField(default=0)
    apologised = models.PositiveIntegerField(default=0)
    extended = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class DailySummary(SummaryCounters):
    """What happened on one local day (Vietnam time) to the dossiers of one procedure received by
    one agency. Every counter is additive, so any period is a SUM over days."""

    day = models.DateField()

    class Meta:
        verbose_name = _("số liệu tổng hợp theo ngày")
        verbose_name_plural = _("số liệu tổng hợp theo ngày")
        constraints = [
            models.UniqueConstraint(fields=["agency", "procedure", "day"], name="quality_daily_unique"),
        ]
        indexes = [models.Index(fields=["agency", "day"], name="quality_daily_agency_day_idx")]

    def __str__(self) -> str:
        return f"{self.day} {self.agency_id}/{self.procedure_id}"


class MonthlySummary(SummaryCounters):
    """The daily rows of one calendar month summed (month = its first day), so that a period of whole
    months reads a twelfth… a thirtieth of the rows. Rewritten from DailySummary whenever one of its
    days is (quality.summary), never computed another way; equal to the daily sum by construction."""

    month = models.DateField()

    class Meta:
        verbose_name = _("số liệu tổng hợp theo tháng")
        verbose_name_plural = _("số liệu tổng hợp theo tháng")
        constraints = [
            models.UniqueConstraint(fields=["agency", "procedure", "month"], name="quality_monthly_unique"),
        ]
        indexes = [models.Index(fields=["agency", "month"], name="quality_monthly_agency_idx")]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} {self.agency_id}/{self.procedure_id}"


class SummaryMark(models.Model):
    """The high-water mark of the incremental refresh: every DossierEvent up to `last_event_id`
    is reflected in DailySummary. One row (pk=1)."""

    last_event_id = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True, blank=True)
