"""E-forms (tờ khai điện tử) built at run time from a procedure version's FormField rows.

Admins define the fields as data; this module turns them into a Django form class, turns the
cleaned values into JSON for `Dossier.form_data`, and back again (to resume a draft, to check
a stored draft is still complete at submit, and to show the answers on review and officer pages).
A dossier keeps the procedure version it was filed under, so its form is always rebuilt from
that version's fields.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from accounts.phone import validate_phone
from portal.lib.address import PROVINCES
from portal.lib.idnumber import id_number_warnings, mask_id_number, validate_id_number
from portal.lib.text import normalize_search
from procedures.models import FieldType, FormField, ProcedureVersion

logger = logging.getLogger(__name__)

# Upper bounds when the admin set none: long inputs slow PDFs and fill the database (one long
# textarea is enough to make a PDF job time out).
DEFAULT_TEXT_MAX = 255
DEFAULT_TEXTAREA_MAX = 5000
EARLIEST_DATE = date(1900, 1, 1)
# Radio buttons are easier to tap on a phone than a select, as long as the list is short.
RADIO_MAX_CHOICES = 5

YES, NO = "yes", "no"


def _english() -> bool:
    return (get_language() or "vi").startswith("en")


def field_label(definition: FormField) -> str:
    return definition.label_en if _english() and definition.label_en else definition.label


def _help_text(definition: FormField) -> str:
    text = definition.help_text_en if _english() and definition.help_text_en else definition.help_text
    # Crispy and Django render help text with |safe; it is admin-entered data, so escape it here.
    return escape(text)


def _choice_options(definition: FormField) -> list[tuple[str, str]]:
    options = []
    for choice in definition.choices or []:
        if isinstance(choice, dict) and "value" in choice:
            label = choice.get("label_en") if _english() and choice.get("label_en") else choice.get("label")
            options.append((str(choice["value"]), str(label or choice["value"])))
        elif isinstance(choice, str):
            options.append((choice, choice))
    return options


class FullMatchValidator:
    """The admin's pattern must match the whole value ("^" and "$" are implied)."""

    def __init__(self, pattern: str, message: str):
        self.regex = re.compile(pattern)
        self.message = message or gettext_lazy("Giá trị không đúng định dạng yêu cầu.")

    def __call__(self, value: str) -> None:
        if value and not self.regex.fullmatch(str(value)):
            raise ValidationError(self.message, code="pattern")


class PhoneField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"})

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return validate_phone(value) if value else ""


class IdNumberField(forms.CharField):
    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": "15"})

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return validate_id_number(value) if value else ""


class AddressWidget(forms.MultiWidget):
    template_name = "applications/eforms/address_widget.html"
    use_fieldset = True

    def __init__(self, attrs: dict | None = None):
        province = forms.Select(choices=[("", _("— Chọn tỉnh, thành phố —"))] + [(p, p) for p in PROVINCES])
        commune = forms.TextInput(attrs={"autocomplete": "address-level3"})
        detail = forms.TextInput(attrs={"autocomplete": "street-address"})
        super().__init__([province, commune, detail], attrs)

    def decompress(self, value: Any) -> list[str]:
        if isinstance(value, dict):
            return [value.get("province", ""), value.get("commune", ""), value.get("detail", "")]
        return ["", "", ""]

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        labels = [_("Tỉnh, thành phố"), _("Xã, phường, đặc khu"), _("Số nhà, đường, thôn, tổ")]
        for subwidget, label in zip(context["widget"]["subwidgets"], labels, strict=True):
            subwidget["label"] = label
            css = subwidget["attrs"].get("class", "").replace("form-select", "").replace("form-control", "")
            base = "form-select" if subwidget["name"].endswith("_0") else "form-control"
            subwidget["attrs"]["class"] = f"{base} {css}".strip()
        return context


class AddressField(forms.MultiValueField):
    """Province (a select over the 34 provinces), commune and street: stored as a dict."""

    widget = AddressWidget

    def __init__(self, *, required: bool = True, **kwargs: Any):
        fields = (
            forms.ChoiceField(choices=[(p, p) for p in PROVINCES]),
            forms.CharField(max_length=150),
            forms.CharField(max_length=255),
        )
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"]["incomplete"] = _("Cần chọn tỉnh, thành phố và ghi rõ xã, phường.")
        super().__init__(fields=fields, required=required, require_all_fields=False, **kwargs)
        # Province and commune are needed when the address is; a street or hamlet is not always there.
        self.fields[0].required = self.fields[1].required = required
        self.fields[2].required = False

    def compress(self, data_list: list[str]) -> dict[str, str] | None:
        if not data_list or not any(data_list):
            return None
        province, commune, detail = (list(data_list) + ["", "", ""])[:3]
        if not province or not commune:
            raise ValidationError(_("Cần chọn tỉnh, thành phố và ghi rõ xã, phường."), code="address")
        return {"province": province, "commune": commune, "detail": detail or ""}


