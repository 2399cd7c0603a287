"""Forms of the feedback app: they validate and normalise; the services decide."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, AgencyKind, User
from applications.models import Dossier
from feedback.models import INDEX_ANSWERS, Overall, PetitionTopic, RatingIndex
from procedures.models import Procedure


class RatingForm(forms.Form):
    """One 0/1/2 question per index (optional: "not applicable" is a blank), and the overall level."""

    overall = forms.TypedChoiceField(
        label=_("Mức độ hài lòng chung của bạn"), choices=[(level.value, level.label) for level in reversed(Overall)],
        coerce=int, widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Góp ý thêm (không bắt buộc)"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for index in RatingIndex:
            answers = INDEX_ANSWERS[index]
            self.fields[index.value] = forms.TypedChoiceField(
                label=index.label, required=False, coerce=int, empty_value=None, widget=forms.RadioSelect,
                choices=[(2, answers[2]), (1, answers[1]), (0, answers[0])],
            )
        # The overall question last, as on the paper form.
        self.order_fields([*RatingIndex.values, "overall", "comment"])

    def scores(self) -> dict[str, int | None]:
        return {index: self.cleaned_data.get(index) for index in RatingIndex.values}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each is checked by the service (applications.uploads)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):  # type: ignore[override]
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        clean_one = super().clean
        return [clean_one(item, initial) for item in files]


class _AgencyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return obj.name


class _ProcedureChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Procedure) -> str:
        return f"{obj.current_version.name} ({obj.code})" if obj.current_version_id else obj.code


class _DossierChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Dossier) -> str:
        return f"{obj.code} · {obj.procedure_version.name}"


class PetitionForm(forms.Form):
    topic = forms.ChoiceField(label=_("Phản ánh, kiến nghị về"), choices=PetitionTopic.choices,
                              widget=forms.RadioSelect, initial=PetitionTopic.PROCEDURE)
    agency = _AgencyChoice(label=_("Cơ quan"), queryset=Agency.objects.none(), required=False,
                           empty_label=_("— Chọn cơ quan —"))
    procedure = _ProcedureChoice(label=_("Thủ tục hành chính"), queryset=Procedure.objects.none(), required=False,
                                 empty_label=_("— Không gắn với thủ tục cụ thể —"))
    dossier = _DossierChoice(label=_("Hồ sơ của bạn"), queryset=Dossier.objects.none(), required=False,
                             empty_label=_("— Chọn hồ sơ —"))
    title = forms.CharField(label=_("Tiêu đề"), max_length=200)
    content = forms.CharField(label=_("Nội dung"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    sender_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    sender_email = forms.EmailField(label=_("Thư điện tử"), required=False)
    sender_phone = forms.RegexField(label=_("Số điện thoại"), required=False, regex=r"^\+?[0-9 .]{9,15}$",
                                    error_messages={"invalid": _("Số điện thoại không hợp lệ.")})
    files = MultipleFileField(label=_("Tệp đính kèm (PDF, JPG, PNG, DOCX; không bắt buộc)"), required=False)

    def __init__(self, *args, user: User | None = None, dossiers=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(is_active=True).exclude(kind=AgencyKind.PROVINCE)
        self.fields["procedure"].queryset = (Procedure.objects.filter(is_published=True)
                                             .select_related("current_version").order_by("code"))
        # Only the visitor's own dossiers can be chosen: ownership is the queryset itself.
        self.fields["dossier"].queryset = dossiers if dossiers is not None else Dossier.objects.none()
        if user is not None and user.is_authenticated:
            self.fields["sender_name"].initial = user.full_name
            self.fields["sender_email"].initial = user.email
            self.fields["sender_phone"].initial = user.phone

    def clean(self) -> dict:
        data = super().clean()
        topic = data.get("topic")
        if topic == PetitionTopic.DOSSIER and not data.get("dossier"):
            self.add_error("dossier", _("Vui lòng chọn hồ sơ của bạn (cần đăng nhập)."))
        if topic == PetitionTopic.PROCEDURE and not data.get("procedure"):
            self.add_error("procedure", _("Vui lòng chọn thủ tục hành chính."))
        if topic != PetitionTopic.DOSSIER and not data.get("agency"):
            self.add_error("agency", _("Vui lòng chọn cơ quan nhận phản ánh."))
        if not data.get("sender_email") and not data.get("sender_phone"):
            raise ValidationError(_("Vui lòng để lại thư điện tử hoặc số điện thoại để nhận trả lời."))
        return data


class PetitionTrackForm(forms.Form):
    code = forms.CharField(label=_("Mã phản ánh"), max_length=20)
    secret = forms.CharField(label=_("Mã bí mật"), max_length=40)


class AnswerRatingForm(PetitionTrackForm):
    level = forms.TypedChoiceField(label=_("Bạn có hài lòng với trả lời?"), coerce=int, widget=forms.RadioSelect,
                                   choices=[(level.value, level.label) for level in reversed(Overall)])


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Giao cho"), queryset=User.objects.none())

    def __init__(self, *args, handlers=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = User.objects.filter(pk__in=[user.pk for user in handlers])
        self.fields["assignee"].label_from_instance = lambda user: f"{user.full_name} ({user.get_role_display()})"


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Nội dung trả lời"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6}))


class DismissForm(forms.Form):
    reason = forms.CharField(label=_("Lý do không xử lý"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class PublishForm(forms.Form):
    public_question = forms.CharField(label=_("Câu hỏi công khai (đã xóa thông tin cá nhân)"), max_length=5000,
                                      widget=forms.Textarea(attrs={"rows": 4}))
    public_answer = forms.CharField(label=_("Câu trả lời công khai (đã xóa thông tin cá nhân)"), max_length=10000,
                                    widget=forms.Textarea(attrs={"rows": 5}))
