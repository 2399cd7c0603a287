"""`|bs5_field` / `|bs5_form` write what crispy's bootstrap5 `|as_crispy_field` / `|crispy` write.

The fast filters replace crispy on the busiest pages (the officer's queue and dossier page, the citizen's
dossier page); these tests render the same bound fields both ways, blank, filled with markup-like values and
with errors, and compare the HTML as a browser reads it (assertHTMLEqual ignores only insignificant spaces).
"""

from __future__ import annotations

import pytest

from django import forms
from django.template import Context, Template
from django.test import SimpleTestCase
from django.utils import translation

from applications import forms_filing, forms_officer
from portal.templatetags.bs5_fields import bs5_field
from tests.factories import make_procedure

html = SimpleTestCase()


class Everything(forms.Form):
    """Every plain widget the filters write themselves, with the options that change the markup."""

    error_css_class = "has-error"
    required_css_class = "is-required"

    name = forms.CharField(label="Họ <và> tên", max_length=20, help_text="Như trên <b>CCCD</b>")
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2, "class": "mono"}))
    amount = forms.IntegerField(min_value=1, label="Số tiền")
    email = forms.EmailField(required=False)
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    kind = forms.ChoiceField(choices=[("", "—"), ("a", "A & B"), ("Nhóm", [("x", "X"), ("y", "<Y>")])])
    choice = forms.TypedChoiceField(choices=[(1, "Một"), (2, "Hai")], coerce=int, required=False,
                                    widget=forms.Select(attrs={"data-autosubmit": True, "hidden": False}))
    version = forms.IntegerField(widget=forms.HiddenInput)
    secret = forms.CharField(required=False, widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("name") == "clash":
            raise forms.ValidationError("Không <hợp> lệ & sai")
        return data


def crispy_field(field) -> str:
    return Template("{% load crispy_forms_tags %}{{ field|as_crispy_field }}").render(Context({"field": field}))


def crispy_form(form) -> str:
    return Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(Context({"form": form}))


def fast_form(form) -> str:
    return Template("{% load bs5_fields %}{{ form|bs5_form }}").render(Context({"form": form}))


def assert_same(make_form) -> None:
    """Fresh forms each time: crispy adds its classes to the widgets, which must not help either side."""
    for name in make_form().fields:
        html.assertHTMLEqual(str(bs5_field(make_form()[name])), crispy_field(make_form()[name]))
    html.assertHTMLEqual(fast_form(make_form()), crispy_form(make_form()))


BAD = {"name": 'x"><script>', "note": "a < b & c", "amount": "0", "email": "not-mail", "day": "31/02/2026",
       "kind": "zz", "choice": "2", "version": "", "secret": "pw"}


@pytest.mark.parametrize("data", [None, BAD, {**BAD, "name": "clash", "amount": "5", "kind": "y", "version": "3"}])
def test_every_plain_widget_renders_as_crispy_renders_it(data):
    assert_same(lambda: Everything(data))


def test_invalid_and_valid_forms_differ_so_the_comparison_can_fail():
    invalid = fast_form(Everything(BAD))
    assert 'aria-invalid="true"' in invalid and 'class="invalid-feedback"' in invalid
    assert "&lt;script&gt;" in invalid and "<script>" not in invalid
    assert 'aria-invalid' not in fast_form(Everything(None))


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_officer_queue_filters_render_as_crispy_renders_them(language, commune):
    make_procedure(agency=commune, name="Khai sinh <cho> trẻ & em")
    make_procedure(agency=commune, name="Đăng ký kết hôn")
    with translation.override(language):
        assert_same(lambda: forms_officer.QueueFilterForm(None, agency_ids=[commune.pk]))
        assert_same(lambda: forms_officer.QueueFilterForm(
            {"q": "<b>", "status": "nope", "date_from": "2026-13-01", "sort": "code"}, agency_ids=[commune.pk]))


@pytest.mark.parametrize("form_class", sorted(
    {form_class for form_class, _call in __import__("applications.views.officer", fromlist=["ACTIONS"]).ACTIONS.values()
     if form_class is not forms_officer.TransferForm}, key=lambda form_class: form_class.__name__))
def test_the_officer_action_forms_render_as_crispy_renders_them(form_class):
    assert_same(lambda: form_class(prefix="act", initial={"expected_version": 4}))
    assert_same(lambda: form_class({"act-expected_version": "x"}, prefix="act"))


@pytest.mark.django_db
def test_the_transfer_form_renders_as_crispy_renders_it(commune, specialist):
    assert_same(lambda: forms_officer.TransferForm(prefix="transfer", agency_ids=[commune.pk],
                                                   initial={"expected_version": 1}))
    assert_same(lambda: forms_officer.TransferForm({"transfer-specialist": "0"}, prefix="transfer",
                                                   agency_ids=[commune.pk]))


@pytest.mark.parametrize("form_class", [forms_filing.SupplementSendForm, forms_filing.WithdrawForm,
                                        forms_filing.StopRequestForm])
def test_the_citizen_dossier_forms_render_as_crispy_renders_them(form_class):
    assert_same(lambda: form_class(initial={"expected_version": 2}))
    assert_same(lambda: form_class({"expected_version": "2", "note": "x" * 3000, "reason": ""}))


def test_widgets_the_filters_do_not_know_go_to_crispy():
    class Other(forms.Form):
        agree = forms.BooleanField()
        pick = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)
        paper = forms.FileField()

    for name in Other.base_fields:
        html.assertHTMLEqual(str(bs5_field(Other()[name])), crispy_field(Other()[name]))
    html.assertHTMLEqual(fast_form(Other()), crispy_form(Other()))