def _text_field(definition: FormField, common: dict) -> forms.Field:
    is_long = definition.field_type == FieldType.TEXTAREA
    max_length = definition.max_length or (DEFAULT_TEXTAREA_MAX if is_long else DEFAULT_TEXT_MAX)
    validators = []
    if definition.pattern:
        try:
            validators.append(FullMatchValidator(definition.pattern, definition.pattern_message))
        except re.error:
            # A broken admin pattern must not take the form down; the admin form should catch it.
            logger.warning("Ignoring invalid pattern on form field %s", definition.pk)
    widget = forms.Textarea(attrs={"rows": 4}) if is_long else forms.TextInput
    return forms.CharField(
        min_length=definition.min_length, max_length=max_length, validators=validators, widget=widget, **common
    )


def _date_field(common: dict) -> forms.Field:
    field = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        **common,
    )
    field.validators.append(_plausible_date)
    return field


def _plausible_date(value: date) -> None:
    if value < EARLIEST_DATE or value.year > 2100:
        raise ValidationError(_("Ngày không hợp lệ."), code="date_range")


def _error_messages() -> dict[str, str]:
    # Clearer than Django's generic Vietnamese messages; shown next to the field.
    return {
        "required": _("Vui lòng nhập thông tin này."),
        "min_length": _("Cần ít nhất %(limit_value)d ký tự (hiện có %(show_value)d)."),
        "max_length": _("Tối đa %(limit_value)d ký tự (hiện có %(show_value)d)."),
        "min_value": _("Giá trị nhỏ nhất là %(limit_value)s."),
        "max_value": _("Giá trị lớn nhất là %(limit_value)s."),
        "invalid_choice": _("Lựa chọn không hợp lệ."),
    }


def build_field(definition: FormField) -> forms.Field:
    """One FormField row → one Django form field."""
    common: dict[str, Any] = {
        "label": field_label(definition), "help_text": _help_text(definition), "required": definition.is_required,
        "error_messages": _error_messages(),
    }
    kind = definition.field_type
    if kind in (FieldType.TEXT, FieldType.TEXTAREA):
        return _text_field(definition, common)
    if kind == FieldType.NUMBER:
        common["error_messages"]["invalid"] = _("Vui lòng nhập một số nguyên.")
        return forms.IntegerField(min_value=definition.min_value, max_value=definition.max_value, **common)
    if kind == FieldType.DATE:
        common["error_messages"]["invalid"] = _("Ngày không hợp lệ (ví dụ 05/01/2026).")
        return _date_field(common)
    if kind == FieldType.CHOICE:
        options = _choice_options(definition)
        if len(options) <= RADIO_MAX_CHOICES:
            return forms.ChoiceField(choices=options, widget=forms.RadioSelect, **common)
        return forms.ChoiceField(choices=[("", _("— Chọn —"))] + options, **common)
    if kind == FieldType.MULTIPLE_CHOICE:
        return forms.MultipleChoiceField(
            choices=_choice_options(definition), widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == FieldType.YES_NO:
        return forms.TypedChoiceField(
            choices=[(YES, _("Có")), (NO, _("Không"))], coerce=lambda value: value == YES, empty_value=None,
            widget=forms.RadioSelect, **common,
        )
    if kind == FieldType.EMAIL:
        common["error_messages"]["invalid"] = _("Địa chỉ thư điện tử không hợp lệ.")
        return forms.EmailField(max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}), **common)
    if kind == FieldType.PHONE:
        return PhoneField(max_length=20, **common)
    if kind == FieldType.ID_NUMBER:
        return IdNumberField(max_length=20, **common)
    if kind == FieldType.ADDRESS:
        return AddressField(**common)
    raise ValueError(f"Unknown e-form field type {kind!r}")


class EForm(forms.Form):
    """Base of every built e-form. `definitions` holds the FormField rows, in order."""

    definitions: list[FormField] = []

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        """Fields grouped by section in definition order, for fieldsets in the template."""
        grouped: list[tuple[str, list[forms.BoundField]]] = []
        for definition in self.definitions:
            if not grouped or grouped[-1][0] != definition.section:
                grouped.append((definition.section, []))
            grouped[-1][1].append(self[definition.key])
        return grouped

    def to_json(self) -> dict[str, Any]:
        """Cleaned values in the JSON shape kept in Dossier.form_data. Call after is_valid()."""
        return {d.key: _to_json(self.cleaned_data.get(d.key)) for d in self.definitions}

    def warnings(self) -> list[str]:
        """Soft checks (an ID number against a date of birth in the same section)."""
        return eform_warnings(self.definitions, self.to_json())


