"""Forms of the back office: the queue filters and one small form per workflow action.

Forms validate and normalise only; the workflow services decide whether the action is allowed.
Every action form carries the dossier version the page was drawn from (stale pages are refused).
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from applications.models import InPersonStep, ResultDelivery, Status
from applications.queues import SORTS
from procedures.models import Procedure, ProcedureVersion


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Mã hồ sơ hoặc tên người nộp"), required=False, max_length=100)
    procedure = forms.ModelChoiceField(label=_("Thủ tục"), queryset=Procedure.objects.none(), required=False,
                                       empty_label=_("Tất cả thủ tục"))
    status = forms.ChoiceField(label=_("Trạng thái"), required=False)
    date_from = forms.DateField(label=_("Nộp từ ngày"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    date_to = forms.DateField(label=_("đến ngày"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    sort = forms.ChoiceField(label=_("Sắp xếp"), required=False)

    def __init__(self, *args, agency_ids: list[int] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        procedures = Procedure.objects.filter(current_version__isnull=False)
        if agency_ids is not None:
            # Only what these agencies receive: a province's catalogue has thousands of procedures, and
            # rendering every one as an option was most of the queue page's time (bench/pages.py).
            procedures = procedures.filter(
                pk__in=ProcedureVersion.objects.filter(receiving_agencies__in=agency_ids).values("procedure_id")
            )
        # Only what an option shows (the view uses the chosen procedure's pk): the version rows are wide.
        self.fields["procedure"].queryset = (procedures.select_related("current_version")
                                             .only("pk", "code", "current_version__name").order_by("code"))
        self.fields["procedure"].label_from_instance = lambda p: f"{p.code} {p.current_version.name}"
        self.fields["status"].choices = [("", _("Tất cả trạng thái"))] + [
            (value, label) for value, label in Status.choices if value != Status.DRAFT
        ]
        self.fields["sort"].choices = [("", _("Mặc định"))] + [(key, label) for key, (label, _o) in SORTS.items()]


class ActionForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class NoteForm(ActionForm):
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class RequiredNoteForm(ActionForm):
    note = forms.CharField(label=_("Nội dung cần xử lý lại"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("Lý do (bắt buộc)"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class StopRequestForm(ActionForm):
    """A walk-in applicant's written request to stop, recorded at the counter."""

    reason = forms.CharField(label=_("Lý do người nộp đề nghị dừng (bắt buộc)"), max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class DeclineStopForm(ActionForm):
    reason = forms.CharField(label=_("Lý do không chấp thuận (bắt buộc, gửi cho người nộp)"), max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class ExtensionForm(ActionForm):
    days = forms.IntegerField(label=_("Số ngày làm việc gia hạn"), min_value=1, max_value=365)
    reason = forms.CharField(label=_("Lý do, nội dung cần xác minh (bắt buộc)"), max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class ItemsForm(ActionForm):
    items = forms.CharField(
        label=_("Các nội dung cần bổ sung, hoàn thiện (mỗi dòng một nội dung)"), max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Liệt kê đầy đủ một lần tất cả giấy tờ cần bổ sung và lý do."),
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_items(self) -> list[str]:
        items = [line.strip(" -•\t") for line in self.cleaned_data["items"].splitlines()]
        items = [item for item in items if item]
        if not items:
            raise forms.ValidationError(_("Vui lòng liệt kê ít nhất một nội dung cần bổ sung."))
        return items


class TransferForm(ActionForm):
    specialist = forms.ModelChoiceField(label=_("Chuyên viên xử lý"), queryset=User.objects.none())

    def __init__(self, *args, agency_ids: list[int] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["specialist"].queryset = User.objects.filter(
            role=Role.SPECIALIST, agency_id__in=list(agency_ids), is_active=True
        ).order_by("full_name")


class PaymentForm(ActionForm):
    amount = forms.IntegerField(label=_("Số tiền phải nộp (đồng)"), min_value=1, max_value=10_000_000_000)
    note = forms.CharField(label=_("Nội dung thu"), required=False, max_length=500)


class ApproveForm(ActionForm):
    result_summary = forms.CharField(label=_("Nội dung kết quả"), required=False, max_length=4000,
                                     widget=forms.Textarea(attrs={"rows": 3}))


class ApologyForm(ActionForm):
    reason = forms.CharField(label=_("Lý do chậm trả kết quả (bắt buộc)"), max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 3}))
    new_due = forms.DateField(label=_("Ngày hẹn trả kết quả mới"),
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class ReturnResultForm(ActionForm):
    # By post is not a way to return here: it is a postal order (postal app), returned on delivery.
    method = forms.ChoiceField(label=_("Hình thức trả kết quả"), choices=[
        (value, label) for value, label in ResultDelivery.choices if value != ResultDelivery.POST])


class InPersonStepForm(ActionForm):
    kind = forms.ChoiceField(label=_("Bước thực hiện"), choices=InPersonStep.choices)
    note = forms.CharField(label=_("Kết quả"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class PeriodForm(forms.Form):
    """?from=YYYY-MM-DD&to=YYYY-MM-DD[&format=xlsx] (the names of the tracking-book URL).

    Days are limited to 2000–2100: a year like 0001 overflows the time-zone conversion of the query.
    """

    EARLIEST = date(2000, 1, 1)
    LATEST = date(2100, 12, 31)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        messages = {"invalid": _("Ngày không hợp lệ; nhập theo dạng dd/mm/yyyy.")}
        formats = ["%Y-%m-%d", "%d/%m/%Y"]
        self.fields["from"] = forms.DateField(label=_("Từ ngày"), required=False, widget=widget,
                                              input_formats=formats, error_messages=messages)
        self.fields["to"] = forms.DateField(label=_("Đến ngày"), required=False, widget=widget,
                                            input_formats=formats, error_messages=messages)
        self.fields["format"] = forms.ChoiceField(
            required=False, choices=[("", "html"), ("xlsx", "xlsx")], widget=forms.HiddenInput,
            error_messages={"invalid_choice": _("Định dạng xuất không hợp lệ.")},
        )

    def clean(self) -> dict:
        data = super().clean()
        for name in ("from", "to"):
            day = data.get(name)
            if day is not None and not self.EARLIEST <= day <= self.LATEST:
                self.add_error(name, _("Ngày phải trong khoảng từ 01/01/2000 đến 31/12/2100."))
        return data
