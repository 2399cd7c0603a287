"""What the officer's queue and dossier page cost in queries, and that the cheaper paths show the same.

The filter form of an unfiltered queue comes from the catalogue cache (procedures/cache.py); the
dossier page fetches digitised and reused attachments' relations only when some attachment has them.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.models import Attachment, Status
from procedures.cache import catalogue_changed
from procedures.models import FormField
from tests.applications.officer.conftest import drive, new_draft
from tests.factories import make_dossier, make_procedure

pytestmark = pytest.mark.django_db


def _procedure_queries(captured) -> list[str]:
    return [query["sql"] for query in captured if '"procedures_procedure"' in query["sql"]]


def test_the_unfiltered_queue_takes_its_filter_form_from_the_cache(login, officer, version, commune, citizen,
                                                                   django_capture_on_commit_callbacks):
    make_dossier(version, commune, citizen)
    client = login(officer)
    first = client.get("/officer/").content.decode()
    assert f"{version.procedure.code} {version.name}" in first
    with CaptureQueriesContext(connection) as second:
        again = client.get("/officer/").content.decode()
    assert _procedure_queries(second.captured_queries) == []
    assert again.count("<option") == first.count("<option")
    assert "<details class=\"card mb-3\">" in again  # nothing asked: the filter box stays closed
    # A tab or a page number filters nothing: the same cached fields, the filter box open as before.
    with CaptureQueriesContext(connection) as tab:
        html = client.get("/officer/?queue=all&page=1").content.decode()
    assert _procedure_queries(tab.captured_queries) == []
    assert html.count("<option") == first.count("<option") and "<details class=\"card mb-3\" open>" in html
    # session, user, second-factor device, agency tree, working calendar, tab counts (2), agency name, rows
    assert len(second.captured_queries) <= 9

    # A catalogue write (the services and the admin bump the generation) shows at once.
    added = make_procedure(agency=commune, name="Chứng thực bản sao từ bản chính")
    with django_capture_on_commit_callbacks(execute=True):
        catalogue_changed()
    assert f"{added.procedure.code} {added.name}" in client.get("/officer/").content.decode()


def test_a_filtered_queue_marks_the_chosen_procedure_and_still_refuses_another_agencys(
    login, officer, version, commune, citizen, province
):
    make_dossier(version, commune, citizen)
    elsewhere = make_procedure(agency=province, name="Thủ tục của tỉnh")
    client = login(officer)
    client.get("/officer/")  # fills the cache
    html = client.get(f"/officer/?queue=all&procedure={version.procedure.pk}").content.decode()
    assert f'<option value="{version.procedure.pk}" selected>' in html
    refused = client.get(f"/officer/?queue=all&procedure={elsewhere.procedure.pk}")
    assert refused.context["filter_form"].errors["procedure"]
    assert f'value="{elsewhere.procedure.pk}"' not in refused.content.decode()


def test_the_dossier_page_shows_digitised_and_reused_papers_without_a_query_per_attachment(
    login, officer, cast, version, commune, citizen, django_assert_max_num_queries
):
    earlier = drive(new_draft(version, commune, citizen), Status.RECEIVED, cast)
    dossier = drive(new_draft(version, commune, citizen), Status.RECEIVED, cast)
    client = login(officer)
    client.get(f"/officer/dossiers/{dossier.code}/")
    with CaptureQueriesContext(connection) as plain:
        assert client.get(f"/officer/dossiers/{dossier.code}/").status_code == 200

    def paper(owner_dossier, name, **fields):
        return Attachment.objects.create(dossier=owner_dossier, file=f"x/{name}", original_name=name,
                                         content_type="application/pdf", size=10, sha256="0" * 64, **fields)

    source = paper(earlier, "cu.pdf")
    for index in range(4):
        paper(dossier, f"so-hoa-{index}.pdf", is_digitised=True, digitised_by=officer, digitised_at=timezone.now())
        paper(dossier, f"tai-su-dung-{index}.pdf", is_reused=True, reused_from=source)
    # The digitiser, and the reused papers with their dossiers: three more queries whatever the number.
    with django_assert_max_num_queries(len(plain.captured_queries) + 3):
        html = client.get(f"/officer/dossiers/{dossier.code}/").content.decode()
    assert html.count(f"số hóa tại quầy bởi {officer.full_name}") == 4
    assert html.count(f"giấy tờ đã nộp trong hồ sơ {earlier.code}") == 4


def test_the_dossier_page_names_the_owner_the_filer_and_the_specialist(login, officer, specialist, cast, version,
                                                                      commune, citizen):
    dossier = drive(new_draft(version, commune, citizen), Status.PROCESSING, cast)
    dossier.filed_by = officer
    dossier.save(update_fields=["filed_by"])
    html = login(officer).get(f"/officer/dossiers/{dossier.code}/").content.decode()
    assert citizen.full_name in html and specialist.full_name in html
    assert "Người nhập hồ sơ" in html and officer.full_name in html
    # The timeline names who acted (staff see names): the actors come with the people, in one query.
    assert f"{officer.full_name} (" in html and f"{citizen.full_name} (" in html


def test_row_filters_write_what_url_and_date_write():
    VN = ZoneInfo("Asia/Ho_Chi_Minh")
    moment = datetime(2026, 3, 4, 23, 30, tzinfo=ZoneInfo("UTC"))  # 06:30 on the 5th in Vietnam
    template = Template(
        "{% load row_tags %}{{ code|code_url:'applications:officer-dossier' }}|{{ odd|code_url:'applications:dossier' }}"
        "|{{ at|dmy_hm }}|{{ at|dmy }}|{{ none|dmy_hm|default:'—' }}"
    )
    with timezone.override(VN):
        rendered = template.render(Context({"code": "000.00.01.H99-260305-0001", "odd": "a b", "at": moment,
                                            "none": None}))
        expected_date = Template('{{ at|date:"d/m/Y H:i" }}|{{ at|date:"d/m/Y" }}').render(Context({"at": moment}))
    assert rendered == "|".join([
        reverse("applications:officer-dossier", args=["000.00.01.H99-260305-0001"]),
        reverse("applications:dossier", args=["a b"]), expected_date, "—",
    ])
    assert expected_date == "05/03/2026 06:30|05/03/2026"

    # The dossier pages' filters: `|date:"H:i d/m/Y"` and `|date:"c"`, for a moment, a day and nothing.
    ours = Template("{% load row_tags %}{{ at|hm_dmy }}|{{ at|iso }}|{{ day|iso }}|{{ day|dmy }}"
                    "|{{ none|hm_dmy|default:'—' }}|{{ none|iso }}")
    django = Template("{{ at|date:'H:i d/m/Y' }}|{{ at|date:'c' }}|{{ day|date:'c' }}|{{ day|date:'d/m/Y' }}"
                      "|{{ none|date:'H:i d/m/Y'|default:'—' }}|{{ none|date:'c' }}")
    values = {"at": moment, "day": moment.date(), "none": None}
    with timezone.override(VN):
        assert ours.render(Context(values)) == django.render(Context(values))
        assert ours.render(Context(values)).startswith("06:30 05/03/2026|2026-03-05T06:30:00+07:00|")


def test_the_dossier_pages_take_the_answers_from_the_cache_until_answers_or_catalogue_change(
    login, officer, cast, version, commune, citizen, django_capture_on_commit_callbacks
):
    dossier = drive(new_draft(version, commune, citizen), Status.RECEIVED, cast)
    dossier.form_data = {**dossier.form_data, "child_name": "Trần Văn Cũ"}
    dossier.save(update_fields=["form_data"])
    client = login(officer)
    url = f"/officer/dossiers/{dossier.code}/"
    assert "Trần Văn Cũ" in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as again:
        assert "Trần Văn Cũ" in client.get(url).content.decode()
    assert not [q for q in again.captured_queries if '"procedures_formfield"' in q["sql"]]

    dossier.form_data = {**dossier.form_data, "child_name": "Lê Thị Mới"}
    dossier.save(update_fields=["form_data"])
    assert "Lê Thị Mới" in client.get(url).content.decode()

    FormField.objects.filter(version=version, key="child_name").update(label="Họ và tên của trẻ (đã sửa)")
    with django_capture_on_commit_callbacks(execute=True):
        catalogue_changed()  # what the admin and the catalogue services do after a write
    assert "Họ và tên của trẻ (đã sửa)" in client.get(url).content.decode()


def test_the_queue_tabs_tag_writes_what_the_template_loop_wrote(officer):
    from applications.queues import QUEUES, queues_for

    loop = Template(
        "{% for queue, count in queues %}\n    <li class=\"nav-item\">\n      <a class=\"nav-link{% if queue.key == "
        "current.key %} active{% endif %}{% if queue.key == 'overdue' and count %} text-danger fw-semibold{% endif %}\""
        "\n         href=\"?queue={{ queue.key }}\"{% if queue.key == current.key %} aria-current=\"page\"{% endif %} "
        "data-queue=\"{{ queue.key }}\">\n        {{ queue.label }} <span class=\"badge {% if queue.key == current.key %}"
        "text-bg-light{% else %}text-bg-secondary{% endif %}\" data-count=\"{{ queue.key }}\">{{ count }}</span>\n"
        "      </a>\n    </li>\n    {% endfor %}"
    )
    tag = Template("{% load row_tags %}{% queue_tabs queues current %}")
    for overdue in (0, 7):
        context = {"queues": [(queue, overdue if queue.key == "overdue" else 1234) for queue in queues_for(officer)],
                   "current": QUEUES["received"]}
        assert tag.render(Context(context)) == loop.render(Context(context))
        assert ("text-danger" in tag.render(Context(context))) == bool(overdue)