def _to_json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if value is None or value == "":
        return None
    return value


def form_definitions(version: ProcedureVersion) -> list[FormField]:
    return list(FormField.objects.filter(version=version).order_by("order", "pk"))


def eform_filled_components(version: ProcedureVersion) -> set[int]:
    """Components handed in by filling the e-form: the declaration, when the version has an e-form.

    The e-form is the declaration (Decree 45/2020 Art 9: an e-form filled online replaces the paper
    one), so such a component needs no scan; its completeness is the e-form's."""
    if not form_definitions(version):
        return set()
    return set(version.components.filter(filled_by_eform=True).values_list("pk", flat=True))


def eform_class(version: ProcedureVersion, definitions: list[FormField] | None = None) -> type[EForm]:
    definitions = form_definitions(version) if definitions is None else definitions
    attrs: dict[str, Any] = {d.key: build_field(d) for d in definitions}
    attrs["definitions"] = definitions
    return type("ProcedureEForm", (EForm,), attrs)


def _raw_value(definition: FormField, value: Any) -> Any:
    """A stored JSON value → what the browser would have posted for it."""
    if value is None:
        return [] if definition.field_type == FieldType.MULTIPLE_CHOICE else ""
    if definition.field_type == FieldType.YES_NO:
        return YES if value else NO
    if definition.field_type == FieldType.NUMBER:
        return str(value)
    return value


