"""`|bs5_field` and `|bs5_form`: the markup of crispy-forms' bootstrap5 `|as_crispy_field` and `|crispy`,
built in Python.

crispy renders every field through a dozen nested templates and Django renders every `<option>` of a
select through two more (select_option.html, attrs.html); on the officer's queue page those six filter
fields were a third of the whole request (bench/profile_queue.py). These filters write the same HTML
(same ids, classes, labels, `aria-invalid`/`aria-describedby`, error and help-text blocks, asterisk on
required fields) directly. Widgets they do not know (checkboxes, radios, files, multi-widgets, any widget
with its own template or render method) and forms with a crispy helper go to crispy itself, so the
output never differs: tests/portal/test_bs5_fields.py compares both renderings field by field.
"""

from __future__ import annotations

from django import forms, template
from django.forms.boundfield import BoundField
from django.forms.widgets import Input, Select, Textarea, Widget
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

WIDGETS = "django/forms/widgets/"
# The stock templates that are all `{% include "django/forms/widgets/input.html" %}`.
INPUT_TEMPLATES = {WIDGETS + name for name in (
    "input.html", "text.html", "number.html", "email.html", "url.html", "password.html", "hidden.html",
    "date.html", "datetime.html", "time.html", "search.html", "tel.html", "color.html",
)}


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {escape(name)}" if value is True else f' {escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


def _widget_html(widget: Widget, context: dict) -> str:
    """The stock input, textarea and select templates, character for character."""
    data = context["widget"]
    if isinstance(widget, Textarea):
        value = conditional_escape(data["value"]) if data["value"] else ""
        return f'<textarea name="{escape(data["name"])}"{_attrs(data["attrs"])}>\n{value}</textarea>\n'
    if isinstance(widget, Select):
        html = [f'<select name="{escape(data["name"])}"{_attrs(data["attrs"])}>']
        for group_name, group_choices, _index in data["optgroups"]:
            if group_name:
                html.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in group_choices:
                html.append(f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                            f'{_attrs(option["attrs"])}>{conditional_escape(option["label"])}</option>\n')
            if group_name:
                html.append("\n  </optgroup>")
        html.append("\n</select>\n")
        return "".join(html)
    value = "" if data["value"] is None else f' value="{conditional_escape(str(data["value"]))}"'
    return f'<input type="{escape(data["type"])}" name="{escape(data["name"])}"{value}{_attrs(data["attrs"])}>\n'


def _known(widget: Widget) -> bool:
    kind = type(widget)
    if kind.render is not Widget.render or getattr(widget, "use_fieldset", False):
        return False
    if isinstance(widget, Select):
        return (not widget.allow_multiple_selected and widget.template_name == WIDGETS + "select.html"
                and widget.option_template_name == WIDGETS + "select_option.html")
    if isinstance(widget, Textarea):
        return widget.template_name == WIDGETS + "textarea.html"
    return isinstance(widget, Input) and widget.input_type not in ("file", "checkbox", "radio") \
        and widget.template_name in INPUT_TEMPLATES


def _render_widget(field: BoundField, css: str) -> str:
    """BoundField.as_widget() after crispy's CrispyFieldNode added its classes to widget.attrs."""
    widget = field.field.widget
    class_name = type(widget).__name__.lower()
    existing = widget.attrs.get("class", "")
    classes = existing if not existing else existing + ("" if class_name in existing else f" {class_name}")
    classes = classes or class_name
    for token in css.split():
        if token not in classes.split():
            classes += f" {token}"
    widget.attrs["class"] = classes
    if field.field.localize:
        widget.is_localized = True
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)
    return _widget_html(widget, context)


def _field_html(field: BoundField) -> str:
    """crispy_bootstrap5's bootstrap5/field.html for a plain widget, with its default options."""
    widget = field.field.widget
    if widget.is_hidden:
        return _render_widget_plain(field)
    required = field.field.required
    css_classes = field.css_classes()
    html = [f'<div id="div_{field.auto_id}" class="mb-3{" " + css_classes if css_classes else ""}">']
    if field.label:
        label_for = f'for="{field.id_for_label}" ' if field.id_for_label else ""
        asterisk = '<span class="asteriskField">*</span>' if required else ""
        html.append(f'<label {label_for}class="form-label{" requiredField" if required else ""}">'
                    f"{conditional_escape(field.label)}{asterisk}</label>")
    invalid = " is-invalid" if field.errors else ""
    html.append(_render_widget(field, ("form-select" if isinstance(widget, Select) else "form-control") + invalid))
    if field.errors:
        html.append(f'<div id="{field.errors.field_id}_error" class="invalid-feedback">')
        html.extend(f'<p id="error_{number}_{field.auto_id}"><strong>{conditional_escape(error)}</strong></p>'
                    for number, error in enumerate(field.errors, start=1))
        html.append("</div>")
    if field.help_text:
        help_id = f'id="{field.auto_id}_helptext" ' if field.auto_id else ""
        html.append(f'<div {help_id}class="form-text">{field.help_text}</div>')
    html.append("</div>")
    return "".join(html)


def _render_widget_plain(field: BoundField) -> str:
    """`{{ field }}` for a hidden field (crispy adds no class to it)."""
    widget = field.field.widget
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    return _widget_html(widget, widget.get_context(field.html_name, field.value(), attrs))


def _fast(field: BoundField) -> bool:
    return getattr(field.form, "helper", None) is None and _known(field.field.widget)


@register.filter
def bs5_field(field: BoundField) -> SafeString:
    """`{{ form.name|bs5_field }}`: what `{{ form.name|as_crispy_field }}` renders."""
    if not _fast(field):
        from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

        return as_crispy_field(field)
    return mark_safe(_field_html(field))


@register.filter
def bs5_form(form: forms.BaseForm) -> SafeString:
    """`{{ form|bs5_form }}`: what `{{ form|crispy }}` renders (non-field errors, then every field)."""
    fields = list(form)
    if not all(_fast(field) for field in fields):
        from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form

        return as_crispy_form(form)
    html = []
    if form.non_field_errors():
        items = "".join(f"<li>{conditional_escape(error)}</li>" for error in form.non_field_errors())
        html.append(f'<div class="alert alert-block alert-danger"><ul class="m-0">{items}</ul></div>')
    html.extend(_field_html(field) for field in fields)
    return mark_safe("".join(html))
