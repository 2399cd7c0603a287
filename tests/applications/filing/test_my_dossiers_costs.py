"""The citizen's dossier list reads only what it shows, and counts nothing when one page holds it all."""

from __future__ import annotations

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.models import Dossier, Status
from tests.factories import make_dossier

pytestmark = pytest.mark.django_db


# The budgets are those of building the pages; a page served again from the cache runs no query
# (tests/portal/test_personal_pages.py), and building one costs the dossier's id lookup besides.
@pytest.fixture(autouse=True)
def _pages_built_every_time(settings):
    settings.PERSONAL_PAGE_SECONDS = 0


def _counts(captured) -> list[str]:
    return [query["sql"] for query in captured if "COUNT(" in query["sql"].upper()]


def test_one_page_of_dossiers_and_the_drafts_in_two_queries_without_a_count(client, citizen, version, commune):
    for _ in range(20):
        make_dossier(version, commune, citizen, subject_id_number="001084000999")
    draft = make_dossier(version, commune, citizen, status=Status.DRAFT, subject_name="Trần Thị Nháp")
    client.force_login(citizen)
    client.get("/dossiers/")
    with CaptureQueriesContext(connection) as captured:
        html = client.get("/dossiers/").content.decode()
    assert _counts(captured.captured_queries) == []
    dossier_queries = [q["sql"] for q in captured.captured_queries if '"applications_dossier"' in q["sql"]]
    assert len(dossier_queries) == 2
    assert html.count('data-label="Mã hồ sơ"') == 20 and "?page=2" not in html
    assert html.count("•••••••••999") == 20 and version.name in html
    assert "Trần Thị Nháp" in html and f"/dossiers/draft/{draft.pk}/applicant/" in html


def test_a_second_page_is_counted_and_linked(client, citizen, version, commune):
    for _ in range(21):
        make_dossier(version, commune, citizen)
    client.force_login(citizen)
    first = client.get("/dossiers/")
    assert len(first.context["dossiers"]) == 20 and "1 / 2" in first.content.decode()
    assert "?page=2" in first.content.decode()
    second = client.get("/dossiers/?page=2")
    assert len(second.context["dossiers"]) == 1 and "2 / 2" in second.content.decode()


# Query budgets of the citizen's two busiest pages. Each query of the page is named, so a query that comes
# back (a lazy relation, a per-row lookup, a COUNT) fails here with the list of what ran.
# The signed-in user comes from the cache (accounts/backends.py, as in production with Redis), not a query.
LIST_QUERIES = 2  # the drafts, the first page of submitted dossiers
# The dossier (with its version, procedure and agency), its attachments, documents, public events and
# pauses; once received, its extensions and the working-day calendar (the deadline clock loads it for the
# days used and for the days left: workdays.services); while a supplement request is open, the request
# and the officer's note on it.
PAGE_QUERIES = 5
RECEIVED_EXTRA = 3
SUPPLEMENT_EXTRA = 2


def _get(client, url: str) -> tuple[str, list[str]]:
    client.get(url)  # fills the process-wide caches (catalogue, compiled queries)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), [query["sql"] for query in captured.captured_queries]


def test_the_list_keeps_its_query_budget_whatever_the_number_of_dossiers_and_drafts(client, citizen, version,
                                                                                   commune):
    client.force_login(citizen)
    make_dossier(version, commune, citizen)
    _, few = _get(client, "/dossiers/")
    for index in range(25):
        make_dossier(version, commune, citizen)
        make_dossier(version, commune, citizen, status=Status.DRAFT, subject_name=f"Nháp {index}")
    html, many = _get(client, "/dossiers/")
    assert len(few) == LIST_QUERIES, few
    assert len(many) == LIST_QUERIES + 1 and "COUNT(" in many[-1], many  # a second page: its count
    assert html.count('data-label="Mã hồ sơ"') == 20 and html.count("Nháp ") == 25 and "?page=2" in html


def test_a_counter_draft_is_not_among_the_citizens_drafts_nor_reachable(client, citizen, officer, version,
                                                                          commune):
    from applications.filing import draft_create
    from applications.models import Channel

    counter = draft_create(version, commune, owner=citizen, filed_by=officer, channel=Channel.IN_PERSON)
    counter.subject_name = "Nháp tại quầy"
    counter.save(update_fields=["subject_name"])
    own = make_dossier(version, commune, citizen, status=Status.DRAFT, subject_name="Nháp của tôi")
    client.force_login(citizen)
    response = client.get("/dossiers/")
    assert [draft.pk for draft in response.context["drafts"]] == [own.pk]
    assert "Nháp tại quầy" not in response.content.decode()
    assert client.get(f"/dossiers/draft/{counter.pk}/applicant/").status_code == 404


