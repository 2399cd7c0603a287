"""The figures the quality indicators read, recomputed by hand from the rows they count; and the
query budgets of the list pages."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from django.urls import reverse
from django.utils import timezone

from applications.models import Status
from feedback.models import Petition, PetitionStatus, Rating
from feedback.selectors import petition_figures, satisfaction_figures
from tests.factories import make_dossier, make_procedure
from tests.feedback.conftest import make_petition

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
START, END = datetime(2026, 3, 1, tzinfo=VN), datetime(2026, 4, 1, tzinfo=VN)


def _rating(dossier, overall, at, **scores):
    return Rating.objects.create(dossier=dossier, agency=dossier.agency, procedure=dossier.procedure_version.procedure,
                                 channel="link", overall=overall, created_at=at, **scores)


def test_satisfaction_figures_count_and_average_in_the_period_and_agencies(citizen, commune, other_commune, settings):
    settings.FEEDBACK_SATISFIED_MIN_LEVEL = 4
    version = make_procedure(agency=commune)
    dossiers = [make_dossier(version, commune, citizen, status=Status.RETURNED) for _i in range(4)]
    elsewhere = make_dossier(version, other_commune, citizen, status=Status.RETURNED)
    _rating(dossiers[0], 5, START, total_time=2, conduct=2)
    _rating(dossiers[1], 4, START + timedelta(days=3), total_time=1, conduct=1)
    _rating(dossiers[2], 2, END - timedelta(seconds=1), total_time=0)
    _rating(dossiers[3], 5, END)  # outside (half-open period)
    _rating(elsewhere, 1, START + timedelta(days=1), total_time=0)  # another agency

    figures = satisfaction_figures([commune.pk], START, END)

    assert (figures["ratings"], figures["satisfied"]) == (3, 2)
    assert figures["average_overall"] == Decimal("3.67")
    assert figures["satisfied_rate"] == Decimal("66.67")
    assert figures["indices"]["total_time"]["average_points"] == Decimal("1.00")
    assert figures["indices"]["conduct"] == {"label": figures["indices"]["conduct"]["label"], "answered": 2,
                                             "average_points": Decimal("1.50")}
    assert figures["indices"]["petitions"]["average_points"] is None
    assert figures["average_points"] == Decimal("1.25")
    assert (figures["points"], figures["max_points"]) == (2 + 2 + 1 + 1 + 0, 2 * 5)
    settings.FEEDBACK_SATISFIED_MIN_LEVEL = 5
    assert satisfaction_figures([commune.pk], START, END)["satisfied"] == 1
    both = satisfaction_figures([commune.pk, other_commune.pk], START, END)
    assert both["ratings"] == 4
    assert satisfaction_figures(None, START, END)["ratings"] == 4  # None: every agency
    assert satisfaction_figures([], START, END)["ratings"] == 0
    other_procedure = make_procedure(agency=commune).procedure
    assert satisfaction_figures([commune.pk], START, END, procedure_ids=[version.procedure_id])["ratings"] == 3
    assert satisfaction_figures([commune.pk], START, END, procedure_ids=[other_procedure.pk])["ratings"] == 0


def test_periods_must_be_aware(commune):
    with pytest.raises(ValueError):
        satisfaction_figures([commune.pk], datetime(2026, 3, 1), END)
    with pytest.raises(ValueError):
        petition_figures([commune.pk], START, datetime(2026, 4, 1))


def test_satisfaction_figures_without_ratings(commune):
    figures = satisfaction_figures([commune.pk], START, END)
    assert figures["ratings"] == 0 and figures["average_overall"] is None and figures["satisfied_rate"] is None
    assert (figures["points"], figures["max_points"]) == (0, 0)


def test_petition_figures(commune, other_commune):
    day = timedelta(days=1)
    on_time = make_petition(commune, received_at=START + day, status=PetitionStatus.ANSWERED, rating=5)
    Petition.objects.filter(pk=on_time.pk).update(answered_at=START + 2 * day, answer="a")
    late = make_petition(commune, received_at=START - 30 * day, status=PetitionStatus.ANSWERED, rating=2)
    Petition.objects.filter(pk=late.pk).update(answered_at=START + 5 * day, answer="a")
    make_petition(commune, received_at=START + 2 * day)  # open, due within the period? 10 working days later
    overdue = make_petition(commune, received_at=START - 40 * day)  # open and long overdue
    make_petition(commune, received_at=START + 3 * day, status=PetitionStatus.DISMISSED, answered_at=START + 4 * day)
    make_petition(other_commune, received_at=START + day)  # another agency

    figures = petition_figures([commune.pk], START, END)

    assert figures["received"] == 3
    assert (figures["answered"], figures["answered_on_time"], figures["dismissed"]) == (2, 1, 1)
    assert figures["on_time_rate"] == Decimal("50.00")
    assert figures["average_answer_satisfaction"] == Decimal("3.50") and figures["answer_ratings"] == 2
    # Open past due at the end of March: the long-overdue one and the one received on 3 March (due mid-March).
    assert figures["overdue_open"] == 2
    assert overdue.due_at < START
    assert petition_figures(None, START, END)["received"] == 4  # None: every agency


def test_a_petition_answered_after_the_period_counts_as_overdue_open_within_it(commune):
    late = make_petition(commune, received_at=START - timedelta(days=40), status=PetitionStatus.ANSWERED)
    Petition.objects.filter(pk=late.pk).update(answered_at=END + timedelta(days=2), answer="a")
    assert petition_figures([commune.pk], START, END)["overdue_open"] == 1
    assert petition_figures([commune.pk], END + timedelta(days=3), END + timedelta(days=30))["overdue_open"] == 0


def test_the_staff_petition_list_stays_within_its_query_budget(client, officer, commune,
                                                                django_assert_max_num_queries):
    for _i in range(25):
        make_petition(commune, assigned_to=officer, status=PetitionStatus.ASSIGNED)
    client.force_login(officer)
    client.get(reverse("feedback:officer-petitions"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("feedback:officer-petitions"))
    assert response.status_code == 200 and response.content.decode().count('href="/officer/phan-anh/PA-') == 20


def test_the_public_answers_page_stays_within_its_query_budget(client, commune, django_assert_max_num_queries):
    version = make_procedure(agency=commune)
    for _i in range(25):
        make_petition(commune, status=PetitionStatus.ANSWERED, answered_at=timezone.now(), published_at=timezone.now(),
                      public_question="Câu hỏi", public_answer="Trả lời", procedure=version.procedure)
    client.get(reverse("feedback:petitions"))
    with django_assert_max_num_queries(4):
        response = client.get(reverse("feedback:petitions"))
    assert response.content.decode().count("data-petition=") == 20
