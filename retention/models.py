"""Retention periods (admin data, each beside its legal source) and the log of every retention run.

Personal data is kept only as long as the purpose needs (Law 91/2025/QH15 on personal data protection);
records of state business follow the archives law (Law on Archives 33/2024/QH15, retention tables of
Circular 13/2023/TT-BNV). Where the law leaves the period to the agency, the row says so.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.models import DocumentKind


class RetentionRule(models.Model):
    """How long a dossier's personal data (document_kind empty) or a kind of issued paper is kept,
    counted from the dossier's end (returned, refused, withdrawn, stopped). The most specific row
    wins: procedure, then sector, then the default row (neither). Years empty = kept permanently
    (archived, never deleted by the portal)."""

    procedure = models.ForeignKey("procedures.Procedure", verbose_name=_("thủ tục"), null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="+")
    sector = models.ForeignKey("procedures.Sector", verbose_name=_("lĩnh vực"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="+")
    document_kind = models.CharField(_("loại văn bản"), max_length=30, choices=DocumentKind.choices, blank=True,
                                     help_text=_("Để trống: dữ liệu cá nhân của hồ sơ."))
    years = models.PositiveSmallIntegerField(_("số năm lưu"), null=True, blank=True,
                                             help_text=_("Để trống: lưu trữ vĩnh viễn, không xóa."))
    legal_source = models.TextField(_("căn cứ pháp lý"),
                                    help_text=_("Văn bản, điều khoản quy định thời hạn; hoặc ghi rõ đây là "
                                                "lựa chọn của cơ quan khi pháp luật không quy định."))

    class Meta:
        verbose_name = _("thời hạn lưu trữ")
        verbose_name_plural = _("thời hạn lưu trữ")
        ordering = ["document_kind", "procedure", "sector", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(procedure__isnull=True) | Q(sector__isnull=True),
                                   name="retention_rule_one_scope"),
            models.UniqueConstraint(fields=["procedure", "sector", "document_kind"], nulls_distinct=False,
                                    name="retention_rule_unique"),
        ]

    def __str__(self) -> str:
        scope = self.procedure or self.sector or _("Mặc định")
        what = self.get_document_kind_display() if self.document_kind else _("dữ liệu cá nhân")
        span = _("vĩnh viễn") if self.years is None else _("%(years)s năm") % {"years": self.years}
        return f"{scope} — {what}: {span}"


class RetentionRun(models.Model):
    """One run of the retention job, with what it did (the processing record Decree 356/2025 asks for)."""

    started_at = models.DateTimeField(_("bắt đầu"))
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    dossiers_anonymised = models.PositiveIntegerField(_("hồ sơ đã ẩn danh"), default=0)
    drafts_deleted = models.PositiveIntegerField(_("bản nháp đã xóa"), default=0)
    petitions_anonymised = models.PositiveIntegerField(_("phản ánh đã ẩn danh"), default=0)
    files_deleted = models.PositiveIntegerField(_("tệp đã xóa"), default=0)
    documents_archived = models.PositiveIntegerField(_("văn bản giữ lại để lưu trữ"), default=0)

    class Meta:
        verbose_name = _("lượt chạy lưu trữ")
        verbose_name_plural = _("nhật ký chạy lưu trữ")
        ordering = ["-started_at", "-pk"]


class AnonymisedDossier(models.Model):
    """Marks a dossier whose personal data was removed, so no run touches it twice."""

    dossier = models.OneToOneField("applications.Dossier", on_delete=models.CASCADE, related_name="+")
    run = models.ForeignKey(RetentionRun, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()


class AnonymisedPetition(models.Model):
    petition = models.OneToOneField("feedback.Petition", on_delete=models.CASCADE, related_name="+")
    run = models.ForeignKey(RetentionRun, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