def test_the_dossier_page_keeps_its_query_budget_in_every_state(client, citizen, officer, specialist, version,
                                                              commune):
    from applications import workflow
    from applications.models import Attachment, DossierEvent
    from tests.applications.filing.builders import submitted, to_supplement_requested

    dossier = submitted(version, commune, citizen)
    client.force_login(citizen)
    url = f"/dossiers/{dossier.code}/"
    _, filed = _get(client, url)
    assert len(filed) == PAGE_QUERIES, filed

    to_supplement_requested(dossier, officer, specialist)
    html, asked = _get(client, url)
    assert len(asked) == PAGE_QUERIES + RECEIVED_EXTRA + SUPPLEMENT_EXTRA, "\n".join(q[:90] for q in asked)
    assert "Bản sao giấy chứng sinh có chứng thực" in html

    # More papers, events and pauses cost no more queries.
    for index in range(5):
        Attachment.objects.create(dossier=dossier, component=version.components.first(), file=f"x/{index}.pdf",
                                  original_name=f"giay-{index}.pdf", content_type="application/pdf", size=10,
                                  sha256="0" * 64)
        DossierEvent.objects.create(dossier=dossier, action="note", at=dossier.submitted_at, note=f"Công khai {index}",
                                    is_public=True)
    html, more = _get(client, url)
    assert len(more) == len(asked), more
    assert html.count("giay-") >= 5

    dossier.refresh_from_db()
    workflow.dossier_supplement(dossier, actor=citizen, expected_version=dossier.version, note="Đã bổ sung")
    html, received = _get(client, url)
    assert len(received) == PAGE_QUERIES + RECEIVED_EXTRA, received
    assert "Tạm dừng" in html or "tạm dừng" in html


def test_another_citizens_dossier_is_404_with_the_compiled_lookup(client, citizen, other_citizen, version, commune):
    mine = make_dossier(version, commune, citizen)
    theirs = make_dossier(version, commune, other_citizen)
    client.force_login(citizen)
    assert client.get(f"/dossiers/{mine.code}/").status_code == 200
    assert client.get(f"/dossiers/{theirs.code}/").status_code == 404
    client.force_login(other_citizen)
    assert client.get(f"/dossiers/{theirs.code}/").status_code == 200
    assert client.get(f"/dossiers/{mine.code}/").status_code == 404


# The loop my_dossiers.html had before the rows were written by one tag.
ROWS_LOOP = (
    "{% load i18n portal_extras row_tags %}{% translate 'Mã hồ sơ' as l_code %}{% translate 'Thủ tục' as l_procedure %}"
    "{% translate 'Chủ hồ sơ' as l_subject %}{% translate 'Trạng thái' as l_status %}"
    "{% translate 'Ngày nộp' as l_submitted %}{% translate 'Hẹn trả' as l_due %}{% for dossier in dossiers %}\n"
    "      <tr>\n"
    '        <td data-label="{{ l_code }}"><a href="{{ dossier.code|code_url:\'applications:dossier\' }}">'
    "{{ dossier.code }}</a></td>\n"
    '        <td data-label="{{ l_procedure }}">{{ dossier.procedure_version.name }}</td>\n'
    '        <td data-label="{{ l_subject }}">{{ dossier.subject_name|default:dossier.applicant_name }}'
    '{% if dossier.subject_id_number %}<br><span class="small text-muted">{{ dossier.subject_id_number|mask_id }}'
    "</span>{% endif %}</td>\n"
    '        <td data-label="{{ l_status }}"><span class="badge status-badge status-{{ dossier.status }}">'
    "{% translate dossier.national_status_name %}</span></td>\n"
    '        <td data-label="{{ l_submitted }}">{{ dossier.submitted_at|dmy }}</td>\n'
    '        <td data-label="{{ l_due }}">{{ dossier.due_current|dmy|default:"—" }}</td>\n'
    "      </tr>{% endfor %}"
)


def test_the_rows_tag_writes_what_the_template_loop_wrote(citizen, version, commune):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.template import Context, Template
    from django.utils import timezone, translation

    late = datetime(2026, 3, 4, 23, 30, tzinfo=ZoneInfo("UTC"))  # the 5th in Vietnam
    version.name = 'Thủ tục <b>"đặc biệt"</b> & khác'
    version.save(update_fields=["name"])
    make_dossier(version, commune, citizen, subject_id_number="001084000999", submitted_at=late, due_current=late)
    make_dossier(version, commune, citizen, subject_name="", applicant_name="<script>x</script>", status=Status.RETURNED)
    make_dossier(version, commune, citizen, subject_id_number="", status=Status.SUPPLEMENT_REQUESTED, due_current=None)
    dossiers = list(Dossier.objects.filter(owner=citizen).select_related("procedure_version"))
    tag = Template("{% load row_tags %}{% my_dossier_rows dossiers %}")
    for language in ("vi", "en"):
        with translation.override(language), timezone.override(ZoneInfo("Asia/Ho_Chi_Minh")):
            expected = Template(ROWS_LOOP).render(Context({"dossiers": dossiers}))
            assert tag.render(Context({"dossiers": dossiers})) == expected
    assert "05/03/2026" in expected and "&lt;script&gt;" in expected and "&lt;b&gt;" in expected
    assert expected.count("<tr>") == 3 and "—" in expected and "•••••••••999" in expected
