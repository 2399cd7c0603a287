"""Per-row filters for the long lists (the officer's queues, the citizen's dossiers).

`{% url %}` resolves the whole pattern and `|date` walks Django's format machinery on every row: on a
25-row queue page those two were most of the template's own time (bench/profile_queue.py). These write
the same strings with less work.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django import template
from django.template.defaultfilters import date as date_filter
from django.urls import get_script_prefix, reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # not in the stubs
from django.utils.translation import gettext

from portal.templatetags.portal_extras import mask_id

register = template.Library()

PLACEHOLDER = "0CODE0"
# Dossier codes (applications.codes) are letters, digits, dots and hyphens: unreserved in a URL, so the
# code goes in as is, exactly as reverse() would put it. Anything else goes through reverse() itself.
PLAIN_CODE = re.compile(r"[A-Za-z0-9._-]+")
_templates: dict[tuple[str, str], str] = {}


@register.filter
def code_url(code: str, name: str) -> str:
    """`{{ dossier.code|code_url:"applications:dossier" }}` is `{% url "applications:dossier" dossier.code %}`."""
    code = str(code)
    if not PLAIN_CODE.fullmatch(code):
        return reverse(name, args=[code])
    key = (get_script_prefix(), name)
    pattern = _templates.get(key)
    if pattern is None:
        pattern = _templates[key] = reverse(name, args=[PLACEHOLDER])
    return pattern.replace(PLACEHOLDER, code)


@register.filter(expects_localtime=True, is_safe=False)
def dmy_hm(value: Any) -> str:
    """`|date:"d/m/Y H:i"` (digits only, so the same in every language)."""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    return date_filter(value, "d/m/Y H:i")


@register.filter(expects_localtime=True, is_safe=False)
def hm_dmy(value: Any) -> str:
    """`|date:"H:i d/m/Y"` (the dossier pages' dates and times)."""
    if isinstance(value, datetime):
        return value.strftime("%H:%M %d/%m/%Y")
    return date_filter(value, "H:i d/m/Y")


@register.filter(expects_localtime=True, is_safe=False)
def iso(value: Any) -> str:
    """`|date:"c"`."""
    if isinstance(value, datetime):
        return value.isoformat()
    return date_filter(value, "c")


@register.filter(expects_localtime=True, is_safe=False)
def dmy(value: Any) -> str:
    """`|date:"d/m/Y"`."""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    return date_filter(value, "d/m/Y")


@register.simple_tag
def queue_tabs(queues: list, current: object) -> SafeString:
    """The officer's queue tabs with their counts (applications/officer/home.html): a dozen tabs of a
    dozen template nodes each were a fifth of that template's own time."""
    current_key = getattr(current, "key", None)
    html = []
    for queue, count in queues:
        key, active = conditional_escape(queue.key), queue.key == current_key
        current_attr = ' aria-current="page"' if active else ""
        html.append(
            '\n    <li class="nav-item">\n'
            f'      <a class="nav-link{" active" if active else ""}'
            f'{" text-danger fw-semibold" if queue.key == "overdue" and count else ""}"\n'
            f'         href="?queue={key}"{current_attr} data-queue="{key}">\n'
            f'        {conditional_escape(queue.label)} <span class="badge '
            f'{"text-bg-light" if active else "text-bg-secondary"}" data-count="{key}">{conditional_escape(localize(count))}</span>\n'
            "      </a>\n"
            "    </li>\n    "
        )
    return mark_safe("".join(html))  # noqa: S308  # every value above is escaped


@register.simple_tag
def my_dossier_rows(dossiers: list) -> SafeString:
    """The rows of the citizen's dossier list (applications/my_dossiers.html), the same HTML its loop wrote:
    at a dozen nodes and filters per row, the rows were most of that template's own time."""
    escape = conditional_escape
    # The column labels each cell repeats for narrow screens, translated once.
    l_code, l_procedure, l_subject = escape(gettext("Mã hồ sơ")), escape(gettext("Thủ tục")), escape(gettext("Chủ hồ sơ"))
    l_status, l_submitted, l_due = escape(gettext("Trạng thái")), escape(gettext("Ngày nộp")), escape(gettext("Hẹn trả"))
    html = []
    for dossier in dossiers:
        code = dossier.code
        id_number = dossier.subject_id_number
        masked = f'<br><span class="small text-muted">{escape(mask_id(id_number))}</span>' if id_number else ""
        # `{% translate dossier.national_status_name %}` doubles a % before looking the text up.
        status_name = gettext(dossier.national_status_name.replace("%", "%%"))
        due = dmy(template_localtime(dossier.due_current)) or "—"
        html.append(
            "\n      <tr>\n"
            f'        <td data-label="{l_code}"><a href="{escape(code_url(code, "applications:dossier"))}">'
            f"{escape(code)}</a></td>\n"
            f'        <td data-label="{l_procedure}">{escape(dossier.procedure_version.name)}</td>\n'
            f'        <td data-label="{l_subject}">{escape(dossier.subject_name or dossier.applicant_name)}{masked}</td>\n'
            f'        <td data-label="{l_status}"><span class="badge status-badge status-{escape(dossier.status)}">'
            f"{escape(status_name)}</span></td>\n"
            f'        <td data-label="{l_submitted}">{escape(dmy(template_localtime(dossier.submitted_at)))}</td>\n'
            f'        <td data-label="{l_due}">{escape(due)}</td>\n'
            "      </tr>"
        )
    return mark_safe("".join(html))  # noqa: S308  # every value above is escaped
