from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency
from procedures.models import INFORMATION_ONLY_LABEL, ImplementingLevel, Sector, ServiceLevel
from procedures.selectors import INFORMATION_ONLY, SEARCH_MAX_LENGTH, ProcedureFilters

APPLICANT_CHOICES = [
    ("", _("Tất cả")),
    ("citizen", _("Công dân")),
    ("business", _("Doanh nghiệp")),
    ("organisation", _("Tổ chức khác")),
]


FILTER_FIELDS = ["sector", "agency", "level", "service_level", "applicant"]


class ProcedureSearchForm(forms.Form):
    """The GET form of the list page. Each invalid filter is dropped on its own; the rest still apply."""

    q = forms.CharField(label=_("Từ khóa hoặc mã thủ tục"), required=False, max_length=SEARCH_MAX_LENGTH)
    sector = forms.ModelChoiceField(
        label=_("Lĩnh vực"), queryset=Sector.objects.all(), required=False, empty_label=_("Tất cả")
    )
    agency = forms.ModelChoiceField(
        label=_("Cơ quan tiếp nhận"), queryset=Agency.objects.filter(is_active=True), required=False,
        empty_label=_("Tất cả"),
    )
    level = forms.ChoiceField(
        label=_("Cấp thực hiện"), required=False, choices=[("", _("Tất cả")), *ImplementingLevel.choices]
    )
    service_level = forms.ChoiceField(
        label=_("Mức độ dịch vụ công"), required=False, choices=[("", _("Tất cả")), *ServiceLevel.choices, (INFORMATION_ONLY, INFORMATION_ONLY_LABEL)]
    )
    applicant = forms.ChoiceField(label=_("Đối tượng thực hiện"), required=False, choices=APPLICANT_CHOICES)

    def __init__(self, data, *args, **kwargs):
        data = data.copy()
        # The query is handled by the selector (cut to length, any Unicode); only the filters validate.
        data["q"] = data.get("q", "")[:SEARCH_MAX_LENGTH].replace("\x00", "")
        super().__init__(data, *args, **kwargs)

    def filters(self) -> ProcedureFilters:
        self.is_valid()
        values = self.cleaned_data  # holds only the fields that validated
        sector, agency = values.get("sector"), values.get("agency")
        return ProcedureFilters(
            sector_id=sector.pk if sector else None,
            agency_id=agency.pk if agency else None,
            implementing_level=values.get("level") or None,
            service_level=values.get("service_level") or None,
            applicant_type=values.get("applicant") or None,
        )

    def filter_selects(self) -> list[dict]:
        """The filter drop-downs as plain data, so the page renders them without the widget machinery
        (one template loop instead of one widget template per option: the list page is hot)."""
        selects = []
        for name in FILTER_FIELDS:
            field = self.fields[name]
            current = str(self.data.get(name, ""))
            options = []
            for value, label in field.choices:
                value = str(getattr(value, "value", value))  # ModelChoiceIteratorValue → pk
                options.append((value, label, value == current and value != ""))
            selects.append({"name": name, "id": f"id_{name}", "label": field.label, "options": options})
        return selects

    @property
    def query(self) -> str:
        return self.data.get("q", "")