def _raw_data(definitions: Iterable[FormField], stored: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for definition in definitions:
        value = stored.get(definition.key)
        if definition.field_type == FieldType.ADDRESS:
            parts = AddressWidget().decompress(value)
            for index, part in enumerate(parts):
                data[f"{definition.key}_{index}"] = part
        else:
            data[definition.key] = _raw_value(definition, value)
    return data


def eform_bind_answers(version: ProcedureVersion, answers: dict[str, Any], *, locked: dict[str, Any] | None = None) -> EForm:
    """The e-form bound to answers sent as JSON in the stored shape (the API), validated by exactly
    the fields the web form uses. A value of the wrong JSON type counts as not answered, so the
    field's own rules (required, format) decide."""
    definitions = form_definitions(version)
    stored: dict[str, Any] = {}
    for definition in definitions:
        value = answers.get(definition.key)
        if definition.field_type == FieldType.ADDRESS:
            ok = isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
        elif definition.field_type == FieldType.MULTIPLE_CHOICE:
            ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        elif definition.field_type == FieldType.YES_NO:
            ok = isinstance(value, bool)
        else:
            ok = isinstance(value, str | int | float) and not isinstance(value, bool)
            value = str(value) if ok else value
        stored[definition.key] = value if ok else None
    return eform_build(version, data=_raw_data(definitions, stored), locked=locked)


def eform_build(
    version: ProcedureVersion, *, data: Any = None, stored: dict[str, Any] | None = None, prefix: str | None = None,
    details: dict[str, Any] | None = None, locked: dict[str, Any] | None = None,
) -> EForm:
    """The e-form bound to posted `data`, or unbound with the `stored` answers as initial values.

    `details` (ProfileBinding value → stored-shape value) pre-fills the fields bound to the
    applicant's details that were never answered; they stay editable. `locked` (field key →
    stored-shape value, see `eform_locked`) fixes answers verified by e-identity: those fields are
    disabled, so Django cleans them to these values whatever is posted."""
    form_class = eform_class(version)
    locked = locked or {}
    if data is not None:
        form = form_class(data=data, prefix=prefix, initial=_initial(form_class.definitions, locked))
    else:
        stored = {**eform_prefilled(form_class.definitions, stored or {}, details or {}), **locked}
        form = form_class(initial=_initial(form_class.definitions, stored), prefix=prefix)
    for key in locked:
        form.fields[key].disabled = True
        form.fields[key].help_text = escape(_("Đã xác thực qua VNeID, không sửa được."))
    return form


def _initial(definitions: Iterable[FormField], stored: dict[str, Any]) -> dict[str, Any]:
    return {
        d.key: stored.get(d.key) if d.field_type == FieldType.ADDRESS else _raw_value(d, stored.get(d.key))
        for d in definitions if d.key in stored
    }


def eform_locked(definitions: Iterable[FormField], verified: dict[str, Any]) -> dict[str, Any]:
    """Answers fixed by e-identity: field key → verified value, for each field bound to a verified
    detail (`verified`: ProfileBinding value → stored-shape value) that the admin did not leave
    editable. A verified value the field itself would refuse (an address whose province is not in
    the list, a name longer than the field allows) is not locked, so the citizen is never stuck."""
    locked: dict[str, Any] = {}
    for definition in definitions:
        if not definition.prefill or definition.editable_when_verified:
            continue
        value = verified.get(definition.prefill)
        if value in (None, "", {}):
            continue
        if isinstance(value, dict) and definition.field_type != FieldType.ADDRESS:
            value = address_text(value)
        field = build_field(definition)
        field.disabled = True  # an address field then takes the stored dict as it is
        try:
            cleaned = field.clean(value if definition.field_type == FieldType.ADDRESS else _raw_value(definition, value))
        except ValidationError:
            continue
        locked[definition.key] = _to_json(cleaned)
    return locked


def eform_prefilled(
    definitions: Iterable[FormField], stored: dict[str, Any], details: dict[str, Any]
) -> dict[str, Any]:
    """`stored` plus the applicant's details in the bound fields not answered yet.

    A key already in `stored` (even empty) was answered and saved, so an answer the person
    cleared is not filled again."""
    merged = dict(stored)
    for definition in definitions:
        value = details.get(definition.prefill) if definition.prefill else None
        if definition.key not in stored and value not in (None, "", {}):
            merged[definition.key] = value
    return merged


def address_text(value: Any) -> str:
    """An address answer ({"province", "commune", "detail"}) as one line, street first."""
    if not isinstance(value, dict):
        return ""
    return ", ".join(p for p in (value.get("detail"), value.get("commune"), value.get("province")) if p)


def eform_errors(version: ProcedureVersion, stored: dict[str, Any]) -> dict[str, list[str]]:
    """Validation errors of stored answers (empty when complete): the authority at submit time."""
    form_class = eform_class(version)
    form = form_class(data=_raw_data(form_class.definitions, stored or {}))
    if form.is_valid():
        return {}
    return {key: [str(message) for message in messages] for key, messages in form.errors.items()}


def _is_birth_date(definition: FormField) -> bool:
    words = normalize_search(f"{definition.key.replace('_', ' ')} {definition.label}")
    return definition.field_type == FieldType.DATE and ("birth" in words or "sinh" in words.split())


def eform_warnings(definitions: list[FormField], stored: dict[str, Any]) -> list[str]:
    """An ID number is compared with a date of birth defined in the same section of the form."""
    warnings: list[str] = []
    for definition in definitions:
        if definition.field_type != FieldType.ID_NUMBER or not stored.get(definition.key):
            continue
        birth = next(
            (d for d in definitions if d.section == definition.section and _is_birth_date(d) and stored.get(d.key)),
            None,
        )
        if birth is None:
            continue
        try:
            birth_date = date.fromisoformat(stored[birth.key])
        except (TypeError, ValueError):
            continue
        warnings += [f"{field_label(definition)}: {w}" for w in id_number_warnings(stored[definition.key], birth_date)]
    return warnings


def display_value(definition: FormField, value: Any, *, mask_ids: bool = False) -> str:
    """A stored answer as text for people (review page, officer page, slips)."""
    if value is None or value == "" or value == []:
        return ""
    kind = definition.field_type
    if kind == FieldType.DATE:
        try:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        except (TypeError, ValueError):
            return str(value)
    if kind in (FieldType.CHOICE, FieldType.MULTIPLE_CHOICE):
        labels = dict(_choice_options(definition))
        values = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(str(v), str(v)) for v in values)
    if kind == FieldType.YES_NO:
        return _("Có") if value else _("Không")
    if kind == FieldType.ADDRESS and isinstance(value, dict):
        return address_text(value)
    if kind == FieldType.ID_NUMBER and mask_ids:
        return mask_id_number(str(value))
    return str(value)


def eform_display(
    version: ProcedureVersion, stored: dict[str, Any], *, mask_ids: bool = False, definitions: list | None = None,
) -> list[tuple[str, list[tuple[str, str]]]]:
    """[(section, [(label, answer), …]), …] in definition order; the template escapes the text.

    `definitions`: the version's form_definitions when the caller already has them (from a cache)."""
    sections: list[tuple[str, list[tuple[str, str]]]] = []
    for definition in definitions if definitions is not None else form_definitions(version):
        if not sections or sections[-1][0] != definition.section:
            sections.append((definition.section, []))
        sections[-1][1].append(
            (field_label(definition), display_value(definition, (stored or {}).get(definition.key), mask_ids=mask_ids))
        )
    return sections
