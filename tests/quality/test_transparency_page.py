"""The public /minh-bach/ page: this year's counts per agency, no personal data, cached."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from applications.models import Dossier, DossierEvent, Event, Status
from quality.history import history_generate
from quality.selectors import Scope, summary_totals
from quality.summary import summary_rebuild
from tests.factories import make_dossier, make_procedure
from tests.quality.conftest import HISTORY_START


@pytest.fixture
def small_history(commune, other_commune, hamlet, versions, officer):
    history_generate(agencies=[commune, other_commune, hamlet], versions=versions, actor=officer, count=300,
                     start=HISTORY_START, days=300, seed=35)
    summary_rebuild()
    cache.clear()


def test_anyone_sees_this_years_counts_per_agency(client, commune, small_history, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = client.get(reverse("quality:transparency"))

    assert response.status_code == 200
    year = timezone.localdate().year
    board = response.context["board"]
    row = next(agency for agency in board["agencies"] if agency["name"] == commune.name)
    totals = summary_totals(Scope([commune.pk], date(year, 1, 1), timezone.localdate()))
    assert row["received"] == totals["received"]
    assert row["late"] == totals["resolved_late"]
    assert row["apologised"] == totals["apologised"]
    assert row["satisfaction"] is None  # no ratings in the history: no figure, not a zero
    page = response.content.decode()
    assert "chưa có dữ liệu" in page
    dossier = Dossier.objects.first()
    assert dossier.code not in page and dossier.applicant_name not in page


def test_the_page_is_served_from_the_cache(client, small_history, django_assert_max_num_queries):
    client.get(reverse("quality:transparency"))

    with django_assert_max_num_queries(2):
        assert client.get(reverse("quality:transparency")).status_code == 200


def test_the_refresh_job_warms_the_public_page(client, commune, small_history, officer,
                                               django_assert_max_num_queries):
    from applications.models import DossierEvent, Event
    from quality.tasks import quality_summary_refresh

    client.get(reverse("quality:transparency"))
    dossier = Dossier.objects.filter(agency=commune, status="processing").first()
    DossierEvent.objects.create(dossier=dossier, action=Event.APOLOGISED, at=timezone.now(), to_status="processing")

    quality_summary_refresh()

    with django_assert_max_num_queries(0):
        response = client.get(reverse("quality:transparency"))
    row = next(agency for agency in response.context["board"]["agencies"] if agency["name"] == commune.name)
    assert row["apologised"] == summary_totals(Scope([commune.pk], date(timezone.localdate().year, 1, 1),
                                                     timezone.localdate()))["apologised"]


def test_the_page_shows_each_agencys_satisfaction_this_year(client, commune, other_commune, small_history, citizen):
    from feedback.models import Rating

    version = make_procedure(agency=commune)
    this_year = timezone.localtime().replace(month=1, day=1, hour=0, minute=0, second=1)
    for agency, overall, scores in ((commune, 5, {"total_time": 2, "conduct": 1}), (commune, 2, {"total_time": 0}),
                                    (other_commune, 4, {"conduct": 2})):
        dossier = make_dossier(version, agency, citizen, status=Status.RETURNED)
        Rating.objects.create(dossier=dossier, agency=agency, procedure=version.procedure, channel="link",
                              overall=overall, created_at=this_year, **scores)
    last_year = make_dossier(version, commune, citizen, status=Status.RETURNED)
    Rating.objects.create(dossier=last_year, agency=commune, procedure=version.procedure, channel="link", overall=1,
                          created_at=this_year - timedelta(days=1), total_time=0, conduct=0)

    response = client.get(reverse("quality:transparency"))

    rows = {agency["name"]: agency for agency in response.context["board"]["agencies"]}
    assert rows[commune.name]["satisfaction"] == round(100 * (2 + 1 + 0) / (2 * 3), 2)
    assert rows[other_commune.name]["satisfaction"] == 100.0
    assert "50,0%" in response.content.decode()


def test_the_query_count_does_not_grow_with_the_agencies(client, province, small_history, citizen,
                                                       django_assert_max_num_queries):
    """Satisfaction is one grouped query for every agency, not one per agency (the page stays fast at scale)."""
    from accounts.models import Agency, AgencyKind
    from feedback.models import Rating

    today = timezone.localtime()
    for number in range(8):
        agency = Agency.objects.create(eid_code=f"H99.09.{number:02d}", name=f"Xã thêm {number}",
                                       kind=AgencyKind.COMMUNE, parent=province)
        version = make_procedure(agency=agency, name=f"Thủ tục thêm {number}")
        dossier = make_dossier(version, agency, citizen, status=Status.RETURNED)
        DossierEvent.objects.create(dossier=dossier, action=Event.RECEIVED, at=today, to_status=Status.PROCESSING)
        Rating.objects.create(dossier=dossier, agency=agency, procedure=version.procedure, channel="link", overall=5,
                              created_at=today, conduct=2)
    summary_rebuild()
    cache.clear()

    with django_assert_max_num_queries(6):
        response = client.get(reverse("quality:transparency"))

    rows = {agency["name"]: agency for agency in response.context["board"]["agencies"]}
    assert [rows[f"Xã thêm {number}"]["satisfaction"] for number in range(8)] == [100.0] * 8


def test_the_page_counts_each_agencys_ratings_and_petitions_this_year(client, commune, province, small_history):
    from accounts.models import Agency, AgencyKind
    from feedback.models import PetitionStatus
    from tests.feedback.conftest import make_petition

    now = timezone.now()
    make_petition(commune, received_at=now, status=PetitionStatus.ANSWERED, answered_at=now)
    make_petition(commune, received_at=now)
    make_petition(commune, received_at=now - timedelta(days=400))  # last year: not this year's
    # An agency that received no dossier yet but a petition is listed too.
    ward = Agency.objects.create(eid_code="H99.08", name="Phường mới", kind=AgencyKind.COMMUNE, parent=province)
    make_petition(ward, received_at=now, sender_name="Lê Thị Gửi")

    response = client.get(reverse("quality:transparency"))

    rows = {agency["name"]: agency for agency in response.context["board"]["agencies"]}
    assert (rows[commune.name]["petitions_received"], rows[commune.name]["petitions_answered"]) == (2, 1)
    assert (rows[ward.name]["petitions_received"], rows[ward.name]["received"], rows[ward.name]["ratings"]) == (1, 0, 0)
    assert response.context["board"]["totals"]["petitions_received"] == 3
    assert "Lê Thị Gửi" not in response.content.decode()
